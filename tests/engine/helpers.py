"""Small events and attendees for engine tests."""

from datetime import datetime

from matchmaker.engine.model import Attendee, Constraints, Event, Location, Slot


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


TOPICS = {
    "py": "python asyncio coroutines event loop networking",
    "ml": "machine learning neural networks training models gpu",
    "web": "django web frameworks templates html css frontend",
    "db": "postgres databases indexes queries transactions sql",
    "ops": "kubernetes containers deployment monitoring cloud",
}


def person(ident: str, topic: str = "py", **fields) -> Attendee:
    fields.setdefault("bio", f"I work on {TOPICS[topic]}. {ident} loves {topic} talks.")
    fields.setdefault("interests", (topic,))
    return Attendee(id=ident, name=fields.pop("name", ident.upper()), **fields)


def event(
    one_to_one: int = 2,
    group: int = 0,
    tables: int = 10,
    rooms: int = 0,
    room_size: int = 6,
    max_meetings: int = 3,
    group_size=(3, 6),
    seed: int = 0,
    **constraints,
) -> Event:
    slots = [
        Slot(
            f"s{k}",
            _at(f"2030-01-01T{9 + k:02d}:00:00+00:00"),
            _at(f"2030-01-01T{9 + k:02d}:20:00+00:00"),
            "one_to_one",
        )
        for k in range(one_to_one)
    ] + [
        Slot(
            f"g{k}",
            _at(f"2030-01-02T{12 + k:02d}:00:00+00:00"),
            _at(f"2030-01-02T{12 + k:02d}:45:00+00:00"),
            "group",
        )
        for k in range(group)
    ]
    locations = [Location(f"T{k:02d}", 2) for k in range(tables)] + [
        Location(f"R{k:02d}", room_size) for k in range(rooms)
    ]
    return Event(
        slots=tuple(slots),
        locations=tuple(locations),
        max_meetings=max_meetings,
        group_size=tuple(group_size),
        seed=seed,
        constraints=Constraints(**{k: tuple(tuple(p) for p in v) for k, v in constraints.items()}),
    )


def one_to_one_pairs(plan) -> set[frozenset]:
    return {frozenset(m.attendees) for m in plan.meetings if m.kind == "one_to_one"}


def meetings_of(plan, ident: str) -> list:
    return [m for m in plan.meetings if ident in m.attendees]
