"""The whole event's attendee PDF as a background job: progress in its row, the file when
done, the error when it fails."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.services.errors import Conflict
from matchmaker.services.planning import matching, publishing
from matchmaker.services.schedules import export_jobs
from tests import factories
from tests.fakes import RecordingMailer

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _published(session):
    ev, _ = factories.matchable_event(session)
    run = matching.start_run(session, event=ev, actor_id=None, now=NOW, timeout=timedelta(hours=1))
    matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event=ev, run_id=run.id, now=NOW,
                           mailer=RecordingMailer(), schedule_link="x")  # fmt: skip
    return ev


def test_an_export_before_anything_is_published_is_refused(session):
    ev, _ = factories.matchable_event(session)

    with pytest.raises(Conflict, match="Nothing is published"):
        export_jobs.start_export(session, event=ev, actor_id=None, large_print=False, now=NOW)


def test_an_export_reports_progress_and_keeps_its_file(session, monkeypatch):
    ev = _published(session)
    job = export_jobs.start_export(session, event=ev, actor_id=None, large_print=False, now=NOW)
    seen = []
    real = export_jobs.attendees_pdf

    def watched(schedule, large_print, on_page):
        return real(
            schedule,
            large_print=large_print,
            on_page=lambda d, t: (seen.append((d, t)), on_page(d, t)),
        )

    monkeypatch.setattr(export_jobs, "attendees_pdf", watched)

    done = export_jobs.execute_export(session, job_id=job.id)

    assert (done.status, done.progress, done.phase, done.error) == ("done", 100, "done", "")
    assert done.data.startswith(b"%PDF-") and done.filename == f"{ev.slug}-attendees.pdf"
    assert seen[-1] == (8, 8)


def test_a_failing_export_ends_failed_with_the_error(session, monkeypatch):
    ev = _published(session)
    job = export_jobs.start_export(session, event=ev, actor_id=None, large_print=True, now=NOW)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs, "attendees_pdf", broken)

    failed = export_jobs.execute_export(session, job_id=job.id)

    assert (failed.status, failed.error, failed.data) == ("failed", "OSError: disk full", None)
