"""One lifecycle for every piece of work done outside the request (a matching run, an export):
recorded queued, taken by a worker, alive while its heartbeat is fresh, and ended done or
failed with its reason. A job records its own outcome, since nobody waits on it in a request;
a job whose worker stopped is failed by whoever looks at it next."""

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.catalogue import N_
from matchmaker.services.core.moments import aware
from matchmaker.vocabulary import ACTIVE_JOB_STATUSES, JobStatus

# A worker touches the heartbeat of each job it holds every BEAT_SECONDS; one silent for
# STALE_AFTER has lost its worker (killed, reloaded, out of memory, its machine gone).
BEAT_SECONDS = 10
STALE_AFTER = timedelta(seconds=60)
WORKER_STOPPED = (
    "The worker stopped (it was restarted or lost) before this finished, so it was marked "
    "failed. Start it again."
)
WAITED_TOO_LONG = (
    "No worker took this from the queue in {minutes} minutes, so it was marked failed. "
    "Ask the administrator whether the queue workers are running, then start it again."
)
QUEUE_FAILED = "The queue reported that this failed: {reason}"


def begin_job(row, now: datetime, phase: str) -> None:
    """Mark a queued job running in `phase` (the job body commits it)."""
    row.status, row.progress, row.phase = JobStatus.RUNNING, 1, phase
    row.heartbeat_at = now


def finish_job(row, now: datetime) -> None:
    """Mark the job's row done (the job body commits it with its work)."""
    row.status, row.progress, row.phase = JobStatus.DONE, 100, N_("done")
    row.finished_at = now


def fail_job(session: Session, model, row_id: int, error: Exception, now: datetime):
    """After any failure of a job: take back all of its work, and record it failed with the
    error; commits (a job's outcome is its own). Returns the row."""
    session.rollback()
    row = session.get(model, row_id)
    row.status, row.finished_at = JobStatus.FAILED, now
    row.error = f"{type(error).__name__}: {error}"[:2000]
    session.commit()
    return row


def beat(session: Session, model, ids: list[int], now: datetime) -> None:
    """Touch the heartbeat of these jobs that are still queued or running; flush only."""
    if ids:
        session.execute(
            sa.update(model)
            .where(model.id.in_(ids), model.status.in_(ACTIVE_JOB_STATUSES))
            .values(heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )


def fail_stale(
    session: Session,
    model,
    *,
    where,
    now: datetime,
    queue_timeout: timedelta,
    queue_says: Callable[[list[int]], dict[int, str]] | None = None,
) -> int:
    """Mark failed the active jobs matching `where` whose worker has stopped: a heartbeat
    older than STALE_AFTER, no worker for `queue_timeout` while waiting in a queue server, or
    a failure that `queue_says` of their ids (id: reason); flush only. Returns how many."""
    active = session.scalars(
        sa.select(model).where(where, model.status.in_(ACTIVE_JOB_STATUSES))
    ).all()
    reported = queue_says([row.id for row in active]) if active and queue_says else {}
    failed = 0
    for row in active:
        reason = _why_stale(row, now, queue_timeout, reported)
        if reason:
            row.status, row.error, row.finished_at = JobStatus.FAILED, reason, now
            failed += 1
    session.flush()
    return failed


def _why_stale(row, now: datetime, queue_timeout: timedelta, reported: dict[int, str]) -> str:
    if row.id in reported:
        return QUEUE_FAILED.format(reason=reported[row.id])[:2000]
    if row.heartbeat_at is not None:
        return WORKER_STOPPED if aware(row.heartbeat_at) < now - STALE_AFTER else ""
    if aware(row.created_at) < now - queue_timeout:
        return WAITED_TOO_LONG.format(minutes=int(queue_timeout.total_seconds() // 60))
    return ""


def status_of(row) -> dict:
    """What a status poll of a job answers."""
    return {"status": row.status, "progress": row.progress, "phase": row.phase, "error": row.error}
