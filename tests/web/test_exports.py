"""Organisers download the published schedule."""

import csv
import io
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar

from matchmaker.services.planning import matching, publishing
from tests import factories
from tests.fakes import RecordingMailer


def _publish(session, ev):
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event=ev, run_id=run.id, now=datetime.now(UTC),
                           mailer=RecordingMailer(), schedule_link="x")  # fmt: skip
    return run


def test_the_exports_page_says_when_nothing_is_published(client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/exports").get_data(as_text=True)
    refused = client.get(f"/organiser/events/{ev.id}/exports/csv")

    assert "Nothing is published yet." in page
    assert refused.status_code == 409
    assert "Nothing is published for this event yet" in refused.get_data(as_text=True)


def test_csv_and_calendar_downloads(client, session):
    ev, _ = factories.matchable_event(session)
    run = _publish(session, ev)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/exports").get_data(as_text=True)
    sheet = client.get(f"/organiser/events/{ev.id}/exports/csv?bom=1")
    feed = client.get(f"/organiser/events/{ev.id}/exports/ics")

    assert f'href="/organiser/events/{ev.id}/exports/csv?bom=1"' in page
    assert sheet.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert sheet.headers["Content-Disposition"] == f"attachment; filename={ev.slug}-schedule.csv"
    rows = list(csv.reader(io.StringIO(sheet.get_data().decode("utf-8-sig"), newline="")))
    assert len(rows) - 1 == sum(len(m.seats) for m in run.meetings)
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(feed.get_data())
    assert len(calendar.walk("VEVENT")) == len(run.meetings)
    assert all(str(e["UID"]).endswith("@matchmaker.test") for e in calendar.walk("VEVENT"))


def test_pdf_downloads(client, session):
    ev, _ = factories.matchable_event(session)
    _publish(session, ev)
    factories.login(client, "org@example.org")

    for path, name in [("locations-pdf", "locations"), ("grid-pdf", "grid")]:
        response = client.get(f"/organiser/events/{ev.id}/exports/{path}")
        assert response.headers["Content-Type"] == "application/pdf"
        assert (
            response.headers["Content-Disposition"] == f"attachment; filename={ev.slug}-{name}.pdf"
        )
        assert response.get_data().startswith(b"%PDF-")


def test_the_attendee_pdf_is_made_in_the_background_and_downloaded(app, client, session):
    from pypdf import PdfReader

    from matchmaker import runner
    from matchmaker.models import ExportJob

    ev, _ = factories.matchable_event(session)
    _publish(session, ev)
    factories.login(client, "org@example.org")

    started = client.post(f"/organiser/events/{ev.id}/exports/attendees-pdf", data={"large": "1"})
    runner.wait_for_threads()

    job = session.scalars(sa.select(ExportJob)).one()
    assert started.headers["Location"] == f"/organiser/events/{ev.id}/exports/jobs/{job.id}"
    session.refresh(job)
    assert (job.status, job.progress, job.large_print) == ("done", 100, True)
    status = client.get(f"/organiser/events/{ev.id}/exports/jobs/{job.id}/status").get_json()
    assert status == {"status": "done", "progress": 100, "phase": "done", "error": ""}
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert f"Download {ev.slug}-attendees-large.pdf" in page
    pdf = client.get(f"/organiser/events/{ev.id}/exports/jobs/{job.id}/file")
    assert (
        pdf.headers["Content-Disposition"] == f"attachment; filename={ev.slug}-attendees-large.pdf"
    )
    assert len(PdfReader(io.BytesIO(pdf.get_data())).pages) == 8


def test_an_unfinished_export_shows_its_progress(client, session):
    from datetime import UTC, datetime

    from matchmaker.services.schedules import export_jobs

    ev, _ = factories.matchable_event(session)
    _publish(session, ev)
    job = export_jobs.start_export(
        session, event=ev, actor_id=None, large_print=False, now=datetime.now(UTC)
    )
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/exports/jobs/{job.id}").get_data(as_text=True)

    assert '<progress id="export-bar" max="100" value="0">0%</progress>' in page
    assert "run-progress.js" in page
    assert client.get(f"/organiser/events/{ev.id}/exports/jobs/{job.id}/file").status_code == 404


def test_only_formats_of_the_registry_made_in_a_request_download(client, session):
    from matchmaker.exports.formats import SCHEDULE_FORMATS

    ev, _ = factories.matchable_event(session)
    _publish(session, ev)
    factories.login(client, "org@example.org")

    got = {
        name: client.get(f"/organiser/events/{ev.id}/exports/{name}").status_code
        for name in [*SCHEDULE_FORMATS, "xlsx"]
    }

    assert got == {"csv": 200, "ics": 200, "attendees-pdf": 404, "locations-pdf": 200,
                   "grid-pdf": 200, "xlsx": 404}  # fmt: skip


def test_the_command_line_offers_the_formats_of_the_registry(app):
    from matchmaker.cli import export_schedule
    from matchmaker.exports.formats import SCHEDULE_FORMATS

    [option] = [p for p in export_schedule.params if p.name == "fmt"]
    assert list(option.type.choices) == list(SCHEDULE_FORMATS)
