"""Another time for a one-to-one: the times both are free with a table, a suggestion the other
confirms or keeps, the meeting moved under the same calendar UID with its sequence raised."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from matchmaker.exports.ical import schedule_ics
from matchmaker.models import Meeting, MeetingSeat, Slot, TimeSuggestion
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.introductions import answers, rescheduling
from matchmaker.services.planning import plan_edits
from matchmaker.services.schedules import published
from matchmaker.services.setup import timetable
from matchmaker.vocabulary import MeetingKind, Response, TimeSuggestionState
from tests import factories
from tests.fakes import RecordingMailer

NOW = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def _event(session):
    """Six people, three one-to-one slots with one table each when planned (three meetings),
    then two more tables: room to move."""
    ev, profiles = factories.published_event(
        session, people=6, one_to_one_slots=3, tables=1, group_slots=0, rooms=0
    )
    timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
    session.commit()
    return ev, profiles


def _first_meeting(session, ev):
    return session.scalars(
        sa.select(Meeting)
        .where(Meeting.run_id == ev.published_run_id, Meeting.kind == MeetingKind.ONE_TO_ONE)
        .order_by(Meeting.id)
    ).first()


def _people(session, meeting, profiles):
    ids = [s.profile_id for s in meeting.seats]
    return [next(p for p in profiles if p.id == i) for i in ids]


def _busy_slots(session, ev, profile_ids, leaving_out):
    return set(
        session.scalars(
            sa.select(Meeting.slot_id)
            .join(MeetingSeat)
            .where(
                Meeting.run_id == ev.published_run_id,
                Meeting.cancelled_at.is_(None),
                Meeting.id != leaving_out,
                MeetingSeat.profile_id.in_(profile_ids),
            )
        )
    )


def _notice(mailer):
    return Notice(mailer, "https://meet.example.org/meeting")


def _times(session, ev, who, meeting):
    return rescheduling.other_times(
        session, slug=ev.slug, user_id=who.user_id, meeting_id=meeting.id, now=NOW
    )


def _suggest(session, ev, who, meeting, slot_id, mailer=None):
    made = rescheduling.suggest(
        session, slug=ev.slug, user_id=who.user_id, meeting_id=meeting.id, slot_id=slot_id,
        now=NOW, notice=_notice(mailer or RecordingMailer()),
    )  # fmt: skip
    session.commit()
    return made


def _answer(session, ev, who, meeting, confirm, mailer=None):
    done = rescheduling.answer(
        session, slug=ev.slug, user_id=who.user_id, meeting_id=meeting.id, confirm=confirm,
        now=NOW, notice=_notice(mailer or RecordingMailer()),
    )  # fmt: skip
    session.commit()
    return done


def test_the_times_listed_are_those_both_are_free_with_a_table(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    busy = _busy_slots(session, ev, [a.id, b.id], meeting.id)

    found = _times(session, ev, a, meeting)

    expected = [
        s.id for s in sorted(ev.slots, key=lambda s: s.starts_at)
        if s.id != meeting.slot_id and s.id not in busy
    ]  # fmt: skip
    assert [t.slot_id for t in found.times] == expected and expected
    assert found.why_fixed == "" and found.open is None
    assert found.times[0].starts_at.tzinfo is not None


def test_a_confirmed_time_moves_the_meeting_under_the_same_calendar_uid(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    key = calendar_ids.meeting_key(ev, meeting)
    target = _times(session, ev, a, meeting).times[0].slot_id
    told = RecordingMailer()

    _suggest(session, ev, a, meeting, target, told)

    assert [m.to for m in told.sent] == [b.user.email]
    assert "suggests another time" in told.sent[0].subject
    assert "https://meet.example.org/meeting" in told.sent[0].body
    seen_by_b = _times(session, ev, b, meeting).open
    assert (seen_by_b.by_me, seen_by_b.by_name) == (False, a.name)
    assert _times(session, ev, a, meeting).open.by_me is True
    assert session.get(Meeting, meeting.id).slot_id != target  # nothing moves before

    moved_told = RecordingMailer()
    _answer(session, ev, b, meeting, True, moved_told)

    session.expire_all()
    moved = session.get(Meeting, meeting.id)
    assert moved.slot_id == target and moved.pinned and moved.sequence == 1
    assert calendar_ids.meeting_key(ev, moved) == key
    assert {s.response for s in moved.seats} == {Response.ACCEPTED}
    # The suggester is told once what changed; the one who confirmed saw it on the page.
    assert [m.to for m in moved_told.sent] == [a.user.email]
    assert "Moved:" in moved_told.sent[0].body
    schedule = published.own_schedule(session, slug=ev.slug, user_id=a.user_id, now=NOW)
    ics = schedule_ics(schedule, host="meet.example.org", per_person=True).data.decode()
    assert f"UID:meeting-{key}@meet.example.org" in ics and "SEQUENCE:1" in ics
    new_start = session.get(Slot, target).starts_at.strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID={ev.timezone}:{new_start}" in ics
    assert session.scalars(sa.select(TimeSuggestion.state)).all() == [TimeSuggestionState.MOVED]


def test_keeping_the_time_changes_nothing_and_tells_nobody(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    slot_before = meeting.slot_id
    _suggest(session, ev, a, meeting, _times(session, ev, a, meeting).times[0].slot_id)
    mailer = RecordingMailer()

    _answer(session, ev, b, meeting, False, mailer)

    session.expire_all()
    assert session.get(Meeting, meeting.id).slot_id == slot_before
    assert session.get(Meeting, meeting.id).sequence == 0
    assert mailer.sent == [] and _times(session, ev, a, meeting).open is None
    assert session.scalars(sa.select(TimeSuggestion.state)).all() == [TimeSuggestionState.KEPT]


def test_the_suggester_can_withdraw_but_not_confirm(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, _ = _people(session, meeting, profiles)
    _suggest(session, ev, a, meeting, _times(session, ev, a, meeting).times[0].slot_id)

    with pytest.raises(Conflict, match="the other person confirms it"):
        _answer(session, ev, a, meeting, True)
    session.rollback()
    _answer(session, ev, a, meeting, False)

    assert _times(session, ev, a, meeting).open is None
    with pytest.raises(Conflict, match="no suggestion"):
        _answer(session, ev, a, meeting, False)


def test_a_time_taken_meanwhile_is_refused_and_the_meeting_stays(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    target = _times(session, ev, a, meeting).times[0].slot_id
    _suggest(session, ev, a, meeting, target)
    # Meanwhile b takes another meeting at that time.
    extra = next(loc for loc in ev.locations if loc.name.startswith("Extra"))
    other = Meeting(run_id=ev.published_run_id, slot_id=target, location_id=extra.id,
                    kind=MeetingKind.ONE_TO_ONE, score=0.0)  # fmt: skip
    stranger = next(p for p in profiles if p.id not in (a.id, b.id))
    other.seats = [MeetingSeat(profile_id=b.id), MeetingSeat(profile_id=stranger.id, position=1)]
    session.add(other)
    session.commit()

    with pytest.raises(Conflict, match="no longer free"):
        _answer(session, ev, b, meeting, True)
    session.commit()  # the request commits what a refused answer wrote

    session.expire_all()
    assert session.get(Meeting, meeting.id).slot_id != target
    assert session.scalars(sa.select(TimeSuggestion.state)).all() == [TimeSuggestionState.VOID]


def test_only_a_listed_time_can_be_suggested_and_a_new_one_replaces_the_last(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    times = _times(session, ev, a, meeting).times

    with pytest.raises(Invalid) as error:
        _suggest(session, ev, a, meeting, meeting.slot_id)
    assert "Choose one of the times listed" in error.value.errors["slot_id"][0]
    session.rollback()

    _suggest(session, ev, a, meeting, times[0].slot_id)
    _suggest(session, ev, b, meeting, times[-1].slot_id)

    states = session.scalars(sa.select(TimeSuggestion.state).order_by(TimeSuggestion.id)).all()
    assert states == [TimeSuggestionState.VOID, TimeSuggestionState.OPEN]
    assert _times(session, ev, a, meeting).open.by_name == b.name


def test_nobody_else_can_see_or_move_a_meeting(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    stranger = next(p for p in profiles if p.id not in (a.id, b.id))
    target = _times(session, ev, a, meeting).times[0].slot_id

    with pytest.raises(NotFound):
        _times(session, ev, stranger, meeting)
    with pytest.raises(NotFound):
        _suggest(session, ev, stranger, meeting, target)
    _suggest(session, ev, a, meeting, target)
    with pytest.raises(NotFound):
        _answer(session, ev, stranger, meeting, True)


def test_a_declined_meeting_has_no_other_time(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, b = _people(session, meeting, profiles)
    target = _times(session, ev, a, meeting).times[0].slot_id
    _suggest(session, ev, a, meeting, target)
    answers.respond(session, slug=ev.slug, user_id=b.user_id, meeting_id=meeting.id,
                    accept=False, now=NOW, notice=_notice(RecordingMailer()))  # fmt: skip
    session.commit()

    assert _times(session, ev, a, meeting).why_fixed == rescheduling.NOT_TAKING_PLACE
    with pytest.raises(Conflict, match="no longer takes place"):
        _answer(session, ev, b, meeting, True)


def test_an_organisers_move_keeps_the_calendar_uid_and_raises_the_sequence(session):
    ev, profiles = _event(session)
    meeting = _first_meeting(session, ev)
    a, _ = _people(session, meeting, profiles)
    key = calendar_ids.meeting_key(ev, meeting)
    target = _times(session, ev, a, meeting).times[0].slot_id
    free = next(
        loc.id for loc in ev.locations
        if not session.scalar(sa.select(Meeting.id).where(
            Meeting.run_id == ev.published_run_id, Meeting.slot_id == target,
            Meeting.location_id == loc.id))
    )  # fmt: skip

    plan_edits.move_meeting(session, event=ev, meeting_id=meeting.id, slot_id=target,
                            location_id=free, notice=_notice(RecordingMailer()))  # fmt: skip
    session.commit()

    moved = session.get(Meeting, meeting.id)
    assert (moved.slot_id, moved.sequence) == (target, 1)
    assert calendar_ids.meeting_key(ev, moved) == key
