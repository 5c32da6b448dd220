"""Twenty introductions from a real conference, for a person to read: EuroPython 2023's
speakers (../shared/data) planned by the engine; each one-to-one with its topic, reasons and
starters, picked evenly through the plan.

    .venv/bin/python -m bench.introductions [--count 20] [--semantic on]

With `--semantic on` the plan blends in the embeddings, as the app does, and a pair that
shares no topic is told its two closest sentences.
"""

import argparse
import json
import sys

from bench.population import DATA
from matchmaker.engine import embedder
from matchmaker.engine.inputs import parse_event, read_attendees_with_lines
from matchmaker.engine.planner import plan_event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--semantic", choices=("on", "off"), default="off")
    args = parser.parse_args(argv)
    event = parse_event(json.loads((DATA / "europython2023_event.json").read_text("utf-8")))
    with open(DATA / "europython2023_attendees.jsonl", encoding="utf-8") as handle:
        people = read_attendees_with_lines(handle)[0]
    names = {a.id: a.label for a in people}
    model = embedder.load_embedder() if args.semantic == "on" else None
    if model is not None:
        people = embedder.with_vectors(people, model)
    plan = plan_event(event, people, embed=None if model is None else model.embed)
    ones = [m for m in plan.meetings if m.kind == "one_to_one"]
    groups = [m for m in plan.meetings if m.kind == "group"]
    step = max(1, len(ones) // args.count)
    for n, meeting in enumerate(ones[::step][: args.count], start=1):
        a, b = (names[p] for p in meeting.attendees)
        print(f"{n}. {a} and {b} (score {meeting.score:.3f}), topic: {meeting.topic or '-'}")
        for reason in meeting.reasons:
            print(f"   why: {reason}")
        for starter in meeting.starters:
            print(f"   start: {starter}")
    print()
    for meeting in groups[:: max(1, len(groups) // 5)][:5]:
        print(f"group of {len(meeting.attendees)}: topic {meeting.topic!r}")
        for reason in meeting.reasons:
            print(f"   why: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
