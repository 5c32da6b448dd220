"""At the table: check in on the page or by the table's code, and when a partner has not come,
a standby pick among those present and free now, within every rule, started at once."""

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting, MeetingSeat
from matchmaker.services.core.messages import Notice
from matchmaker.services.core.moments import aware
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import at_the_table, reading
from matchmaker.services.planning import matching
from matchmaker.vocabulary import IntroductionStatus, MeetingOrigin, Response
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import _at


def _event(session, slots=1):
    """Eight people and four tables: four one-to-ones in each slot."""
    return factories.published_event(
        session, people=8, one_to_one_slots=slots, tables=4, group_slots=0, rooms=0
    )


def _meetings(session, ev, hour=9):
    return [
        m
        for m in session.scalars(
            sa.select(Meeting)
            .where(Meeting.run_id == ev.published_run_id, Meeting.cancelled_at.is_(None))
            .order_by(Meeting.id)
        )
        if m.slot.starts_at.hour == hour
    ]


def _user(seat):
    return seat.profile.user_id


def _check_in(session, ev, seat, now):
    at_the_table.check_in(session, slug=ev.slug, user_id=_user(seat), meeting_id=seat.meeting_id,
                          now=now)  # fmt: skip
    session.commit()


def _someone_else(session, ev, seat, now, mailer=None):
    made = at_the_table.find_someone_else(
        session, slug=ev.slug, user_id=_user(seat), meeting_id=seat.meeting_id, now=now,
        notice=Notice(mailer or RecordingMailer(), "https://meet.example.org/intro"),
    )  # fmt: skip
    session.commit()
    return made


def test_check_in_opens_fifteen_minutes_before_and_keeps_the_first_time(session):
    ev, _ = _event(session)
    seat = _meetings(session, ev)[0].seats[0]

    with pytest.raises(Conflict, match="15 minutes before"):
        _check_in(session, ev, seat, _at(8, 44))
    _check_in(session, ev, seat, _at(8, 50))
    _check_in(session, ev, seat, _at(9, 1))

    session.expire_all()
    kept = session.get(MeetingSeat, (seat.meeting_id, seat.profile_id)).checked_in_at
    assert aware(kept) == _at(8, 50)
    with pytest.raises(Conflict):
        _check_in(session, ev, seat, _at(9, 20))  # it has ended


def test_check_in_by_the_tables_code_finds_the_readers_meeting_there(session):
    ev, _ = _event(session)
    meeting = _meetings(session, ev)[0]
    seat, other_table = (
        meeting.seats[0],
        next(loc for loc in ev.locations if loc.id != meeting.location_id),
    )

    found = at_the_table.check_in_by_code(
        session, slug=ev.slug, user_id=_user(seat), code=meeting.location.code.lower(),
        now=_at(8, 58),
    )  # fmt: skip

    assert found == meeting.id
    assert aware(session.get(MeetingSeat, (meeting.id, seat.profile_id)).checked_in_at) == _at(
        8, 58
    )
    with pytest.raises(Invalid) as wrong:
        at_the_table.check_in_by_code(session, slug=ev.slug, user_id=_user(seat), code="ZZZZ",
                                      now=_at(8, 58))  # fmt: skip
    assert "No table or room of this event has that code" in wrong.value.errors["code"][0]
    with pytest.raises(Invalid) as elsewhere:
        at_the_table.check_in_by_code(session, slug=ev.slug, user_id=_user(seat),
                                      code=other_table.code, now=_at(8, 58))  # fmt: skip
    assert f"no meeting at {other_table.name}" in elsewhere.value.errors["code"][0]


def test_two_people_whose_partners_did_not_come_meet_each_other(session):
    ev, _ = _event(session)
    first, second, third, _ = _meetings(session, ev)
    a, b = first.seats
    c, _d = second.seats
    e, f = third.seats
    for seat in (a, c, e, f):  # b and d do not come; e and f meet
        _check_in(session, ev, seat, _at(8, 58))
    state = at_the_table.at_the_table(session, slug=ev.slug, user_id=_user(a),
                                      meeting_id=first.id, now=_at(9, 4))  # fmt: skip
    assert state.checked_in_at == _at(8, 58) and not state.can_find_someone_else
    with pytest.raises(Conflict):
        _someone_else(session, ev, a, _at(9, 4))  # not five minutes yet
    mailer = RecordingMailer()

    made = _someone_else(session, ev, a, _at(9, 6), mailer)

    session.expire_all()
    assert {s.profile_id for s in made.seats} == {a.profile_id, c.profile_id}
    assert (made.slot_id, made.location_id, made.origin) == (
        first.slot_id, first.location_id, MeetingOrigin.STANDBY,
    )  # fmt: skip
    assert {s.response for s in made.seats} == {Response.ACCEPTED}
    assert session.get(Meeting, first.id).cancelled_at is not None
    assert session.get(Meeting, second.id).cancelled_at is not None
    assert session.get(Meeting, third.id).cancelled_at is None
    assert [m.to for m in mailer.sent] == [c.profile.user.email]
    assert f"is waiting for you now at {first.location.name}" in mailer.sent[0].subject
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []
    # The partner who did not come reads what a decline or a cancellation shows.
    _, gone = reading.my_introduction(session, slug=ev.slug, user_id=_user(b),
                                      meeting_id=first.id, now=_at(9, 6))  # fmt: skip
    assert gone.status == IntroductionStatus.OFF


def test_nobody_free_leaves_the_meeting_as_it_was(session):
    ev, _ = _event(session)
    first, second, *_ = _meetings(session, ev)
    a, _b = first.seats
    c, d = second.seats
    for seat in (a, c, d):
        _check_in(session, ev, seat, _at(8, 58))

    assert _someone_else(session, ev, a, _at(9, 6)) is None

    session.expire_all()
    assert session.get(Meeting, first.id).cancelled_at is None


def test_someone_present_earlier_in_the_day_and_free_now_is_picked(session):
    ev, _ = _event(session, slots=2)
    at_nine, at_ten = _meetings(session, ev, 9), _meetings(session, ev, 10)
    busy_at_ten = {s.profile_id for m in at_ten for s in m.seats}
    earlier = [s for m in at_nine for s in m.seats if s.profile_id not in busy_at_ten]
    if not earlier:
        # Everyone meets at ten: free one of them by taking their meeting out.
        gone = at_ten[-1]
        gone.cancelled_at = _at(8, 0)
        session.commit()
        busy_at_ten -= {s.profile_id for s in gone.seats}
        earlier = [s for m in at_nine for s in m.seats if s.profile_id not in busy_at_ten]
    present = earlier[0]
    _check_in(session, ev, present, _at(8, 58))
    waiting_meeting = next(m for m in at_ten if m.cancelled_at is None)
    waiting = next(s for s in waiting_meeting.seats)
    _check_in(session, ev, waiting, _at(9, 58))

    made = _someone_else(session, ev, waiting, _at(10, 6))

    assert made is not None
    assert {s.profile_id for s in made.seats} == {waiting.profile_id, present.profile_id}
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []
