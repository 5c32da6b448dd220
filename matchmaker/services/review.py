"""What an organiser reviews before publishing: the score against the proven bound, meetings
per attendee, who has none and why, seats used per slot, and the grid of slots by locations."""

import statistics
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matchmaker.models import Event, Location, MatchRun, Meeting, Profile, Slot
from matchmaker.services import matching
from matchmaker.services.errors import Invalid
from matchmaker.services.timetable import natural_key
from matchmaker.vocabulary import MeetingKind, PairRule, RunStatus


@dataclass(frozen=True)
class Lonely:
    profile: Profile
    why: str


@dataclass(frozen=True)
class SlotUse:
    slot: Slot
    meetings: int
    seats_used: int
    seats: int


@dataclass(frozen=True)
class RunReview:
    run: MatchRun
    meetings: list[Meeting]
    bound_ratio: float | None
    per_attendee: dict[str, float]
    histogram: list[tuple[int, int]]  # (meetings, attendees with that many)
    lonely: list[Lonely]
    slot_use: list[SlotUse]
    locations: list[Location]
    grid: dict[tuple[int, int], Meeting]
    by_slot: list[tuple[Slot, list[Meeting]]]  # in time order


def _why_lonely(
    profile: Profile, event: Event, blocked: set[int], others: int, full: set[int]
) -> str:
    """Why an attendee got no meeting, in the organiser's terms."""
    kinds = {s.format for s in event.slots}
    free = {s.id for s in profile.available_slots}
    if not free:
        return "marked no free slots"
    if profile.format == "group" and "group" not in kinds:
        return "wants small groups only, and the event has no group slots"
    if profile.format == "one_to_one" and "one_to_one" not in kinds:
        return "wants one-to-one meetings only, and the event has no one-to-one slots"
    if others and len(blocked) >= others:
        return "every possible partner is forbidden or already met"
    if free <= full:
        return "every table or room was taken in the slots they are free"
    return "no partner was free in the same slots with a seat left"


def _seats(event: Event, slot: Slot) -> int:
    """Seats the engine can fill in a slot: tables of two (or every location, if there are
    none) for one-to-ones; rooms that hold a smallest group, up to the largest, for groups."""
    if slot.format == MeetingKind.ONE_TO_ONE:
        tables = [loc for loc in event.locations if loc.capacity == 2]
        return 2 * len(tables or event.locations)
    return sum(
        min(loc.capacity, event.group_size_max)
        for loc in event.locations
        if loc.capacity >= event.group_size_min
    )


def review_run(session: Session, *, event_id: int, run_id: int, actor_id: int) -> RunReview:
    """Everything the review page of a finished run shows, in a handful of queries."""
    run = matching.get_run(session, event_id=event_id, run_id=run_id, actor_id=actor_id)
    event = run.event
    meetings = matching.run_meetings(session, run_id=run.id) if run.is_done else []
    profiles = matching.matched_profiles(session, event_id=event.id) if run.is_done else []
    count = Counter(seat.profile_id for m in meetings for seat in m.seats)
    values = [count[p.id] for p in profiles] or [0]
    blocked: dict[int, set[int]] = {}
    for rule in (PairRule.APART, PairRule.MET_BEFORE):
        for a, b in run.rules.get(rule, []):
            blocked.setdefault(a, set()).add(b)
            blocked.setdefault(b, set()).add(a)
    locations = sorted(event.locations, key=lambda loc: natural_key(loc.name))
    used = Counter(m.slot_id for m in meetings)
    seated = Counter()
    for m in meetings:
        seated[m.slot_id] += len(m.seats)
    seats = {slot.id: _seats(event, slot) for slot in event.slots}
    smallest = {"one_to_one": 2, "group": event.group_size_min}
    full = {s.id for s in event.slots if seats[s.id] - seated[s.id] < smallest[s.format]}
    lonely = [
        Lonely(p, _why_lonely(p, event, blocked.get(p.id, set()), len(profiles) - 1, full))
        for p in profiles
        if count[p.id] == 0
    ]
    metrics = run.metrics or {}
    bound = metrics.get("upper_bound") or 0
    return RunReview(
        run=run,
        meetings=meetings,
        bound_ratio=(metrics.get("score_total", 0) / bound) if bound else None,
        per_attendee={
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
        },
        histogram=sorted(Counter(values).items()),
        lonely=lonely,
        slot_use=[SlotUse(s, used[s.id], seated[s.id], seats[s.id]) for s in event.slots],
        locations=locations,
        grid={(m.slot_id, m.location_id): m for m in meetings},
        by_slot=[
            (slot, [m for m in meetings if m.slot_id == slot.id])
            for slot in event.slots
            if used[slot.id]
        ],
    )


def is_reviewable(run: MatchRun) -> bool:
    return run.status == RunStatus.DONE


@dataclass(frozen=True)
class Comparison:
    first: MatchRun
    second: MatchRun
    only_first: list[Meeting]
    only_second: list[Meeting]
    same: int


def _meeting_key(meeting: Meeting) -> tuple:
    return (meeting.slot_id, meeting.location_id, frozenset(s.profile_id for s in meeting.seats))


def compare_runs(
    session: Session, *, event_id: int, actor_id: int, first_id: int, second_id: int
) -> Comparison:
    """Two finished runs side by side: their figures, and the meetings one has and the other
    has not."""
    runs = [
        matching.get_run(session, event_id=event_id, run_id=run_id, actor_id=actor_id)
        for run_id in (first_id, second_id)
    ]
    for run in runs:
        if not run.is_done:
            raise Invalid.field("second", f"Run {run.id} is {run.status}: compare finished runs.")
    first, second = (matching.run_meetings(session, run_id=run.id) for run in runs)
    first_keys, second_keys = {_meeting_key(m) for m in first}, {_meeting_key(m) for m in second}
    return Comparison(
        first=runs[0],
        second=runs[1],
        only_first=[m for m in first if _meeting_key(m) not in second_keys],
        only_second=[m for m in second if _meeting_key(m) not in first_keys],
        same=len(first_keys & second_keys),
    )
