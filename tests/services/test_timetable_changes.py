"""Timetable edits after publishing: shown first, confirmed, meetings cancelled not deleted,
the freed refilled, everyone told once, begun meetings never cancelled."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.exports.ical import schedule_ics
from matchmaker.models import Location, Meeting, MeetingSeat, Slot
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict
from matchmaker.services.planning import matching, timetable_changes
from matchmaker.services.schedules import published
from tests import factories
from tests.fakes import RecordingMailer

BEFORE = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def _notice():
    mailer = RecordingMailer()
    return mailer, Notice(mailer, "https://meet.example.org/events")


def _taking_place(session, ev, **where):
    session.expire_all()
    return [
        m
        for m in matching.run_meetings(session, run_id=ev.published_run_id)
        if all(getattr(m, k) == v for k, v in where.items())
    ]


def test_removing_a_slot_asks_first_then_cancels_its_meetings_and_keeps_them(session):
    ev, _ = factories.published_event(session, people=6, tables=4)
    slot = next(s for s in ev.slots if s.format == "one_to_one")
    meetings = _taking_place(session, ev, slot_id=slot.id)
    ids = sorted(m.id for m in meetings)
    people = sorted({s.profile.user.email for m in meetings for s in m.seats})
    mailer, notice = _notice()

    with pytest.raises(timetable_changes.Unconfirmed) as asked:
        timetable_changes.remove_slot(session, event=ev, slot_id=slot.id, now=BEFORE, notice=notice)
    assert sorted(m.id for m in asked.value.effects.cancelled) == ids
    assert asked.value.effects.people == len(people)
    assert _taking_place(session, ev, slot_id=slot.id) and mailer.sent == []

    timetable_changes.remove_slot(
        session, event=ev, slot_id=slot.id, now=BEFORE, notice=notice, confirmed=True
    )
    session.commit()

    session.expire_all()
    rows = session.scalars(sa.select(Meeting).where(Meeting.id.in_(ids))).all()
    assert sorted(m.id for m in rows) == ids and all(m.cancelled_at for m in rows)
    assert session.get(Slot, slot.id).retired_at is not None
    assert slot.id not in {s.id for s in session.get(type(ev), ev.id).slots}
    assert sorted(m.to for m in mailer.sent) == people  # one message each
    assert all("No longer taking place:" in m.body for m in mailer.sent)
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []
    # The calendar feed shows them cancelled, not gone.
    person = rows[0].seats[0].profile
    token = published.calendar_token(session, slug=ev.slug, user_id=person.user_id)
    schedule = published.feed_schedule(session, token=token, now=BEFORE)
    feed = schedule_ics(schedule, host="meet.example.org", per_person=True).data.decode()
    assert "STATUS:CANCELLED" in feed


def test_removing_a_location_refills_its_people_at_other_tables(session):
    # Five people, two meetings a slot: in each slot one person is free to take a freed seat.
    ev, _ = factories.published_event(session, people=5, tables=4, group_slots=0, rooms=0)
    location_id = _taking_place(session, ev)[0].location_id
    there = _taking_place(session, ev, location_id=location_id)
    mailer, notice = _notice()

    effects = timetable_changes.remove_location(
        session, event=ev, location_id=location_id, now=BEFORE, notice=notice, confirmed=True
    )
    session.commit()

    assert sorted(m.id for m in effects.cancelled) == sorted(m.id for m in there)
    after = _taking_place(session, ev)
    assert all(m.location_id != location_id for m in after)
    refills = [m for m in after if m.origin == "refill"]
    assert refills and all(m.slot_id in {t.slot_id for t in there} for m in refills)
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []
    located = session.get(Location, location_id)
    assert located.retired_at is not None and located.name.endswith("(removed)")
    told = Counter(m.to for m in mailer.sent)
    freed = {s.profile.user.email for m in there for s in m.seats}
    assert freed <= set(told) and set(told.values()) == {1}


def test_a_new_time_moves_the_meetings_and_tells_their_people_once(session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    meetings = _taking_place(session, ev, slot_id=slot.id)
    people = sorted({s.profile.user.email for m in meetings for s in m.seats})
    mailer, notice = _notice()
    later = (slot.starts_at + timedelta(hours=5), slot.ends_at + timedelta(hours=5))

    effects = timetable_changes.change_slot(
        session, event=ev, slot_id=slot.id, starts_at=later[0], ends_at=later[1],
        format=slot.format, label="", now=BEFORE, notice=notice, confirmed=True,
    )  # fmt: skip
    session.commit()

    assert effects.cancelled == [] and len(effects.changed) == len(meetings)
    assert {m.id for m in _taking_place(session, ev, slot_id=slot.id)} == {m.id for m in meetings}
    assert sorted(m.to for m in mailer.sent) == people
    assert all("Moved:" in m.body and "No longer" not in m.body for m in mailer.sent)


def test_a_slot_turned_into_a_group_slot_cancels_its_one_to_ones(session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    meetings = _taking_place(session, ev, slot_id=slot.id)
    _, notice = _notice()

    effects = timetable_changes.change_slot(
        session, event=ev, slot_id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at,
        format="group", label="", now=BEFORE, notice=notice, confirmed=True,
    )  # fmt: skip
    session.commit()

    assert sorted(m.id for m in effects.cancelled) == sorted(m.id for m in meetings)
    assert _taking_place(session, ev, slot_id=slot.id) == []
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []


def test_cutting_a_rooms_seats_cancels_the_group_that_no_longer_fits(session):
    ev, _ = factories.published_event(session, people=6, tables=4)
    group = next(m for m in _taking_place(session, ev) if m.kind == "group")
    _, notice = _notice()

    with pytest.raises(timetable_changes.Unconfirmed) as asked:
        timetable_changes.change_location(
            session, event=ev, location_id=group.location_id, name=group.location.name,
            capacity=2, now=BEFORE, notice=notice,
        )  # fmt: skip

    assert [m.id for m in asked.value.effects.cancelled] == [group.id]
    timetable_changes.change_location(
        session, event=ev, location_id=group.location_id, name=group.location.name,
        capacity=2, now=BEFORE, notice=notice, confirmed=True,
    )  # fmt: skip
    session.commit()
    assert session.get(Meeting, group.id).cancelled_at is not None
    assert session.scalar(
        sa.select(sa.func.count())
        .select_from(MeetingSeat)
        .where(MeetingSeat.meeting_id == group.id)
    ) == len(group.seats)


def test_an_edit_never_cancels_a_meeting_that_has_begun(session):
    ev, _ = factories.published_event(session, people=4, tables=4, group_slots=0, rooms=0)
    slot = ev.slots[0]
    during = slot.starts_at_aware() + timedelta(minutes=5)
    _, notice = _notice()

    with pytest.raises(Conflict, match="begun"):
        timetable_changes.remove_slot(
            session, event=ev, slot_id=slot.id, now=during, notice=notice, confirmed=True
        )
    with pytest.raises(Conflict, match="begun"):
        timetable_changes.change_slot(
            session, event=ev, slot_id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at,
            format="group", label="", now=during, notice=notice, confirmed=True,
        )  # fmt: skip
    begun = _taking_place(session, ev, slot_id=slot.id)
    location_id = begun[0].location_id
    timetable_changes.remove_location(
        session, event=ev, location_id=location_id, now=during, notice=notice, confirmed=True
    )
    session.commit()
    assert {m.id for m in _taking_place(session, ev, slot_id=slot.id)} == {m.id for m in begun}


def test_before_publishing_edits_need_no_confirmation(session):
    ev, _ = factories.matchable_event(session, people=4)
    slot = ev.slots[0]
    _, notice = _notice()

    timetable_changes.remove_slot(session, event=ev, slot_id=slot.id, now=BEFORE, notice=notice)
    session.commit()

    assert session.get(Slot, slot.id) is None
