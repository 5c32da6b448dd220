"""Where `recommend --top K` spends its time at the size of a large conference: reading the
file, fitting the model, the exact top-K search, the reasons and writing the lines, each
phase timed as the command runs it (the search and the reasons also on one thread/process,
to see what the second core gives).

The attendees are made from ../shared/data as `scripts/bench` makes them (fixed seed):

    .venv/bin/python -m bench.recommend --attendees 50000
"""

import argparse
import io
import json
import os
import statistics
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=50000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--tries", type=int, default=1, help="runs of each phase (medians)")
    args = parser.parse_args(argv)

    import numpy as np

    from bench import population
    from matchmaker.engine import blocks
    from matchmaker.engine.cli import _read_attendees, _write_matches
    from matchmaker.engine.forked import reasons_in_processes, top_k_in_processes
    from matchmaker.engine.similarity import ProfileModel

    sources = population.load_sources()
    event = population.make_event(args.attendees)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for row in population.make_attendees(args.attendees, sources, event):
            handle.write(json.dumps(row) + "\n")
    timings: dict[str, list[float]] = {}

    def timed(name: str, work, *arguments):
        started = time.perf_counter()
        result = work(*arguments)
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return result

    threads = blocks.engine_threads()
    try:
        for _ in range(args.tries):
            attendees, _ = timed("read", _read_attendees, handle.name)
            model = timed("fit", ProfileModel, attendees)
            top = timed(f"search ({threads} processes)", top_k_in_processes, model, args.top,
                        threads)  # fmt: skip
            left = np.repeat(np.arange(len(attendees)), top.index.shape[1])
            right = top.index.ravel()
            reasons = timed(f"reasons ({threads} processes)", reasons_in_processes, model,
                            left, right, threads)  # fmt: skip
            timed("write", _write_matches, io.StringIO(), attendees, top, reasons)
        timed(f"search (1 process, {threads} threads)", model.top_k, args.top)
        os.environ["MATCHMAKER_ENGINE_THREADS"] = "1"
        timed("search (1 process, 1 thread)", model.top_k, args.top)
        timed("reasons (1 process)", reasons_in_processes, model, left, right, 1)
    finally:
        os.unlink(handle.name)

    print(f"recommend --top {args.top}, {args.attendees:,} attendees (medians of {args.tries})")
    command = ("read", "fit", f"search ({threads} processes)",
               f"reasons ({threads} processes)", "write")  # fmt: skip
    for name, values in timings.items():
        print(f"  {name:<24} {statistics.median(values):7.1f} s")
    total = sum(statistics.median(timings[name]) for name in command)
    print(f"  {'as the command runs':<24} {total:7.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
