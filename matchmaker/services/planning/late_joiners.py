"""Placing someone who joins after the schedule was published: at once, into free seats with
free people, slot by slot like a refill, within every rule and without touching anyone's
meetings; nobody waits for the organisers' next run."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import Event, Meeting, MeetingSeat, Profile, Slot, profile_slots
from matchmaker.services.core.messages import Notice
from matchmaker.services.planning import adapter, publishing, refills
from matchmaker.vocabulary import KEPT_APART, AttendeeFormat, MeetingKind, PairRule


def _future_slots(session: Session, profile: Profile, now: datetime) -> list[Slot]:
    """The slots still to come that the profile is free in, in time order."""
    slots = session.scalars(
        sa.select(Slot)
        .join(profile_slots, profile_slots.c.slot_id == Slot.id)
        .where(profile_slots.c.profile_id == profile.id)
        .order_by(Slot.starts_at, Slot.id)
    ).all()
    return [s for s in slots if s.starts_at_aware() > now]


def _meetings_of(session: Session, run_id: int, profile_id: int) -> int:
    return session.scalar(
        sa.select(sa.func.count(MeetingSeat.meeting_id))
        .join(Meeting)
        .where(
            Meeting.run_id == run_id,
            Meeting.cancelled_at.is_(None),
            MeetingSeat.profile_id == profile_id,
        )
    )


def place_late_joiner(
    session: Session, *, event: Event, profile_id: int, now: datetime, notice: Notice
) -> list[Meeting]:
    """Give a profile that can be matched and has no meeting in the published schedule its
    one-to-ones (each slot still to come that it is free in, best partner free then, up to
    its cap) and a seat at a group table with room; tell everyone concerned once. Returns the
    new meetings (none before publishing, or for someone already placed)."""
    run = event.published_run
    profile = session.get(Profile, profile_id)
    if run is None or profile is None or profile.event_id != event.id:
        return []
    if not profile.is_complete or profile.hidden or _meetings_of(session, run.id, profile.id):
        return []
    cap = profile.max_meetings if profile.max_meetings is not None else event.max_meetings
    made: list[Meeting] = []
    joined: list[Meeting] = []
    apart = _kept_apart(session, event, profile.id)
    slots = _future_slots(session, profile, now)
    if profile.format != AttendeeFormat.GROUP and cap > 0:
        made = refills.refill_slots(
            session,
            run=run,
            slot_ids=[s.id for s in slots if s.format == MeetingKind.ONE_TO_ONE],
            freed=[profile.id],
            now=now,
            most=cap,
        )
    for slot in slots:
        if slot.format == MeetingKind.GROUP and profile.format != AttendeeFormat.ONE_TO_ONE:
            table = _group_with_room(session, event, run.id, slot.id, apart)
            if table is not None:
                joined.append(table)
                table.seats.append(MeetingSeat(profile_id=profile.id, position=len(table.seats)))
    session.flush()
    if made or joined:
        # The joiner and their new partners are told; a group table is not told of one more.
        people = sorted({profile.id} | {s.profile_id for m in made for s in m.seats})
        before = publishing.schedules(session, run.id, people)
        for m in made + joined:
            for seat in m.seats:
                if seat.profile_id in before:
                    before[seat.profile_id].discard(publishing.appointment(m, seat.profile_id))
        before[profile.id] = set()
        publishing.tell(session, event, before, [], people, notice)
    return made + joined


def _kept_apart(session: Session, event: Event, profile_id: int) -> set[int]:
    """Whom the profile may not meet (any rule that keeps a pair apart)."""
    rules = adapter.pair_rules(session, event_id=event.id)
    return {
        other
        for rule in (*KEPT_APART, PairRule.MET_BEFORE)
        for pair in rules.get(rule, [])
        if profile_id in pair
        for other in pair
        if other != profile_id
    }


def _group_with_room(session: Session, event: Event, run_id: int, slot_id: int, apart: set[int]):
    """The group table of the slot with the most room left (then the smallest, then by id),
    if any can take one more within its seats and the largest group size, with nobody the
    joiner is kept apart from."""
    tables = session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.run_id == run_id,
            Meeting.cancelled_at.is_(None),
            Meeting.slot_id == slot_id,
            Meeting.kind == MeetingKind.GROUP,
        )
        .order_by(Meeting.id)
    ).all()
    room = [
        (min(t.location.capacity, event.group_size_max) - len(t.seats), -len(t.seats), -t.id, t)
        for t in tables
    ]
    room = [r for r in room if r[0] > 0 and not apart & {s.profile_id for s in r[3].seats}]
    return max(room, key=lambda r: r[:3])[3] if room else None
