"""An event's time slots and locations (tables and rooms)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from matchmaker.models import Event, Location, Slot
from matchmaker.services.core.access import load_for_event
from matchmaker.services.errors import Invalid
from matchmaker.text import natural_key
from matchmaker.vocabulary import SLOT_FORMATS

MAX_GENERATED_SLOTS = 200


@dataclass(frozen=True)
class SlotSeries:
    """Back-to-back slots on one day: `length` minutes each, `pause` minutes between."""

    day: date
    start: time
    end: time
    length: int
    pause: int
    format: str


def _fmt(moment: datetime) -> str:
    return moment.strftime("%a %d %b %H:%M")


def _check_slot(event: Event, starts_at: datetime, ends_at: datetime, fmt: str, skip_id=None):
    errors: dict[str, list[str]] = {}
    if fmt not in SLOT_FORMATS:
        errors["format"] = ["Choose one-to-one or small group."]
    if ends_at <= starts_at:
        errors["end"] = ["The slot must end after it starts."]
    if not event.starts_on <= starts_at.date() <= event.ends_on:
        errors["day"] = [
            f"The event runs from {event.starts_on:%d %b %Y} to {event.ends_on:%d %b %Y}."
        ]
    if not errors:
        for other in event.slots:
            if other.id != skip_id and other.starts_at < ends_at and starts_at < other.ends_at:
                errors["start"] = [
                    f"Overlaps the slot {_fmt(other.starts_at)}-{other.ends_at:%H:%M}."
                ]
                break
    if errors:
        raise Invalid(errors)


def _load_slot(session: Session, *, event: Event, slot_id: int) -> Slot:
    missing = "There is no such slot at this event."
    return load_for_event(session, Slot, slot_id, event_id=event.id, missing=missing)


def add_slot(
    session: Session,
    *,
    event: Event,
    starts_at: datetime,
    ends_at: datetime,
    format: str,
    label: str = "",
) -> Slot:
    """Add one time slot (event-local times)."""
    _check_slot(event, starts_at, ends_at, format)
    slot = Slot(starts_at=starts_at, ends_at=ends_at, format=format, label=label.strip())
    event.slots.append(slot)
    session.flush()
    return slot


def series_times(series: SlotSeries) -> list[tuple[datetime, datetime]]:
    """The (start, end) of each slot that fits in the series."""
    if series.length < 5:
        raise Invalid.field("length", "A meeting lasts at least 5 minutes.")
    if series.length > 24 * 60:
        raise Invalid.field("length", "A meeting lasts at most a day (1,440 minutes).")
    if series.pause < 0:
        raise Invalid.field("pause", "The break cannot be negative.")
    if series.pause > 24 * 60:
        raise Invalid.field("pause", "A break lasts at most a day (1,440 minutes).")
    start = datetime.combine(series.day, series.start)
    end = datetime.combine(series.day, series.end)
    if end <= start:
        raise Invalid.field("end", "The last slot must end after the first starts.")
    times = []
    length, step = timedelta(minutes=series.length), timedelta(minutes=series.length + series.pause)
    # The last day of year 9999 has no "next slot": stop before leaving the calendar.
    while end - start >= length:
        times.append((start, start + length))
        if datetime.max - start < step:
            break
        start += step
    if not times:
        raise Invalid.field("end", f"Not even one {series.length}-minute meeting fits.")
    if len(times) > MAX_GENERATED_SLOTS:
        raise Invalid.field("length", f"That makes more than {MAX_GENERATED_SLOTS} slots.")
    return times


def generate_slots(session: Session, *, event: Event, series: SlotSeries) -> list[Slot]:
    """Add a series of back-to-back slots on one day; all or none."""
    slots = []
    for starts_at, ends_at in series_times(series):
        _check_slot(event, starts_at, ends_at, series.format)
        slot = Slot(starts_at=starts_at, ends_at=ends_at, format=series.format)
        event.slots.append(slot)
        slots.append(slot)
    session.flush()
    return slots


def update_slot(
    session: Session,
    *,
    event: Event,
    slot_id: int,
    starts_at: datetime,
    ends_at: datetime,
    format: str,
    label: str = "",
) -> Slot:
    """Change a slot's times, format or label."""
    slot = _load_slot(session, event=event, slot_id=slot_id)
    _check_slot(slot.event, starts_at, ends_at, format, skip_id=slot.id)
    slot.starts_at, slot.ends_at, slot.format, slot.label = (
        starts_at,
        ends_at,
        format,
        label,
    )
    session.flush()
    return slot


def delete_slot(session: Session, *, event: Event, slot_id: int) -> None:
    """Delete a slot; attendees' availability for it goes with it."""
    slot = _load_slot(session, event=event, slot_id=slot_id)
    session.delete(slot)
    session.flush()


def check_slot_change(
    event: Event, slot: Slot, starts_at: datetime, ends_at: datetime, format: str
) -> None:
    """Invalid if the slot could not be changed so (before anyone is asked to confirm)."""
    _check_slot(event, starts_at, ends_at, format, skip_id=slot.id)


def check_location_change(event: Event, location: Location, name: str, capacity: int) -> None:
    """Invalid if the location could not be changed so (before anyone is asked to confirm)."""
    _check_location(event, name, capacity, skip_id=location.id)


def get_slot(session: Session, *, event: Event, slot_id: int) -> Slot:
    """A slot of an event the actor organises."""
    return _load_slot(session, event=event, slot_id=slot_id)


def _check_location(event: Event, name: str, capacity: int, skip_id=None):
    errors: dict[str, list[str]] = {}
    if capacity < 2:
        errors["capacity"] = ["A location seats at least 2 people."]
    wanted = name.strip().lower()
    if any(loc.name.lower() == wanted and loc.id != skip_id for loc in event.locations):
        errors["name"] = [f"There is already a location called {name.strip()!r}."]
    if errors:
        raise Invalid(errors)


def _load_location(session: Session, *, event: Event, location_id: int):
    missing = "There is no such location at this event."
    return load_for_event(session, Location, location_id, event_id=event.id, missing=missing)


def add_locations(
    session: Session,
    *,
    event: Event,
    name: str,
    capacity: int,
    count: int = 1,
) -> list[Location]:
    """Add one location, or `count` numbered ones ("Table 1", "Table 2", ...)."""
    if not 1 <= count <= 500:
        raise Invalid.field("count", "Add between 1 and 500 locations at a time.")
    base = name.strip()
    names = [base]
    if count > 1:
        # Continue the numbering after locations already called "<name> <n>".
        taken = {loc.name.lower() for loc in event.locations}
        start = 1
        while f"{base} {start}".lower() in taken:
            start += 1
        names = [f"{base} {i}" for i in range(start, start + count)]
    locations = []
    for location_name in names:
        _check_location(event, location_name, capacity)
        location = Location(name=location_name, capacity=capacity)
        event.locations.append(location)
        locations.append(location)
    session.flush()
    return locations


def update_location(
    session: Session,
    *,
    event: Event,
    location_id: int,
    name: str,
    capacity: int,
) -> Location:
    """Rename a location or change its capacity."""
    location = _load_location(session, event=event, location_id=location_id)
    _check_location(location.event, name, capacity, skip_id=location.id)
    location.name, location.capacity = name.strip(), capacity
    session.flush()
    return location


def delete_location(session: Session, *, event: Event, location_id: int) -> None:
    """Delete a location."""
    location = _load_location(session, event=event, location_id=location_id)
    session.delete(location)
    session.flush()


def get_location(session: Session, *, event: Event, location_id: int) -> Location:
    """A location of an event the actor organises."""
    return _load_location(session, event=event, location_id=location_id)


def find_numbered_location(
    session: Session, *, event: Event, stem: str, number: int | None
) -> Location:
    """The location numbered `number` among those named `stem` ("Table" 17 finds "Table 17"),
    of an event the actor organises; Invalid on the field `number` when there is none."""
    numbered = {}
    for location in event.locations:
        found_stem, found_number = _numbered(location.name)
        if found_stem == stem and found_number is not None:
            numbered[found_number] = location
    if number in numbered:
        return numbered[number]
    known = f" from {min(numbered)} to {max(numbered)}" if numbered else ""
    if number is None:
        raise Invalid.field("number", f"Give the number of one of the {_plural(stem)}{known}.")
    raise Invalid.field("number", f"There is no {stem} {number}: give a number{known}.")


@dataclass(frozen=True)
class SlotLine:
    """A slot as overviews list it: a plain copy, for figures kept between requests."""

    id: int
    starts_at: datetime
    ends_at: datetime
    format: str
    label: str

    @classmethod
    def of(cls, slot: Slot) -> "SlotLine":
        return cls(slot.id, slot.starts_at, slot.ends_at, slot.format, slot.label)


@dataclass(frozen=True)
class LocationRun:
    """Locations listed together: "Tables 1-40, 2 seats", or a single one."""

    label: str
    capacity: int
    locations: list[Location]

    @property
    def numbered(self) -> tuple[str, int, int] | None:
        """("Table", 1, 40) for "Tables 1-40"; None for a single location."""
        if len(self.locations) < 2:
            return None
        stem, first = _numbered(self.locations[0].name)
        return stem, first, _numbered(self.locations[-1].name)[1]


def location_runs(locations: list[Location]) -> list[LocationRun]:
    """Locations in natural order (Table 2 before Table 10), numbered runs of the same name
    and seats folded into one line."""
    runs: list[LocationRun] = []
    ordered = sorted(locations, key=lambda loc: natural_key(loc.name))
    for loc in ordered:
        stem, number = _numbered(loc.name)
        last = runs[-1] if runs else None
        if last and number is not None and last.locations[-1].capacity == loc.capacity:
            prev_stem, prev_number = _numbered(last.locations[-1].name)
            if prev_stem == stem and prev_number == number - 1:
                last.locations.append(loc)
                continue
        runs.append(LocationRun(loc.name, loc.capacity, [loc]))
    folded: list[LocationRun] = []
    for run in runs:
        if len(run.locations) > 2:
            stem, first = _numbered(run.locations[0].name)
            last = _numbered(run.locations[-1].name)[1]
            folded.append(
                LocationRun(f"{_plural(stem)} {first}-{last}", run.capacity, run.locations)
            )
        else:
            folded.extend(LocationRun(loc.name, loc.capacity, [loc]) for loc in run.locations)
    return folded


def _numbered(name: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"(.*?)\s*(\d+)", name)
    return (match.group(1), int(match.group(2))) if match else (name, None)


def _plural(stem: str) -> str:
    return stem if stem.endswith("s") else stem + "s"
