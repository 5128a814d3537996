"""Solve the model with HiGHS through Pyomo's in-memory interface (no external executables).

A non-optimal result (infeasible, unbounded, time limit ...) raises :class:`SolveError`
naming the status and what to try; nothing is then written as if it were a solution.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from .errors import InputError, Problem, SolveError

ADVICE = {
    TerminationCondition.provenInfeasible: "the constraints cannot all hold: check that the carbon cap is reachable "
    "with the allowed capacities (max_mw) and that demand can be met",
    TerminationCondition.infeasibleOrUnbounded: "check the carbon cap and capacity limits (infeasible) or for a "
    "technology with no cost and no limit (unbounded)",
    TerminationCondition.unbounded: "a technology can be built without limit at no cost: check capex and max_mw",
    TerminationCondition.maxTimeLimit: "raise solver.options.time_limit or model fewer hours (hours.every_nth_day)",
    TerminationCondition.iterationLimit: "raise the iteration limit or try solver.options.solver: ipm",
}


@dataclass
class SolveInfo:
    """What the solver reported, for the results' metadata."""

    status: str
    termination: str
    objective_cny: float
    solve_time_s: float
    highs_time_s: float
    solver_version: str
    log: str


def check_options(options: dict, source: str = "run file") -> None:
    """Reject unknown HiGHS option names or bad values before building anything."""
    with capture_output(capture_fd=True):  # HiGHS prints a banner when created
        probe = highspy.Highs()
        probe.setOptionValue("output_flag", False)
    problems = [
        Problem(source, f"solver.options.{key}", value, "not a valid HiGHS option name or value")
        for key, value in options.items()
        if probe.setOptionValue(key, value) != highspy.HighsStatus.kOk
    ]
    if problems:
        raise InputError(problems)


def solve(m: pyo.ConcreteModel, options: dict | None = None, tee: bool = False) -> SolveInfo:
    """Solve in memory; load primal values and duals (into ``m.dual``). Raises SolveError if not optimal."""
    options = dict(options or {})
    check_options(options)
    # HiGHS keeps one thread pool per process, sized by the first solve; a later solve asking for a
    # different 'threads' fails unless the pool is reset first.
    highspy.Highs.resetGlobalScheduler(True)
    solver = Highs()
    start = time.perf_counter()
    results = solver.solve(
        m,
        tee=tee,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        solver_options=options,
    )
    elapsed = time.perf_counter() - start
    term = results.termination_condition
    if term != TerminationCondition.convergenceCriteriaSatisfied or results.solution_status != SolutionStatus.optimal:
        advice = ADVICE.get(term, "see the solver log (run with --verbose)")
        raise SolveError(f"HiGHS did not find an optimal solution: status '{term.name}'. Try: {advice}.")
    results.solution_loader.load_vars()
    if not hasattr(m, "dual"):
        m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    m.dual.clear()
    m.dual.update(results.solution_loader.get_duals())
    version = ".".join(str(v) for v in solver.version())
    return SolveInfo(
        status=results.solution_status.name,
        termination=term.name,
        objective_cny=float(results.incumbent_objective),
        solve_time_s=elapsed,
        highs_time_s=float(results.timing_info.highs_time),
        solver_version=version,
        log=results.solver_log or "",
    )
