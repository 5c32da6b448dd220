"""The engine's command line: `recommend` and `plan` (see DESIGN.md), and `check`."""

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time

import numpy as np

from matchmaker.engine import embedder as semantic
from matchmaker.engine.blocks import engine_threads
from matchmaker.engine.checks import check_plan
from matchmaker.engine.forked import reasons_in_processes, top_k_in_processes
from matchmaker.engine.inputs import (
    InputError,
    check_references,
    parse_event,
    parse_previous,
    read_attendees_with_lines,
)
from matchmaker.engine.planner import plan_event
from matchmaker.engine.similarity import ProfileModel


class _Progress:
    """Progress lines on stderr, once a run has taken more than a few seconds."""

    def __init__(self, quiet_for: float = 3.0):
        self.started = time.perf_counter()
        self.quiet_for = quiet_for

    def __call__(self, phase: str, done: int = 0, total: int = 0) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed >= self.quiet_for:
            count = f" {done}/{total}" if total > 1 and done else ""
            print(f"[{elapsed:6.1f}s] {phase}{count}", file=sys.stderr, flush=True)


def _read_attendees(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return read_attendees_with_lines(handle)
    except InputError as error:
        raise InputError(f"{path}: {error}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def _read_event(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not JSON (line {error.lineno}: {error.msg})") from None
    try:
        return parse_event(data)
    except InputError as error:
        raise InputError(f"{path}: {error}") from None


def _with_semantic(args, attendees, progress):
    """The attendees with their embeddings when `--semantic on`: read from `--vectors`, the
    rest computed (the slow part: see docs/engine.md); without the model, a notice on stderr
    and the lexical model alone."""
    if getattr(args, "semantic", "off") != "on":
        return attendees
    if args.vectors:
        try:
            known = semantic.load_vectors(args.vectors)
        except semantic.VectorFileError as error:
            raise InputError(f"{args.vectors}: {error}") from None
        attendees = [
            dataclasses.replace(a, vector=known[a.id][0], free_vectors=known[a.id][1])
            if a.id in known
            else a
            for a in attendees
        ]
    if all(a.vector is not None for a in attendees):
        return attendees
    model = semantic.load_embedder()
    if model is None:
        print(
            f"notice: the semantic channel is off ({semantic.why_not_loaded()}); "
            "matching on words alone",
            file=sys.stderr,
        )
        return attendees
    return semantic.with_vectors(
        attendees, model, progress=lambda d, t: progress("embedding profiles", d, t)
    )


def recommend(args) -> int:
    attendees, _ = _read_attendees(args.attendees)
    progress = _Progress()
    attendees = _with_semantic(args, attendees, progress)
    model = ProfileModel(attendees)
    progress("candidates")
    top = top_k_in_processes(model, args.top, engine_threads())
    progress("writing matches and reasons")
    k = top.index.shape[1]
    left = np.repeat(np.arange(len(attendees)), k)
    right = top.index.ravel()
    valid = np.isfinite(top.score.ravel())
    reasons = reasons_in_processes(model, left[valid], right[valid], engine_threads())
    _write_matches(sys.stdout, attendees, top, reasons)
    return 0


def _write_matches(out, attendees, top, reasons: list[list[str]]) -> None:
    """A line of JSON per attendee: their matches, best first, with score and reasons
    (`reasons` for the matches with a finite score, in order)."""
    k = top.index.shape[1]
    flat_valid = np.isfinite(top.score.ravel()).tolist()
    position = 0
    for r, attendee in enumerate(attendees):
        matches = []
        for c in range(k):
            if not flat_valid[r * k + c]:
                continue
            j = int(top.index[r, c])
            matches.append(
                {
                    "id": attendees[j].id,
                    "score": round(float(top.score[r, c]), 6),
                    "reasons": reasons[position],
                }
            )
            position += 1
        out.write(json.dumps({"id": attendee.id, "matches": matches}, ensure_ascii=False) + "\n")


def _write_atomically(path: str, data: dict) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile(
        "w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8"
    ) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        temporary = handle.name
    os.replace(temporary, path)


def _read_previous(path: str | None):
    """The meetings of the plan people have already seen (`--previous`), or none."""
    if not path:
        return ()
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_previous(json.load(handle))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not JSON (line {error.lineno}: {error.msg})") from None
    except InputError as error:
        raise InputError(f"{path}: {error}") from None


def plan(args) -> int:
    event = _read_event(args.event)
    previous = _read_previous(args.previous)
    attendees, lines = _read_attendees(args.attendees)
    try:
        check_references(event, attendees, lines)
    except InputError as error:
        raise InputError(
            f"{args.attendees if str(error).startswith('line') else args.event}: {error}"
        ) from None
    progress = _Progress()
    attendees = _with_semantic(args, attendees, progress)
    model = semantic.load_embedder() if args.semantic == "on" else None
    result = plan_event(
        event,
        attendees,
        progress=progress,
        previous=previous,
        embed=None if model is None else model.embed,
    )
    problems = check_plan(event, attendees, result)
    if problems:
        print(f"error: the plan breaks {len(problems)} rules; nothing written:", file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return 3
    _write_atomically(args.output, result.to_dict())
    m = result.to_dict()["metrics"]
    print(
        f"{m['one_to_one_meetings']} one-to-one meetings, {m['group_meetings']} groups; "
        f"score {m['score_total']:.3f}, objective {m['objective']:.3f} = "
        f"{m['score_ratio']:.2%} of the bound {m['upper_bound']:.3f}; "
        f"{m['attendees_with_meeting']}/{m['attendees']} attendees meet someone; "
        f"{m['seconds']:.1f}s"
    )
    if previous:
        print(
            f"against the previous plan: {m['kept']} kept, {m['moved']} moved, "
            f"{m['dropped']} dropped, {m['added']} added; "
            f"{m['people_changed']} people's schedules change"
        )
    return 0


def embed(args) -> int:
    attendees, _ = _read_attendees(args.attendees)
    model = semantic.load_embedder()
    if model is None:
        print(f"error: no embedding model here: {semantic.why_not_loaded()}", file=sys.stderr)
        return 2
    progress = _Progress()
    started = time.perf_counter()
    attendees = semantic.with_vectors(
        attendees, model, progress=lambda d, t: progress("embedding profiles", d, t)
    )
    semantic.save_vectors(args.output, attendees)
    seconds = time.perf_counter() - started
    print(
        f"{len(attendees)} profiles embedded with {model.name} in {seconds:.1f}s "
        f"({seconds * 1000 / max(len(attendees), 1):.1f}s per 1,000)"
    )
    return 0


def _semantic_options(parser) -> None:
    parser.add_argument(
        "--semantic",
        choices=("on", "off"),
        default="off",
        help="blend in sentence embeddings (all-MiniLM-L6-v2; default off: it costs about "
        "8 s per 1,000 profiles unless --vectors has them)",
    )
    parser.add_argument("--vectors", help="VECTORS.npz written by `embed` (with --semantic on)")


def check(args) -> int:
    event = _read_event(args.event)
    attendees, _ = _read_attendees(args.attendees)
    try:
        with open(args.plan, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as error:
        raise InputError(f"{args.plan}: not JSON (line {error.lineno}: {error.msg})") from None
    problems = check_plan(event, attendees, data)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} violations")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """Run the engine's command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m matchmaker.engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("recommend", help="each attendee's best matches, as JSON lines")
    rec.add_argument("attendees", help="ATTENDEES.jsonl")
    rec.add_argument("--top", type=int, default=10, help="matches per attendee (default 10)")
    _semantic_options(rec)
    rec.set_defaults(run=recommend)
    pl = commands.add_parser("plan", help="a full plan for an event")
    pl.add_argument("event", help="EVENT.json")
    pl.add_argument("attendees", help="ATTENDEES.jsonl")
    pl.add_argument("-o", "--output", required=True, help="PLAN.json to write")
    pl.add_argument(
        "--previous",
        metavar="PLAN.json",
        help="the plan people have already seen: its meetings are kept where they still fit",
    )
    _semantic_options(pl)
    pl.set_defaults(run=plan)
    em = commands.add_parser("embed", help="each profile's sentence embedding, for --vectors")
    em.add_argument("attendees", help="ATTENDEES.jsonl")
    em.add_argument("-o", "--output", required=True, help="VECTORS.npz to write")
    em.set_defaults(run=embed)
    ch = commands.add_parser("check", help="list the rules a plan breaks")
    ch.add_argument("event")
    ch.add_argument("attendees")
    ch.add_argument("plan")
    ch.set_defaults(run=check)
    args = parser.parse_args(argv)
    if getattr(args, "top", 1) < 1:
        parser.error("--top must be at least 1")
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: {error.filename}: no such file", file=sys.stderr)
        return 2
