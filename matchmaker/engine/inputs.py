"""Reading attendee lines and event files, with errors that name the line and the field."""

import json
from collections.abc import Iterable
from datetime import datetime

from matchmaker.engine.model import (
    ATTENDEE_FORMATS,
    INTENTS,
    SLOT_FORMATS,
    Attendee,
    Constraints,
    Event,
    Location,
    Placement,
    Slot,
)
from matchmaker.text import scrub_text
from matchmaker.vocabulary import AttendeeFormat, MeetingKind


class InputError(ValueError):
    """Input that cannot be planned; the message names where and what."""


def _text(value, where: str) -> str:
    """A text field in NFC, invisible control characters read as spaces."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: must be a string")
    return scrub_text(value)


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: must be a list of strings")
    return tuple(scrub_text(v, multiline=False) for v in value)


def _intents(value, where: str) -> tuple[str, ...]:
    values = _strings(value, where)
    unknown = sorted(set(values) - set(INTENTS))
    if unknown:
        raise InputError(f"{where}: unknown intent {unknown[0]!r} (use {', '.join(INTENTS)})")
    return tuple(sorted(set(values)))


def parse_attendee(data, line: int) -> Attendee:
    """One attendee from a decoded JSON line."""
    at = f"line {line}"
    if not isinstance(data, dict):
        raise InputError(f"{at}: must be a JSON object")
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise InputError(f"{at}: field 'id' is missing or not a non-empty string")
    fmt = data.get("format") or AttendeeFormat.ANY
    if fmt not in ATTENDEE_FORMATS:
        raise InputError(f"{at}: field 'format' must be one of {', '.join(ATTENDEE_FORMATS)}")
    available = data.get("available")
    if available is not None:
        available = frozenset(_strings(available, f"{at}: field 'available'"))
    cap = data.get("max_meetings")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 0):
        raise InputError(f"{at}: field 'max_meetings' must be a whole number >= 0")
    return Attendee(
        id=ident,
        name=_text(data.get("name"), f"{at}: field 'name'"),
        company=_text(data.get("company"), f"{at}: field 'company'"),
        headline=_text(data.get("headline"), f"{at}: field 'headline'"),
        bio=_text(data.get("bio"), f"{at}: field 'bio'"),
        interests=_strings(data.get("interests"), f"{at}: field 'interests'"),
        seeks=_intents(data.get("seeks"), f"{at}: field 'seeks'"),
        offers=_intents(data.get("offers"), f"{at}: field 'offers'"),
        looking_for=_text(data.get("looking_for"), f"{at}: field 'looking_for'"),
        can_help=_text(data.get("can_help"), f"{at}: field 'can_help'"),
        format=fmt,
        available=available,
        max_meetings=cap,
        first_time=bool(data.get("first_time", False)),
    )


def read_attendees_with_lines(lines: Iterable[str]) -> tuple[list[Attendee], dict[str, int]]:
    """Attendees from JSON lines (blank lines are skipped; ids must be unique), and the line
    number of each id."""
    attendees: list[Attendee] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InputError(f"line {number}: not JSON ({error.msg})") from None
        attendee = parse_attendee(data, number)
        if attendee.id in seen:
            raise InputError(
                f"line {number}: field 'id' {attendee.id!r} repeats line {seen[attendee.id]}"
            )
        seen[attendee.id] = number
        attendees.append(attendee)
    return attendees, seen


def _pairs(value, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    ):
        raise InputError(f"{where}: must be a list of [id, id] pairs")
    return tuple((a, b) for a, b in value)


def _placements(value, where: str) -> tuple[Placement, ...]:
    """Meetings as {"slot", "location", "attendees"} objects (other fields are ignored)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(f"{where}: must be a list of meetings")
    found = []
    for n, raw in enumerate(value):
        at = f"{where}[{n}]"
        if not isinstance(raw, dict):
            raise InputError(f"{at}: must be an object with slot, location and attendees")
        for key in ("slot", "location"):
            if not isinstance(raw.get(key), str):
                raise InputError(f"{at}: field {key!r} is missing or not a string")
        people = raw.get("attendees")
        if not isinstance(people, list) or not all(isinstance(p, str) for p in people):
            raise InputError(f"{at}: field 'attendees' must be a list of ids")
        found.append(Placement(raw["slot"], raw["location"], tuple(people)))
    return tuple(found)


def parse_previous(data) -> tuple[Placement, ...]:
    """The meetings of a PLAN.json people have already seen."""
    if not isinstance(data, dict):
        raise InputError("must be a JSON object with 'meetings'")
    return _placements(data.get("meetings") or [], "meetings")


def _instant(value, where: str) -> datetime:
    """An ISO 8601 time with its UTC offset, e.g. 2030-05-14T10:00:00+02:00."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InputError(f"{where} must be an ISO 8601 time with its offset")
    return moment


def parse_event(data) -> Event:
    """The event from a decoded EVENT.json."""
    if not isinstance(data, dict):
        raise InputError("event: must be a JSON object")
    slots = []
    seen_slots = set()
    for n, raw in enumerate(data.get("slots") or []):
        at = f"event: slots[{n}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise InputError(f"{at}: field 'id' is missing")
        if raw["id"] in seen_slots:
            raise InputError(f"{at}: field 'id' {raw['id']!r} repeats")
        if raw.get("format", MeetingKind.ONE_TO_ONE) not in SLOT_FORMATS:
            raise InputError(f"{at}: field 'format' must be one_to_one or group")
        start, end = (_instant(raw.get(key), f"{at}: field {key!r}") for key in ("start", "end"))
        if end <= start:
            raise InputError(f"{at}: field 'end' is not after 'start'")
        seen_slots.add(raw["id"])
        slots.append(Slot(raw["id"], start, end, raw.get("format", MeetingKind.ONE_TO_ONE)))
    if not slots:
        raise InputError("event: field 'slots' must list at least one slot")
    locations = []
    seen_locations = set()
    for n, raw in enumerate(data.get("locations") or []):
        at = f"event: locations[{n}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise InputError(f"{at}: field 'id' is missing")
        capacity = raw.get("capacity")
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 2:
            raise InputError(f"{at}: field 'capacity' must be a whole number >= 2")
        if raw["id"] in seen_locations:
            raise InputError(f"{at}: field 'id' {raw['id']!r} repeats")
        seen_locations.add(raw["id"])
        locations.append(Location(raw["id"], capacity))
    cap = data.get("max_meetings", 6)
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
        raise InputError("event: field 'max_meetings' must be a whole number >= 0")
    size = data.get("group_size", [3, 6])
    if isinstance(size, int) and not isinstance(size, bool):
        size = [size, size]
    if (
        not isinstance(size, list)
        or len(size) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in size)
        or not 2 <= size[0] <= size[1]
    ):
        raise InputError("event: field 'group_size' must be [min, max] with 2 <= min <= max")
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InputError("event: field 'seed' must be a whole number")
    kept = data.get("tables_kept_free", 0)
    if not isinstance(kept, int) or isinstance(kept, bool) or kept < 0:
        raise InputError("event: field 'tables_kept_free' must be a whole number >= 0")
    room = data.get("meetings_kept_free", 0)
    if not isinstance(room, int) or isinstance(room, bool) or room < 0:
        raise InputError("event: field 'meetings_kept_free' must be a whole number >= 0")
    raw_constraints = data.get("constraints") or {}
    if not isinstance(raw_constraints, dict):
        raise InputError("event: field 'constraints' must be an object")
    constraints = Constraints(
        together=_pairs(raw_constraints.get("together"), "event: constraints.together"),
        apart=_pairs(raw_constraints.get("apart"), "event: constraints.apart"),
        met_before=_pairs(raw_constraints.get("met_before"), "event: constraints.met_before"),
        fixed=_placements(raw_constraints.get("fixed"), "event: constraints.fixed"),
    )
    return Event(
        slots=tuple(slots),
        locations=tuple(locations),
        max_meetings=cap,
        group_size=(size[0], size[1]),
        seed=seed,
        constraints=constraints,
        tables_kept_free=kept,
        meetings_kept_free=room,
    )


def check_references(
    event: Event, attendees: list[Attendee], lines: dict[str, int] | None = None
) -> None:
    """Attendees' slots and the constraints' ids must exist."""
    slot_ids = {s.id for s in event.slots}
    for n, attendee in enumerate(attendees, start=1):
        unknown = sorted((attendee.available or frozenset()) - slot_ids)
        if unknown:
            line = (lines or {}).get(attendee.id, n)
            raise InputError(f"line {line}: field 'available' names unknown slot {unknown[0]!r}")
    ids = {a.id for a in attendees}
    for name in ("together", "apart", "met_before"):
        for a, b in getattr(event.constraints, name):
            for x in (a, b):
                if x not in ids:
                    raise InputError(f"event: constraints.{name} names unknown attendee {x!r}")
    check_fixed(event, attendees)


def check_fixed(event: Event, attendees: list[Attendee]) -> None:
    """Fixed meetings must keep every rule: known ids, the slot's kind and the room's seats,
    nobody or nothing booked twice, people free then and within their caps, no pair kept
    apart or meeting twice."""
    people = {a.id: a for a in attendees}
    slots = {s.id: s for s in event.slots}
    seats = {loc.id: loc.capacity for loc in event.locations}
    smallest, largest = event.group_size
    forbidden = event.constraints.forbidden_pairs()
    booked: dict[tuple[str, str], int] = {}
    one_to_ones: dict[str, int] = {}
    pairs: dict[frozenset, int] = {}
    for n, meeting in enumerate(event.constraints.fixed):
        at = f"event: constraints.fixed[{n}]"
        slot = slots.get(meeting.slot)
        if slot is None:
            raise InputError(f"{at}: unknown slot {meeting.slot!r}")
        if meeting.location not in seats:
            raise InputError(f"{at}: unknown location {meeting.location!r}")
        members = meeting.attendees
        for person in members:
            if person not in people:
                raise InputError(f"{at}: unknown attendee {person!r}")
        if len(set(members)) != len(members):
            raise InputError(f"{at}: lists an attendee twice")
        if len(members) > seats[meeting.location]:
            raise InputError(
                f"{at}: {len(members)} people at {meeting.location} "
                f"(seats {seats[meeting.location]})"
            )
        one_to_one = slot.format == MeetingKind.ONE_TO_ONE
        if one_to_one and len(members) != 2:
            raise InputError(f"{at}: a one-to-one slot holds 2 people, not {len(members)}")
        if not one_to_one and not smallest <= len(members) <= largest:
            raise InputError(f"{at}: a group of {len(members)} (allowed {smallest}-{largest})")
        for key in [(meeting.slot, "@" + meeting.location)] + [(meeting.slot, p) for p in members]:
            if key in booked:
                what = key[1][1:] if key[1].startswith("@") else key[1]
                raise InputError(
                    f"{at}: {what} is double-booked in slot {meeting.slot} "
                    f"(constraints.fixed[{booked[key]}])"
                )
            booked[key] = n
        for person in members:
            attendee = people[person]
            if not attendee.is_available(meeting.slot):
                raise InputError(f"{at}: {person} is not available in slot {meeting.slot}")
            if not (attendee.wants_one_to_one() if one_to_one else attendee.wants_group()):
                raise InputError(f"{at}: {person} did not ask for {slot.format} meetings")
        if one_to_one:
            pair = frozenset(members)
            if pair in forbidden:
                raise InputError(f"{at}: {members[0]} and {members[1]} must not meet")
            if pair in pairs:
                raise InputError(f"{at}: the pair meets already (constraints.fixed[{pairs[pair]}])")
            pairs[pair] = n
            for person in members:
                one_to_ones[person] = one_to_ones.get(person, 0) + 1
                if one_to_ones[person] > event.cap_of(people[person]):
                    raise InputError(
                        f"{at}: {person} would have more than "
                        f"{event.cap_of(people[person])} one-to-one meetings"
                    )
        else:
            apart = {frozenset(p) for p in event.constraints.apart}
            for k, x in enumerate(members):
                for y in members[k + 1 :]:
                    if frozenset((x, y)) in apart:
                        raise InputError(f"{at}: {x} and {y} must be kept apart")
