"""Free now: two people who say they are free meet at once at a free table in the slot on now,
within every rule; alone, one stays free for 30 minutes; never outside the event."""

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting, MeetingSeat, Profile
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict
from matchmaker.services.introductions import at_the_table, free_now
from matchmaker.services.planning import matching
from matchmaker.services.setup import timetable
from matchmaker.vocabulary import MeetingOrigin, Response
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import _at


def _event(session):
    ev, profiles = factories.published_event(
        session, people=12, one_to_one_slots=2, tables=2, group_slots=0, rooms=0
    )
    timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
    session.commit()
    return ev, profiles


def _pair_free_at_nine(session, ev, profiles):
    """Two people with no meeting at nine who never met and share an interest."""
    seats = session.execute(
        sa.select(MeetingSeat.profile_id, MeetingSeat.meeting_id, Meeting.slot_id)
        .join(Meeting).where(Meeting.run_id == ev.published_run_id)
    ).all()  # fmt: skip
    nine = min(ev.slots, key=lambda s: s.starts_at).id
    busy = {p for p, _, s in seats if s == nine}
    met = {}
    for p, m, _ in seats:
        met.setdefault(m, set()).add(p)
    free = [p for p in profiles if p.id not in busy]
    for x in free:
        for y in free:
            together = any({x.id, y.id} <= people for people in met.values())
            if x.id < y.id and not together and {t.name for t in x.tags} & {t.name for t in y.tags}:
                return x, y
    raise AssertionError("no such pair")


def _say(session, ev, profile, now, mailer=None):
    made = free_now.say_free_now(session, slug=ev.slug, user_id=profile.user_id, now=now,
                                 notice=Notice(mailer or RecordingMailer(), "https://x/intro"))  # fmt: skip
    session.commit()
    return made


def test_two_people_free_now_meet_at_once_at_a_free_table(session):
    ev, profiles = _event(session)
    x, y = _pair_free_at_nine(session, ev, profiles)

    alone = _say(session, ev, x, _at(9, 2))
    assert alone is None
    assert free_now.free_now_state(session.get(Profile, x.id), _at(9, 3)).free_until == _at(9, 32)
    mailer = RecordingMailer()
    made = _say(session, ev, y, _at(9, 4), mailer)

    assert {s.profile_id for s in made.seats} == {x.id, y.id}
    assert made.origin == MeetingOrigin.FREE_NOW and made.slot.starts_at.hour == 9
    assert made.location.name.startswith("Extra")
    assert {s.response for s in made.seats} == {Response.ACCEPTED}
    assert [m.to for m in mailer.sent] == [x.user.email]
    assert f"meet {y.name} at {made.location.name}, 09:00" in mailer.sent[0].subject
    session.expire_all()
    assert session.get(Profile, x.id).free_until is None
    assert session.get(Profile, y.id).free_until is None
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []


def test_free_now_is_only_during_the_event_and_can_be_taken_back(session):
    ev, profiles = _event(session)
    x, _ = _pair_free_at_nine(session, ev, profiles)

    with pytest.raises(Conflict, match="during the event"):
        _say(session, ev, x, _at(9, 0, day=-1))
    _say(session, ev, x, _at(9, 2))
    free_now.not_free(session, slug=ev.slug, user_id=x.user_id)
    session.commit()

    assert free_now.free_now_state(session.get(Profile, x.id), _at(9, 3)).free_until is None
    assert free_now.free_now_state(session.get(Profile, x.id), _at(9, 3)).can_say


def test_someone_free_now_can_be_a_standby_pick(session):
    ev, profiles = _event(session)
    x, _ = _pair_free_at_nine(session, ev, profiles)
    nine = min(ev.slots, key=lambda s: s.starts_at).id
    meetings = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).all()
    met_x = {s.profile_id for m in meetings if x.id in {t.profile_id for t in m.seats}
             for s in m.seats}  # fmt: skip
    meeting, seeker = next(
        (m, s) for m in meetings if m.slot_id == nine for s in m.seats
        if s.profile_id not in met_x
    )  # fmt: skip
    _say(session, ev, x, _at(9, 2))
    at_the_table.check_in(session, slug=ev.slug, user_id=seeker.profile.user_id,
                          meeting_id=meeting.id, now=_at(9, 0))  # fmt: skip
    session.commit()

    made = at_the_table.find_someone_else(
        session, slug=ev.slug, user_id=seeker.profile.user_id, meeting_id=meeting.id,
        now=_at(9, 6), notice=Notice(RecordingMailer(), "x"),
    )  # fmt: skip

    assert made is not None and x.id in {s.profile_id for s in made.seats}
