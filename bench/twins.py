"""The twins check of the similarity model (see ../shared/data/README.md).

    python -m bench.twins [--top 10]

Runs `python -m matchmaker.engine recommend pyvideo_twins.jsonl --top K` and reports the share
of attendees whose twin (X-a for X-b and back) is in their list (hit@K) and the mean
reciprocal rank of the twin in the list (0 when absent).
"""

import argparse
import json
import subprocess
import sys
import time

from bench.population import DATA


def twin_of(ident: str) -> str:
    return ident[:-1] + ("b" if ident.endswith("a") else "a")


def score(lines: list[str]) -> tuple[float, float, int]:
    """(hit@K, MRR, attendees) from recommend's output lines."""
    hits, reciprocal, total = 0, 0.0, 0
    for line in lines:
        row = json.loads(line)
        ranked = [m["id"] for m in row["matches"]]
        total += 1
        if twin_of(row["id"]) in ranked:
            hits += 1
            reciprocal += 1 / (ranked.index(twin_of(row["id"])) + 1)
    return hits / total, reciprocal / total, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    command = [
        sys.executable,
        "-m",
        "matchmaker.engine",
        "recommend",
        str(DATA / "pyvideo_twins.jsonl"),
        "--top",
        str(args.top),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    hit, mrr, total = score(result.stdout.splitlines())
    print(f"twins: {total} attendees, hit@{args.top} = {hit:.3f}, MRR = {mrr:.3f} ({seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
