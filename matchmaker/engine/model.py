"""The engine's plain data: attendees, the event, meetings and plans (frozen dataclasses)."""

from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np

from matchmaker.vocabulary import ATTENDEE_FORMATS, INTENTS, SLOT_FORMATS, AttendeeFormat

__all__ = ["ATTENDEE_FORMATS", "INTENTS", "SLOT_FORMATS"]


# Two people by their positions in the engine's sorted attendee list, the smaller first: the
# one way a pair is written, so that (a, b) and (b, a) are the same key.
Pair = tuple[int, int]


def pair_key(a: int, b: int) -> Pair:
    """The key of the pair of people a and b, whatever their order."""
    return (a, b) if a < b else (b, a)


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
    format: str = AttendeeFormat.ANY
    available: frozenset[str] | None = None
    max_meetings: int | None = None
    first_time: bool = False
    # The profile's sentence embedding (unit float32, see engine.embedder), when computed:
    # it feeds the semantic channel; not part of the attendee's identity.
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    # The embeddings of `looking_for` and `can_help` as rows of one [2, dimensions] array
    # (a zero row for an empty text), computed with `vector`: "looking for" meets "can help
    # with" by meaning when every attendee with either text has them.
    free_vectors: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.name or self.id

    def wants_one_to_one(self) -> bool:
        return self.format in (AttendeeFormat.ONE_TO_ONE, AttendeeFormat.ANY)

    def wants_group(self) -> bool:
        return self.format in (AttendeeFormat.GROUP, AttendeeFormat.ANY)

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
class Placement:
    """Where and with whom a meeting takes place: a fixed meeting, or one of a plan people
    have already seen."""

    slot: str
    location: str
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class Constraints:
    together: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    met_before: tuple[tuple[str, str], ...] = ()
    # Meetings the plan contains exactly as given (accepted, confirmed, begun or pinned).
    fixed: tuple[Placement, ...] = ()

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
    # Tables a plan leaves free in every one-to-one slot (the last by their numbers): room for
    # requests to meet, late joiners and the day itself. Refills and requests may use them.
    tables_kept_free: int = 0
    # One-to-ones a plan leaves under each attendee's cap, for requests to meet.
    meetings_kept_free: int = 0

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
class PlanMetrics:
    """What a plan achieves: its score against the proven bound, who meets how often, groups
    and repeats. The same inputs give equal metrics (the time taken is kept apart)."""

    score_total: float = 0.0
    upper_bound: float = 0.0
    upper_bound_candidates: float = 0.0
    score_ratio: float = 1.0
    attendees: int = 0
    attendees_with_meeting: int = 0
    attendees_without_meeting: tuple[str, ...] = ()
    # {"min", "median", "max"}; and for those who want one-to-ones, also "attendees", "with_none"
    meetings_per_attendee: dict = field(default_factory=dict)
    one_to_one_per_wanting_attendee: dict = field(default_factory=dict)
    one_to_one_meetings: int = 0
    group_meetings: int = 0
    attendees_in_groups: int = 0
    repeated_pairs: int = 0
    group_similarity_mean: float = 0.0
    together_unplaced: tuple[tuple[str, str], ...] = ()
    # The objective optimised: the one-to-ones' scores, the fairness bonuses (a person's
    # first and second one-to-one are worth more than their later ones) and, in a re-plan,
    # a bonus for each pair of the previous plan that still meets. `upper_bound` bounds it.
    objective: float = 0.0
    fairness: float = 0.0
    # How many people (of those who want one-to-ones) get 0, 1, 2, ... of them.
    one_to_one_distribution: dict = field(default_factory=dict)
    # Of those free in 4 or more one-to-one slots with room for 2 or more: how many, and how
    # many of them get at most one.
    free_for_four: int = 0
    free_for_four_with_at_most_one: int = 0
    one_to_one_gini: float = 0.0
    fixed: int = 0
    # Against `--previous` (all 0 without it): meetings kept as they were, moved (the same
    # people elsewhere or at another time), dropped, added, and the people whose schedule
    # changed.
    kept: int = 0
    moved: int = 0
    dropped: int = 0
    added: int = 0
    people_changed: int = 0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["attendees_without_meeting"] = list(self.attendees_without_meeting)
        data["together_unplaced"] = [list(pair) for pair in self.together_unplaced]
        return data


@dataclass(frozen=True)
class Plan:
    meetings: tuple[Meeting, ...]
    metrics: PlanMetrics = field(default_factory=PlanMetrics)
    seconds: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict:
        """The plan as PLAN.json holds it (the metrics with the seconds it took)."""
        metrics = {**self.metrics.to_dict(), "seconds": round(self.seconds, 3)}
        return {"meetings": [m.to_dict() for m in self.meetings], "metrics": metrics}
