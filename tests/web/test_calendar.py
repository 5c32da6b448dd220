"""An attendee's calendar: a download and a feed at a secret, revocable address; cancelled
meetings stay in the feed as STATUS:CANCELLED so that calendars remove them."""

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from matchmaker.services.planning import matching, plan_edits, publishing
from tests import factories
from tests.fakes import RecordingMailer


def _published(session, people=4):
    ev, profiles = factories.matchable_event(session, people=people, group_slots=0, rooms=0)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event=ev, run_id=run.id, now=datetime.now(UTC),
                           mailer=RecordingMailer(), schedule_link="x")  # fmt: skip
    return ev, run


def _feed_path(client, ev) -> str:
    page = client.get(f"/events/{ev.slug}/calendar").get_data(as_text=True)
    return re.search(r'value="http://matchmaker\.test(/calendar/[^"]+\.ics)"', page).group(1)


def test_the_feed_needs_no_login_and_holds_only_the_attendees_meetings(app, client, session):
    ev, run = _published(session)
    factories.login(client, "person0@example.org")
    path = _feed_path(client, ev)

    feed = app.test_client().get(path)  # a calendar app: no cookies

    calendar = Calendar.from_ical(feed.get_data())
    mine = [m for m in run.meetings if "Person 0" in {s.profile.name for s in m.seats}]
    assert (
        feed.status_code == 200 and feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    )
    assert feed.headers["Cache-Control"] == "no-store"
    assert len(calendar.walk("VEVENT")) == len(mine) >= 1
    # Opaque calendar ids, the same on every fetch: they name no event, slot or person.
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert all(re.fullmatch(r"meeting-[0-9a-f]{32}@matchmaker\.test", uid) for uid in uids)
    again = Calendar.from_ical(app.test_client().get(path).get_data())
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in calendar.walk("VEVENT"))
    assert all("Person 0" not in str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(app, client, session):
    ev, run = _published(session)
    factories.login(client, "person0@example.org")
    path = _feed_path(client, ev)
    mine = next(m for m in run.meetings if "Person 0" in {s.profile.name for s in m.seats})
    before = {
        str(e["UID"])
        for e in Calendar.from_ical(app.test_client().get(path).get_data()).walk("VEVENT")
    }

    plan_edits.cancel_meeting(
        session,
        event=ev,
        meeting_id=mine.id,
        notice=plan_edits.Notice(RecordingMailer(), "x"),
        now=datetime.now(UTC),
    )
    events = Calendar.from_ical(app.test_client().get(path).get_data()).walk("VEVENT")

    assert {str(e["UID"]) for e in events} == before
    cancelled = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == 1


def test_a_new_address_revokes_the_old_one(app, client, session):
    ev, _ = _published(session)
    factories.login(client, "person0@example.org")
    old = _feed_path(client, ev)

    client.post(f"/events/{ev.slug}/calendar/renew")
    new = _feed_path(client, ev)

    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


def test_before_publishing_the_feed_is_an_empty_valid_calendar(app, client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "person0@example.org")

    page = client.get(f"/events/{ev.slug}/calendar").get_data(as_text=True)
    feed = app.test_client().get(_feed_path(client, ev))
    download = client.get(f"/events/{ev.slug}/calendar.ics")

    assert "No meetings are published for you yet." in page
    calendar = Calendar.from_ical(feed.get_data())
    assert calendar["VERSION"] == "2.0" and calendar.walk("VEVENT") == []
    assert (
        download.headers["Content-Disposition"] == f"attachment; filename={ev.slug}-my-meetings.ics"
    )


def test_an_attendee_prints_their_own_schedule_without_cancelled_meetings(client, session):
    import io

    from pypdf import PdfReader

    ev, run = _published(session)
    factories.login(client, "person0@example.org")
    mine = [m for m in run.meetings if "Person 0" in {s.profile.name for s in m.seats}]
    plan_edits.cancel_meeting(
        session,
        event=ev,
        meeting_id=mine[0].id,
        notice=plan_edits.Notice(RecordingMailer(), "x"),
        now=datetime.now(UTC),
    )

    response = client.get(f"/events/{ev.slug}/schedule.pdf")

    reader = PdfReader(io.BytesIO(response.get_data()))
    text = reader.pages[0].extract_text()
    assert response.headers["Content-Type"] == "application/pdf"
    assert len(reader.pages) == 1 and "Person 0" in text
    assert len(mine) >= 2
    assert text.count("Table ") == len(mine) - 1  # one "Where" a meeting that takes place
