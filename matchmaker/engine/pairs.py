"""Choosing one-to-one meetings: the LP relaxation of the degree-capped matching, its proven
bound, and rounding its solution to a set of pairs."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from matchmaker.engine.blocks import BLOCK_ROWS, map_blocks, row_top_k

# Columns per prepared chunk when pricing (a multiple of the row block).
PRICING_CHUNK = 8 * BLOCK_ROWS


@dataclass(frozen=True)
class Duals:
    """The LP's dual prices: per attendee for their cap (y) and for their fairness bonus (z),
    and per meeting of the tables row (mu)."""

    y: np.ndarray
    mu: float
    z: np.ndarray | None = None

    def prices(self) -> np.ndarray:
        """What a meeting costs each person at these prices: y - z (z >= 0 may exceed y)."""
        y = np.maximum(self.y, 0.0)
        return y if self.z is None else y - np.maximum(self.z, 0.0)


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

    def positive(self, floor: float = 0.0) -> "CandidateGraph":
        """The edges worth choosing: score above `floor` (0; just below 0 to keep pairs of
        score 0 that a fairness bonus makes worth meeting)."""
        keep = self.w > floor
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


def fairness_excess(bonus: np.ndarray | None, duals: Duals) -> float:
    """What the fairness bonuses add to the dual bound: sum over people and ranks of
    max(0, bonus[a, k] - z_a)."""
    if bonus is None or not bonus.size:
        return 0.0
    z = np.zeros(len(bonus)) if duals.z is None else np.maximum(duals.z, 0.0)
    return float(np.maximum(bonus - z[:, None], 0.0).sum())


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
    bonus: np.ndarray | None = None,
    extra: "CandidateGraph | None" = None,
) -> Pricing:
    """Scan every pair of members once: the best undervalued pairs of each row, and a bound.

    With y, z, mu >= 0 from any source, p = y - z and r_ab = max(0, w_ab - p_a - p_b - mu)
    complete a feasible dual of the LP over all pairs (see `solve_relaxation`), so
    sum(caps * y) + total * mu + sum(max(0, bonus - z)) + sum(r) bounds every plan (weak
    duality), whatever the solver's accuracy. Pairs that share no slot or must not meet are
    left out: they cannot meet. `extra` pairs are worth more than their model score (a
    meeting people have already seen): their larger reduced cost replaces the model's.
    """
    y = np.maximum(duals.y, 0.0)
    price = duals.prices()
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
        reduced -= price[members[rows]][:, None] + price[members[columns]][None, :] + mu
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
    if extra is not None and len(extra):
        base = model.pair_scores(extra.u, extra.v).astype(np.float64)
        cost = price[extra.u] + price[extra.v] + mu
        excess += float(
            (np.maximum(extra.w - cost, 0.0) - np.maximum(base - cost, 0.0)).clip(min=0.0).sum()
        )
    u = np.concatenate(found_u) if found_u else np.zeros(0, dtype=np.int64)
    v = np.concatenate(found_v) if found_v else np.zeros(0, dtype=np.int64)
    bound = float(caps @ y + total * mu + excess + fairness_excess(bonus, duals))
    return Pricing(u=u, v=v, w=model.pair_scores(u, v), bound=bound)


def _program(graph: "CandidateGraph", caps: np.ndarray, total: int | None, bonus):
    """The LP in matrix form over x (one per edge) then s (one per person and rank with a
    bonus): maximise w.x + bonus.s with degree(x) <= caps (rows 0..n-1), for people with a
    bonus sum(s_a) <= degree_a (the next rows) and, when `total` is given, sum(x) <= total
    (the last row). Returns (cost to minimise, matrix, upper, the people with bonus rows)."""
    n, m = graph.n, len(graph)
    incidence = _incidence(n, graph.u, graph.v)
    blocks, upper = [[incidence]], [caps.astype(np.float64)]
    costs = [-graph.w]
    ruled = np.zeros(0, dtype=np.int64)
    if bonus is not None and bonus.size and (bonus > 0).any():
        who, rank = np.nonzero(bonus > 0)
        ruled = np.unique(who)
        row_of = np.searchsorted(ruled, who)
        k = len(who)
        picks = sp.csr_matrix((np.ones(k), (row_of, np.arange(k))), shape=(len(ruled), k))
        blocks = [[incidence, sp.csr_matrix((n, k))], [-incidence[ruled], picks]]
        upper.append(np.zeros(len(ruled)))
        costs.append(-bonus[who, rank])
    if total is not None:
        width = sum(b.shape[1] for b in blocks[0])
        row = np.zeros((1, width))
        row[0, :m] = 1.0
        blocks.append(
            [sp.csr_matrix(row)]
            if len(blocks[0]) == 1
            else [sp.csr_matrix(row[:, :m]), sp.csr_matrix(row[:, m:])]
        )
        upper.append(np.array([float(total)]))
    matrix = sp.bmat(blocks, format="csr")
    return np.concatenate(costs), matrix, np.concatenate(upper), ruled


def _duals(marginals: np.ndarray, n: int, ruled: np.ndarray, with_total: bool) -> Duals:
    prices = -marginals
    z = np.zeros(n)
    z[ruled] = prices[n : n + len(ruled)]
    return Duals(y=prices[:n], mu=float(prices[-1]) if with_total else 0.0, z=z)


def solve_relaxation(
    graph: CandidateGraph, caps: np.ndarray, total: int, bonus: np.ndarray | None = None
) -> Relaxation:
    """Maximise sum w_e x_e + sum bonus[a, k] s_ak with each attendee in at most caps[a]
    meetings, a person's bonuses earned by as many meetings (s_a1 + s_a2 + ... <= degree_a;
    bonuses fall with rank, so the first is earned first), at most `total` meetings in all
    (tables x slots), 0 <= x, s <= 1, by HiGHS."""
    n, m = graph.n, len(graph)
    if m == 0:
        return Relaxation(x=np.zeros(0), value=0.0, duals=Duals(np.zeros(n), 0.0, np.zeros(n)))
    # Tables rarely bind; without their row the LP solves several times faster.
    cost, matrix, upper, ruled = _program(graph, caps, None, bonus)
    result = linprog(cost, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs")
    if result.status == 0 and result.x[:m].sum() <= total + 1e-6:
        return Relaxation(
            x=np.clip(result.x[:m], 0.0, 1.0),
            value=float(-result.fun),
            duals=_duals(result.ineqlin.marginals, n, ruled, with_total=False),
        )
    cost, matrix, upper, ruled = _program(graph, caps, total, bonus)
    result = linprog(cost, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs-ipm")
    if result.status != 0:
        raise RuntimeError(f"the LP relaxation failed: {result.message}")
    return Relaxation(
        x=np.clip(result.x[:m], 0.0, 1.0),
        value=float(-result.fun),
        duals=_duals(result.ineqlin.marginals, n, ruled, with_total=True),
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
    bonus: np.ndarray | None = None,
) -> list[int] | None:
    """The best set of edges within caps and total (HiGHS MILP), or None if none was found.
    Used where the candidate graph is small enough to solve exactly. The search stops after
    `nodes` branch-and-bound nodes, which is the same on every machine; `seconds` is only a
    safety net (the largest candidate graphs measured solve at the root in about 2 s)."""
    m = len(graph)
    if m == 0:
        return []
    cost, matrix, upper, _ = _program(graph, caps, total, bonus)
    integral = np.zeros(len(cost))
    integral[:m] = 1
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=integral,
        bounds=Bounds(0, 1),
        options={"node_limit": nodes, "time_limit": seconds, "mip_rel_gap": 1e-4},
    )
    if result.x is None:
        return None
    return [int(e) for e in np.flatnonzero(result.x[:m] > 0.5)]
