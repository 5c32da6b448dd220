"""The one adapter between an event's rows and the engine: the engine's ids for rows, the
attendees a run, a refill or an embedding job reads, and the event as the engine sees it."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.models import (
    Event,
    PairRuleRow,
    Profile,
    ProfileIntent,
    Slot,
    Tag,
    profile_slots,
    profile_tags,
)
from matchmaker.vocabulary import KEPT_APART, Direction, PairRule

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
    wanted = None if ids is None else set(ids)
    which = Profile.event_id == event_id
    if matchable:
        which = which & Profile.can_be_matched()
    rows = session.execute(
        sa.select(
            Profile.id, Profile.name, Profile.company, Profile.headline, Profile.bio,
            Profile.looking_for, Profile.can_help, Profile.format, Profile.max_meetings,
        )
        .where(which)
        .order_by(Profile.id)
    ).all()  # fmt: skip
    rows = [r for r in rows if wanted is None or r.id in wanted]
    interests: dict[int, list[str]] = {}
    for profile_id, name in session.execute(
        sa.select(profile_tags.c.profile_id, Tag.name)
        .join(Tag, Tag.id == profile_tags.c.tag_id)
        .where(Tag.event_id == event_id)
        .order_by(Tag.name)
    ):
        interests.setdefault(profile_id, []).append(name)
    intents: dict[tuple[int, str], list[str]] = {}
    for profile_id, direction, intent in session.execute(
        sa.select(ProfileIntent.profile_id, ProfileIntent.direction, ProfileIntent.intent)
        .join(Profile, Profile.id == ProfileIntent.profile_id)
        .where(Profile.event_id == event_id)
        .order_by(ProfileIntent.intent)
    ):
        intents.setdefault((profile_id, direction), []).append(intent)
    free: dict[int, set[str]] = {}
    for profile_id, slot_id in session.execute(
        sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id)
        .join(Slot, Slot.id == profile_slots.c.slot_id)
        .where(Slot.event_id == event_id)
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
            constraints=engine.Constraints(
                together=pairs(PairRule.TOGETHER),
                apart=tuple(p for rule in KEPT_APART for p in pairs(rule)),
                met_before=pairs(PairRule.MET_BEFORE),
            ),
        ),
        attendees=attendees,
    )
