"""The meeting page of a plan: move it (checked) or cancel it."""

import re
from datetime import UTC, datetime, timedelta

from matchmaker.models import Meeting
from matchmaker.services.planning import matching
from tests import factories


def _planned(session):
    ev, people = factories.matchable_event(session, people=4, group_slots=0, rooms=0, tables=3)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    return ev, matching.execute_run(session, run_id=run.id)


def test_the_page_shows_the_meeting_and_its_current_place(client, session):
    ev, run = _planned(session)
    meeting = run.meetings[0]
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/meetings/{meeting.id}").get_data(as_text=True)

    assert (
        f'<option selected value="{meeting.location_id}">{meeting.location.name} (2 seats)' in page
    )
    assert "Move the meeting" in page and "Cancel this meeting" in page


def test_a_refused_move_keeps_the_choice_and_names_the_rule(client, session):
    ev, run = _planned(session)
    first = run.meetings[0]
    people = {s.profile_id for s in first.seats}
    busy = next(
        m for m in run.meetings
        if m.slot_id != first.slot_id and people & {s.profile_id for s in m.seats}
    )  # fmt: skip
    taken = {m.location_id for m in run.meetings if m.slot_id == busy.slot_id}
    free = next(loc for loc in ev.locations if loc.id not in taken)
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}/meetings/{first.id}"

    listed = client.get(url, query_string={"slot_id": busy.slot_id}).get_data(as_text=True)
    response = client.post(url, data={"slot_id": busy.slot_id, "location_id": free.id})
    taken_place = client.post(url, data={"slot_id": busy.slot_id, "location_id": busy.location_id})

    places = re.search(r'<select id="location_id".*?</select>', listed, re.S).group(0)
    assert f'value="{free.id}"' in places and f'value="{busy.location_id}"' not in places
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This move breaks a rule: " in page and "is double-booked in slot" in page
    assert f'<option selected value="{free.id}">' in page
    assert taken_place.status_code == 400  # a place taken then is not one of the choices
    session.expire_all()
    assert session.get(Meeting, first.id).location_id == first.location_id


def test_cancelling_from_the_page(client, session):
    ev, run = _planned(session)
    meeting_id, slot_id = run.meetings[0].id, run.meetings[0].slot_id
    factories.login(client, "org@example.org")

    response = client.post(f"/organiser/events/{ev.id}/meetings/{meeting_id}/cancel")

    assert response.headers["Location"] == f"/organiser/events/{ev.id}/runs/{run.id}?slot={slot_id}"
    session.expire_all()
    assert session.get(Meeting, meeting_id).cancelled_at is not None


def test_cancelling_a_published_meeting_offers_a_refill_and_mails_a_link_to_introductions(
    app, client, session
):
    from tests.fakes import RecordingMailer

    ev, profiles = factories.published_event(
        session, people=5, one_to_one_slots=1, group_slots=0, tables=2, rooms=0
    )
    app.extensions["mailer"] = mailer = RecordingMailer()
    meeting = matching.run_meetings(session, run_id=ev.published_run_id)[0]
    factories.login(client, "org@example.org")

    response = client.post(
        f"/organiser/events/{ev.id}/meetings/{meeting.id}/cancel", data={"refill": "y"}
    )

    assert response.status_code == 302
    session.expire_all()
    refills = [m for m in matching.run_meetings(session, run_id=ev.published_run_id)
               if m.origin == "refill"]  # fmt: skip
    assert len(refills) == 1  # the one person free meets one of the two freed
    assert mailer.sent and all(
        f"Your schedule: http://matchmaker.test/events/{ev.slug}/introductions\n" in m.body
        for m in mailer.sent
    )
