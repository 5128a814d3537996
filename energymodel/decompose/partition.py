"""Split a compiled LP into a master problem and one operational subproblem per subperiod, by its labels.

With the hour of every row and column known (compile.Labels), and subperiods of ``H`` consecutive
hours (a week: 168), every column and row falls into one of these groups:

* **master columns** ``y``: the columns without an hour (new capacity, storage energy, lines ...);
* **linking columns** ``s``: hourly columns that a row of another subperiod also reads (levels and
  online capacity at the hour before a subperiod starts): the master holds their values too;
* **master rows**: rows over master columns only (build limits, reserve margins, also the hourly planning
  margin's rows, which hold capacities against each hour's demand);
  hourly rows over master and linking columns only (a boundary level within the energy capacity)
  are copied into the master as well, so that the master's linking values stay within reach;
* **coupling rows**: rows without an hour that read hourly columns (the yearly CO2 cap, targets):
  row r, ``sum_k a_rk . x_k + h_r . y  (sense)  b_r``, is split with one **budget variable** per
  subperiod it reaches, ``beta_rk``: the master keeps ``sum_k beta_rk + h_r . y (sense) b_r`` and
  subproblem k gets ``a_rk . x_k (sense) beta_rk`` (with a penalised overrun, so it is always feasible);
* **hourly rows** go to the subproblem of their hour; master columns in them move to the right-hand
  side; a linking column from another subperiod becomes a copy column, held to the master's value by
  ``copy + over - under = s`` with penalised slacks (the owner holds its own column the same way).

The master's variables are ``z = (y, s, beta)``. For a master point, subproblem k's optimal cost
``Q_k(z)`` is convex in z; the duals of its rows give a subgradient (``-A_ky' pi`` for master
columns on the right-hand side, the duals of the holding rows and budget rows for s and beta).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from ..compile import make_lp
from .reach import reach_rows

INF = highspy.kHighsInf


@dataclass
class Subproblem:
    """One subperiod's LP with the master's values as right-hand sides (see the module docstring)."""

    index: int
    hours: np.ndarray  # modelled hours of the subperiod
    cost: np.ndarray  # of the local columns (own, copies, then the penalised slacks)
    col_lower: np.ndarray
    col_upper: np.ndarray
    matrix: sparse.csc_matrix | None  # local rows x local columns (None once handed to HiGHS)
    own_cols: np.ndarray  # global column of each of the first len(own_cols) local columns
    own_rows: np.ndarray  # global row of each of the first len(own_rows) local rows
    base_lower: np.ndarray  # row bounds of the local rows before the master's terms move to the right-hand side
    base_upper: np.ndarray
    rhs_matrix: sparse.csr_matrix  # R, (local rows, master vector): row bounds at master point z are base - R z;
    # the subgradient of the subproblem's cost at z is -R' (row duals)
    n_slack: int  # penalised slack columns (the last local columns)
    cost_floor: float = -1e18  # a lower bound on the subproblem's cost at any master point in the box (cost_floor())

    def lp(self) -> highspy.HighsLp:
        """The subproblem as a HiGHS LP at the master point z = 0 (plain arrays travel to Dask workers; HighsLp does not pickle)."""
        return make_lp(len(self.cost), self.cost, 0.0, self.col_lower, self.col_upper, self.matrix, self.base_lower, self.base_upper)


@dataclass
class Partition:
    """The master's data and the subproblems of one LP."""

    n_master: int  # length of the master vector z = (y, s, beta)
    master_cols: np.ndarray  # global columns of y
    linking_cols: np.ndarray  # global columns of s
    budget_rows: np.ndarray  # coupling row of each beta
    budget_sub: np.ndarray  # subproblem of each beta
    z_cost: np.ndarray
    z_lower: np.ndarray
    z_upper: np.ndarray
    master_matrix: sparse.csr_matrix  # master rows and the coupling rows' master parts, over z
    master_lower: np.ndarray
    master_upper: np.ndarray
    master_row_ids: np.ndarray  # global row of each master row (master rows, copied linking rows, coupling rows; then reach rows)
    n_own_master_rows: int  # the first rows of master_row_ids belong to the master alone (their duals are the master's) ...
    n_coupling: int  # ... and the last n_coupling are the coupling rows; the ones between are copied linking rows
    offset: float
    subproblems: list[Subproblem]
    n_rows: int
    n_cols: int
    z_start: np.ndarray  # a first guess of z (NaN: none): the budgets shared by hours


@dataclass
class _Split:
    """The LP's arrays and how its rows and columns were classified, shared by every subproblem's construction."""

    a: sparse.csr_matrix
    cost: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    row_sub: np.ndarray  # subperiod of each row (-1: none)
    col_sub: np.ndarray  # subperiod of each column (-1: a master column)
    z_index: np.ndarray  # position of each master or linking column in the master vector z (-1: neither)
    is_linking: np.ndarray
    budget_rows: np.ndarray
    budget_sub: np.ndarray
    n_master: int
    penalty: float


def subperiods(hours_period: np.ndarray, hours_per_subperiod: int) -> np.ndarray:
    """Subperiod of each modelled hour: consecutive runs of ``hours_per_subperiod`` within each period."""
    out = np.empty(len(hours_period), dtype=np.int64)
    next_index = 0
    for p in np.unique(hours_period):
        hours = np.flatnonzero(hours_period == p)
        chunk = np.arange(len(hours)) // hours_per_subperiod
        out[hours] = next_index + chunk
        next_index += int(chunk.max()) + 1
    return out


def partition(lp: highspy.HighsLp, rows, columns, hour_sub: np.ndarray, penalty: float) -> Partition:
    """Split ``lp`` (labels ``rows``/``columns``; subperiod of each hour ``hour_sub``); slacks cost ``penalty`` per unit."""
    n_rows, n_cols = lp.num_row_, lp.num_col_
    a = sparse.csc_matrix(
        (np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_), np.asarray(lp.a_matrix_.start_)), shape=(n_rows, n_cols)
    ).tocsr()
    cost, col_lo, col_hi = (np.asarray(v, dtype=float) for v in (lp.col_cost_, lp.col_lower_, lp.col_upper_))
    row_lo, row_hi = np.asarray(lp.row_lower_, dtype=float), np.asarray(lp.row_upper_, dtype=float)
    col_sub = np.where(columns.hour >= 0, hour_sub[np.maximum(columns.hour, 0)], -1)
    row_sub = np.where(rows.hour >= 0, hour_sub[np.maximum(rows.hour, 0)], -1)
    coo = a.tocoo()
    # hourly rows over master columns only (the hourly planning margin: capacities against each hour's demand) are master rows
    reads_hourly = np.zeros(n_rows, dtype=bool)
    reads_hourly[coo.row[col_sub[coo.col] >= 0]] = True
    row_sub = np.where(reads_hourly, row_sub, -1)
    entry_row_sub, entry_col_sub = row_sub[coo.row], col_sub[coo.col]

    # linking columns: hourly columns read by an hourly row of another subperiod
    crossing = (entry_row_sub >= 0) & (entry_col_sub >= 0) & (entry_row_sub != entry_col_sub)
    linking_cols = np.unique(coo.col[crossing])
    master_cols = np.flatnonzero(col_sub < 0)
    # coupling rows: no hour, at least one hourly column; master rows: no hour, master columns only
    hourless_rows = np.flatnonzero(row_sub < 0)
    touches_hourly = np.zeros(n_rows, dtype=bool)
    touches_hourly[coo.row[(entry_row_sub < 0) & (entry_col_sub >= 0)]] = True
    coupling_rows = hourless_rows[touches_hourly[hourless_rows]]
    master_rows = hourless_rows[~touches_hourly[hourless_rows]]
    # one budget variable per (coupling row, subperiod it reaches)
    pairs = np.unique(np.stack([coo.row, entry_col_sub])[:, np.isin(coo.row, coupling_rows) & (entry_col_sub >= 0)].T, axis=0).reshape(
        -1, 2
    )
    budget_rows, budget_sub = pairs[:, 0], pairs[:, 1]

    ny, ns, nb = len(master_cols), len(linking_cols), len(budget_rows)
    n_master = ny + ns + nb
    # the master's unbounded variables get a box far outside anything the LP's data allow (10x its largest bound or
    # right-hand side), so that early cutting-plane points stay finite and the subproblems numerically sound
    # (per kind: budgets by the coupling rows' right-hand sides, the rest by the other rows' and the columns' bounds; one box for
    # all would give capacities in MW the range of a CO2 cap in t, and cuts HiGHS cannot solve)
    other_rows = np.setdiff1d(np.arange(n_rows), coupling_rows)
    box = _box(np.r_[row_lo[other_rows], row_hi[other_rows], col_lo, col_hi])
    box_budget = _box(np.r_[row_lo[coupling_rows], row_hi[coupling_rows]]) if len(coupling_rows) else box
    z_cost = np.r_[cost[master_cols], np.zeros(ns + nb)]
    budget_lo, budget_hi = _budget_ranges(a, budget_rows, budget_sub, col_sub, col_lo, col_hi)
    z_box = np.r_[np.full(ny + ns, box), np.full(nb, box_budget)]
    z_lower = np.maximum(np.r_[col_lo[master_cols], col_lo[linking_cols], budget_lo], -z_box)
    z_upper = np.minimum(np.r_[col_hi[master_cols], col_hi[linking_cols], budget_hi], z_box)

    # hourly rows over master and linking columns only (e.g. a boundary level <= the energy capacity) are
    # copied into the master too: they bound the linking values by what the subproblems can take
    in_z = np.zeros(n_cols, dtype=bool)
    in_z[master_cols] = in_z[linking_cols] = True
    outside = np.bincount(coo.row[~in_z[coo.col]], minlength=n_rows)
    reaches_linking = np.zeros(n_rows, dtype=bool)
    reaches_linking[coo.row[np.isin(coo.col, linking_cols)]] = True
    linking_rows = np.flatnonzero((row_sub >= 0) & (outside == 0) & reaches_linking)
    # master rows over z: master rows and linking rows as they are; coupling rows with their master part plus their budgets
    m_rows = np.r_[master_rows, linking_rows, coupling_rows]
    z_index = np.full(n_cols, -1, dtype=np.int64)
    z_index[master_cols] = np.arange(ny)
    z_index[linking_cols] = ny + np.arange(ns)
    sub_a = a[m_rows].tocoo()
    keep = z_index[sub_a.col] >= 0
    b_pos = {r: i for i, r in enumerate(m_rows)}
    b_row = np.array([b_pos[r] for r in budget_rows], dtype=np.int64)
    master_matrix = sparse.csr_matrix(
        (np.r_[sub_a.data[keep], np.ones(nb)], (np.r_[sub_a.row[keep], b_row], np.r_[z_index[sub_a.col[keep]], ny + ns + np.arange(nb)])),
        shape=(len(m_rows), n_master),
    )
    # and, after them (rows of no LP row: their duals are not the LP's), how far each subperiod can move its boundary values
    row_group = rows.family.astype(np.int64) * (int(rows.key.max(initial=0)) + 1) + rows.key
    reach, reach_lo, reach_hi = reach_rows(a, row_lo, row_hi, row_sub, row_group, col_lo, col_hi, z_index, ny, n_master)
    master_matrix = sparse.vstack([master_matrix, reach]).tocsr()

    # a first guess for the budgets: each coupling row's right-hand side shared by the subperiods' hours
    hours_in = np.bincount(hour_sub, minlength=int(hour_sub.max()) + 1).astype(float)
    reached = np.zeros(n_rows)
    np.add.at(reached, budget_rows, hours_in[budget_sub])
    rhs = np.where(np.abs(row_hi) < INF, row_hi, np.where(np.abs(row_lo) < INF, row_lo, 0.0))
    budget_guess = rhs[budget_rows] * hours_in[budget_sub] / np.maximum(reached[budget_rows], 1.0)
    z_start = np.r_[np.full(ny + ns, np.nan), budget_guess]

    is_linking = np.zeros(n_cols, dtype=bool)
    is_linking[linking_cols] = True
    split = _Split(
        a, cost, col_lo, col_hi, row_lo, row_hi, row_sub, col_sub, z_index, is_linking, budget_rows, budget_sub, n_master, penalty
    )
    # the budgets' bounds that matter and that the column bounds do not give: below, of a <= row (a cap: the cap bounds
    # the rest); above, of a >= row (a target)
    need_low = ~np.isfinite(budget_lo) & np.isfinite(row_hi[budget_rows])
    need_high = ~np.isfinite(budget_hi) & np.isfinite(row_lo[budget_rows])
    subproblems = []
    for k in range(int(hour_sub.max()) + 1):
        sub = _subproblem(k, split, np.flatnonzero(hour_sub == k))
        _tighten_budgets(sub, a, need_low & (budget_sub == k), need_high & (budget_sub == k), budget_rows, ny + ns, z_lower, z_upper)
        sub.cost_floor = cost_floor(sub, lambda: RelaxedSubproblem(sub, z_lower, z_upper))  # noqa: B023 - called at once
        subproblems.append(sub)
    return Partition(
        n_master,
        master_cols,
        linking_cols,
        budget_rows,
        budget_sub,
        z_cost,
        z_lower,
        z_upper,
        master_matrix,
        np.r_[row_lo[m_rows], reach_lo],
        np.r_[row_hi[m_rows], reach_hi],
        m_rows,
        len(master_rows),
        len(coupling_rows),
        float(lp.offset_),
        subproblems,
        n_rows,
        n_cols,
        z_start,
    )


NO_FLOOR = -1e18
"""The floor of a subproblem whose cost has no lower bound that cost_floor() can prove."""


def _interval_min(coef: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
    """min of coef . x over the box lo <= x <= hi (interval arithmetic; -inf if unbounded)."""
    with np.errstate(invalid="ignore"):
        least = np.where(coef >= 0, coef * lo, coef * hi)
    return float(np.where(coef == 0, 0.0, least).sum())


RELAXED_OPTIONS = {"output_flag": False, "run_crossover": "off", "ipm_iteration_limit": 1000}
"""HiGHS options of the relaxed weeks, interior point first (~2 s a week where dual simplex takes minutes), then dual
simplex from the start if it stops at its iteration limit. IPX can stall: on a 2050 week of the pathway (bounds up to
6e10) it ran 30,847 iterations in 60 s with the complementarity stuck at 9.7e-3 and would not stop (a two-week
pathway never reached its first iteration); the other weeks take 20-30 iterations."""

LEAST_MARGIN = 1e-6
"""RelaxedSubproblem.least() gives up this share of its optimum (a lower bound must not be above the true least)."""


class RelaxedSubproblem:
    """Subproblem k with the master's values as columns within their box instead of right-hand sides:
        base_lower <= A x + R z <= base_upper,  bounds on x,  z_lower <= z <= z_upper,
    a relaxation of the subproblem at every master point z in the box (the master's own rows dropped). The least
    of any linear function of x over it bounds that function at every such point."""

    def __init__(self, sub: Subproblem, z_lower: np.ndarray, z_upper: np.ndarray):
        used = np.flatnonzero(sub.rhs_matrix.getnnz(axis=0))
        matrix = sparse.hstack([sub.matrix, sub.rhs_matrix[:, used]]).tocsc()
        self.n_x, self.n = len(sub.cost), matrix.shape[1]
        lower, upper = np.r_[sub.col_lower, z_lower[used]], np.r_[sub.col_upper, z_upper[used]]
        self.h = highspy.Highs()
        for key, value in RELAXED_OPTIONS.items():
            self.h.setOptionValue(key, value)
        self.h.passModel(make_lp(self.n, np.zeros(self.n), 0.0, lower, upper, matrix, sub.base_lower, sub.base_upper))

    def least(self, objective: np.ndarray) -> float:
        """min objective . x over the relaxation, less LEAST_MARGIN of its size (the interior point stops within a
        relative 1e-8 of the optimum, either side); -inf if it has no finite optimum. Where the interior point stops
        short (its iteration limit, RELAXED_OPTIONS), dual simplex solves it again from the start."""
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.r_[objective, np.zeros(self.n - self.n_x)])
        status, value = self._run("ipm")
        if status == highspy.HighsModelStatus.kIterationLimit:  # the interior point stalled
            status, value = self._run("simplex")
        if status != highspy.HighsModelStatus.kOptimal:
            return -np.inf
        return value - LEAST_MARGIN * max(abs(value), 1.0)

    def _run(self, solver: str) -> tuple[highspy.HighsModelStatus, float]:
        """Solve from the start (no basis) by ``solver``: (model status, objective)."""
        self.h.clearSolver()
        self.h.setOptionValue("solver", solver)
        self.h.run()
        return self.h.getModelStatus(), float(self.h.getInfo().objective_function_value)


def cost_floor(sub: Subproblem, relaxed) -> float:
    """A lower bound on the subproblem's cost Q_k(z) at every master point z in the box: the master's theta_k starts
    there. From the column bounds alone, sum_j min(c_j l_j, c_j u_j); where that is -inf (a column with a negative
    cost and no upper bound, e.g. the natural gas that a hydrogen blend saves, bounded only by a row), the least cost
    over ``relaxed()`` (a RelaxedSubproblem). A floor of -1e18 leaves the first master points at the corners of
    the box, where the subproblems need slack everywhere and take minutes each (the six grids with blending)."""
    total = _interval_min(sub.cost, sub.col_lower, sub.col_upper)
    if not np.isfinite(total):
        total = relaxed().least(sub.cost)
    return max(total, NO_FLOOR) if np.isfinite(total) else NO_FLOOR


def _tighten_budgets(sub: Subproblem, a, low: np.ndarray, high: np.ndarray, budget_rows, first_budget: int, z_lower, z_upper) -> None:
    """Bound subproblem k's budgets beta_rk (``low``: from below, ``high``: from above; masks over the budgets) in
    place by the least and most of a_rk . x_k over the relaxed subproblem: in every feasible point beta_rk >= a_rk . x_k
    >= that least. For the budgets that interval arithmetic leaves unbounded: a column that lowers the row without
    bound, e.g. hydrogen heat, which displaces natural gas and its CO2. Without it the first master points gave
    budgets of -2e10 t CO2 to some weeks, whose subproblems then bought the overrun at the penalty and took minutes
    each (the six grids with hydrogen blending)."""
    if not (low.any() or high.any()):
        return
    local = np.full(a.shape[1], -1, dtype=np.int64)
    local[sub.own_cols] = np.arange(len(sub.own_cols))
    relaxed = RelaxedSubproblem(sub, z_lower, z_upper)
    for b in np.flatnonzero(low | high):
        row = a[budget_rows[b]]
        at = local[row.indices]
        objective = np.zeros(len(sub.cost))
        objective[at[at >= 0]] = row.data[at >= 0]
        j = first_budget + b
        if low[b]:
            z_lower[j] = max(z_lower[j], relaxed.least(objective))
        if high[b]:
            z_upper[j] = min(z_upper[j], -relaxed.least(-objective))


def _box(values: np.ndarray) -> float:
    """10x the largest finite magnitude among ``values`` (1 if none)."""
    finite = np.abs(values)
    return 10.0 * float(finite[np.isfinite(finite) & (finite < INF)].max(initial=1.0))


def _budget_ranges(a, budget_rows, budget_sub, col_sub, col_lo, col_hi) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on each budget ``beta_rk = a_rk . x_k`` from its columns' bounds (interval arithmetic): a CO2 budget
    of non-negative emissions is >= 0, which with the cap bounds every week's budget."""
    lo, hi = np.full(len(budget_rows), -INF), np.full(len(budget_rows), INF)
    for b, (r, k) in enumerate(zip(budget_rows, budget_sub)):
        row = a[r]
        mine = col_sub[row.indices] == k
        coef, cols = row.data[mine], row.indices[mine]
        least, most = _interval_min(coef, col_lo[cols], col_hi[cols]), -_interval_min(-coef, col_lo[cols], col_hi[cols])
        lo[b] = least if np.isfinite(least) else -INF
        hi[b] = most if np.isfinite(most) else INF
    return lo, hi


def _subproblem(k: int, split: _Split, hours: np.ndarray) -> Subproblem:
    a, cost, col_lo, col_hi, row_lo, row_hi = split.a, split.cost, split.col_lo, split.col_hi, split.row_lo, split.row_hi
    row_sub, col_sub, z_index, n_master, penalty = split.row_sub, split.col_sub, split.z_index, split.n_master, split.penalty
    budget_rows, budget_sub, budget_start = split.budget_rows, split.budget_sub, split.n_master - len(split.budget_rows)
    own_rows = np.flatnonzero(row_sub == k)
    own_cols = np.flatnonzero(col_sub == k)
    block = a[own_rows].tocoo()
    cols = block.col
    is_own = col_sub[cols] == k
    is_master = col_sub[cols] < 0
    foreign = ~is_own & ~is_master  # linking columns of other subperiods: copies
    copies = np.unique(cols[foreign])
    local_of = np.full(a.shape[1], -1, dtype=np.int64)
    local_of[own_cols] = np.arange(len(own_cols))
    local_of[copies] = len(own_cols) + np.arange(len(copies))
    n_struct = len(own_cols) + len(copies)
    rows, lcols, vals = [block.row[~is_master]], [local_of[cols[~is_master]]], [block.data[~is_master]]
    rhs = sparse.csr_matrix((block.data[is_master], (block.row[is_master], z_index[cols[is_master]])), shape=(len(own_rows), n_master))
    lower, upper = [row_lo[own_rows]], [row_hi[own_rows]]
    n_local_rows = len(own_rows)
    n_slack = 0

    def slack(row: int, sign: float) -> None:
        nonlocal n_slack
        rows.append(np.array([row]))
        lcols.append(np.array([n_struct + n_slack]))
        vals.append(np.array([sign]))
        n_slack += 1

    # holding rows: own linking columns and copies equal the master's value (elastic both ways)
    held = [c for c in own_cols if split.is_linking[c]] + list(copies)
    hold_z = []
    for c in held:
        r = n_local_rows
        rows.append(np.array([r]))
        lcols.append(np.array([local_of[c]]))
        vals.append(np.array([1.0]))
        slack(r, 1.0)
        slack(r, -1.0)
        hold_z.append(z_index[c])
        n_local_rows += 1
    # budget rows: this subperiod's part of each coupling row, against its budget (penalised overrun)
    mine = np.flatnonzero(budget_sub == k)
    budget_z = []
    for b in mine:
        r_global = budget_rows[b]
        row = a[r_global]
        keep = col_sub[row.indices] == k
        r = n_local_rows
        rows.append(np.full(keep.sum(), r))
        lcols.append(local_of[row.indices[keep]])
        vals.append(row.data[keep])
        lo, hi = row_lo[r_global], row_hi[r_global]
        if hi < INF:
            slack(r, -1.0)  # overrun above the budget
        if lo > -INF:
            slack(r, 1.0)  # shortfall below it
        budget_z.append(budget_start + b)
        n_local_rows += 1
    n_extra = n_local_rows - len(own_rows)
    extra_lower, extra_upper = np.zeros(n_extra), np.zeros(n_extra)
    for i, b in enumerate(mine):  # budget rows keep the coupling row's sense: a.x <= beta, >= beta or == beta
        j = len(held) + i
        extra_lower[j] = 0.0 if row_lo[budget_rows[b]] > -INF else -INF
        extra_upper[j] = 0.0 if row_hi[budget_rows[b]] < INF else INF
    # the master's value enters the holding and budget rows with coefficient -1 on z: bounds - (-z) = z
    extra_rhs = sparse.csr_matrix(
        (-np.ones(n_extra), (np.arange(n_extra), np.r_[hold_z, budget_z].astype(np.int64))), shape=(n_extra, n_master)
    )
    rhs_matrix = sparse.vstack([rhs, extra_rhs]).tocsr()
    matrix = sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(lcols))), shape=(n_local_rows, n_struct + n_slack)
    )
    return Subproblem(
        k,
        hours,
        np.r_[cost[own_cols], np.zeros(len(copies)), np.full(n_slack, penalty)],
        np.r_[col_lo[own_cols], col_lo[copies], np.zeros(n_slack)],
        np.r_[col_hi[own_cols], col_hi[copies], np.full(n_slack, INF)],
        matrix,
        own_cols,
        own_rows,
        np.r_[lower[0], extra_lower],
        np.r_[upper[0], extra_upper],
        rhs_matrix,
        n_slack,
    )
