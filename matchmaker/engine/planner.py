"""Planning an event: candidates, one-to-one meetings against a proven bound, slots and
tables, small groups, reasons and starters."""

import dataclasses
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matchmaker.engine import continuity, explain, fairness
from matchmaker.engine.groups import Seated, form_groups
from matchmaker.engine.model import (
    Attendee,
    Event,
    Meeting,
    Placement,
    Plan,
    PlanMetrics,
    pair_key,
)
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
from matchmaker.text import natural_key
from matchmaker.vocabulary import MeetingKind

CANDIDATES = 20
PRICING_ROUNDS = 3
BOUND_GAP = 0.002
# Up to this many candidate pairs, meetings are chosen by an exact integer program (with the
# fairness bonuses its root takes ~5 s at 13k pairs, and LP rounding is within 0.05%).
EXACT_EDGES = 5_000

# Progress reports (phase, done, total): "reading", "candidates" (rows searched of all),
# "choosing", "pricing" (round of PRICING_ROUNDS), "scheduling", "groups".
Progress = Callable[[str, int, int], None]
PHASES = ("reading", "candidates", "choosing", "pricing", "scheduling", "groups")


def one_to_one_frame(event: Event, people: list[Attendee]):
    """One-to-one slots in time order; each attendee's available slots as a bit mask and cap
    (0 for those who want groups only; the event's `meetings_kept_free` under their own); the
    tables (or, with none, every location) the plan may fill: all but `tables_kept_free`."""
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
            max(0, min(event.cap_of(a) - event.meetings_kept_free, bin(available[i]).count("1")))
            if a.wants_one_to_one()
            else 0
            for i, a in enumerate(people)
        ],
        dtype=np.int64,
    )
    tables = sorted(loc.id for loc in event.locations if loc.capacity == 2)
    tables = tables or sorted(loc.id for loc in event.locations)
    # The kept ones are the last by their numbers ("Table 37" to "Table 40" of 40).
    kept = set(sorted(tables, key=natural_key)[max(0, len(tables) - event.tables_kept_free) :])
    return slots, available, caps, [t for t in tables if t not in kept]


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
    one-to-one frame (slots, availability masks, caps, tables), the pairs that may not meet,
    the fixed meetings and the plan people have already seen."""

    event: Event
    people: list[Attendee]
    model: ProfileModel
    slots: list
    available: list[int]
    caps: np.ndarray
    tables: list[str]
    excluded: dict[int, set[int]]
    say: Progress
    # Fixed one-to-ones: (a, b, slot position, location); fixed groups: Seated per group.
    fixed_pairs: list[tuple[int, int, int, str]] = dataclasses.field(default_factory=list)
    fixed_groups: list = dataclasses.field(default_factory=list)
    # The previous plan: each one-to-one pair's (slot position, location); its groups.
    previous_pairs: dict[tuple[int, int], tuple[int, str]] = dataclasses.field(default_factory=dict)
    previous_groups: list = dataclasses.field(default_factory=list)
    embed: explain.Embed | None = None

    @property
    def index(self) -> dict[str, int]:
        return {a.id: i for i, a in enumerate(self.people)}

    @property
    def eligible(self) -> np.ndarray:
        return self.caps > 0


def plan_event(
    event: Event,
    attendees: list[Attendee],
    progress: Progress | None = None,
    previous: tuple[Placement, ...] = (),
    embed: explain.Embed | None = None,
) -> Plan:
    """A full plan, in named phases: forbidden pairs, fixed meetings, candidates, pinned pairs,
    choose pairs (keeping those of `previous`, the plan people have seen, where they fit),
    schedule one-to-ones, cover the lonely, groups. With `embed` (the semantic channel's
    model), a one-to-one that shares no topic quotes the two people's closest sentences."""
    started = time.perf_counter()
    say = progress or (lambda phase, done, total: None)
    people = sorted(attendees, key=lambda a: a.id)
    slots, available, caps, tables = one_to_one_frame(event, people)
    excluded = forbidden_pairs(event, people)
    say("reading", 0, len(people))
    plan = _Planning(
        event, people, ProfileModel(people), slots, available, caps, tables, excluded, say,
        embed=embed,
    )  # fmt: skip
    read_fixed(plan)
    read_previous(plan, previous)
    neighbours, candidates = find_candidates(plan)
    table = Timetable(available=available, caps=caps.tolist(), tables=[len(tables)] * len(slots))
    constant = place_fixed(plan, table)
    together_unplaced = place_pinned_pairs(plan, table)
    candidates = with_previous_pairs(plan, candidates)
    picks, candidates, bound, candidate_bound = choose_pairs(plan, table, candidates)
    schedule_one_to_ones(plan, table, picks, candidates)
    cover_the_lonely(plan, table, neighbours)
    meetings = _one_to_one_meetings(plan, table)
    say("groups", 0, 1)
    meetings += seat_groups(plan, neighbours, set(table.met))
    metrics = _metrics(plan, meetings, constant + bound, constant + candidate_bound, previous)
    unplaced = tuple((people[a].id, people[b].id) for a, b, _ in together_unplaced)
    return Plan(
        meetings=tuple(meetings),
        metrics=dataclasses.replace(metrics, together_unplaced=unplaced),
        seconds=time.perf_counter() - started,
    )


def read_fixed(plan: _Planning) -> None:
    """The fixed meetings by position; their pairs may not be chosen again."""
    index = plan.index
    slot_of = {s.id: k for k, s in enumerate(plan.slots)}
    for m in plan.event.constraints.fixed:
        members = tuple(sorted(index[p] for p in m.attendees))
        if m.slot in slot_of:
            a, b = members
            plan.fixed_pairs.append((a, b, slot_of[m.slot], m.location))
            plan.excluded.setdefault(a, set()).add(b)
            plan.excluded.setdefault(b, set()).add(a)
        else:
            plan.fixed_groups.append(Seated(m.slot, m.location, members))


def read_previous(plan: _Planning, previous: tuple[Placement, ...]) -> None:
    """The previous plan's one-to-ones that could meet again (both still here and wanting
    one-to-ones, a one-to-one slot, not fixed, not kept apart), and its groups."""
    index = plan.index
    slot_of = {s.id: k for k, s in enumerate(plan.slots)}
    group_slots = set(plan.event.slot_ids(MeetingKind.GROUP))
    for m in previous:
        members = [index[p] for p in m.attendees if p in index]
        if m.slot in group_slots and len(members) > 1:
            plan.previous_groups.append(Seated(m.slot, m.location, tuple(sorted(members))))
        if m.slot not in slot_of or len(m.attendees) != 2 or len(members) != 2:
            continue
        a, b = pair_key(*members)
        if plan.eligible[a] and plan.eligible[b] and b not in plan.excluded.get(a, ()):
            plan.previous_pairs[(a, b)] = (slot_of[m.slot], m.location)


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


def place_fixed(plan: _Planning, table: Timetable) -> float:
    """Seat the fixed one-to-ones where they are, never to move; return what they add to the
    objective (their scores and their people's fairness bonuses)."""
    fixed = plan.fixed_pairs
    if not fixed:
        return 0.0
    a = np.array([f[0] for f in fixed])
    b = np.array([f[1] for f in fixed])
    scores = plan.model.pair_scores(a, b).astype(np.float64)
    tables = set(plan.tables)
    for (x, y, slot, location), w in zip(fixed, scores.tolist(), strict=True):
        table.place(x, y, w, slot)
        table.frozen.add((x, y))
        if location not in tables:
            table.free_tables[slot] += 1  # a room, not one of the tables
    return float(scores.sum()) + fairness.earned(table.degree)


def with_previous_pairs(plan: _Planning, candidates: CandidateGraph) -> CandidateGraph:
    """The candidates with every pair of the previous plan that could meet again, each worth
    its score plus the bonus for keeping it."""
    if not plan.previous_pairs:
        return candidates
    pairs = sorted(plan.previous_pairs)
    u = np.array([a for a, _ in pairs], dtype=np.int64)
    v = np.array([b for _, b in pairs], dtype=np.int64)
    shared = np.array([plan.available[a] & plan.available[b] != 0 for a, b in pairs], bool)
    u, v = u[shared], v[shared]
    codes = candidates.codes()
    known = np.isin(codes, u * candidates.n + v)
    rest = CandidateGraph(candidates.n, candidates.u[~known], candidates.v[~known],
                          candidates.w[~known])  # fmt: skip
    w = plan.model.pair_scores(u, v).astype(np.float64) + continuity.KEEP_BONUS
    return rest.with_edges(u, v, w)


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
    the picks, the candidates the pricing grew, the bound and the candidates' own bound (both
    without what the fixed meetings add)."""
    plan.say("choosing", 0, len(candidates))
    fixed_degree = np.zeros(len(plan.people), dtype=np.int64)
    for a, b, _, _ in plan.fixed_pairs:
        fixed_degree[[a, b]] += 1
    caps = plan.caps - fixed_degree
    at_tables = sum(1 for *_, location in plan.fixed_pairs if location in set(plan.tables))
    total = len(plan.tables) * len(plan.slots) - at_tables
    floor = -1e-9 if any(fairness.BONUS) else 0.0
    graph, relaxation, bound = _relax(plan, candidates.positive(floor), caps, total)
    caps_left = np.array([c - d for c, d in zip(plan.caps, table.degree, strict=True)])
    room = sum(table.free_tables)
    bonus = fairness.bonus_table(plan.caps, table.degree)
    chosen = (
        solve_integer(graph, caps_left, room, bonus=bonus) if len(graph) <= EXACT_EDGES else None
    )
    if chosen is None:
        chosen = round_relaxation(graph, relaxation.x, caps_left, room)
    return graph.edges(chosen), graph, bound, relaxation.value


def schedule_one_to_ones(
    plan: _Planning, table: Timetable, picks, candidates: CandidateGraph
) -> None:
    """Put the picks into slots and tables: pairs of the previous plan where they were, when
    that still fits, then the rest (a pick with no slot takes the place of weaker meetings of
    the same people); then fill spare tables best-first."""
    plan.say("scheduling", 0, len(picks))
    picks = [p for p in picks if (p[0], p[1]) not in table.met]
    rest = []
    for a, b, w in picks:
        slot = plan.previous_pairs.get((a, b), (None,))[0]
        if slot is not None and table.common_free(a, b) & (1 << slot):
            table.place(a, b, w, slot)
            table.settled.add((a, b))
        else:
            rest.append((a, b, w))
    unplaced = schedule_pairs(table, rest)
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
    groups = form_groups(
        plan.people, plan.event, neighbours, met, apart, plan.fixed_groups, plan.previous_groups
    )
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


def _relax(plan: _Planning, graph: CandidateGraph, caps: np.ndarray, total: int):
    """Solve the LP on the candidates; price every pair; add the undervalued ones and solve
    again, until the proven bound is within BOUND_GAP of the LP (or PRICING_ROUNDS)."""
    members = np.flatnonzero(caps > 0)
    bonus = fairness.bonus_table(plan.caps, plan.caps - caps)
    extra = _previous_graph(plan, graph)
    bound = np.inf
    for round_ in range(1, PRICING_ROUNDS + 1):
        relaxation = solve_relaxation(graph, caps, total, bonus)
        plan.say("pricing", round_ - 1, PRICING_ROUNDS)
        pricing = price_pairs(
            plan.model, members, caps, total, relaxation.duals, plan.available,
            plan.excluded, bonus=bonus, extra=extra,
        )  # fmt: skip
        bound = min(bound, pricing.bound)
        known = set(graph.codes().tolist())
        fresh = [
            k
            for k, code in enumerate((pricing.u * graph.n + pricing.v).tolist())
            if code not in known and pricing.w[k] > (-1e-9 if any(fairness.BONUS) else 0.0)
        ]
        if bound <= relaxation.value * (1 + BOUND_GAP) or not fresh or round_ == PRICING_ROUNDS:
            break
        graph = graph.with_edges(pricing.u[fresh], pricing.v[fresh], pricing.w[fresh])
    return graph, relaxation, max(bound, relaxation.value)


def _previous_graph(plan: _Planning, graph: CandidateGraph) -> CandidateGraph | None:
    """The edges of `graph` that are pairs of the previous plan (worth their keeping bonus)."""
    if not plan.previous_pairs:
        return None
    keep = np.array(
        [
            (a, b) in plan.previous_pairs
            for a, b in zip(graph.u.tolist(), graph.v.tolist(), strict=True)
        ],
        dtype=bool,
    )
    return CandidateGraph(graph.n, graph.u[keep], graph.v[keep], graph.w[keep])


def _one_to_one_meetings(plan: _Planning, table: Timetable) -> list[Meeting]:
    """The one-to-ones placed, each at a table of its slot: a fixed meeting where it is fixed,
    a pair of the previous plan at its table of then when free, the rest at the first free
    tables in order."""
    model, slots = plan.model, plan.slots
    placed = [(*pair_key(a, b), w, s) for a, b, w, s in table.meetings()]
    where = {(a, b, s): location for a, b, s, location in plan.fixed_pairs}
    taken = {(s, location) for (_, _, s), location in where.items()}
    for a, b, _, s in placed:
        known = plan.previous_pairs.get((a, b))
        if (a, b, s) not in where and known and known[0] == s and (s, known[1]) not in taken:
            where[(a, b, s)] = known[1]
            taken.add((s, known[1]))
    free = {s: [t for t in plan.tables if (s, t) not in taken] for s in range(len(slots))}
    u = np.array([a for a, *_ in placed], dtype=np.int64)
    v = np.array([b for _, b, *_ in placed], dtype=np.int64)
    scores = model.pair_scores(u, v).astype(np.float64).tolist() if placed else []
    introductions = explain.introduce(
        model, [(a, b, w) for (a, b, _, _), w in zip(placed, scores, strict=True)], plan.embed
    )
    meetings = []
    for (a, b, _, s), w, (topic, reasons, starters) in zip(
        placed, scores, introductions, strict=True
    ):
        location = where.get((a, b, s)) or free[s].pop(0)
        meetings.append(
            Meeting(
                slot=slots[s].id,
                location=location,
                attendees=(model.attendees[a].id, model.attendees[b].id),
                kind=MeetingKind.ONE_TO_ONE,
                score=w,
                topic=topic,
                reasons=tuple(reasons),
                starters=tuple(starters),
            )
        )
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


def _metrics(plan: _Planning, meetings, bound, candidate_bound, previous) -> PlanMetrics:
    people, eligible = plan.people, plan.eligible
    count = {a.id: 0 for a in people}
    one_to_one = {a.id: 0 for a in people}
    kept_pairs = 0
    index = plan.index
    fixed = {pair_key(a, b) for a, b, _, _ in plan.fixed_pairs}
    for m in meetings:
        for person in m.attendees:
            count[person] += 1
            if m.kind == MeetingKind.ONE_TO_ONE:
                one_to_one[person] += 1
        if m.kind == MeetingKind.ONE_TO_ONE:
            pair = pair_key(index[m.attendees[0]], index[m.attendees[1]])
            kept_pairs += pair in plan.previous_pairs and pair not in fixed
    score = sum(m.score for m in meetings if m.kind == MeetingKind.ONE_TO_ONE)
    earned = fairness.earned(list(one_to_one.values()))
    objective = score + earned + continuity.KEEP_BONUS * kept_pairs
    values = list(count.values()) or [0]
    wanting = [one_to_one[a.id] for i, a in enumerate(people) if eligible[i]] or [0]
    free_for_four = [
        one_to_one[a.id]
        for i, a in enumerate(people)
        if plan.caps[i] >= 2 and bin(plan.available[i]).count("1") >= 4
    ]
    changes = continuity.compare(previous, meetings) if previous else {}
    return PlanMetrics(
        score_total=round(score, 6),
        upper_bound=round(bound, 6),
        upper_bound_candidates=round(candidate_bound, 6),
        score_ratio=round(objective / bound, 6) if bound else 1.0,
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
        objective=round(objective, 6),
        fairness=round(earned, 6),
        one_to_one_distribution=fairness.distribution(wanting if eligible.any() else []),
        free_for_four=len(free_for_four),
        free_for_four_with_at_most_one=sum(1 for c in free_for_four if c <= 1),
        one_to_one_gini=round(fairness.gini(wanting), 6),
        fixed=len(plan.event.constraints.fixed),
        **changes,
    )
