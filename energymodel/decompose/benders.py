"""Benders decomposition over subperiods (multi-cut cutting planes).

With the partition of partition.py, the LP is ``min c_z . z + sum_k Q_k(z)`` over the master's
rows, where ``Q_k`` is subperiod k's optimal operating cost for the master point z. Each
iteration solves every subproblem at the current point z^i and adds, per subproblem, the cut
    theta_k >= Q_k(z^i) + g_k^i . (z - z^i),      g_k^i = -R_k' pi_k^i  (duals of its rows)
to the master ``min c_z . z + sum_k theta_k`` (multi-cut; Jacobson et al. 2024). Bounds:
    lower = the master's optimum;  upper = the least c_z . z + sum_k Q_k(z) found so far.
The subproblems are always feasible: boundary values and budgets are held elastically, with penalised
slacks. The penalty rises (10x the largest operating cost first, then x10 up to 10x the largest cost of
all): a penalised subproblem costs no more than the exact one, so every cut is a valid lower bound at
any penalty, and only points that need no slack are upper bounds; where the bounds meet around a point
that needs slack, the penalty rises. The accepted point needs no slack.
It stops when (upper - lower) / |upper| <= gap, or at the iteration or time limit.

The next point is damped (in-out: a step from the best point towards the master's optimum); the
first may be a warm start (warm_start.py). Where the subproblems are solved is parallel.py's concern.
See docs/decomposition.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from pyomo.common.tee import capture_output

from ..errors import SolveError
from .partition import INF, Partition, Subproblem

log = logging.getLogger(__name__)

SLACK_TOLERANCE = 1e-6
"""A subproblem's solution counts as a real operation if no penalised slack exceeds this (MW, MWh, t ...)."""


CUT_COEFFICIENT_FLOOR = 1e-6
"""Cut coefficients below this (CNY per MW, MWh, t ...) are dropped: at most 1e-6 x the box (~1e5 CNY) against
objectives of ~1e12 CNY, and the master stays solvable."""


@dataclass
class Iteration:
    number: int
    lower: float
    upper: float
    seconds: float
    master_s: float
    subproblems_s: float
    penalty: float = np.nan  # the penalised slacks' cost in this iteration (CNY per unit)

    @property
    def gap(self) -> float:
        return _relative_gap(self.upper, self.lower)


@dataclass
class Outcome:
    """Where Benders stopped: the best point, its subproblem solutions, the bounds and the history."""

    z: np.ndarray
    lower: float
    upper: float
    iterations: list[Iteration] = field(default_factory=list)
    converged: bool = False
    solutions: list = field(default_factory=list)  # (Subproblem, col values, row duals) at the best point
    master_row_duals: np.ndarray | None = None

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / max(abs(self.upper), 1.0)


def quiet_highs(options: dict) -> highspy.Highs:
    with capture_output(capture_fd=True):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


WARM_TIME_FACTOR = 2.0
"""A warm re-solve may take this many times the subproblem's first (cold) solve; then it is stopped and solved cold.
After a large step of the master point (capacities halved, budgets moved) the last basis can be far worse than none:
on the six grids (a week of 2030, with blending) warm re-solves took 8-35 s, where a cold solve, which HiGHS presolves
(a warm one it does not), takes 0.5-0.7 s. A time, not an iteration count: a warm iteration on the whole subproblem
costs ~6x a cold one on the presolved one. Only the route to the optimum depends on it, not the optimum."""
LEAST_WARM_TIME_S = 0.05
"""... but at least this long (s): small subproblems solve in milliseconds, below the timer's noise."""


class SubproblemSolver:
    """A subproblem's HiGHS instance, kept between iterations (re-solved from its last basis, or cold where that basis
    takes longer than WARM_TIME_FACTOR x the first solve)."""

    def __init__(self, sub: Subproblem, options: dict):
        self.sub = sub
        self.h = quiet_highs({k: v for k, v in options.items() if k in ("primal_feasibility_tolerance", "dual_feasibility_tolerance")})
        self.h.setOptionValue("solver", "simplex")
        self.h.passModel(sub.lp())
        self.rows = np.arange(len(sub.base_lower), dtype=np.int32)
        n_cols = len(sub.cost)
        self.slack_cols = np.arange(n_cols - sub.n_slack, n_cols, dtype=np.int32)
        self.warm_time_limit_s: float | None = None  # set by the first solve

    def set_penalty(self, penalty: float) -> None:
        """The cost of every penalised slack (CNY per unit); the basis stays (only costs change)."""
        if len(self.slack_cols):
            self.h.changeColsCost(len(self.slack_cols), self.slack_cols, np.full(len(self.slack_cols), penalty))

    def solve(self, z: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray, np.ndarray]:
        """(cost, subgradient over z, largest slack, column values, row duals) at master point z."""
        sub, h = self.sub, self.h
        shift = sub.rhs_matrix @ z
        h.changeRowsBounds(len(self.rows), self.rows, sub.base_lower - shift, sub.base_upper - shift)
        if self.warm_time_limit_s is not None:
            h.setOptionValue("time_limit", self.warm_time_limit_s)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:  # once more from scratch: warm bases can stall
            h.clearSolver()
            h.setOptionValue("time_limit", highspy.kHighsInf)
            h.run()
        elif self.warm_time_limit_s is None:
            self.warm_time_limit_s = max(WARM_TIME_FACTOR * h.getRunTime(), LEAST_WARM_TIME_S)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolveError(
                f"subproblem {sub.index} (hours {sub.hours[0]}-{sub.hours[-1]}) was not solved: "
                f"HiGHS status '{h.modelStatusToString(h.getModelStatus())}'"
            )
        solution = h.getSolution()
        duals = np.asarray(solution.row_dual, dtype=float)
        values = np.asarray(solution.col_value, dtype=float)
        slack = float(values[len(values) - sub.n_slack :].max()) if sub.n_slack else 0.0
        return float(h.getInfo().objective_function_value), -(sub.rhs_matrix.T @ duals), slack, values, duals


class Master:
    """The master LP with the cuts so far."""

    def __init__(self, part: Partition, lower_bounds: np.ndarray, options: dict):
        self.part, self.n_sub = part, len(part.subproblems)
        n = part.n_master + self.n_sub
        self.lp = quiet_highs(options)
        cost = np.r_[part.z_cost, np.ones(self.n_sub)]
        lower = np.r_[part.z_lower, lower_bounds]
        upper = np.r_[part.z_upper, np.full(self.n_sub, INF)]
        self.lp.addVars(n, lower, upper)
        self.lp.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self._add_rows(part.master_matrix, part.master_lower, part.master_upper)
        self.n = n
        self.cost, self.lower, self.upper = cost, lower, upper

    def nearest(self, guess: np.ndarray) -> np.ndarray:
        """A master point with the entries of ``guess`` that are not NaN held there (clipped to their bounds), the rest
        as the master picks; if that point is infeasible, the least-cost point with those entries at least the guess
        (a plan on typical days may miss an hour of the year's planning margin: more capacity meets it); else the
        master's optimum."""
        held = np.flatnonzero(np.isfinite(guess[: self.part.n_master])).astype(np.int32)
        value = np.clip(guess[held], self.lower[held], self.upper[held])
        z = None
        try:
            for upper in (value, self.upper[held]):
                self.lp.changeColsBounds(len(held), held, value, upper)
                self.lp.run()
                if self.lp.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                    z = np.asarray(self.lp.getSolution().col_value, dtype=float)[: self.part.n_master]
                    break
        finally:
            self.lp.changeColsBounds(len(held), held, self.lower[held], self.upper[held])
        return z if z is not None else self.solve()[1]

    def _add_rows(self, matrix, lower, upper, targets=None) -> None:
        matrix = matrix.tocsr()
        for h in targets or [self.lp]:
            h.addRows(
                matrix.shape[0],
                np.asarray(lower, dtype=float),
                np.asarray(upper, dtype=float),
                matrix.nnz,
                matrix.indptr.astype(np.int32),
                matrix.indices.astype(np.int32),
                matrix.data.astype(float),
            )

    def add_cuts(self, cuts, targets=None) -> None:
        """Cuts (k, Q_k, g_k, z) as rows theta_k - g_k . z >= Q_k - g_k . z^i."""
        from scipy import sparse

        rows, lower = [], []
        for k, q, g, z in cuts:
            g = np.where(np.abs(g) > CUT_COEFFICIENT_FLOOR, g, 0.0)
            row = np.r_[-g, np.zeros(self.n_sub)]
            row[self.part.n_master + k] = 1.0
            rows.append(sparse.csr_matrix(row))
            lower.append(q - float(g @ z))
        self._add_rows(sparse.vstack(rows), lower, np.full(len(lower), INF), targets)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        self.lp.run()
        for retry in ({}, {"presolve": "off"}, {"solver": "ipm"}):  # cuts make the master badly scaled: from scratch, then
            if self.lp.getModelStatus() == highspy.HighsModelStatus.kOptimal:  # without presolve, then interior point
                break
            log.info(
                "Benders master: HiGHS status '%s'; solving again with %s", self.lp.modelStatusToString(self.lp.getModelStatus()), retry
            )
            self.lp.clearSolver()
            for key, value in retry.items():
                self.lp.setOptionValue(key, value)
            self.lp.run()
            for key in retry:
                self.lp.setOptionValue(key, "choose")
        if self.lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolveError(
                f"the Benders master problem was not solved: HiGHS status '{self.lp.modelStatusToString(self.lp.getModelStatus())}'"
            )
        solution = self.lp.getSolution()
        x = np.asarray(solution.col_value, dtype=float)
        return (
            float(self.lp.getInfo().objective_function_value) + self.part.offset,
            x[: self.part.n_master],
            np.asarray(solution.row_dual, dtype=float),
        )


REGULARISATIONS = ("in-out", "none")


def run_benders(
    part: Partition,
    subproblems,
    gap: float = 1e-3,
    max_iterations: int = 200,
    time_limit_s: float = np.inf,
    options: dict | None = None,
    progress: Callable[[Iteration], None] | None = None,
    regularisation: str = "in-out",
    step_fraction: float = 0.5,
    start: np.ndarray | None = None,
    penalties: Sequence[float] = (),
) -> Outcome:
    """Benders on a partition. ``subproblems`` (parallel.py) solves every subproblem at a point z:
    ``solve(z) -> [(cost, subgradient, slack)]``, ``keep_last()`` marks that point the best, ``best_solutions()``,
    ``set_penalty(p)``.

    ``regularisation`` picks the next point from the master's optimum z_m and the centre z_c (the least
    penalised cost found at the current penalty):
      * ``none``:   z_m (plain cutting planes);
      * ``in-out``: alpha z_m + (1 - alpha) z_c (Ben-Ameur & Neto 2007), alpha = ``step_fraction``: a step from
        the centre towards the master's optimum, which damps the cutting planes' swings.
    ``start``: values of the master columns y to evaluate first (a warm start, e.g. a typical-days plan's capacities).

    ``penalties``: the slacks' costs to try in turn, rising (empty: the partition's own). With a penalty P the
    subproblems' costs Q_k^P(z) <= Q_k(z), so every cut, made at any penalty, stays a valid lower bound of the
    exact problem; only points that need no slack count for the upper bound. When the bounds meet at P around
    a point that still needs slack, P was too small to be exact there: the next penalty is set and that point
    evaluated again. A low first penalty keeps the first cuts' slopes near the LP's own costs (a warm start
    without boundary values needs much slack, and cuts with slopes of 1e7-1e9 leave the master unsolvable);
    meeting at the last penalty with slack means the case is infeasible.
    """
    if regularisation not in REGULARISATIONS:
        raise ValueError(f"regularisation must be one of {REGULARISATIONS}, not {regularisation!r}")
    options = dict(options or {})
    t0 = time.perf_counter()
    lower_bounds = np.array([sub.cost_floor for sub in part.subproblems])
    master_options = {k: v for k, v in options.items() if k not in ("solver", "run_crossover")}
    master = Master(part, lower_bounds, master_options)
    level = 0
    if penalties:
        subproblems.set_penalty(penalties[0])
    best_z, best_upper = None, np.inf  # the least-cost point without slack: the upper bound
    centre_z, centre_upper = None, np.inf  # the least penalised cost at this penalty
    infeasible = False
    lower, z_master, master_duals = master.solve()
    guess = part.z_start.copy()
    if start is not None:
        guess[: len(start)] = start
    z = master.nearest(guess)
    outcome = Outcome(z, lower, best_upper)
    for number in range(1, max_iterations + 1):
        t_iter = time.perf_counter()
        results = subproblems.solve(z)
        t_sub = time.perf_counter() - t_iter
        cost = float(part.z_cost @ z) + part.offset + sum(r[0] for r in results)
        if max(r[2] for r in results) <= SLACK_TOLERANCE and cost < best_upper:
            best_z, best_upper = z.copy(), cost
            subproblems.keep_last()
        if cost < centre_upper:
            centre_z, centre_upper = z.copy(), cost
        master.add_cuts([(k, r[0], r[1], z) for k, r in enumerate(results)])
        t_master = time.perf_counter()
        lower, z_master, master_duals = master.solve()
        master_s = time.perf_counter() - t_master
        penalty = penalties[level] if penalties else np.nan
        it = Iteration(number, lower, best_upper, time.perf_counter() - t_iter, master_s, t_sub, penalty)
        outcome.iterations.append(it)
        if progress is not None:
            progress(it)
        if it.gap <= gap or time.perf_counter() - t0 > time_limit_s:
            break
        if _relative_gap(centre_upper, lower) <= gap:  # met around a point that needs slack: raise the penalty
            if level + 1 >= max(len(penalties), 1):
                infeasible = True
                break
            level += 1
            subproblems.set_penalty(penalties[level])
            z, centre_upper = centre_z, np.inf
            continue
        z = z_master if regularisation == "none" else step_fraction * z_master + (1.0 - step_fraction) * centre_z
    if best_z is None:
        if infeasible:
            raise SolveError(
                f"the decomposition converged (gap {_relative_gap(centre_upper, lower):.2%}) to a point that still needs "
                "penalised slack: the case is infeasible",
                status="provenInfeasible",
            )
        raise SolveError(
            "every point the decomposition tried needs penalised slack: raise solver.decomposition.max_iterations or check the case"
        )
    outcome.z, outcome.lower, outcome.upper = best_z, lower, best_upper
    outcome.converged = outcome.gap <= gap
    outcome.solutions = [(part.subproblems[k], values, duals) for k, values, duals in subproblems.best_solutions()]
    outcome.master_row_duals = master_duals
    return outcome


def _relative_gap(upper: float, lower: float) -> float:
    return (upper - lower) / max(abs(upper), 1.0) if np.isfinite(upper) else np.inf
