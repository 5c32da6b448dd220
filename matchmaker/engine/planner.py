"""Planning an event: candidates, one-to-one meetings against a proven bound, slots and
tables, small groups, reasons and starters."""

import dataclasses
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matchmaker.engine import explain
from matchmaker.engine.groups import form_groups
from matchmaker.engine.model import Attendee, Event, Meeting, Plan, PlanMetrics, pair_key
from matchmaker.engine.pairs import (
    CandidateGraph,
    price_pairs,
    round_relaxation,
    solve_integer,
    solve_relaxation,
)
from matchmaker.engine.schedule import (
    Timetable,
    cover_everyone,
    fill,
    schedule_pairs,
    trade_up,
)
from matchmaker.engine.similarity import ProfileModel
from matchmaker.vocabulary import MeetingKind

CANDIDATES = 20
PRICING_ROUNDS = 3
BOUND_GAP = 0.002
# Up to this many candidate pairs, meetings are chosen by an exact integer program.
EXACT_EDGES = 20_000

# Progress reports (phase, done, total): "reading", "candidates" (rows searched of all),
# "choosing", "pricing" (round of PRICING_ROUNDS), "scheduling", "groups".
Progress = Callable[[str, int, int], None]
PHASES = ("reading", "candidates", "choosing", "pricing", "scheduling", "groups")


def one_to_one_frame(event: Event, people: list[Attendee]):
    """One-to-one slots in time order; each attendee's available slots as a bit mask and cap
    (0 for those who want groups only); the tables (or, with none, every location)."""
    slots = sorted(
        (s for s in event.slots if s.format == MeetingKind.ONE_TO_ONE),
        key=lambda s: (s.start, s.id),
    )
    bit = {s.id: k for k, s in enumerate(slots)}
    every = (1 << len(slots)) - 1
    available = [
        every if a.available is None else sum(1 << bit[s] for s in a.available if s in bit)
        for a in people
    ]
    caps = np.array(
        [
            min(event.cap_of(a), bin(available[i]).count("1")) if a.wants_one_to_one() else 0
            for i, a in enumerate(people)
        ],
        dtype=np.int64,
    )
    tables = sorted(loc.id for loc in event.locations if loc.capacity == 2)
    return slots, available, caps, tables or sorted(loc.id for loc in event.locations)


def candidate_pairs(
    model: ProfileModel, top, eligible: np.ndarray, available: list[int]
) -> CandidateGraph:
    """Candidate pairs (a < b) that could meet: both eligible, a common slot; exact scores."""
    rows = np.repeat(top.members, top.index.shape[1])
    cols = top.members[top.index.ravel()]
    keep = eligible[rows] & eligible[cols] & np.isfinite(top.score.ravel())
    u, v = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    pairs = np.unique(u.astype(np.int64) * len(model.attendees) + v)
    u, v = pairs // len(model.attendees), pairs % len(model.attendees)
    common = np.array([available[a] & available[b] != 0 for a, b in zip(u, v, strict=True)], bool)
    u, v = u[common], v[common]
    return CandidateGraph(len(model.attendees), u, v, model.pair_scores(u, v))


@dataclass
class _Planning:
    """What every phase of planning one event reads: the people in id order, the model, the
    one-to-one frame (slots, availability masks, caps, tables) and the pairs that may not meet."""

    event: Event
    people: list[Attendee]
    model: ProfileModel
    slots: list
    available: list[int]
    caps: np.ndarray
    tables: list[str]
    excluded: dict[int, set[int]]
    say: Progress

    @property
    def index(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.people)}

    @property
    def eligible(self) -> np.ndarray:
        return self.caps > 0


def plan_event(event: Event, attendees: list[Attendee], progress: Progress | None = None) -> Plan:
    """A full plan, in named phases: forbidden pairs, candidates, pinned pairs, choose pairs,
    schedule one-to-ones, cover the lonely, groups."""
    started = time.perf_counter()
    say = progress or (lambda phase, done, total: None)
    people = sorted(attendees, key=lambda a: a.id)
    slots, available, caps, tables = one_to_one_frame(event, people)
    excluded = forbidden_pairs(event, people)
    say("reading", 0, len(people))
    plan = _Planning(
        event, people, ProfileModel(people), slots, available, caps, tables, excluded, say
    )
    neighbours, candidates = find_candidates(plan)
    table = Timetable(available=available, caps=caps.tolist(), tables=[len(tables)] * len(slots))
    together_unplaced = place_pinned_pairs(plan, table)
    picks, candidates, bound, candidate_bound = choose_pairs(plan, table, candidates)
    schedule_one_to_ones(plan, table, picks, candidates)
    cover_the_lonely(plan, table, neighbours)
    meetings = _one_to_one_meetings(plan.model, table, slots, tables)
    say("groups", 0, 1)
    meetings += seat_groups(plan, neighbours, set(table.met))
    metrics = _metrics(people, meetings, bound, candidate_bound, plan.eligible)
    unplaced = tuple((people[a].id, people[b].id) for a, b, _ in together_unplaced)
    return Plan(
        meetings=tuple(meetings),
        metrics=dataclasses.replace(metrics, together_unplaced=unplaced),
        seconds=time.perf_counter() - started,
    )


def forbidden_pairs(event: Event, people: list[Attendee]) -> dict[int, set[int]]:
    """Who may not meet whom one-to-one (kept apart, or met before), by position."""
    index = {a.id: i for i, a in enumerate(people)}
    excluded: dict[int, set[int]] = {}
    for pair in event.constraints.forbidden_pairs():
        a, b = sorted(index[x] for x in pair)
        excluded.setdefault(a, set()).add(b)
        excluded.setdefault(b, set()).add(a)
    return excluded


def find_candidates(plan: _Planning):
    """Each person's best CANDIDATES (their neighbours, best first) and the candidate pairs
    that could meet, with exact scores."""
    say = plan.say
    top = plan.model.top_k(
        CANDIDATES,
        excluded=plan.excluded,
        progress=lambda done, total: say("candidates", done, total) if done % 5120 == 0 else None,
    )
    neighbours: list[list[tuple[float, int]]] = [[] for _ in plan.people]
    for r, person in enumerate(top.members):
        for j, s in zip(top.index[r], top.score[r], strict=True):
            if np.isfinite(s):
                neighbours[person].append((float(s), int(top.members[j])))
    return neighbours, candidate_pairs(plan.model, top, plan.eligible, plan.available)


def place_pinned_pairs(plan: _Planning, table: Timetable) -> list[tuple[int, int, float]]:
    """Seat the pairs organisers said must meet, first, and keep them; return those that
    found no common free slot."""
    index, eligible = plan.index, plan.eligible
    forbidden = plan.event.constraints.forbidden_pairs()
    together = []
    for a_id, b_id in sorted({tuple(sorted(p)) for p in plan.event.constraints.together}):
        a, b = pair_key(index[a_id], index[b_id])
        if eligible[a] and eligible[b] and frozenset((a_id, b_id)) not in forbidden:
            score = float(plan.model.pair_scores(np.array([a]), np.array([b]))[0])
            together.append((a, b, score))
    unplaced = schedule_pairs(table, together)
    table.fixed = {(a, b) for a, b, _ in together} - {(a, b) for a, b, _ in unplaced}
    return unplaced


def choose_pairs(plan: _Planning, table: Timetable, candidates: CandidateGraph):
    """The pairs to meet: the LP over the candidates, priced against every pair for a proven
    bound, then the exact integer program (or LP rounding when the graph is large). Returns
    the picks, the candidates the pricing grew, the bound and the candidates' own bound."""
    plan.say("choosing", 0, len(candidates))
    caps_left = np.array([c - d for c, d in zip(plan.caps, table.degree, strict=True)])
    total = len(plan.tables) * len(plan.slots)
    graph, relaxation, bound = _relax(plan, candidates.positive(), total)
    room = max(total - sum(table.degree) // 2, 0)
    chosen = solve_integer(graph, caps_left, room) if len(graph) <= EXACT_EDGES else None
    if chosen is None:
        chosen = round_relaxation(graph, relaxation.x, caps_left, room)
    return graph.edges(chosen), graph, bound, relaxation.value


def schedule_one_to_ones(
    plan: _Planning, table: Timetable, picks, candidates: CandidateGraph
) -> None:
    """Put the picks into slots and tables (a pick with no slot takes the place of weaker
    meetings of the same people), then fill spare tables best-first."""
    plan.say("scheduling", 0, len(picks))
    unplaced = schedule_pairs(table, [p for p in picks if (p[0], p[1]) not in table.met])
    trade_up(table, unplaced)
    fill(table, candidates.edges(np.lexsort((candidates.v, candidates.u, -candidates.w))))


def cover_the_lonely(plan: _Planning, table: Timetable, neighbours) -> None:
    """A meeting for everyone who wants one and still has none: from their candidates, and
    then, for those whose candidates had no room, from everyone who shares a slot with them."""
    eligible, available = plan.eligible, plan.available
    usable = [
        sorted(
            ((s, j) for s, j in neighbours[a] if eligible[j] and available[a] & available[j]),
            reverse=True,
        )
        for a in range(len(plan.people))
    ]
    cover_everyone(table, usable)
    lonely = [a for a in range(len(plan.people)) if eligible[a] and table.degree[a] == 0]
    if lonely:
        wider = _wider_neighbours(plan.model, lonely, eligible, available, plan.excluded)
        for a, found in zip(lonely, wider, strict=True):
            usable[a] = found
        cover_everyone(table, usable)


def seat_groups(plan: _Planning, neighbours, met: set) -> list[Meeting]:
    """Small groups in the group slots, with nobody meeting the same person twice when
    another seating exists (`met`: the one-to-one pairs)."""
    index = plan.index
    apart = {pair_key(index[a], index[b]) for a, b in plan.event.constraints.apart}
    groups = form_groups(plan.people, plan.event, neighbours, met, apart)
    return _group_meetings(plan.model, groups)


def _wider_neighbours(model, lonely, eligible, available, excluded, k=4 * CANDIDATES):
    """For each lonely attendee, the k best of all eligible attendees sharing a slot."""
    members = np.flatnonzero(eligible)
    wide = max(available, default=0) >= 1 << 62
    masks = np.array([available[m] for m in members], dtype=object if wide else np.int64)
    side = model.columns(members)
    result = []
    for a in lonely:
        scores = model.block_scores(np.array([a]), side)[0].astype(np.float64)
        shares = ((masks & available[a]) != 0).astype(bool) & (members != a)
        shares &= ~np.isin(members, list(excluded.get(a, ())))
        order = [i for i in np.lexsort((members, -scores)) if shares[i]][:k]
        result.append([(float(scores[i]), int(members[i])) for i in order])
    return result


def _relax(plan: _Planning, graph: CandidateGraph, total: int):
    """Solve the LP on the candidates; price every pair; add the undervalued ones and solve
    again, until the proven bound is within BOUND_GAP of the LP (or PRICING_ROUNDS)."""
    members = np.flatnonzero(plan.eligible)
    bound = np.inf
    for round_ in range(1, PRICING_ROUNDS + 1):
        relaxation = solve_relaxation(graph, plan.caps, total)
        plan.say("pricing", round_ - 1, PRICING_ROUNDS)
        pricing = price_pairs(
            plan.model, members, plan.caps, total, relaxation.duals, plan.available,
            plan.excluded,
        )  # fmt: skip
        bound = min(bound, pricing.bound)
        known = set(graph.codes().tolist())
        fresh = [
            k
            for k, code in enumerate((pricing.u * graph.n + pricing.v).tolist())
            if code not in known and pricing.w[k] > 0
        ]
        if bound <= relaxation.value * (1 + BOUND_GAP) or not fresh or round_ == PRICING_ROUNDS:
            break
        graph = graph.with_edges(pricing.u[fresh], pricing.v[fresh], pricing.w[fresh])
    return graph, relaxation, max(bound, relaxation.value)


def _one_to_one_meetings(model, table: Timetable, slots, tables) -> list[Meeting]:
    meetings = []
    used = [0] * len(slots)
    placed = table.meetings()
    introductions = explain.introduce(model, [(a, b, w) for a, b, w, _ in placed])
    for (a, b, w, s), (topic, reasons, starters) in zip(placed, introductions, strict=True):
        meetings.append(
            Meeting(
                slot=slots[s].id,
                location=tables[used[s]],
                attendees=(model.attendees[a].id, model.attendees[b].id),
                kind=MeetingKind.ONE_TO_ONE,
                score=w,
                topic=topic,
                reasons=tuple(reasons),
                starters=tuple(starters),
            )
        )
        used[s] += 1
    return meetings


def _group_meetings(model, groups) -> list[Meeting]:
    # Every pair at every table, scored in one pass; a table's score is its pairs' mean.
    pairs = [
        (g, x, y)
        for g, group in enumerate(groups)
        for k, x in enumerate(group.members)
        for y in group.members[k + 1 :]
    ]
    left = np.array([x for _, x, _ in pairs], dtype=np.int64)
    right = np.array([y for _, _, y in pairs], dtype=np.int64)
    owner = np.array([g for g, _, _ in pairs], dtype=np.int64)
    totals = np.bincount(owner, weights=model.pair_scores(left, right), minlength=len(groups))
    counts = np.bincount(owner, minlength=len(groups))
    meetings = []
    for g, group in enumerate(groups):
        members = list(group.members)
        terms = model.group_terms(members)
        meetings.append(
            Meeting(
                slot=group.slot,
                location=group.location,
                attendees=tuple(model.attendees[m].id for m in members),
                kind=MeetingKind.GROUP,
                score=float(totals[g] / counts[g]) if counts[g] else 0.0,
                topic=", ".join(terms[:2]) if terms else "Open table",
                reasons=tuple(explain.group_reasons(model, members, terms)),
                starters=tuple(explain.group_starters(terms)),
            )
        )
    return meetings


def repeated_pairs(meetings: list[Meeting]) -> int:
    """How many pairs of people meet more than once (one-to-one or at a group table)."""
    seen: dict[tuple[str, str], int] = {}
    for m in meetings:
        people = sorted(m.attendees)
        for k, a in enumerate(people):
            for b in people[k + 1 :]:
                seen[(a, b)] = seen.get((a, b), 0) + 1
    return sum(1 for count in seen.values() if count > 1)


def _metrics(people, meetings, bound, candidate_bound, eligible) -> PlanMetrics:
    count = {a.id: 0 for a in people}
    one_to_one = {a.id: 0 for a in people}
    for m in meetings:
        for person in m.attendees:
            count[person] += 1
            if m.kind == MeetingKind.ONE_TO_ONE:
                one_to_one[person] += 1
    score = sum(m.score for m in meetings if m.kind == MeetingKind.ONE_TO_ONE)
    values = list(count.values()) or [0]
    wanting = [one_to_one[a.id] for i, a in enumerate(people) if eligible[i]] or [0]
    return PlanMetrics(
        score_total=round(score, 6),
        upper_bound=round(bound, 6),
        upper_bound_candidates=round(candidate_bound, 6),
        score_ratio=round(score / bound, 6) if bound else 1.0,
        attendees=len(people),
        attendees_with_meeting=sum(1 for c in values if c),
        attendees_without_meeting=tuple(sorted(p for p, c in count.items() if c == 0)),
        meetings_per_attendee={
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
        },
        one_to_one_per_wanting_attendee={
            "attendees": int(eligible.sum()),
            "min": min(wanting),
            "median": statistics.median(wanting),
            "max": max(wanting),
            "with_none": sum(1 for c in wanting if c == 0) if eligible.any() else 0,
        },
        one_to_one_meetings=sum(1 for m in meetings if m.kind == MeetingKind.ONE_TO_ONE),
        group_meetings=sum(1 for m in meetings if m.kind == MeetingKind.GROUP),
        attendees_in_groups=len(
            {p for m in meetings if m.kind == MeetingKind.GROUP for p in m.attendees}
        ),
        repeated_pairs=repeated_pairs(meetings),
        group_similarity_mean=round(
            statistics.fmean([m.score for m in meetings if m.kind == MeetingKind.GROUP] or [0.0]), 6
        ),
    )
