"""What every background job (a matching run, an export) does with its row at the end: a job
records its own outcome, since nobody waits on it in a request."""

from datetime import datetime

from sqlalchemy.orm import Session

from matchmaker.vocabulary import JobStatus


def finish_job(row, now: datetime) -> None:
    """Mark the job's row done (the job body commits it with its work)."""
    row.status, row.progress, row.phase = JobStatus.DONE, 100, "done"
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
