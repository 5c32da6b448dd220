"""The command line's large searches split over forked processes: the best matches and
their reasons, each process a contiguous share of the people (the model is inherited, not
copied). Threads share one interpreter lock, and the reasons are Python; processes use
every core. Only where processes fork, and only from a command (never inside a web worker,
whose threads a fork would copy mid-flight); the same result as one process, row for row."""

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise

import numpy as np

from matchmaker.engine.explain import reasons_for_pairs
from matchmaker.engine.similarity import ProfileModel, TopK

# Fewer people than this: one process (starting the others costs more than it gives).
FORK_MIN_PEOPLE = 20_000

# What the forked processes read: set just before the fork, inherited.
_SHARED: tuple | None = None


def _can_fork(workers: int, size: int) -> bool:
    return workers >= 2 and size >= FORK_MIN_PEOPLE and "fork" in mp.get_all_start_methods()


def _shares(size: int, workers: int) -> list[tuple[int, int]]:
    return list(pairwise(np.linspace(0, size, workers + 1).astype(int).tolist()))


def _in_processes(work, shares: list[tuple[int, int]], shared: tuple) -> list:
    global _SHARED
    _SHARED = shared
    try:
        with ProcessPoolExecutor(len(shares), mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(work, shares))
    finally:
        _SHARED = None


def top_k_in_processes(model: ProfileModel, k: int, workers: int) -> TopK:
    """`model.top_k(k)` with each of `workers` processes searching a share of the rows (on
    one thread each)."""
    m = len(model.attendees)
    if not _can_fork(workers, m):
        return model.top_k(k)
    parts = _in_processes(_top_k_share, _shares(m, workers), (model, k))
    whole = parts[0]
    for (first, stop), part in zip(_shares(m, workers), parts, strict=True):
        whole.index[first:stop] = part.index[first:stop]
        whole.score[first:stop] = part.score[first:stop]
        whole.threshold[first:stop] = part.threshold[first:stop]
    return whole


def _top_k_share(share: tuple[int, int]) -> TopK:
    model, k = _SHARED
    os.environ["MATCHMAKER_ENGINE_THREADS"] = "1"  # this process is one of the workers
    return model.top_k(k, part=share)


def reasons_in_processes(
    model: ProfileModel, left: np.ndarray, right: np.ndarray, workers: int
) -> list[list[str]]:
    """`reasons_for_pairs` over `workers` processes, each a contiguous share of the pairs
    (a person's pairs together, so each reads their words once)."""
    if not _can_fork(workers, len(left)):
        return reasons_for_pairs(model, left, right)
    shares = _in_processes(_reasons_share, _shares(len(left), workers), (model, left, right))
    return [reasons for share in shares for reasons in share]


def _reasons_share(share: tuple[int, int]) -> list[list[str]]:
    model, left, right = _SHARED
    first, stop = share
    return reasons_for_pairs(model, left[first:stop], right[first:stop])
