"""The meeting page of a plan: move it (checked) or cancel it."""

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
    first, second = [m for m in run.meetings if m.slot_id == run.meetings[0].slot_id][:2]
    factories.login(client, "org@example.org")

    response = client.post(
        f"/organiser/events/{ev.id}/meetings/{first.id}",
        data={"slot_id": first.slot_id, "location_id": second.location_id},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This move breaks a rule: " in page and "is double-booked in slot" in page
    assert f'<option selected value="{second.location_id}">' in page
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
