"""The command line's search and reasons over forked processes give what one process gives."""

import numpy as np

from matchmaker.engine import forked
from matchmaker.engine.explain import reasons_for_pairs
from matchmaker.engine.similarity import ProfileModel
from tests.engine.test_products import _people


def test_two_processes_find_the_same_matches_and_reasons(monkeypatch):
    model = ProfileModel(_people(90))
    expected = model.top_k(4)
    left = np.repeat(np.arange(90), 4)
    right = expected.index.ravel()
    monkeypatch.setattr(forked, "FORK_MIN_PEOPLE", 10)

    top = forked.top_k_in_processes(model, 4, workers=2)
    reasons = forked.reasons_in_processes(model, left, right, workers=3)

    assert np.array_equal(top.index, expected.index)
    assert np.array_equal(top.score, expected.score)
    assert np.array_equal(top.threshold, expected.threshold)
    assert reasons == reasons_for_pairs(model, left, right)
    assert any(r != ["Someone new, outside your usual circle"] for r in reasons)


def test_a_small_search_stays_in_this_process(monkeypatch):
    model = ProfileModel(_people(12))
    monkeypatch.setattr(forked, "_in_processes", None)  # would fail if called

    top = forked.top_k_in_processes(model, 3, workers=2)

    assert np.array_equal(top.index, model.top_k(3).index)
