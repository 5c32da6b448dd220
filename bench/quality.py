"""Both dev checks of the similarity model, side by side with a plain TF-IDF baseline (see
../shared/data/README.md): a change that helps one and hurts the other is tuned to one file.

    .venv/bin/python -m bench.quality

- twins (pyvideo_twins.jsonl, 5,306 profiles): the share of people whose twin is in their top
  10 (hit@10) and the twin's mean reciprocal rank (MRR);
- topics (pyvideo_topics.jsonl, 862 profiles, topics withheld): over everyone, the share of
  their top 5 who share a topic with them (same-topic P@5; chance 0.024).

Both rank with the engine's `ProfileModel.top_k`, as `recommend` does: words alone, then with
the semantic channel (all-MiniLM-L6-v2 embeddings; computing them is timed apart, in seconds
per 1,000 profiles). `--semantic off` skips the second.
"""

import argparse
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.population import DATA
from bench.twins import twin_of
from matchmaker.engine import embedder
from matchmaker.engine.inputs import read_attendees_with_lines
from matchmaker.engine.similarity import ProfileModel


def _read(name: str):
    with open(DATA / name, encoding="utf-8") as handle:
        return read_attendees_with_lines(handle)[0]


def engine_top(attendees, k: int) -> np.ndarray:
    """Each attendee's k best matches by the engine's model (indices)."""
    return ProfileModel(attendees).top_k(k).index


def tfidf_top(attendees, k: int) -> np.ndarray:
    """Plain TF-IDF (sublinear, English stop words, 1-2 grams, bio and interests), cosine."""
    texts = [f"{a.bio} {' '.join(a.interests)}" for a in attendees]
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2))
    matrix = vectors.fit_transform(texts)
    top = np.zeros((len(attendees), k), dtype=np.int64)
    for start in range(0, len(attendees), 1024):
        block = (matrix[start : start + 1024] @ matrix.T).toarray()
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
        top[start : start + 1024] = np.argsort(-block, axis=1, kind="stable")[:, :k]
    return top


def twins(attendees, top: np.ndarray) -> tuple[float, float]:
    """(hit@k, MRR) of the twins check."""
    position = {a.id: i for i, a in enumerate(attendees)}
    hits, reciprocal = 0, 0.0
    for i, a in enumerate(attendees):
        ranked = top[i].tolist()
        twin = position[twin_of(a.id)]
        if twin in ranked:
            hits += 1
            reciprocal += 1 / (ranked.index(twin) + 1)
    return hits / len(attendees), reciprocal / len(attendees)


def topics(attendees, top: np.ndarray, truth: dict[str, list[str]]) -> float:
    """Same-topic precision of the top lists."""
    labels = [set(truth[a.id]) for a in attendees]
    shared = sum(1 for i, row in enumerate(top) for j in row if labels[i] & labels[j])
    return shared / top.size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--semantic", choices=("on", "off"), default="on")
    args = parser.parse_args(argv)
    twin_people, topic_people = _read("pyvideo_twins.jsonl"), _read("pyvideo_topics.jsonl")
    truth = json.loads((DATA / "pyvideo_topics_truth.json").read_text(encoding="utf-8"))
    print(f"{'model':<22} {'twins hit@10':>12} {'twins MRR':>10} {'topics P@5':>11} {'seconds':>8}")
    rows = [("plain TF-IDF", twin_people, topic_people, tfidf_top)]
    rows.append(("matchmaker, words", twin_people, topic_people, engine_top))
    if args.semantic == "on":
        model = embedder.load_embedder()
        if model is None:
            print(f"(no semantic row: {embedder.why_not_loaded()})")
        else:
            started = time.perf_counter()
            twin_people = embedder.with_vectors(twin_people, model)
            topic_people = embedder.with_vectors(topic_people, model)
            seconds = time.perf_counter() - started
            count = len(twin_people) + len(topic_people)
            rows.append(("matchmaker, semantic", twin_people, topic_people, engine_top))
    for name, twin_set, topic_set, top_of in rows:
        started = time.perf_counter()
        hit, mrr = twins(twin_set, top_of(twin_set, 10))
        precision = topics(topic_set, top_of(topic_set, 5), truth)
        seconds_here = time.perf_counter() - started
        print(f"{name:<22} {hit:>12.3f} {mrr:>10.3f} {precision:>11.3f} {seconds_here:>8.1f}")
    if len(rows) == 3:
        print(
            f"embedding {count} profiles: {seconds:.1f}s "
            f"({seconds * 1000 / count:.1f}s per 1,000 profiles)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
