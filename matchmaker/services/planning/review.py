"""What an organiser reviews before publishing: the score against the proven bound, meetings
per attendee, who has none and why, seats used per slot, and the grid of slots by locations."""

import dataclasses
import statistics
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.catalogue import N_
from matchmaker.models import (
    Event,
    Location,
    MatchRun,
    Meeting,
    MeetingSeat,
    Profile,
    Slot,
    profile_slots,
)
from matchmaker.services.core import revisions
from matchmaker.services.errors import Invalid
from matchmaker.services.planning import matching, publishing
from matchmaker.services.setup.timetable import SlotLine
from matchmaker.text import natural_key
from matchmaker.vocabulary import KEPT_APART, AttendeeFormat, MeetingKind, PairRule


@dataclass(frozen=True)
class Person:
    """Who the review names: a plain copy, for figures kept between requests."""

    id: int
    name: str


@dataclass(frozen=True)
class Lonely:
    profile: Person
    why: str


@dataclass(frozen=True)
class SlotUse:
    slot: SlotLine
    meetings: int
    seats_used: int
    seats: int


@dataclass(frozen=True)
class Sharing:
    """How evenly one-to-ones are shared: how many people have 0, 1, 2, ... of them (of
    those who want them), and how many have at most one while a table was free in a
    one-to-one slot they are free in (what a high score against the bound must not hide)."""

    distribution: list[tuple[int, int]]
    few_with_room: int
    wanting: int


@dataclass(frozen=True)
class RunFigures:
    """The review's aggregates over the whole plan, kept until the event changes."""

    per_attendee: dict[str, float]
    histogram: list[tuple[int, int]]
    lonely: list[Lonely]
    lonely_total: int
    slot_use: list[SlotUse]
    meetings: int  # not cancelled
    sharing: Sharing


# The review names this many of the people without a meeting (the attendees page has all).
LONELY_SHOWN = 100


@dataclass(frozen=True)
class RunReview:
    run: MatchRun
    meetings: list[Meeting]
    bound_ratio: float | None
    per_attendee: dict[str, float]
    histogram: list[tuple[int, int]]  # (meetings, attendees with that many)
    lonely: list[Lonely]  # the first LONELY_SHOWN by name
    lonely_total: int
    slot_use: list[SlotUse]
    locations: list[Location]
    grid: dict[tuple[int, int], Meeting]
    by_slot: list[tuple[Slot, list[Meeting]]]  # in time order
    everything: bool  # every meeting is shown (else one slot's, or none)
    sharing: Sharing | None = None


def _why_lonely(
    profile: Profile, event: Event, blocked: set[int], others: int, full: set[int]
) -> str:
    """Why an attendee got no meeting, in the organiser's terms."""
    kinds = {s.format for s in event.slots}
    free = {s.id for s in profile.available_slots}
    if not free:
        return N_("Marked no free slots")
    if profile.format == AttendeeFormat.GROUP and MeetingKind.GROUP not in kinds:
        return N_("Wants small groups only, and the event has no group slots")
    if profile.format == AttendeeFormat.ONE_TO_ONE and MeetingKind.ONE_TO_ONE not in kinds:
        return N_("Wants one-to-one meetings only, and the event has no one-to-one slots")
    if others and len(blocked) >= others:
        return N_("Every possible partner is forbidden or already met")
    if free <= full:
        return N_("Every table or room was taken in the slots they are free")
    return N_("No partner was free in the same slots with a seat left")


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


# Up to this many meetings the review lists them all (and their grid); above, one slot at a time.
INLINE_MEETINGS = 150


def _seat_counts(session: Session, run_id: int) -> tuple[Counter, Counter, Counter]:
    """Meetings per attendee, and meetings and seats used per slot, counted in SQL."""
    per_person = Counter(
        dict(
            session.execute(
                sa.select(MeetingSeat.profile_id, sa.func.count())
                .join(Meeting)
                .where(Meeting.run_id == run_id, Meeting.cancelled_at.is_(None))
                .group_by(MeetingSeat.profile_id)
            ).all()
        )
    )
    meetings, seated = Counter(), Counter()
    for slot_id, n_meetings, n_seats in session.execute(
        sa.select(
            Meeting.slot_id,
            sa.func.count(sa.distinct(Meeting.id)),
            sa.func.count(MeetingSeat.profile_id),
        )
        .join(MeetingSeat)
        .where(Meeting.run_id == run_id, Meeting.cancelled_at.is_(None))
        .group_by(Meeting.slot_id)
    ):
        meetings[slot_id], seated[slot_id] = n_meetings, n_seats
    return per_person, meetings, seated


def _run_figures(session: Session, run: MatchRun) -> RunFigures:
    """Meetings per attendee, who has none and why, and seats used per slot."""
    event = run.event
    per_person, used, seated = _seat_counts(session, run.id)
    matched = session.scalars(
        sa.select(Profile.id).where(Profile.event_id == event.id, Profile.can_be_matched())
    ).all()
    values = [per_person[pid] for pid in matched] or [0]
    blocked: dict[int, set[int]] = {}
    for rule in (*KEPT_APART, PairRule.MET_BEFORE):
        for a, b in run.rules.get(rule, []):
            blocked.setdefault(a, set()).add(b)
            blocked.setdefault(b, set()).add(a)
    seats = {slot.id: _seats(event, slot) for slot in event.slots}
    smallest = {MeetingKind.ONE_TO_ONE: 2, MeetingKind.GROUP: event.group_size_min}
    full = {s.id for s in event.slots if seats[s.id] - seated[s.id] < smallest[s.format]}
    seated_here = (
        sa.select(MeetingSeat.profile_id)
        .join(Meeting)
        .where(Meeting.run_id == run.id, Meeting.cancelled_at.is_(None))
    )
    lonely_profiles = session.scalars(
        sa.select(Profile)
        .where(
            Profile.event_id == event.id,
            Profile.can_be_matched(),
            Profile.id.not_in(seated_here),
        )
        .options(selectinload(Profile.available_slots))
        .order_by(sa.func.lower(Profile.name), Profile.id)
        .limit(LONELY_SHOWN)
    ).all()
    return RunFigures(
        per_attendee={
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
        },
        histogram=sorted(Counter(values).items()),
        lonely=[
            Lonely(
                Person(p.id, p.name),
                _why_lonely(p, event, blocked.get(p.id, set()), len(matched) - 1, full),
            )
            for p in lonely_profiles
        ],
        lonely_total=sum(1 for pid in matched if not per_person[pid]),
        slot_use=[
            SlotUse(SlotLine.of(s), used[s.id], seated[s.id], seats[s.id]) for s in event.slots
        ],
        meetings=sum(used.values()),
        sharing=_sharing(session, run, full),
    )


def review_run(
    session: Session, *, event: Event, run_id: int, slot_id: int | None = None
) -> RunReview:
    """Everything the review page of a finished run shows: the aggregates once per change of
    the event (`revisions.remembered`), the meetings themselves for all slots on small plans,
    else for `slot_id` only."""
    run = matching.get_run(session, event=event, run_id=run_id)
    event = run.event
    if not run.is_done:
        return RunReview(run, [], None, {}, [], [], 0, [], [], {}, [], False, None)
    figures = revisions.remembered(event, ("review", run.id), lambda: _run_figures(session, run))
    everything = figures.meetings <= INLINE_MEETINGS
    shown = slot_id if not everything else None
    meetings = (
        matching.run_meetings(session, run_id=run.id, slot_id=shown)
        if everything or slot_id is not None
        else []
    )
    columns = {m.location_id for m in meetings}
    metrics = run.metrics or {}
    bound = metrics.get("upper_bound") or 0
    return RunReview(
        run=run,
        meetings=meetings,
        bound_ratio=(_objective(metrics) / bound) if bound else None,
        per_attendee=figures.per_attendee,
        histogram=figures.histogram,
        lonely=figures.lonely,
        lonely_total=figures.lonely_total,
        slot_use=figures.slot_use,
        locations=sorted(
            (loc for loc in event.locations if loc.id in columns),
            key=lambda loc: natural_key(loc.name),
        )
        if columns
        else [],
        grid={(m.slot_id, m.location_id): m for m in meetings},
        by_slot=[
            (slot, [m for m in meetings if m.slot_id == slot.id])
            for slot in (event.slots if meetings else [])
            if any(m.slot_id == slot.id for m in meetings)
        ],
        everything=everything,
        sharing=figures.sharing,
    )


def _objective(metrics: dict) -> float:
    """What the run optimised (scores and fairness bonuses); the score for runs planned
    before the engine reported it."""
    return metrics.get("objective", metrics.get("score_total", 0))


def _sharing(session: Session, run: MatchRun, full: set[int]) -> Sharing:
    """One-to-ones per person who wants them, and who has at most one beside a free table."""
    event = run.event
    ones: Counter[int] = Counter()
    busy: dict[int, set[int]] = {}
    for pid, slot_id, kind in session.execute(
        sa.select(MeetingSeat.profile_id, Meeting.slot_id, Meeting.kind)
        .join(Meeting)
        .where(Meeting.run_id == run.id, Meeting.cancelled_at.is_(None))
    ):
        busy.setdefault(pid, set()).add(slot_id)
        ones[pid] += kind == MeetingKind.ONE_TO_ONE
    wanting = session.execute(
        sa.select(Profile.id, Profile.meeting_cap(event.max_meetings)).where(
            Profile.event_id == event.id,
            Profile.can_be_matched(),
            Profile.format != AttendeeFormat.GROUP,
        )
    ).all()
    counts = [ones[pid] for pid, cap in wanting if cap > 0]
    open_slots = {
        s.id for s in event.slots if s.format == MeetingKind.ONE_TO_ONE and s.id not in full
    }
    few = [pid for pid, cap in wanting if cap >= 2 and ones[pid] <= 1]
    free: dict[int, set[int]] = {}
    if few and open_slots:
        for pid, slot_id in session.execute(
            sa.select(profile_slots.c.profile_id, profile_slots.c.slot_id).where(
                profile_slots.c.profile_id.in_(few), profile_slots.c.slot_id.in_(open_slots)
            )
        ):
            free.setdefault(pid, set()).add(slot_id)
    return Sharing(
        distribution=sorted(Counter(counts).items()),
        few_with_room=sum(1 for pid in few if free.get(pid, set()) - busy.get(pid, set())),
        wanting=len(counts),
    )


@dataclass(frozen=True)
class Comparison:
    first: MatchRun
    second: MatchRun
    only_first: list[Meeting]
    only_second: list[Meeting]
    same: int
    # Per attendee whose schedule differs: what the second run changes in the first.
    people: list = dataclasses.field(default_factory=list)


def _meeting_key(meeting: Meeting) -> tuple:
    return (meeting.slot_id, meeting.location_id, frozenset(s.profile_id for s in meeting.seats))


def compare_runs(session: Session, *, event: Event, first_id: int, second_id: int) -> Comparison:
    """Two finished runs side by side: their figures, and the meetings one has and the other
    has not."""
    runs = [
        matching.get_run(session, event=event, run_id=run_id) for run_id in (first_id, second_id)
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
        people=publishing.changes_between(session, _schedules(first), _schedules(second)),
    )


def _schedules(meetings: list[Meeting]) -> dict:
    found: dict = {}
    for m in meetings:
        for seat in m.seats:
            found.setdefault(seat.profile_id, set()).add(publishing.appointment(m, seat.profile_id))
    return found
