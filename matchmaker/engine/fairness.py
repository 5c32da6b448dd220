"""Sharing one-to-one meetings fairly: a person's first and second one-to-one are worth a bonus
on top of their pair's score, so that nobody who could have two gets one while others get six;
and the figures that show how evenly meetings are shared."""

import numpy as np

# The bonus of a person's 1st, 2nd, ... one-to-one (later ones add only their score). Pair
# scores are cosine-like, mostly 0.1-0.4; measured in docs/engine.md ("Fairness").
BONUS = (0.2, 0.1, 0.05)


def bonus_table(caps: np.ndarray, already: np.ndarray | list[int]) -> np.ndarray:
    """Per person, the bonus of each next one-to-one they could still have: `already` meetings
    have earned theirs, and none comes beyond the cap. Shape (people, len(BONUS))."""
    ranks = len(BONUS)
    table = np.zeros((len(caps), ranks))
    already = np.asarray(already, dtype=np.int64)
    for k in range(ranks):
        rank = already + k
        earned = (rank < ranks) & (k < np.asarray(caps) - already)
        table[earned, k] = np.array(BONUS)[rank[earned]]
    return table


def earned(degrees) -> float:
    """The bonuses earned by people with these numbers of one-to-one meetings."""
    steps = np.concatenate([[0.0], np.cumsum(BONUS)])
    clipped = np.minimum(np.asarray(degrees, dtype=np.int64), len(BONUS))
    return float(steps[clipped].sum()) if len(clipped) else 0.0


def gini(values) -> float:
    """The Gini coefficient of non-negative counts (0 = all equal)."""
    ordered = np.sort(np.asarray(values, dtype=np.float64))
    if not len(ordered) or not ordered.sum():
        return 0.0
    n = len(ordered)
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ ordered / (n * ordered.sum()))


def distribution(counts) -> dict[str, int]:
    """How many people have 0, 1, 2, ... one-to-ones, keyed by the count as text (JSON)."""
    found: dict[str, int] = {}
    for count in sorted(counts):
        found[str(count)] = found.get(str(count), 0) + 1
    return found
