"""The engine benchmark: plans for generated events of several sizes, with two baselines.

    python -m bench.run [--sizes 1000 10000 50000]

Prints one Markdown table row per size and method: seconds, peak memory, score, the objective
(score and fairness bonuses) against its proven bound, share of attendees wanting one-to-one
who get at least one meeting, minimum and median one-to-one meetings of those attendees, and
the checker's violations.
"""

import argparse
import statistics
import sys
import threading
import time

import numpy as np

from bench import baselines, population
from matchmaker.engine import fairness
from matchmaker.engine.checks import check_plan
from matchmaker.engine.inputs import parse_attendee, parse_event
from matchmaker.engine.planner import (
    CANDIDATES,
    candidate_pairs,
    one_to_one_frame,
    plan_event,
    repeated_pairs,
)
from matchmaker.engine.similarity import ProfileModel


class PeakMemory:
    """Peak resident memory while the block runs, sampled every 20 ms from /proc."""

    def __enter__(self):
        self.peak, self.running = self._rss(), True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * 4096

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)


def _figures(name, plan, event, attendees, bound, seconds, peak) -> dict:
    wanting = {
        a.id
        for a in attendees
        if a.wants_one_to_one()
        and event.cap_of(a) > 0
        and (a.available is None or any(s in a.available for s in event.slot_ids("one_to_one")))
    }
    count = dict.fromkeys(wanting, 0)
    for m in plan.meetings:
        if m.kind == "one_to_one":
            for p in m.attendees:
                count[p] = count.get(p, 0) + 1
    values = list(count.values()) or [0]
    score = sum(m.score for m in plan.meetings if m.kind == "one_to_one")
    # The objective the bound bounds: scores and the fairness bonuses earned.
    objective = score + fairness.earned(values)
    return {
        "method": name,
        "seconds": seconds,
        "peak_mb": peak / 2**20 if peak else float("nan"),
        "score": score,
        "ratio": objective / bound if bound else 1.0,
        "covered": sum(1 for v in values if v) / max(1, len(values)),
        "min": min(values),
        "median": statistics.median(values),
        "violations": len(check_plan(event, attendees, plan)),
        "repeats": repeated_pairs(list(plan.meetings)),
    }


def bench_size(size: int, sources: list[dict]) -> list[dict]:
    """Plan one generated event with the planner and both baselines."""
    raw_event = population.make_event(size)
    event = parse_event(raw_event)
    attendees = [
        parse_attendee(row, n)
        for n, row in enumerate(population.make_attendees(size, sources, raw_event), 1)
    ]
    started = time.perf_counter()
    with PeakMemory() as memory:
        plan = plan_event(event, attendees)
    seconds = time.perf_counter() - started
    bound = plan.metrics.upper_bound
    rows = [_figures("matchmaker", plan, event, attendees, bound, seconds, memory.peak)]
    people = sorted(attendees, key=lambda a: a.id)
    model = ProfileModel(people)
    started = time.perf_counter()
    rows.append(
        _figures(
            "random per slot",
            baselines.random_pairs(event, people, model),
            event,
            attendees,
            bound,
            time.perf_counter() - started,
            0,
        )
    )
    started = time.perf_counter()
    top = model.top_k(CANDIDATES)
    everyone = np.ones(len(people), dtype=bool)
    _, available, _, _ = one_to_one_frame(event, people)
    greedy = baselines.greedy_best_first(
        event, people, model, candidate_pairs(model, top, everyone, available)
    )
    rows.append(
        _figures(
            "greedy best-first", greedy, event, attendees, bound, time.perf_counter() - started, 0
        )
    )
    for row in rows:
        row["size"] = size
        row["bound"] = bound
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args(argv)
    sources = population.load_sources()
    columns = [
        "attendees",
        "method",
        "seconds",
        "peak MB",
        "score",
        "objective / bound",
        "with >= 1 meeting",
        "min",
        "median",
        "violations",
        "repeated pairs",
    ]
    print("| " + " | ".join(columns) + " |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        for r in bench_size(size, sources):
            cells = [
                f"{r['size']:,}",
                r["method"],
                f"{r['seconds']:.1f}",
                f"{r['peak_mb']:.0f}" if r["peak_mb"] == r["peak_mb"] else "–",
                f"{r['score']:.1f}",
                f"{r['ratio']:.4f}",
                f"{r['covered']:.4f}",
                str(r["min"]),
                f"{r['median']:g}",
                str(r["violations"]),
                str(r["repeats"]),
            ]
            print("| " + " | ".join(cells) + " |", flush=True)
    print(f"\nupper bound: LP duals completed over all pairs; candidates each: {CANDIDATES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
