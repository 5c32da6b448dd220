import itertools

import numpy as np
import pytest

from matchmaker.engine.pairs import CandidateGraph, round_relaxation, solve_relaxation


def brute_force(n, edges, caps, total):
    """Best total of a set of edges within caps and total, by trying every subset."""
    best = 0.0
    for r in range(len(edges) + 1):
        for subset in itertools.combinations(edges, r):
            if r > total:
                break
            degree = [0] * n
            for a, b, _ in subset:
                degree[a] += 1
                degree[b] += 1
            if all(d <= c for d, c in zip(degree, caps, strict=True)):
                best = max(best, sum(w for _, _, w in subset))
    return best


def _arrays(edges):
    u = np.array([a for a, _, _ in edges])
    v = np.array([b for _, b, _ in edges])
    w = np.array([x for _, _, x in edges], dtype=float)
    return u, v, w


def test_lp_beats_greedy_trap_and_rounds_to_the_optimum():
    # Greedy takes a-b (1.0) and is stuck; the optimum is a-c + b-d = 1.8.
    edges = [(0, 1, 1.0), (0, 2, 0.9), (1, 3, 0.9)]
    u, v, w = _arrays(edges)
    caps = np.array([1, 1, 1, 1])

    graph = CandidateGraph(4, u, v, w)
    relaxation = solve_relaxation(graph, caps, total=10)
    chosen = round_relaxation(graph, relaxation.x, caps, total=10)

    assert relaxation.value == pytest.approx(1.8)
    assert sorted(chosen) == [1, 2]


def test_total_limits_meetings_and_gives_a_price():
    edges = [(0, 1, 1.0), (2, 3, 0.8), (4, 5, 0.5)]
    u, v, w = _arrays(edges)
    caps = np.ones(6, dtype=int)

    graph = CandidateGraph(6, u, v, w)
    relaxation = solve_relaxation(graph, caps, total=2)
    chosen = round_relaxation(graph, relaxation.x, caps, total=2)

    assert relaxation.value == pytest.approx(1.8)
    assert relaxation.duals.mu == pytest.approx(0.5)
    assert sorted(chosen) == [0, 1]


@pytest.mark.parametrize("seed", range(12))
def test_lp_bounds_brute_force_and_rounding_keeps_caps(seed):
    rng = np.random.default_rng(seed)
    n = 6
    edges = [
        (a, b, float(rng.uniform(0.1, 1.0)))
        for a, b in itertools.combinations(range(n), 2)
        if rng.random() < 0.6
    ]
    caps = rng.integers(1, 3, size=n)
    total = int(rng.integers(2, 6))
    u, v, w = _arrays(edges)

    graph = CandidateGraph(n, u, v, w)
    relaxation = solve_relaxation(graph, caps, total)
    chosen = round_relaxation(graph, relaxation.x, caps, total)

    optimum = brute_force(n, edges, caps, total)
    assert relaxation.value >= optimum - 1e-7
    degree = (
        np.bincount(np.concatenate([u[chosen], v[chosen]]), minlength=n) if chosen else np.zeros(n)
    )
    assert (degree <= caps).all() and len(chosen) <= total
