"""Races after publishing, with real concurrent requests against gunicorn on PostgreSQL: two
organisers publishing at once, both people of a meeting accepting at once, declines racing
their refills, a profile saved during a run. Each ends in one defined outcome: no 500, no
lost answer, no half-written plan, and the plan still keeps every rule."""

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from matchmaker.engine.checks import check_plan
from matchmaker.models import EventOrganiser, MatchRun, Meeting, MeetingSeat, Profile, User
from matchmaker.services.planning import adapter, matching
from tests import factories
from tests.web.live import Client, _at_once
from tests.web.test_races import pytestmark  # noqa: F401 - PostgreSQL only

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def _email(session, profile_id: int) -> str:
    return session.scalar(
        sa.select(User.email)
        .join(Profile, Profile.user_id == User.id)
        .where(Profile.id == profile_id)
    )


def _logged_in(server, email: str) -> Client:
    client = Client(server)
    client.login(email)
    return client


def _answer(client: Client, ev, meeting_id: int, choice: str):
    path = f"/events/{ev.slug}/introductions/{meeting_id}"
    token = client.token(path)
    return lambda: client.request(f"{path}/answer", {choice: choice.title(), "csrf_token": token})


def _one_to_ones(session, run_id: int) -> list[Meeting]:
    return [m for m in matching.run_meetings(session, run_id=run_id) if m.kind == "one_to_one"]


def _plan_problems(session, ev) -> list[str]:
    session.expire_all()
    run = session.get(MatchRun, ev.published_run_id)
    inputs = adapter.engine_inputs(ev, adapter.read_attendees(session, event_id=ev.id), run.rules)
    taking_place = [
        m for m in matching.run_meetings(session, run_id=run.id) if m.cancelled_at is None
    ]
    return check_plan(inputs.event, inputs.attendees, matching.as_engine_plan(taking_place))


def test_both_people_accepting_at_once_confirm_the_meeting(server, session):
    ev, _ = factories.published_event(session, people=6)
    meeting = _one_to_ones(session, ev.published_run_id)[0]
    a, b = (_logged_in(server, _email(session, s.profile_id)) for s in meeting.seats)

    results = _at_once([_answer(a, ev, meeting.id, "accept"), _answer(b, ev, meeting.id, "accept")])

    assert [status for status, _ in results] == [302, 302]
    session.expire_all()
    seats = session.scalars(
        sa.select(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id)
    ).all()
    assert [s.response for s in seats] == ["accepted", "accepted"]
    _, page = a.request(f"/events/{ev.slug}/introductions/{meeting.id}")
    assert "Confirmed" in page


def test_both_people_declining_at_once_cancel_once_and_refill_within_the_rules(server, session):
    ev, _ = factories.published_event(session, people=10, one_to_one_slots=2, tables=5)
    meeting = _one_to_ones(session, ev.published_run_id)[0]
    a, b = (_logged_in(server, _email(session, s.profile_id)) for s in meeting.seats)

    results = _at_once(
        [_answer(a, ev, meeting.id, "decline"), _answer(b, ev, meeting.id, "decline")]
    )

    assert [status for status, _ in results] == [302, 302]
    session.expire_all()
    assert session.get(Meeting, meeting.id).cancelled_at is not None
    seats = session.scalars(
        sa.select(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id)
    ).all()
    assert [s.response for s in seats] == ["declined", "declined"]
    assert _plan_problems(session, ev) == []


def test_declines_in_one_slot_racing_their_refills_never_double_book(server, session):
    ev, _ = factories.published_event(session, people=12, one_to_one_slots=1, tables=6)
    meetings = _one_to_ones(session, ev.published_run_id)[:4]
    assert len({m.slot_id for m in meetings}) == 1
    calls = []
    for meeting in meetings:
        seat = meeting.seats[0]
        calls.append(
            _answer(_logged_in(server, _email(session, seat.profile_id)), ev, meeting.id, "decline")
        )

    results = _at_once(calls)

    assert [status for status, _ in results] == [302] * 4
    assert _plan_problems(session, ev) == []
    session.expire_all()
    assert all(session.get(Meeting, m.id).cancelled_at is not None for m in meetings)
    # Each freed person is in at most one meeting of the slot (the checker says so too).
    taking_place = [
        m
        for m in matching.run_meetings(session, run_id=ev.published_run_id)
        if m.cancelled_at is None and m.slot_id == meetings[0].slot_id
    ]
    people = [s.profile_id for m in taking_place for s in m.seats]
    assert len(people) == len(set(people))


def test_two_organisers_publishing_at_once_leave_one_published_run(server, session):
    ev, _ = factories.matchable_event(session, people=8)
    second = factories.organiser(session, email="second@example.org", name="Sam Second")
    ev.organisers.append(EventOrganiser(user=second))
    session.commit()
    runs = []
    for _ in range(2):
        run = matching.start_run(
            session, event=ev, actor_id=None, now=NOW, timeout=timedelta(hours=1)
        )
        runs.append(matching.execute_run(session, run_id=run.id).id)
    clients = [_logged_in(server, "org@example.org"), _logged_in(server, "second@example.org")]
    calls = []
    for client, run_id in zip(clients, runs, strict=True):
        path = f"/organiser/events/{ev.id}/runs/{run_id}"
        token = client.token(path)
        calls.append(lambda c=client, p=path, t=token: c.request(f"{p}/publish", {"csrf_token": t}))

    results = _at_once(calls)

    assert sorted(status for status, _ in results) == [302, 302]
    session.expire_all()
    assert session.get(type(ev), ev.id).published_run_id in runs
    assert _plan_problems(session, session.get(type(ev), ev.id)) == []


def test_a_profile_saved_during_a_run_is_saved_whole_and_the_run_ends_done(server, session):
    ev, profiles = factories.matchable_event(session, people=30, one_to_one_slots=4, tables=8)
    organiser = _logged_in(server, "org@example.org")
    person = _logged_in(server, _email(session, profiles[0].id))
    token = person.token(f"/events/{ev.slug}/profile")
    form = {
        "csrf_token": token,
        "name": "Person Zero",
        "headline": "Changed while the run reads",
        "bio": "Now about gardening and compost.",
        "interests": "gardening",
        "format": "any",
        "available_slots": [str(s.id) for s in ev.slots],
    }
    start_token = organiser.token(f"/organiser/events/{ev.id}/runs")

    results = _at_once(
        [
            lambda: organiser.request(
                f"/organiser/events/{ev.id}/runs", {"csrf_token": start_token}
            ),
            *[lambda: person.request(f"/events/{ev.slug}/profile", form) for _ in range(3)],
        ]
    )

    assert [status for status, _ in results] == [302] * 4
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        session.expire_all()
        run = session.scalars(sa.select(MatchRun)).one()
        if run.status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert (run.status, run.error) == ("done", "")
    saved = session.get(Profile, profiles[0].id)
    assert (saved.headline, saved.bio, [t.name for t in saved.tags]) == (
        "Changed while the run reads",
        "Now about gardening and compost.",
        ["gardening"],
    )
    meetings = matching.run_meetings(session, run_id=run.id)
    assert len(meetings) == run.metrics["one_to_one_meetings"] + run.metrics["group_meetings"]
