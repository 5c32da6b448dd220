"""Organisers download the published schedule."""

import csv
import io
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from matchmaker.services import matching, publishing
from matchmaker.services.messages import RecordingMailer
from tests import factories


def _publish(session, ev):
    run = matching.start_run(
        session, event_id=ev.id, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event_id=ev.id, actor_id=None, run_id=run.id, now=datetime.now(UTC),
                           mailer=RecordingMailer(), schedule_link="x")  # fmt: skip
    return run


def test_the_exports_page_says_when_nothing_is_published(client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/exports").get_data(as_text=True)
    refused = client.get(f"/organiser/events/{ev.id}/exports/schedule.csv")

    assert "Nothing is published yet." in page
    assert refused.status_code == 409
    assert "Nothing is published for this event yet" in refused.get_data(as_text=True)


def test_csv_and_calendar_downloads(client, session):
    ev, _ = factories.matchable_event(session)
    run = _publish(session, ev)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/exports").get_data(as_text=True)
    sheet = client.get(f"/organiser/events/{ev.id}/exports/schedule.csv?bom=1")
    feed = client.get(f"/organiser/events/{ev.id}/exports/schedule.ics")

    assert f'href="/organiser/events/{ev.id}/exports/schedule.csv?bom=1"' in page
    assert sheet.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert sheet.headers["Content-Disposition"] == f'attachment; filename="{ev.slug}-schedule.csv"'
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

    for path, name in [("attendees.pdf", "attendees"), ("attendees.pdf?large=1", "attendees-large"),
                       ("locations.pdf", "locations"), ("grid.pdf", "grid")]:  # fmt: skip
        response = client.get(f"/organiser/events/{ev.id}/exports/{path}")
        assert response.headers["Content-Type"] == "application/pdf"
        assert (
            response.headers["Content-Disposition"]
            == f'attachment; filename="{ev.slug}-{name}.pdf"'
        )
        assert response.get_data().startswith(b"%PDF-")
