"""Choosing one-to-one meetings: the LP relaxation of the degree-capped matching, its proven
bound, and rounding its solution to a set of pairs."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from matchmaker.engine.blocks import BLOCK_ROWS, map_blocks, row_top_k

# Columns per prepared chunk when pricing (a multiple of the row block).
PRICING_CHUNK = 8 * BLOCK_ROWS


def _with_tables_row(incidence: sp.csr_matrix, caps: np.ndarray, total: int):
    """The constraints `degree <= caps` plus one row `meetings <= total` (tables x slots)."""
    matrix = sp.vstack([incidence, sp.csr_matrix(np.ones((1, incidence.shape[1])))]).tocsr()
    return matrix, np.concatenate([caps.astype(np.float64), [float(total)]])


@dataclass(frozen=True)
class Duals:
    """The LP's dual prices: per attendee (y), and per meeting of the tables row (mu)."""

    y: np.ndarray
    mu: float


@dataclass(frozen=True)
class Relaxation:
    """The LP optimum `x` over candidate edges and bounds on the best possible total."""

    x: np.ndarray
    value: float
    duals: Duals


@dataclass(frozen=True)
class CandidateGraph:
    """The pairs that could meet among n people: edge e joins u[e] < v[e] with score w[e]."""

    n: int
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray

    def __len__(self) -> int:
        return len(self.w)

    def positive(self) -> "CandidateGraph":
        """The edges worth choosing (score above 0)."""
        keep = self.w > 0
        return CandidateGraph(self.n, self.u[keep], self.v[keep], self.w[keep])

    def codes(self) -> np.ndarray:
        """One number per edge, equal for the same pair."""
        return self.u * self.n + self.v

    def with_edges(self, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> "CandidateGraph":
        """This graph plus more edges."""
        return CandidateGraph(
            self.n,
            np.concatenate([self.u, u]),
            np.concatenate([self.v, v]),
            np.concatenate([self.w, w]),
        )

    def edges(self, chosen) -> list[tuple[int, int, float]]:
        """The chosen edges as (a, b, score)."""
        return [(int(self.u[e]), int(self.v[e]), float(self.w[e])) for e in chosen]


def _incidence(n: int, u: np.ndarray, v: np.ndarray) -> sp.csr_matrix:
    m = len(u)
    cols = np.concatenate([np.arange(m), np.arange(m)])
    return sp.csr_matrix((np.ones(2 * m), (np.concatenate([u, v]), cols)), shape=(n, m))


@dataclass(frozen=True)
class Pricing:
    """Pairs the LP undervalues (positive reduced cost), and the bound the duals prove."""

    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    bound: float


def price_pairs(
    model,
    members: np.ndarray,
    caps: np.ndarray,
    total: int,
    duals: Duals,
    available: list[int] | None = None,
    excluded: dict[int, set[int]] | None = None,
    per_row: int = 10,
) -> Pricing:
    """Scan every pair of members once: the best undervalued pairs of each row, and a bound.

    With y >= 0 and mu >= 0 from any source, z_ab = max(0, w_ab - y_a - y_b - mu) completes a
    feasible dual of the LP over all pairs, so sum(caps * y) + total * mu + sum(z) bounds every
    plan (weak duality), whatever the solver's accuracy. Pairs that share no slot or must not
    meet are left out: they cannot meet.
    """
    y = np.maximum(duals.y, 0.0)
    mu = max(duals.mu, 0.0)
    members = np.asarray(members)
    masks = None
    if available is not None and max(available, default=0) < (1 << 62):
        masks = np.array([available[m] for m in members], dtype=np.int64)
    position = {int(a): p for p, a in enumerate(members)}
    # Each pair once (a < b): a row block needs only the columns from its own first row on,
    # so the columns are prepared in chunks and a block multiplies the chunks it reaches.
    chunk = PRICING_CHUNK
    sides = [(c0, model.columns(members[c0 : c0 + chunk])) for c0 in range(0, len(members), chunk)]
    excess = 0.0
    found_u, found_v = [], []

    def block_prices(start: int):
        rows = np.arange(start, min(start + BLOCK_ROWS, len(members)))
        parts = [(c0, side) for c0, side in sides if c0 + chunk > start]
        first = parts[0][0]
        columns = np.arange(first, len(members))
        reduced = np.hstack([model.block_scores(members[rows], side) for _, side in parts]).astype(
            np.float64
        )
        reduced -= y[members[rows]][:, None] + y[members[columns]][None, :] + mu
        reduced[columns[None, :] <= rows[:, None]] = 0.0  # each pair once, a < b
        if masks is not None:
            reduced[(masks[rows][:, None] & masks[columns][None, :]) == 0] = 0.0
        for r in rows:
            for other in (excluded or {}).get(int(members[r]), ()):
                if position.get(other, -1) >= first:
                    reduced[r - start, position[other] - first] = 0.0
        np.maximum(reduced, 0.0, out=reduced)
        r_idx, c_idx, _ = row_top_k(
            reduced, per_row or reduced.shape[1], above=1e-9, first=rows - first
        )
        return float(reduced.sum()), members[rows[r_idx]], members[columns[c_idx]]

    for block_excess, block_u, block_v in map_blocks(
        block_prices, range(0, len(members), BLOCK_ROWS)
    ):
        excess += block_excess
        found_u.append(block_u)
        found_v.append(block_v)
    u = np.concatenate(found_u) if found_u else np.zeros(0, dtype=np.int64)
    v = np.concatenate(found_v) if found_v else np.zeros(0, dtype=np.int64)
    return Pricing(u=u, v=v, w=model.pair_scores(u, v), bound=float(caps @ y + total * mu + excess))


def solve_relaxation(graph: CandidateGraph, caps: np.ndarray, total: int) -> Relaxation:
    """Maximise sum w_e x_e with each attendee in at most caps[a] meetings, at most `total`
    meetings in all (tables x slots), 0 <= x <= 1, by HiGHS."""
    n, u, v, w = graph.n, graph.u, graph.v, graph.w
    if len(w) == 0:
        return Relaxation(x=np.zeros(0), value=0.0, duals=Duals(np.zeros(n), 0.0))
    incidence = _incidence(n, u, v)
    # Tables rarely bind; without their row the LP solves several times faster.
    result = linprog(
        -w, A_ub=incidence, b_ub=caps.astype(np.float64), bounds=(0, 1), method="highs"
    )
    if result.status == 0 and result.x.sum() <= total + 1e-6:
        return Relaxation(
            x=np.clip(result.x, 0.0, 1.0),
            value=float(-result.fun),
            duals=Duals(y=-result.ineqlin.marginals, mu=0.0),
        )
    a_ub, b_ub = _with_tables_row(incidence, caps, total)
    result = linprog(-w, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs-ipm")
    if result.status != 0:
        raise RuntimeError(f"the LP relaxation failed: {result.message}")
    prices = -result.ineqlin.marginals
    return Relaxation(
        x=np.clip(result.x, 0.0, 1.0),
        value=float(-result.fun),
        duals=Duals(y=prices[:n], mu=float(prices[n])),
    )


def round_relaxation(
    graph: CandidateGraph, x: np.ndarray, caps: np.ndarray, total: int
) -> list[int]:
    """Edges chosen from the LP solution: whole ones first, then by x and weight, within caps."""
    u, v, w = graph.u, graph.v, graph.w
    order = np.lexsort((np.arange(len(w)), -w, -np.round(x, 6)))
    degree = np.zeros(len(caps), dtype=np.int64)
    chosen: list[int] = []
    for e in order:
        if x[e] <= 1e-6 or len(chosen) >= total:
            break
        a, b = u[e], v[e]
        if degree[a] < caps[a] and degree[b] < caps[b]:
            degree[a] += 1
            degree[b] += 1
            chosen.append(int(e))
    return chosen


def solve_integer(
    graph: CandidateGraph,
    caps: np.ndarray,
    total: int,
    nodes: int = 1000,
    seconds: float = 60.0,
) -> list[int] | None:
    """The best set of edges within caps and total (HiGHS MILP), or None if none was found.
    Used where the candidate graph is small enough to solve exactly. The search stops after
    `nodes` branch-and-bound nodes, which is the same on every machine; `seconds` is only a
    safety net (the largest candidate graphs measured solve at the root in about 2 s)."""
    n, u, v, w = graph.n, graph.u, graph.v, graph.w
    if len(w) == 0:
        return []
    matrix, upper = _with_tables_row(_incidence(n, u, v), caps, total)
    result = milp(
        -w,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(len(w)),
        bounds=Bounds(0, 1),
        options={"node_limit": nodes, "time_limit": seconds},
    )
    if result.x is None:
        return None
    return [int(e) for e in np.flatnonzero(result.x > 0.5)]
