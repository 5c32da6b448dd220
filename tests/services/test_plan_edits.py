"""Moving and cancelling meetings: the checker judges every change; the published plan's
people are told."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.models import Location, Meeting
from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.planning import matching, plan_edits, publishing
from tests import factories
from tests.fakes import RecordingMailer


@pytest.fixture
def planned(session):
    ev, people = factories.matchable_event(session, people=4, group_slots=0, rooms=0, tables=3)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(hours=1)
    )
    run = matching.execute_run(session, run_id=run.id)
    return ev, people, run, RecordingMailer()


def _move(session, ev, meeting, slot_id, location_id, mailer):
    return plan_edits.move_meeting(
        session,
        event=ev,
        meeting_id=meeting.id,
        slot_id=slot_id,
        location_id=location_id,
        notice=plan_edits.Notice(mailer, "https://meet.example.org/events"),
    )


def _free_table(ev, run, slot_id):
    used = {m.location_id for m in run.meetings if m.slot_id == slot_id}
    return next(loc.id for loc in ev.locations if loc.id not in used)


def test_a_meeting_moves_to_a_free_table_in_the_same_slot(session, planned):
    ev, _, run, mailer = planned
    meeting = run.meetings[0]
    table = _free_table(ev, run, meeting.slot_id)

    _move(session, ev, meeting, meeting.slot_id, table, mailer)

    assert session.get(Meeting, meeting.id).location_id == table
    assert mailer.sent == []  # not published: nobody to tell


def test_a_move_that_double_books_someone_is_refused_in_names(session, planned):
    ev, _, run, mailer = planned
    meeting = run.meetings[0]
    person = meeting.seats[0].profile
    other = next(
        m
        for m in run.meetings
        if m.slot_id != meeting.slot_id and person.id in {s.profile_id for s in m.seats}
    )

    with pytest.raises(Invalid) as error:
        _move(session, ev, meeting, other.slot_id, _free_table(ev, run, other.slot_id), mailer)

    slot = other.slot.starts_at.strftime("%a %H:%M")
    busy = {
        s.profile.name
        for m in run.meetings
        if m.slot_id == other.slot_id
        for s in m.seats
        if s.profile_id in {x.profile_id for x in meeting.seats}
    }
    assert person.name in busy
    assert error.value.errors["slot_id"][0] in {
        f"This move breaks a rule: {name} is double-booked in slot {slot}." for name in busy
    }
    session.expire_all()
    assert session.get(Meeting, meeting.id).slot_id == meeting.slot_id


def test_a_move_onto_a_taken_table_is_refused(session, planned):
    ev, _, run, mailer = planned
    first, second = [m for m in run.meetings if m.slot_id == run.meetings[0].slot_id][:2]

    with pytest.raises(Invalid, match=r"is double-booked in slot"):
        _move(session, ev, first, first.slot_id, second.location_id, mailer)


def test_moving_a_published_meeting_tells_its_two_people(session, planned):
    ev, _, run, mailer = planned
    publishing.publish_run(
        session,
        event=ev,
        run_id=run.id,
        now=datetime.now(UTC),
        mailer=RecordingMailer(),
        schedule_link="x",
    )
    meeting = run.meetings[0]
    people = sorted(s.profile.user.email for s in meeting.seats)

    was = meeting.location.name
    table = _free_table(ev, run, meeting.slot_id)

    _move(session, ev, meeting, meeting.slot_id, table, mailer)

    assert sorted(m.to for m in mailer.sent) == people
    body = mailer.sent[0].body
    now = session.get(Location, table).name
    assert f"Moved:\n- {meeting.slot.starts_at:%a %d %b, %H:%M} at {now}: with " in body
    assert body.count(f"(was {was})") == 1
    assert "No longer taking place" not in body and "New (times in" not in body


def test_cancelling_takes_the_meeting_out_and_keeps_it_on_record(session, planned):
    ev, _, run, mailer = planned
    meeting = run.meetings[0]
    meeting_id, slot_id, location_id = meeting.id, meeting.slot_id, meeting.location_id
    count = len(run.meetings)
    other = next(m for m in run.meetings if m.slot_id == slot_id and m.id != meeting_id)

    plan_edits.cancel_meeting(
        session,
        event=ev,
        meeting_id=meeting_id,
        notice=plan_edits.Notice(mailer, "x"),
        now=datetime(2030, 1, 1, tzinfo=UTC),
    )

    session.expire_all()
    assert session.get(Meeting, meeting_id).cancelled_at is not None
    assert len(matching.run_meetings(session, run_id=run.id)) == count - 1
    # Its table is free again: the other meeting of that slot may move there.
    _move(session, ev, other, slot_id, location_id, mailer)
    assert session.get(Meeting, other.id).location_id == location_id
    with pytest.raises(NotFound, match="cancelled"):
        _move(session, ev, session.get(Meeting, meeting_id), slot_id, location_id, mailer)
