"""Where background work executes, outside the request: RQ queues served by `rq worker`
processes when REDIS_URL is set, else a bounded pool of threads in each web process. Every
job goes through the same steps: recorded, handed over after the commit (or withdrawn at once
when the queue does not answer), held with a heartbeat while it waits in this process or
runs, and failed by whoever looks next once that heartbeat stops."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context
from sqlalchemy.orm import Session

from matchmaker.boundary import after_commit
from matchmaker.extensions import db
from matchmaker.models import ExportJob, MatchRun
from matchmaker.runner import queues, tasks
from matchmaker.runner.heartbeat import heartbeat
from matchmaker.runner.queues import EMBEDDINGS, EXPORTS, MAIL, RUNS, QueueUnavailable
from matchmaker.runner.tasks import semantic_model
from matchmaker.services.core import jobs, webhooks

__all__ = [
    "QueueUnavailable",
    "dispatch_announcement",
    "dispatch_embedding",
    "dispatch_event_day",
    "dispatch_export",
    "dispatch_mail",
    "dispatch_run",
    "dispatch_webhooks",
    "fail_stale",
    "run_timeout",
    "semantic_model",
    "wait_for_threads",
]


def run_timeout(app: Flask) -> timedelta:
    """How long a job may wait in a queue server's queue before it counts as lost."""
    return timedelta(minutes=app.config["MATCHMAKER_RUN_TIMEOUT_MINUTES"])


def dispatch_run(run_id: int) -> None:
    """Hand a recorded matching run to its queue; QueueUnavailable (and the run withdrawn)
    when the queue does not answer."""
    _dispatch_row(RUNS, MatchRun, run_id, tasks.execute_run_job, f"run-{run_id}")


def dispatch_export(job_id: int) -> None:
    """Hand a recorded export to its queue; QueueUnavailable (and the export withdrawn)
    when the queue does not answer."""
    _dispatch_row(EXPORTS, ExportJob, job_id, tasks.execute_export_job, f"export-{job_id}")


def dispatch_embedding(profile_id: int) -> None:
    """Compute a saved profile's embedding outside the request (when the semantic channel is
    on); at most one waits per profile. When the queue does not answer, the profile stays
    saved and the sweep catches its embedding up later."""
    app = current_app._get_current_object()
    if app.config["MATCHMAKER_SEMANTIC"]:
        _dispatch_or_leave(
            app, EMBEDDINGS, f"embedding-{profile_id}", tasks.execute_embedding_job, profile_id
        )


def dispatch_mail() -> None:
    """Start the job that sends the mail that is due (one waits at a time). When the queue
    does not answer, the messages stay in the outbox and the sweep sends them later."""
    app = current_app._get_current_object()
    _dispatch_or_leave(app, MAIL, "mail", tasks.deliver_mail_job)


def dispatch_announcement(run_id: int) -> None:
    """Start the job that tells a just-published run's attendees what changed. When the
    queue does not answer, the sweep starts it later (the run is marked unannounced)."""
    app = current_app._get_current_object()
    _dispatch_or_leave(app, MAIL, f"announce-{run_id}", tasks.announce_job, run_id)


def dispatch_webhooks() -> None:
    """Start the job that sends the webhook deliveries that are due (one waits at a time).
    When the queue does not answer, they wait in their table and the sweep starts it later."""
    app = current_app._get_current_object()
    _dispatch_or_leave(app, MAIL, "webhooks", tasks.deliver_webhooks_job)


@sa.event.listens_for(Session, "after_commit")
def _deliveries_written(session: Session) -> None:
    """A commit that wrote webhook deliveries starts their job once the unit of work is over:
    a request's or a command's after its commit (`boundary`), a job's when it ends
    (`tasks._in_app`); elsewhere the sweep finds them."""
    if not (session.info.pop(webhooks.DUE, False) and has_app_context()):
        return
    if g.get(tasks.IN_JOB):
        g.webhooks_due = True
    else:
        after_commit(dispatch_webhooks)


def dispatch_event_day() -> None:
    """Start the job that writes the reminders, morning questions, follow-ups and next steps
    that are due (one waits at a time). When the queue does not answer, the next sweep tries
    again."""
    app = current_app._get_current_object()
    _dispatch_or_leave(app, MAIL, "event-day", tasks.event_day_job)


def _dispatch_or_leave(app: Flask, kind, key: str, job, *args) -> None:
    try:
        queues.submit(app, kind, key, job, *args)
    except QueueUnavailable as error:
        app.logger.warning("queue unavailable, %s left for the sweep: %s", key, error)


def _dispatch_row(kind, model, row_id: int, job, key: str) -> None:
    app = current_app._get_current_object()
    # Waiting in this process's executor: its heartbeat says it is alive (an inline job and
    # a job in a queue server's queue are held by whoever executes them).
    holding = not queues.uses_queue_server(app) and not app.config["MATCHMAKER_JOBS_INLINE"]
    if holding:
        heartbeat().hold(app, model, row_id)
    try:
        queues.submit(app, kind, key, job, row_id)
    except QueueUnavailable:
        if holding:
            heartbeat().release(model, row_id)
        _withdraw(model, row_id)
        raise


def _withdraw(model, row_id: int) -> None:
    """Take back a job the queue never received, so that nothing stays queued."""
    db.session.rollback()
    db.session.execute(sa.delete(model).where(model.id == row_id))
    db.session.commit()


# The rows of each kind of job, and the key its queue knows it by.
JOB_KEYS = {MatchRun: "run", ExportJob: "export"}


def fail_stale(session, model, *, event_id: int | None) -> int:
    """Fail the jobs of one kind (MatchRun, ExportJob), of one event or all, whose worker
    stopped: a heartbeat a minute old, too long in a queue server's queue, or a failure the
    queue server reports; flush only."""
    app = current_app._get_current_object()
    prefix = JOB_KEYS[model]
    return jobs.fail_stale(
        session,
        model,
        where=model.event_id == event_id if event_id is not None else sa.true(),
        now=datetime.now(UTC),
        queue_timeout=run_timeout(app),
        queue_says=lambda ids: queues.reported_failures(app, {i: f"{prefix}-{i}" for i in ids}),
    )


def wait_for_threads(seconds: float = 60) -> bool:
    """Wait until this process's executor has no job waiting or running (tests, commands,
    a clean shutdown); False on time-out."""
    found = queues.this_process_executor()
    return found is None or found.wait_until_idle(seconds)
