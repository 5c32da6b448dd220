"""The living-schedule benchmark: plan, let people answer, add late joiners, re-plan.

    python -m bench.churn [--size 1200] [--seed 7]

Plans an event mixed from real talk texts (../shared/data) for 95% of its attendees; 40% of
the one-to-ones are accepted (fixed in the re-plan), 10% declined (their pairs kept apart),
the rest stay pending; the held-back 5% join late; the re-plan gets the first plan as
`previous`. Prints what was kept and changed, and the fairness of the first plan with and
without the fairness bonus (and the same-topic share of planned pairs on the topics dev set).
"""

import argparse
import dataclasses
import json
import math
import random
import sys
import time
from contextlib import contextmanager

from bench import population
from matchmaker.engine import fairness
from matchmaker.engine.checks import check_plan
from matchmaker.engine.inputs import check_references, parse_attendee, parse_event
from matchmaker.engine.model import Placement
from matchmaker.engine.planner import plan_event
from matchmaker.vocabulary import MeetingKind


@contextmanager
def fairness_bonus(bonus: tuple[float, ...]):
    """Plan with another fairness bonus (all zeros: none) for the duration."""
    kept = fairness.BONUS
    fairness.BONUS = bonus
    try:
        yield
    finally:
        fairness.BONUS = kept


def _fairness_row(name, plan) -> str:
    m = plan.metrics
    share = m.free_for_four_with_at_most_one / max(m.free_for_four, 1)
    return (
        f"| {name} | {m.score_total:.1f} | {m.score_ratio:.4f} | "
        f"{m.free_for_four_with_at_most_one}/{m.free_for_four} = {share:.2%} | "
        f"{m.one_to_one_gini:.3f} | {json.dumps(m.one_to_one_distribution)} |"
    )


def fairness_figures(event, people) -> list[str]:
    """The first plan with and without the fairness bonus."""
    lines = [
        "| first plan | score | objective / bound | free in 4+ slots with <= 1 | Gini | "
        "one-to-ones per person |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    with fairness_bonus((0.0,) * len(fairness.BONUS)):
        plain = plan_event(event, people)
    fair = plan_event(event, people)
    lines.append(_fairness_row("without the bonus", plain))
    lines.append(_fairness_row(f"with bonus {fairness.BONUS}", fair))
    cost = 1 - fair.metrics.score_total / plain.metrics.score_total
    lines.append(f"\nthe bonus costs {cost:.2%} of the score")
    return lines


def topic_share(seed: int) -> list[str]:
    """Share of planned one-to-one pairs that share a topic on the topics dev set."""
    with open(population.DATA / "pyvideo_topics.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    with open(population.DATA / "pyvideo_topics_truth.json", encoding="utf-8") as handle:
        truth = {k: set(v) for k, v in json.load(handle).items()}
    raw = population.make_event(len(rows), seed=seed)
    event = parse_event(raw)
    people = [parse_attendee(row, n) for n, row in enumerate(rows, 1)]

    def share(plan):
        pairs = [m.attendees for m in plan.meetings if m.kind == MeetingKind.ONE_TO_ONE]
        same = sum(1 for a, b in pairs if truth.get(a, set()) & truth.get(b, set()))
        return same / max(len(pairs), 1), len(pairs)

    with fairness_bonus((0.0,) * len(fairness.BONUS)):
        before = share(plan_event(event, people))
    after = share(plan_event(event, people))
    return [
        f"topics dev set ({len(people)} people): same-topic share of planned one-to-one pairs "
        f"{before[0]:.4f} of {before[1]} without the bonus, {after[0]:.4f} of {after[1]} with it"
    ]


def churn(event_data: dict, rows: list[dict], seed: int) -> list[str]:
    """Plan, answer, add late joiners, re-plan; the figures the issue asks for."""
    rng = random.Random(seed)
    late_ids = {row["id"] for row in rng.sample(rows, max(1, len(rows) // 20))}
    everyone = [parse_attendee(row, n) for n, row in enumerate(rows, 1)]
    first_people = [a for a in everyone if a.id not in late_ids]
    event = parse_event(event_data)
    started = time.perf_counter()
    first = plan_event(event, first_people)
    first_seconds = time.perf_counter() - started
    ones = [m for m in first.meetings if m.kind == MeetingKind.ONE_TO_ONE]
    answers = {}
    for m in ones:
        roll = rng.random()
        answers[m] = "accepted" if roll < 0.4 else "declined" if roll < 0.5 else "pending"
    accepted = [m for m in ones if answers[m] == "accepted"]
    declined = [m for m in ones if answers[m] == "declined"]
    fixed = tuple(Placement(m.slot, m.location, m.attendees) for m in accepted)
    apart = event.constraints.apart + tuple(tuple(m.attendees) for m in declined)
    again = dataclasses.replace(
        event, constraints=dataclasses.replace(event.constraints, fixed=fixed, apart=apart)
    )
    check_references(again, everyone)
    previous = tuple(Placement(m.slot, m.location, m.attendees) for m in first.meetings)
    started = time.perf_counter()
    second = plan_event(again, everyone, previous=previous)
    second_seconds = time.perf_counter() - started

    now = {(m.slot, m.location, frozenset(m.attendees)) for m in second.meetings}
    now_pairs = {frozenset(m.attendees) for m in second.meetings if len(m.attendees) == 2}
    kept_accepted = sum((m.slot, m.location, frozenset(m.attendees)) in now for m in accepted)
    declined_again = sum(frozenset(m.attendees) in now_pairs for m in declined)
    touched = {p for m in declined for p in m.attendees}
    untouched = [m for m in ones if answers[m] == "pending" and not touched & set(m.attendees)]
    kept_untouched = sum((m.slot, m.location, frozenset(m.attendees)) in now for m in untouched)
    count = {}
    for m in second.meetings:
        if m.kind == MeetingKind.ONE_TO_ONE:
            for p in m.attendees:
                count[p] = count.get(p, 0) + 1
    slots = set(event.slot_ids(MeetingKind.ONE_TO_ONE))
    late = [
        a
        for a in everyone
        if a.id in late_ids
        and a.wants_one_to_one()
        and event.cap_of(a) > 0
        and (a.available is None or a.available & slots)
    ]
    placed_late = sum(1 for a in late if count.get(a.id, 0) >= 1)
    m = second.metrics
    return [
        f"first plan: {len(first_people)} people, {len(ones)} one-to-ones, "
        f"{first.metrics.score_ratio:.4f} of the bound, {first_seconds:.1f}s",
        f"answers: {len(accepted)} accepted, {len(declined)} declined; "
        f"{len(late_ids)} late joiners ({len(late)} want one-to-ones)",
        f"re-plan: {second_seconds:.1f}s; violations {len(check_plan(again, everyone, second))}",
        f"accepted meetings kept exactly: {kept_accepted}/{len(accepted)} "
        f"= {kept_accepted / max(len(accepted), 1):.2%}",
        f"declined pairs meeting again: {declined_again}",
        f"pending meetings of untouched people kept as they were: {kept_untouched}/"
        f"{len(untouched)} = {kept_untouched / max(len(untouched), 1):.2%}",
        f"late joiners with at least one one-to-one: {placed_late}/{len(late)} "
        f"= {placed_late / max(len(late), 1):.2%}",
        f"re-plan objective / bound: {m.score_ratio:.4f}",
        f"against the first plan: {m.kept} kept, {m.moved} moved, {m.dropped} dropped, "
        f"{m.added} added; {m.people_changed} people's schedules change",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--seats",
        type=float,
        default=None,
        help="share of the attendees the tables seat in each slot (default 0.8, as bench.run)",
    )
    parser.add_argument("--skip-topics", action="store_true")
    args = parser.parse_args(argv)
    sources = population.load_sources()
    raw_event = population.make_event(args.size, seed=args.seed)
    if args.seats is not None:
        rooms = [loc for loc in raw_event["locations"] if loc["capacity"] > 2]
        tables = math.ceil(args.size * args.seats / 2)
        raw_event["locations"] = rooms + [
            {"id": f"T{t:05d}", "capacity": 2} for t in range(1, tables + 1)
        ]
    rows = population.make_attendees(args.size, sources, raw_event, seed=args.seed)
    for line in churn(raw_event, rows, args.seed):
        print(line, flush=True)
    print()
    people = [parse_attendee(row, n) for n, row in enumerate(rows, 1)]
    for line in fairness_figures(parse_event(raw_event), people):
        print(line, flush=True)
    if not args.skip_topics:
        print()
        for line in topic_share(args.seed):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
