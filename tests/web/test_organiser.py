import re
from datetime import time

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import Event, Location, Slot
from matchmaker.services.setup import timetable
from tests import factories

EVENT_FORM = {
    "name": "PyData Lisbon",
    "description": "Two days of data.",
    "venue": "Hub",
    "timezone": "Europe/Lisbon",
    "starts_on": "2030-05-14",
    "ends_on": "2030-05-15",
    "join_closes_on": "",
    "max_meetings": "5",
    "group_size_min": "3",
    "group_size_max": "6",
    "requests_per_person": "5",
    "tables_kept_free": "0",
    "meetings_kept_free": "0",
    "reminder_minutes": "10",
    "morning_check": "y",
}


@pytest.fixture
def owner(client, session):
    user = factories.organiser(session)
    factories.login(client, user.email)
    return user


@pytest.fixture
def ev(session, owner):
    return factories.event(session, owner)


def test_create_event_goes_to_its_overview(client, session, owner):
    response = client.post("/organiser/events/new", data=EVENT_FORM)

    event = session.scalars(sa.select(Event)).one()
    assert response.headers["Location"] == f"/organiser/events/{event.id}"
    assert (event.slug, event.timezone, event.max_meetings) == (
        "pydata-lisbon",
        "Europe/Lisbon",
        5,
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"http://matchmaker.test/join/{event.join_token}" in page
    assert "PyData Lisbon is created." in page


def test_new_event_form_offers_the_configured_meeting_default(app, client, owner):
    app.config["MATCHMAKER_DEFAULT_MAX_MEETINGS"] = 4

    page = client.get("/organiser/events/new").get_data(as_text=True)

    assert 'name="max_meetings" required type="number" value="4"' in page


def test_create_event_with_bad_input_keeps_what_was_typed(client, session, owner):
    data = dict(EVENT_FORM, name="", ends_on="2030-05-13", max_meetings="0")

    page = client.post("/organiser/events/new", data=data).get_data(as_text=True)

    assert "This field is required." in page
    assert "Number must be between 1 and 50." in page
    assert 'value="Two days of data."' not in page  # a textarea keeps it as content
    assert "Two days of data.</textarea>" in page
    assert 'value="2030-05-13"' in page
    assert session.query(Event).count() == 0


def test_create_event_with_end_before_start_names_last_day(client, session, owner):
    page = client.post(
        "/organiser/events/new", data=dict(EVENT_FORM, ends_on="2030-05-13")
    ).get_data(as_text=True)

    assert "The last day must not be before the first day." in page
    assert 'id="ends_on-error"' in page
    assert session.query(Event).count() == 0


def test_edit_event_saves_changes(client, session, ev):
    response = client.post(f"/organiser/events/{ev.id}/edit", data=dict(EVENT_FORM, name="Renamed"))

    assert response.status_code == 302
    session.refresh(ev)
    assert (ev.name, ev.timezone) == ("Renamed", "Europe/Lisbon")


def test_events_list_shows_only_own(client, session, owner, ev):
    other = factories.organiser(session, email="other@example.org")
    factories.event(session, other, name="Somebody else's")

    page = client.get("/organiser/events").get_data(as_text=True)

    assert "PyCon Test" in page
    assert "Somebody else" not in page


def test_generate_slots_from_the_form(client, session, ev):
    data = {
        "day": "2030-05-14",
        "start": "09:00",
        "end": "10:00",
        "length": "25",
        "pause": "5",
        "format": "group",
    }

    response = client.post(f"/organiser/events/{ev.id}/slots/generate", data=data)

    assert response.headers["Location"] == f"/organiser/events/{ev.id}/timetable#slots"
    slots = session.scalars(sa.select(Slot).order_by(Slot.starts_at)).all()
    assert [(s.starts_at.time(), s.ends_at.time(), s.format) for s in slots] == [
        (time(9, 0), time(9, 25), "group"),
        (time(9, 30), time(9, 55), "group"),
    ]


def test_generate_slots_with_end_before_start_names_the_field(client, session, ev):
    data = {
        "day": "2030-05-14",
        "start": "11:00",
        "end": "10:00",
        "length": "20",
        "pause": "5",
        "format": "one_to_one",
    }

    page = client.post(f"/organiser/events/{ev.id}/slots/generate", data=data).get_data(
        as_text=True
    )

    assert "The last slot must end after the first starts." in page
    assert 'value="11:00"' in page
    assert session.query(Slot).count() == 0


def test_add_edit_and_delete_a_slot(client, session, ev):
    data = {
        "day": "2030-05-14",
        "start": "10:00",
        "end": "10:20",
        "format": "one_to_one",
        "label": "",
    }
    client.post(f"/organiser/events/{ev.id}/slots/new", data=data)
    slot = session.scalars(sa.select(Slot)).one()

    client.post(
        f"/organiser/events/{ev.id}/slots/{slot.id}/edit",
        data=dict(data, end="10:40", label="Coffee"),
    )
    session.refresh(slot)
    assert (slot.ends_at.time(), slot.label) == (time(10, 40), "Coffee")

    client.post(f"/organiser/events/{ev.id}/slots/{slot.id}/delete")
    assert session.query(Slot).count() == 0


def test_add_slot_outside_event_days_says_so(client, session, ev):
    data = {
        "day": "2030-06-01",
        "start": "10:00",
        "end": "10:20",
        "format": "one_to_one",
        "label": "",
    }

    page = client.post(f"/organiser/events/{ev.id}/slots/new", data=data).get_data(as_text=True)

    assert "The event runs from 14 May 2030 to 14 May 2030." in page
    assert session.query(Slot).count() == 0


def test_add_tables_then_edit_and_delete_one(client, session, ev):
    client.post(
        f"/organiser/events/{ev.id}/locations/new",
        data={"name": "Table", "capacity": "2", "count": "3"},
    )
    names = session.scalars(sa.select(Location.name).order_by(Location.id)).all()
    assert names == ["Table 1", "Table 2", "Table 3"]
    first = session.scalars(sa.select(Location).order_by(Location.id)).first()

    client.post(
        f"/organiser/events/{ev.id}/locations/{first.id}/edit",
        data={"name": "Room A", "capacity": "8"},
    )
    session.refresh(first)
    assert (first.name, first.capacity, first.kind) == ("Room A", 8, "room")

    client.post(f"/organiser/events/{ev.id}/locations/{first.id}/delete")
    assert session.query(Location).count() == 2


def test_location_with_capacity_below_two_is_refused(client, session, ev):
    page = client.post(
        f"/organiser/events/{ev.id}/locations/new",
        data={"name": "Stool", "capacity": "1", "count": "1"},
    ).get_data(as_text=True)

    assert "A location seats 2 to 500 people." in page
    assert 'value="Stool"' in page
    assert session.query(Location).count() == 0


def test_reset_join_link_makes_old_link_fail(client, session, ev):
    old = ev.join_token

    client.post(f"/organiser/events/{ev.id}/join-link")

    session.refresh(ev)
    assert ev.join_token != old
    assert client.get(f"/join/{old}").status_code == 404


def test_attendee_list_and_profile(client, session, ev):
    factories.attendee(session, ev, email="zoe@example.org", name="Zoe")
    ana = factories.attendee(session, ev, email="ana@example.org", name="Ana")

    listing = client.get(f"/organiser/events/{ev.id}/attendees").get_data(as_text=True)
    detail = client.get(f"/organiser/events/{ev.id}/attendees/{ana.id}").get_data(as_text=True)

    assert listing.index("Ana") < listing.index("Zoe")
    assert "Attendees (2)" in listing
    assert "ana@example.org" in detail


def _count_queries(app, url, client):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_attendee_list_queries_do_not_grow_with_attendees(app, client, session, ev):
    for i in range(2):
        factories.attendee(session, ev, email=f"a{i}@example.org")
    few = _count_queries(app, f"/organiser/events/{ev.id}/attendees", client)
    for i in range(2, 8):
        factories.attendee(session, ev, email=f"a{i}@example.org")

    many = _count_queries(app, f"/organiser/events/{ev.id}/attendees", client)

    assert many == few


def test_a_dozen_identical_tables_show_as_one_line_with_a_link_to_each(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    timetable.add_locations(session, event=ev, name="Table", capacity=2, count=12)
    factories.login(client, owner.email)

    page = client.get(f"/organiser/events/{ev.id}/timetable").get_data(as_text=True)

    assert '<td data-label="Name">Tables 1-12</td>' in page
    assert '<td data-label="Kind">Tables (12)</td>' in page
    assert page.count('/edit">Table ') == 12
    assert page.index(">Table 2</a>") < page.index(">Table 10</a>")


def test_many_identical_tables_are_edited_by_number(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    tables = timetable.add_locations(session, event=ev, name="Table", capacity=2, count=40)
    factories.login(client, owner.email)

    page = client.get(f"/organiser/events/{ev.id}/timetable").get_data(as_text=True)
    found = client.get(f"/organiser/events/{ev.id}/locations/find?stem=Table&number=17")
    missing = client.get(
        f"/organiser/events/{ev.id}/locations/find?stem=Table&number=41", follow_redirects=True
    )
    blank = client.get(
        f"/organiser/events/{ev.id}/locations/find?stem=Table&number=", follow_redirects=True
    )

    assert '<td data-label="Name">Tables 1-40</td>' in page
    assert page.count('/edit">Table ') == 0  # no 40 links: a number box
    assert '<label for="find-1">Edit table number</label>' in page
    assert 'name="number" type="number" min="1" max="40" required' in page
    assert found.status_code == 302
    assert found.headers["Location"].endswith(
        f"/organiser/events/{ev.id}/locations/{tables[16].id}/edit"
    )
    assert "There is no Table 41: give a number from 1 to 40." in missing.get_data(as_text=True)
    assert "Give the number of one of the Tables from 1 to 40." in blank.get_data(as_text=True)


def test_the_attendee_list_comes_in_pages_of_a_hundred(client, session, monkeypatch):
    from matchmaker.services.introductions import roster

    monkeypatch.setattr(roster, "PER_PAGE", 2)
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    for name in ("Cleo", "Ana", "Bea"):
        factories.attendee(session, ev, email=f"{name.lower()}@example.org", name=name)
    factories.login(client, owner.email)

    first = client.get(f"/organiser/events/{ev.id}/attendees").get_data(as_text=True)
    second = client.get(f"/organiser/events/{ev.id}/attendees?page=2").get_data(as_text=True)

    assert "Attendees (3)" in first and ">Ana</a>" in first and ">Bea</a>" in first
    assert ">Cleo</a>" not in first and "Page 1 of 2" in first
    assert ">Cleo</a>" in second and ">Ana</a>" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    searched = client.get(f"/organiser/events/{ev.id}/attendees?q=bea&show=no-profile")
    html = searched.get_data(as_text=True)
    assert ">Bea</a>" in html and ">Ana</a>" not in html and "1 of 3 match." in html
    assert 'value="bea"' in html and '<option value="no-profile" selected>' in html


def test_the_dashboards_show_each_change_at_once_though_they_keep_their_figures(client, session):
    from matchmaker.models import Meeting
    from matchmaker.services.core.messages import Notice
    from matchmaker.services.planning import plan_edits
    from tests.fakes import RecordingMailer

    ev, profiles = factories.published_event(
        session, people=6, one_to_one_slots=1, group_slots=0, tables=3, rooms=0
    )
    run_id = ev.published_run_id
    factories.login(client, "org@example.org")
    overview_url, review_url = (
        f"/organiser/events/{ev.id}",
        f"/organiser/events/{ev.id}/runs/{run_id}",
    )

    def figure(url: str, label: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return page.split(label)[0].rsplit('<p class="figure">', 1)[1].split("<")[0]

    assert figure(overview_url, "</p><p>attendees joined") == "6"
    assert "Without a meeting (0)" in client.get(review_url).get_data(as_text=True)
    factories.attendee(session, ev, email="late@example.org", name="Late Comer")
    meeting = session.scalar(sa.select(Meeting).where(Meeting.run_id == run_id).limit(1))
    plan_edits.cancel_meeting(
        session,
        event=ev,
        meeting_id=meeting.id,
        notice=Notice(RecordingMailer(), "https://meet.example.org/intros"),
        now=factories.PUBLISHED_AT,
    )

    review = client.get(review_url).get_data(as_text=True)
    names = sorted(s.profile.name for s in meeting.seats)

    assert figure(overview_url, "</p><p>attendees joined") == "7"
    assert "Without a meeting (2)" in review
    # One line per reason, with everyone it applies to.
    assert re.search(
        r"<tr><td>[A-Z][^<]* \(2\)</td>\s*<td><ul class=\"inline-list\"><li><a href=\"[^\"]+\">"
        + re.escape(names[0])
        + r"</a></li><li><a href=\"[^\"]+\">"
        + re.escape(names[1]),
        review,
    )


def test_the_time_zone_list_is_grouped_by_region_and_names_cities(client, session):
    owner = factories.organiser(session)
    factories.login(client, owner.email)

    page = client.get("/organiser/events/new").get_data(as_text=True)

    assert '<optgroup label="Europe">' in page
    assert '<option value="Europe/Berlin">Berlin</option>' in page
    assert (
        '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in page
    )
    assert 'value="US/Eastern"' not in page  # old aliases are not offered


def test_an_event_in_an_old_alias_zone_can_still_be_edited(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner, timezone="US/Eastern")
    factories.login(client, owner.email)

    page = client.get(f"/organiser/events/{ev.id}/edit").get_data(as_text=True)

    assert '<option selected value="US/Eastern">US/Eastern</option>' in page


def test_the_overview_says_where_the_event_stands_at_each_step(client, session):
    from datetime import UTC, datetime, timedelta

    from matchmaker.services.planning import matching

    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}"

    def stage_text() -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r'<section aria-labelledby="stage-h".*?</section>', page, re.S).group(0)

    nothing = stage_text()
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(minutes=30)
    )
    session.commit()
    running = stage_text()
    matching.execute_run(session, run_id=run.id)
    ready = stage_text()
    client.post(f"{url}/runs/{run.id}/publish")
    published = stage_text()
    page = client.get(url).get_data(as_text=True)

    assert "No plan yet." in nothing
    assert f"Run {run.id} is under way (0%)." in running
    assert f"Run {run.id} is finished and not published" in ready
    assert f"Run {run.id} is the published schedule since" in published
    assert re.search(r"One-to-one answers: 0 accepted, 0 declined, \d+ waiting", published)
    assert "Before you run matching again" in page
