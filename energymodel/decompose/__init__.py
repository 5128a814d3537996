"""Temporal decomposition: the investment decisions in a master, the operation of each subperiod apart.

``solve_decomposed(frame, settings)`` compiles the model once (compile.py), splits the LP by the
labels of its rows and columns (partition.py: master columns, linking columns at subperiod
boundaries, budget variables for rows that span subperiods) and runs Benders (benders.py). The best
point's full-horizon solution is loaded on the frame as a one-LP solve would be, so results,
prices and duals read the same way. See docs/decomposition.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import SimpleNamespace

import highspy
import numpy as np

from ..cluster import dask_client
from ..compile import compile_lp
from ..errors import InputError, Problem, SolveError
from ..explain import capacity_value
from ..health import check as check_health
from ..solve import SolveInfo, lp_ranges
from .benders import Iteration, Outcome, run_benders
from .parallel import DaskSubproblems, LocalSubproblems
from .partition import partition, subperiods
from .warm_start import WARM_START_SOLVER, tsam_available, typical_days_plan

PENALTY_FACTOR = 10.0
"""Penalised slacks cost first this many times the LP's largest operating cost (of a column with an hour) per unit,
then 10x as much in turn up to this many times its largest cost of all (benders.run_benders)."""


def penalty_ladder(cost: np.ndarray, hourly: np.ndarray) -> list[float]:
    """Rising slack penalties (CNY per unit): F x the largest |cost| of an hourly column, x10 in turn, ending at
    F x the largest |cost| of any column (F = PENALTY_FACTOR)."""
    cost = np.abs(np.asarray(cost, dtype=float))
    top = PENALTY_FACTOR * max(float(cost.max(initial=0.0)), 1.0)
    penalty = PENALTY_FACTOR * max(float(cost[hourly].max(initial=0.0)), 1.0)
    ladder = []
    while penalty < top:
        ladder.append(penalty)
        penalty *= 10.0
    return [*ladder, top]


@dataclass
class DecompositionInfo:
    """What the decomposition did, for the results' metadata."""

    method: str
    subperiods: int
    iterations: int
    lower_bound: float
    upper_bound: float
    gap: float
    converged: bool
    master_s: float
    subproblems_s: float
    warm_start_s: float
    workers: int
    worker_peak_mb: float  # the largest peak memory of the processes that solved subproblems

    def attrs(self) -> dict:
        """The results' metadata (dataset attributes)."""
        return {
            "decomposition_method": self.method,
            "decomposition_subperiods": self.subperiods,
            "decomposition_iterations": self.iterations,
            "decomposition_lower_bound_cny": self.lower_bound,
            "decomposition_upper_bound_cny": self.upper_bound,
            "decomposition_gap": self.gap,
            "decomposition_workers": self.workers,
        }


def check_settings(frame, settings, source: str) -> None:
    """Settings that cannot work for this model: an InputError naming the field."""
    problems = []
    hours = frame.n_hours // frame.plan.count
    if settings.subperiod_days * 24 > hours:
        problems.append(
            Problem(
                source,
                "solver.decomposition.subperiod_days",
                settings.subperiod_days,
                f"a subperiod of {settings.subperiod_days * 24} h is longer than the {hours} modelled hours of a period",
            )
        )
    if frame.data.day_sequence is not None:
        problems.append(
            Problem(
                source,
                "solver.decomposition",
                "benders",
                "representative days are already a reduced year: drop solver.decomposition (one LP), "
                "or hours.representative_days to decompose every hour",
            )
        )
    if problems:
        raise InputError(problems)


def solve_decomposed(
    frame,
    settings,
    options: dict | None = None,
    source: str = "run file",
    progress=None,
    accept_suboptimal: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    say=None,
) -> tuple[SolveInfo, DecompositionInfo]:
    """Solve the frame's model by Benders over subperiods; load the best full-horizon solution on the frame.

    The subproblems are solved in this process (``workers=1``), on a LocalCluster of ``workers`` processes, or on
    the Dask cluster at ``scheduler``; ``progress`` gets every Iteration, ``say`` the other progress messages.
    """
    check_settings(frame, settings, source)
    say = say or (lambda message: None)
    options = dict(options or {})
    start = time.perf_counter()
    compiled = compile_lp(frame)
    lp = compiled.lp
    penalties = penalty_ladder(lp.col_cost_, compiled.columns.hour >= 0)
    hour_sub = subperiods(frame.period_of, settings.subperiod_days * 24)
    part = partition(lp, compiled.rows, compiled.columns, hour_sub, penalties[-1])
    # HiGHS sizes its thread pool at a process's first solve (as in solve.solve): the relaxed weeks of the partition
    # (cost floors) have just sized it by default, so size it again for the options of the warm start and the master
    highspy.Highs.resetGlobalScheduler(True)
    numerics, warnings = lp_ranges(lp)
    compiled.lp = lp = None  # the subproblems and the master hold what is needed of it (memory: a full-year LP is ~0.5 GB)
    time_limit = float(options.pop("time_limit", np.inf))
    start_point, warm_start_s = None, 0.0
    days = frame.n_hours // 24 // frame.plan.count
    if settings.warm_start_days and settings.warm_start_days < days:  # (a plan on as many days as there are is no shortcut)
        t_warm = time.perf_counter()
        start_point, _ = typical_days_plan(
            frame, settings.warm_start_days, {**options, **WARM_START_SOLVER}, part.master_cols, compiled.columns
        )
        warm_start_s = time.perf_counter() - t_warm
        kind = "typical days" if tsam_available() else "days sampled evenly (install tsam for typical days)"
        say(f"warm start: a plan on {settings.warm_start_days} {kind} ({warm_start_s:.1f} s)")

    def benders(subproblems):
        return run_benders(
            part,
            subproblems,
            settings.gap,
            settings.max_iterations,
            time_limit - (time.perf_counter() - start),
            options,
            progress=progress,
            regularisation=settings.regularisation,
            step_fraction=settings.step_fraction,
            start=start_point,
            penalties=penalties,
        )

    if workers <= 1 and not scheduler:
        subproblems = LocalSubproblems(part.subproblems, options)
        outcome = benders(subproblems)
        worker_peak_mb = subproblems.peak_mb()
    else:
        with dask_client(workers, scheduler, say) as client:
            subproblems = DaskSubproblems(client, part.subproblems, options)
            say(f"{len(part.subproblems)} subproblems on {subproblems.workers} Dask workers")
            outcome = benders(subproblems)
            worker_peak_mb = subproblems.peak_mb()
    info = DecompositionInfo(
        "benders",
        len(part.subproblems),
        len(outcome.iterations),
        outcome.lower,
        outcome.upper,
        outcome.gap,
        outcome.converged,
        sum(i.master_s for i in outcome.iterations),
        sum(i.subproblems_s for i in outcome.iterations),
        warm_start_s,
        subproblems.workers,
        worker_peak_mb,
    )
    if not outcome.converged and not accept_suboptimal:
        raise SolveError(
            f"the decomposition stopped after {info.iterations} iterations at a gap of {info.gap:.2%} (asked: "
            f"{settings.gap:.2%}; bounds {outcome.lower:.6e} and {outcome.upper:.6e}); nothing saved. Try: raise "
            "solver.decomposition.max_iterations or the time limit, or accept the point with accept_suboptimal",
            status="maxIterations",
        )
    solution = _full_solution(part, outcome)
    loaded = compiled.load(solution)
    lp = compile_lp(frame).lp  # the LP again: released above
    health = check_health(lp, solution.col_value, compiled.rows, compiled.columns)
    loaded.capacity_value = capacity_value(lp, loaded)  # from the subproblems' and the master's duals: "unexplained" shows the gap
    h = highspy.Highs()
    solve_info = SolveInfo(
        status="optimal" if outcome.converged else "feasible",
        termination="convergenceCriteriaSatisfied" if outcome.converged else "maxIterations",
        objective_cny=outcome.upper,
        solve_time_s=time.perf_counter() - start,
        highs_time_s=info.master_s + info.subproblems_s,
        solver_version=f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}",
        numerics=numerics,
        warnings=tuple(warnings + health.warnings()),
        health=health,
    )
    return solve_info, info


def _full_solution(part, outcome: Outcome) -> SimpleNamespace:
    """Column values and row duals of the whole LP from the master point and the subproblems' solutions."""
    col_value = np.zeros(part.n_cols)
    row_dual = np.zeros(part.n_rows)
    ny = len(part.master_cols)
    col_value[part.master_cols] = outcome.z[:ny]
    for sub, values, duals in outcome.solutions:
        col_value[sub.own_cols] = values[: len(sub.own_cols)]
        row_dual[sub.own_rows] = duals[: len(sub.own_rows)]
    if outcome.master_row_duals is not None:  # master and coupling rows; copied linking rows keep the subproblems' duals
        duals, ids = outcome.master_row_duals, part.master_row_ids
        own, coupling = part.n_own_master_rows, len(ids) - part.n_coupling
        row_dual[ids[:own]] = duals[:own]
        row_dual[ids[coupling:]] = duals[coupling : len(ids)]
    return SimpleNamespace(col_value=col_value, row_dual=row_dual)


__all__ = ["DecompositionInfo", "Iteration", "solve_decomposed"]
