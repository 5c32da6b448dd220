"""The one adapter between an event's rows and the engine: the engine's ids for rows, the
attendees a run, a refill or an embedding job reads, and the event as the engine sees it."""

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.engine import model as engine
from matchmaker.models import (
    Event,
    Meeting,
    PairRuleRow,
    Profile,
    ProfileIntent,
    Slot,
    Tag,
    profile_slots,
    profile_tags,
)
from matchmaker.vocabulary import KEPT_APART, Direction, MeetingKind, PairRule, Response

# The engine's ids for rows: a letter for the kind, so that its messages can be told apart
# and put in people's words (see `describe`).


def person_key(profile_id: int) -> str:
    """The engine's id of a profile."""
    return f"p{profile_id}"


def slot_key(slot_id: int) -> str:
    """The engine's id of a time slot."""
    return f"s{slot_id}"


def location_key(location_id: int) -> str:
    """The engine's id of a table or room."""
    return f"l{location_id}"


def row_id(key: str) -> int:
    """The row id behind an engine id."""
    return int(key[1:])


def describe(message: str, names: dict[str, str]) -> str:
    """An engine message with its ids replaced by the names of people, slots and places."""
    return re.sub(r"\b[psl]\d+\b", lambda m: names.get(m.group(0), m.group(0)), message)


def names_of(event: Event, attendees: list[engine.Attendee]) -> dict[str, str]:
    """The names `describe` uses for an event's ids."""
    names = {a.id: a.name for a in attendees}
    names.update({slot_key(s.id): s.starts_at.strftime("%a %H:%M") for s in event.slots})
    names.update({location_key(loc.id): loc.name for loc in event.locations})
    return names


# Up to this many profiles are read by their ids; more are read with their whole event.
FEW_IDS = 200


@dataclass(frozen=True)
class EngineInputs:
    event: engine.Event
    attendees: list[engine.Attendee]


def pair_rules(session: Session, *, event_id: int) -> dict[str, list[list[int]]]:
    """The event's rules on pairs, as profile-id pairs per rule (what a run records)."""
    rows = session.execute(
        sa.select(PairRuleRow.rule, PairRuleRow.first_id, PairRuleRow.second_id)
        .where(PairRuleRow.event_id == event_id)
        .order_by(PairRuleRow.first_id, PairRuleRow.second_id)
    )
    rules: dict[str, list[list[int]]] = {str(rule): [] for rule in PairRule}
    for rule, first, second in rows:
        rules[rule].append([first, second])
    return rules


def read_attendees(
    session: Session, *, event_id: int, ids: list[int] | None = None, matchable: bool = True
) -> list[engine.Attendee]:
    """The engine's view of the profiles matching plans for (`Profile.can_be_matched`; every
    profile of the event when not `matchable`), or those of them with these ids, by id. Read
    as rows in four queries: loading thousands of ORM profiles with their tags, intents and
    slots takes seconds."""
    which = Profile.event_id == event_id
    if matchable:
        which = which & Profile.can_be_matched()
    # A few ids are read by id; many (or all) by the event, filtered here.
    few = ids is not None and len(ids) <= FEW_IDS
    if few:
        which = which & Profile.id.in_(ids)
    rows = session.execute(
        sa.select(
            Profile.id, Profile.name, Profile.company, Profile.headline, Profile.bio,
            Profile.looking_for, Profile.can_help, Profile.format, Profile.max_meetings,
        )
        .where(which)
        .order_by(Profile.id)
    ).all()  # fmt: skip
    if ids is not None and not few:
        wanted = set(ids)
        rows = [r for r in rows if r.id in wanted]
    if not rows:
        return []
    mine = (lambda column: column.in_([r.id for r in rows])) if few else (lambda column: sa.true())
    interests: dict[int, list[str]] = {}
    for profile_id, name in session.execute(
        sa.select(profile_tags.c.profile_id, Tag.name)
        .join(Tag, Tag.id == profile_tags.c.tag_id)
        .where(Tag.event_id == event_id, mine(profile_tags.c.profile_id))
        .order_by(Tag.name)
    ):
        interests.setdefault(profile_id, []).append(name)
    intents: dict[tuple[int, str], list[str]] = {}
    for profile_id, direction, intent in session.execute(
        sa.select(ProfileIntent.profile_id, ProfileIntent.direction, ProfileIntent.intent)
        .join(Profile, Profile.id == ProfileIntent.profile_id)
        .where(Profile.event_id == event_id, mine(ProfileIntent.profile_id))
        .order_by(ProfileIntent.intent)
    ):
        intents.setdefault((profile_id, direction), []).append(intent)
    free: dict[int, set[str]] = {}
    for profile_id, slot_id in session.execute(
        sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id)
        .join(Slot, Slot.id == profile_slots.c.slot_id)
        .where(Slot.event_id == event_id, mine(profile_slots.c.profile_id))
    ):
        free.setdefault(profile_id, set()).add(slot_key(slot_id))
    return [
        engine.Attendee(
            id=person_key(r.id), name=r.name, company=r.company, headline=r.headline,
            bio=r.bio, interests=tuple(interests.get(r.id, ())),
            seeks=tuple(intents.get((r.id, Direction.SEEKS), ())),
            offers=tuple(intents.get((r.id, Direction.OFFERS), ())),
            looking_for=r.looking_for, can_help=r.can_help, format=r.format,
            available=frozenset(free.get(r.id, ())), max_meetings=r.max_meetings,
        )
        for r in rows
    ]  # fmt: skip


def engine_inputs(event: Event, attendees: list[engine.Attendee], rules: dict) -> EngineInputs:
    """The engine's view of an event: slots with aware datetimes, locations, these attendees,
    and the organiser's rules on pairs (profile-id pairs per rule) among them."""
    slots = tuple(
        engine.Slot(slot_key(s.id), s.starts_at_aware(), s.ends_at_aware(), s.format)
        for s in event.slots
    )
    locations = tuple(
        engine.Location(location_key(loc.id), loc.capacity) for loc in event.locations
    )
    known = {row_id(a.id) for a in attendees}

    def pairs(rule: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (person_key(a), person_key(b))
            for a, b in rules.get(rule, [])
            if a in known and b in known
        )

    return EngineInputs(
        event=engine.Event(
            slots=slots,
            locations=locations,
            max_meetings=event.max_meetings,
            group_size=(event.group_size_min, event.group_size_max),
            seed=event.id,
            tables_kept_free=event.tables_kept_free,
            meetings_kept_free=event.meetings_kept_free,
            constraints=engine.Constraints(
                together=pairs(PairRule.TOGETHER),
                apart=tuple(p for rule in KEPT_APART for p in pairs(rule)),
                met_before=pairs(PairRule.MET_BEFORE),
            ),
        ),
        attendees=attendees,
    )


@dataclass(frozen=True)
class Replan:
    """What a run after publishing plans around: the meetings it must keep exactly (fixed)
    and the published plan people have seen (previous), as the engine reads them."""

    fixed: tuple[engine.Placement, ...]
    previous: tuple[engine.Placement, ...]
    # Fixed meetings' people, by engine id: the slots and one-to-ones they hold (so that a
    # change of availability or cap since then does not break what they agreed).
    held_slots: dict[str, set[str]]
    held_one_to_ones: dict[str, int]


def is_settled(meeting, now: datetime) -> bool:
    """A published meeting a re-plan keeps exactly: it has begun (or passed), someone
    accepted it, or the organiser placed it by hand."""
    return (
        meeting.slot.starts_at_aware() <= now
        or meeting.pinned
        or any(seat.response == Response.ACCEPTED for seat in meeting.seats)
    )


def published_meetings(session: Session, event: Event) -> list[Meeting]:
    """The event's published meetings that take place, with their slots and seats, by id."""
    return list(
        session.scalars(
            sa.select(Meeting)
            .where(Meeting.run_id == event.published_run_id, Meeting.cancelled_at.is_(None))
            .options(selectinload(Meeting.slot), selectinload(Meeting.seats))
            .order_by(Meeting.id)
        )
    )


def published_plan(session: Session, event: Event, now: datetime) -> Replan | None:
    """The event's published meetings that take place, as a re-plan reads them; None before
    anything is published."""
    if event.published_run_id is None:
        return None
    meetings = published_meetings(session, event)
    fixed, previous = [], []
    held_slots: dict[str, set[str]] = {}
    held: dict[str, int] = {}
    for m in meetings:
        place = engine.Placement(
            slot_key(m.slot_id),
            location_key(m.location_id),
            tuple(person_key(s.profile_id) for s in m.seats),
        )
        previous.append(place)
        if is_settled(m, now):
            fixed.append(place)
            for person in place.attendees:
                held_slots.setdefault(person, set()).add(place.slot)
                held[person] = held.get(person, 0) + (m.kind == MeetingKind.ONE_TO_ONE)
    return Replan(tuple(fixed), tuple(previous), held_slots, held)


def around_published(
    session: Session, event: Event, attendees: list[engine.Attendee], inputs_of, now: datetime
) -> tuple[EngineInputs, tuple[engine.Placement, ...]]:
    """The engine's inputs for a run after publishing, and the plan people have seen. The
    fixed meetings' people are read even when they can no longer be matched (a meeting that
    has begun stays in the other person's history), free in the slots they hold and capped
    at least at what they hold; a fixed meeting the organiser's rules or the people's
    formats now forbid is left to the planner like any other."""
    replan = published_plan(session, event, now)
    if replan is None:
        return inputs_of(attendees), ()
    known = {a.id for a in attendees}
    absent = sorted({p for p in replan.held_slots if p not in known}, key=row_id)
    extra = read_attendees(
        session, event_id=event.id, ids=[row_id(p) for p in absent], matchable=False
    )
    held_only = {a.id for a in extra}
    people = []
    for a in attendees + extra:
        slots = replan.held_slots.get(a.id)
        if slots is None:
            people.append(a)
            continue
        available = frozenset(slots) if a.id in held_only else (a.available or frozenset()) | slots
        cap = replan.held_one_to_ones.get(a.id, 0)
        if a.id not in held_only:
            cap = max(cap, a.max_meetings if a.max_meetings is not None else event.max_meetings)
        people.append(dataclasses.replace(a, available=available, max_meetings=cap))
    inputs = inputs_of(people)
    fixed = _keepable(inputs.event, people, replan.fixed)
    constraints = dataclasses.replace(inputs.event.constraints, fixed=fixed)
    return (
        EngineInputs(dataclasses.replace(inputs.event, constraints=constraints), people),
        replan.previous,
    )


def _keepable(
    event: engine.Event, people: list[engine.Attendee], fixed: tuple[engine.Placement, ...]
) -> tuple[engine.Placement, ...]:
    """The fixed meetings the engine can keep as they are: everyone in them known, no pair
    the organiser keeps apart, each person asking for that kind of meeting, a group within
    the sizes and seats."""
    by_id = {a.id: a for a in people}
    kinds = {s.id: s.format for s in event.slots}
    seats = {loc.id: loc.capacity for loc in event.locations}
    apart = {frozenset(p) for p in event.constraints.apart + event.constraints.met_before}
    smallest, largest = event.group_size
    kept = []
    for m in fixed:
        kind = kinds.get(m.slot)
        if kind is None or m.location not in seats or len(m.attendees) > seats[m.location]:
            continue
        if any(p not in by_id for p in m.attendees):
            continue
        one_to_one = kind == MeetingKind.ONE_TO_ONE
        wants = (lambda a: a.wants_one_to_one()) if one_to_one else (lambda a: a.wants_group())
        if not all(wants(by_id[p]) for p in m.attendees):
            continue
        if one_to_one and (len(m.attendees) != 2 or frozenset(m.attendees) in apart):
            continue
        if not one_to_one and not smallest <= len(m.attendees) <= largest:
            continue
        if not one_to_one and any(
            frozenset((x, y)) in apart for x in m.attendees for y in m.attendees if x < y
        ):
            continue
        kept.append(m)
    return tuple(kept)
