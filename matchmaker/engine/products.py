"""Dense blocks of sparse products (rows x terms times terms x columns) at large events.

At 50,000 profiles a block of 256 rows times every column is two thirds dense: the words in
a few percent of all profiles are in most pairs. scipy builds such a result as a sparse
matrix (slow for a dense one) and then writes it out. Here the common terms (in more than
DENSE_TERM_SHARE of the columns' profiles, at most DENSE_TERMS_MAX of them) multiply as
dense matrices (one BLAS product that adds into the block) and only the rest as a sparse
product, whose result is sparse again. The same sums, in another order: equal to float32
rounding (tests/engine/test_products.py)."""

import numpy as np
import scipy.sparse as sp
from scipy.linalg.blas import sgemm

# A term in more than this share of the columns' profiles is multiplied dense; measured at
# 50,000 profiles (a block of 256 rows: 0.21 s sparse; 454 terms over 2% dense + the rest
# sparse 0.09 s; 1% 0.17 s; 5% 0.10 s).
DENSE_TERM_SHARE = 0.02
DENSE_TERMS_MAX = 512  # the commonest, so the dense columns stay under 100 MB at 50,000
DENSE_MIN_PEOPLE = 5000  # smaller events: a sparse product is as fast


class SplitColumns:
    """The column side of one product: the common terms as a dense [terms, columns] array,
    the rest as a sparse [terms, columns] matrix."""

    def __init__(self, dense: np.ndarray | None, sparse: sp.csr_matrix):
        self.dense, self.sparse = dense, sparse
        self.width = sparse.shape[1]


class SplitProduct:
    """Row-side matrix [people, terms] times a column-side matrix [people, terms] transposed,
    in dense blocks, the common terms apart (see the module's docstring)."""

    def __init__(self, rows: sp.csr_matrix, cols: sp.csr_matrix | None = None):
        cols = rows if cols is None else cols
        people, terms = cols.shape
        common = np.zeros(0, dtype=np.int64)
        if people >= DENSE_MIN_PEOPLE:
            profiles_with = np.bincount(cols.indices, minlength=terms)
            common = np.flatnonzero(profiles_with > DENSE_TERM_SHARE * people)
            if len(common) > DENSE_TERMS_MAX:
                commonest = np.argsort(-profiles_with[common], kind="stable")[:DENSE_TERMS_MAX]
                common = np.sort(common[commonest])
        self.common = common
        if len(common):
            rare = np.setdiff1d(np.arange(terms), common)
            self.rows_dense, self.rows_sparse = rows[:, common].tocsr(), rows[:, rare].tocsr()
            self.cols_dense, self.cols_sparse = cols[:, common].tocsr(), cols[:, rare].tocsr()
        else:
            self.rows_dense = self.cols_dense = None
            self.rows_sparse, self.cols_sparse = rows.tocsr(), cols.tocsr()

    def columns(self, cols: np.ndarray) -> SplitColumns:
        """The column side for these columns, prepared once for many row blocks."""
        dense = None
        if self.cols_dense is not None:
            dense = np.ascontiguousarray(self.cols_dense[cols].toarray().T, dtype=np.float32)
        return SplitColumns(dense, self.cols_sparse[cols].T.tocsr())

    def into(self, rows: np.ndarray, side: SplitColumns, out: np.ndarray, add: bool) -> None:
        """rows x side's columns written into `out` [len(rows), columns], or added to it."""
        part = self.rows_sparse[rows] @ side.sparse
        if add:
            found = part.tocoo()
            out[found.row, found.col] += found.data
        else:
            part.toarray(out=out)
        if side.dense is not None:
            dense_rows = self.rows_dense[rows].toarray().astype(np.float32, copy=False)
            # out^T (Fortran order) += side^T x rows^T: BLAS adds in place, no block copy.
            made = sgemm(1.0, side.dense.T, dense_rows.T, beta=1.0, c=out.T, overwrite_c=1)
            if not np.shares_memory(made, out):  # `out` was not a float32 C-order array
                out[...] = made.T
