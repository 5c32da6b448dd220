"""Block products with the common terms multiplied dense: the same scores as the sparse
product, to float32 rounding, and the same best matches."""

import numpy as np
import scipy.sparse as sp

from matchmaker.engine import products
from matchmaker.engine.products import SplitProduct
from matchmaker.engine.similarity import ProfileModel
from tests.engine.helpers import TOPICS, person


def _people(n: int):
    topics = list(TOPICS)
    return [
        person(f"p{k}", topics[k % len(topics)], company=f"c{k % 7}",
               looking_for=["a python mentor", "django reviews", "gpu training"][k % 3],
               can_help=["python code review", "django", "kubernetes in production"][k % 4 % 3])
        for k in range(n)
    ]  # fmt: skip


def test_common_terms_go_dense_and_the_product_is_the_same(monkeypatch):
    rng = np.random.default_rng(3)
    everyone = np.ones((300, 5), dtype=np.float32)  # five terms in every profile
    rare = sp.random(300, 45, density=0.2, format="csr", dtype=np.float32, random_state=rng)
    rows = sp.hstack([everyone, rare], format="csr")
    cols = sp.random(300, 50, density=0.2, format="csr", dtype=np.float32, random_state=rng)
    monkeypatch.setattr(products, "DENSE_MIN_PEOPLE", 100)
    split = SplitProduct(rows, cols)
    block = np.arange(40, 80)
    side = split.columns(np.arange(300))
    made = np.full((40, 300), 7.0, dtype=np.float32)

    split.into(block, side, made, add=False)
    added = made.copy()
    split.into(block, side, added, add=True)

    assert len(split.common) > 0 and side.dense is not None
    expected = (rows[block] @ cols.T).toarray()
    assert np.allclose(made, expected, atol=1e-5)
    assert np.allclose(added, 2 * expected, atol=1e-5)


def test_a_model_with_dense_terms_scores_and_ranks_as_the_sparse_one(monkeypatch):
    people = _people(120)
    sparse_model = ProfileModel(people)
    expected = sparse_model.block_scores(np.arange(120), np.arange(120))
    expected_top = sparse_model.top_k(5)
    monkeypatch.setattr(products, "DENSE_MIN_PEOPLE", 10)
    monkeypatch.setattr(products, "DENSE_TERM_SHARE", 0.05)
    dense_model = ProfileModel(people)

    scores = dense_model.block_scores(np.arange(120), np.arange(120))
    top = dense_model.top_k(5)

    text, free = dense_model.products()
    assert len(text.common) > 0 and len(free.common) > 0
    assert np.allclose(scores, expected, atol=1e-6)
    assert np.allclose(top.score, expected_top.score, atol=1e-6)
    # Every pick is as good as the sparse model's, by the sparse model's own scores; sums in
    # another order may swap two matches that tie to float rounding (the CPU's kernels
    # decide), and only those.
    assert np.allclose(np.take_along_axis(expected, top.index, 1), expected_top.score, atol=1e-6)
    assert (top.index != np.arange(120)[:, None]).all()
    assert all(len(set(row)) == 5 for row in top.index.tolist())
