import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from matchmaker.engine.blocks import row_top_k


def _by_full_sort(block, k, above, first):
    """The reference: each row sorted by value (best first), then column from `first` on."""
    rows, cols, values = [], [], []
    width = block.shape[1]
    for r, row in enumerate(block):
        start = 0 if first is None else first[r]
        order = sorted(
            (c for c in range(width) if above is None or row[c] > above),
            key=lambda c: (-row[c], (c - start) % width),
        )
        for c in order[:k]:
            rows.append(r)
            cols.append(c)
            values.append(row[c])
    return rows, cols, values


# Few distinct values, so that ties at the k-th place are common.
values = st.sampled_from([-np.inf, -0.5, 0.0, 0.0, 0.0, 0.1, 0.25, 0.25, 0.7, 1.0])


@settings(max_examples=300, deadline=None)
@given(
    block=st.integers(1, 6).flatmap(
        lambda n: st.integers(1, 200).flatmap(lambda w: arrays(np.float32, (n, w), elements=values))
    ),
    k=st.integers(1, 12),
    above=st.sampled_from([None, -np.inf, 0.0, 1e-9, 0.25]),
    rotate=st.booleans(),
)
def test_row_top_k_equals_a_full_sort(block, k, above, rotate):
    first = np.arange(len(block)) * 7 % block.shape[1] if rotate else None

    rows, cols, found = row_top_k(block, k, above, first)

    expected = _by_full_sort(block, k, above, first)
    assert (rows.tolist(), cols.tolist(), found.tolist()) == expected


def test_row_top_k_prefers_lower_columns_among_ties_on_wide_rows():
    block = np.zeros((2, 1000), dtype=np.float32)
    block[0, [999, 500]] = 0.5
    block[1, 3] = -1.0

    rows, cols, values = row_top_k(block, 3)

    assert rows.tolist() == [0, 0, 0, 1, 1, 1]
    assert cols.tolist() == [500, 999, 0, 0, 1, 2]
    assert values.tolist() == [0.5, 0.5, 0.0, 0.0, 0.0, 0.0]


def test_row_top_k_takes_ties_from_the_first_column_on():
    block = np.zeros((2, 1000), dtype=np.float32)

    rows, cols, _ = row_top_k(block, 3, first=np.array([998, 5]))

    assert rows.tolist() == [0, 0, 0, 1, 1, 1]
    assert cols.tolist() == [998, 999, 0, 5, 6, 7]
