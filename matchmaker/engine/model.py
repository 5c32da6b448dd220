"""The engine's plain data: attendees, the event, meetings and plans (frozen dataclasses)."""

from dataclasses import dataclass, field
from datetime import datetime

from matchmaker.vocabulary import ATTENDEE_FORMATS, INTENTS, SLOT_FORMATS

__all__ = ["ATTENDEE_FORMATS", "INTENTS", "SLOT_FORMATS"]


@dataclass(frozen=True)
class Attendee:
    """One attendee's profile; `available` None means every slot."""

    id: str
    name: str = ""
    company: str = ""
    headline: str = ""
    bio: str = ""
    interests: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    looking_for: str = ""
    can_help: str = ""
    format: str = "any"
    available: frozenset[str] | None = None
    max_meetings: int | None = None
    first_time: bool = False

    @property
    def label(self) -> str:
        return self.name or self.id

    def wants_one_to_one(self) -> bool:
        return self.format in ("one_to_one", "any")

    def wants_group(self) -> bool:
        return self.format in ("group", "any")

    def is_available(self, slot_id: str) -> bool:
        return self.available is None or slot_id in self.available


@dataclass(frozen=True)
class Slot:
    """A time slot; `start` and `end` are aware datetimes, compared as instants."""

    id: str
    start: datetime
    end: datetime
    format: str


@dataclass(frozen=True)
class Location:
    id: str
    capacity: int


@dataclass(frozen=True)
class Constraints:
    together: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    met_before: tuple[tuple[str, str], ...] = ()

    def forbidden_pairs(self) -> frozenset[frozenset[str]]:
        """Pairs that must never meet one-to-one."""
        return frozenset(frozenset(p) for p in self.apart + self.met_before)


@dataclass(frozen=True)
class Event:
    slots: tuple[Slot, ...]
    locations: tuple[Location, ...]
    max_meetings: int = 6
    group_size: tuple[int, int] = (3, 6)
    seed: int = 0
    constraints: Constraints = field(default_factory=Constraints)

    def slot_ids(self, fmt: str) -> list[str]:
        return [s.id for s in self.slots if s.format == fmt]

    def cap_of(self, attendee: Attendee) -> int:
        return self.max_meetings if attendee.max_meetings is None else attendee.max_meetings


@dataclass(frozen=True)
class Meeting:
    slot: str
    location: str
    attendees: tuple[str, ...]
    kind: str
    score: float
    topic: str = ""
    reasons: tuple[str, ...] = ()
    starters: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "slot": self.slot,
            "location": self.location,
            "attendees": list(self.attendees),
            "kind": self.kind,
            "score": round(self.score, 6),
            "topic": self.topic,
            "reasons": list(self.reasons),
            "starters": list(self.starters),
        }


@dataclass(frozen=True)
class Plan:
    meetings: tuple[Meeting, ...]
    metrics: dict

    def to_dict(self) -> dict:
        return {"meetings": [m.to_dict() for m in self.meetings], "metrics": self.metrics}
