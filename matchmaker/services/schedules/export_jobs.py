"""The whole event's attendee PDF, made outside the request like a matching run: recorded,
executed by a thread or an RQ worker with its progress in the row, and downloaded when done."""

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from matchmaker.catalogue import N_
from matchmaker.exports.pdf import attendees_pdf
from matchmaker.models import Event, ExportJob
from matchmaker.services.core.access import load_for_event
from matchmaker.services.core.jobs import begin_job, fail_job, finish_job
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.schedules import published
from matchmaker.vocabulary import JobStatus

MISSING = "There is no such export at this event."


def start_export(
    session: Session,
    *,
    event: Event,
    actor_id: int | None,
    large_print: bool,
    now: datetime,
    language: str | None = None,
) -> ExportJob:
    """Record a queued attendee-PDF export, written in `language` (the caller hands it to a
    runner); Conflict when nothing is published."""
    if event.published_run_id is None:
        raise Conflict(published.NOT_PUBLISHED)
    job = ExportJob(
        event_id=event.id,
        requested_by_id=actor_id,
        large_print=large_print,
        language=language,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def get_export(session: Session, *, event: Event, job_id: int) -> ExportJob:
    """One export of the event, for its organisers."""
    return load_for_event(session, ExportJob, job_id, event_id=event.id, missing=MISSING)


def execute_export(
    session: Session, *, job_id: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> ExportJob:
    """Make the PDF of a queued export and store it with its final status; on any failure the
    export ends failed with the error."""
    job = session.get(ExportJob, job_id)
    if job is None:
        raise NotFound(MISSING)
    if job.status != JobStatus.QUEUED:
        return job
    begin_job(job, clock(), N_("reading the schedule"))
    session.commit()

    def report(done: int, total: int) -> None:
        percent = 5 + (90 * done) // max(total, 1)
        if percent >= job.progress + 5:
            job.progress, job.phase = percent, f"page {done} of {total}"
            session.commit()

    try:
        event = session.get(Event, job.event_id)
        schedule = published.published_schedule(
            session, event=event, now=clock(), language=job.language
        )
        export = attendees_pdf(schedule, large_print=job.large_print, on_page=report)
        job.data, job.filename = export.data, export.filename
        finish_job(job, clock())
        session.commit()
    except Exception as error:  # noqa: BLE001 - any failure must end the export, not hang it
        job = fail_job(session, ExportJob, job_id, error, clock())
    return job
