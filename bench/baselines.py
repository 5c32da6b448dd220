"""Two baselines to compare the planner with: random pairs per slot, and greedy best-first."""

import random

import numpy as np

from matchmaker.engine.model import Attendee, Event, Meeting, Plan, PlanMetrics
from matchmaker.engine.pairs import CandidateGraph
from matchmaker.engine.planner import one_to_one_frame
from matchmaker.engine.schedule import Timetable
from matchmaker.engine.similarity import ProfileModel


def _setup(event: Event, attendees: list[Attendee]):
    people = sorted(attendees, key=lambda a: a.id)
    slots, available, caps, tables = one_to_one_frame(event, people)
    forbidden = {tuple(sorted(p)) for p in event.constraints.forbidden_pairs()}
    return people, slots, available, caps.tolist(), tables, forbidden


def _plan(model, people, table: Timetable, slots, tables) -> Plan:
    meetings, used = [], [0] * len(slots)
    for a, b, w, s in table.meetings():
        meetings.append(
            Meeting(slots[s].id, tables[used[s]], (people[a].id, people[b].id), "one_to_one", w)
        )
        used[s] += 1
    return Plan(
        meetings=tuple(meetings),
        metrics=PlanMetrics(score_total=sum(m.score for m in meetings)),
    )


def random_pairs(
    event: Event, attendees: list[Attendee], model: ProfileModel, seed: int = 0
) -> Plan:
    """Each slot: shuffle who is free and pair them off in turn, up to the tables."""
    people, slots, available, caps, tables, forbidden = _setup(event, attendees)
    rng = random.Random(seed)
    table = Timetable(available=available, caps=caps, tables=[len(tables)] * len(slots))
    for s in range(len(slots)):
        free = [
            i for i in range(len(people)) if available[i] >> s & 1 and table.degree[i] < caps[i]
        ]
        rng.shuffle(free)
        for a, b in zip(free[::2], free[1::2], strict=False):
            if table.free_tables[s] == 0:
                break
            pair = (min(a, b), max(a, b))
            if pair in table.met or (people[pair[0]].id, people[pair[1]].id) in forbidden:
                continue
            table.place(a, b, 0.0, s)
    placed = table.meetings()
    scores = model.pair_scores(
        np.array([m[0] for m in placed], dtype=np.int64),
        np.array([m[1] for m in placed], dtype=np.int64),
    )
    for (a, b, _, s), w in zip(placed, scores, strict=True):
        table.at[(a, s)] = table.at[(b, s)] = (a, b, float(w))
    return _plan(model, people, table, slots, tables)


def greedy_best_first(
    event: Event, attendees: list[Attendee], model: ProfileModel, graph: CandidateGraph
) -> Plan:
    """Candidate pairs by score, best first, each into the first slot both have free."""
    people, slots, available, caps, tables, _ = _setup(event, attendees)
    table = Timetable(available=available, caps=caps, tables=[len(tables)] * len(slots))
    u, v, w = graph.u, graph.v, graph.w
    for e in np.lexsort((v, u, -w)):
        a, b = int(u[e]), int(v[e])
        if w[e] > 0 and table.degree[a] < caps[a] and table.degree[b] < caps[b]:
            mask = table.common_free(a, b)
            if mask:
                table.place(a, b, float(w[e]), (mask & -mask).bit_length() - 1)
    return _plan(model, people, table, slots, tables)
