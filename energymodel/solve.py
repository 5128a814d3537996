"""Solve the model with HiGHS in memory (no external executables, no files).

The model is compiled into sparse matrices with labelled rows and columns (compile.py) and passed to highspy
directly, an order of magnitude faster than Pyomo's HiGHS interfaces at scale. Sweeps keep one
HiGHS instance (``WarmSolver``): each point is compiled again and re-solved from the previous basis.
A non-optimal result (infeasible, unbounded, time limit ...) raises
:class:`SolveError` naming the status and what to try; nothing is then written as a solution.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from pyomo.common.tee import capture_output
from pyomo.contrib.solver.common.results import TerminationCondition

from .compile import CompiledLP, compile_lp
from .errors import InputError, Problem, SolveError, option
from .explain import capacity_value
from .health import Health
from .health import check as check_health
from .progress import HighsLog, showing, solver_status

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
    numerics: str = ""  # coefficient ranges of the LP handed to HiGHS (one-off solves)
    warnings: tuple[str, ...] = ()
    health: Health | None = None  # the solution's largest row and bound violations (health.py)


def check_options(options: dict, source: str = "run file") -> None:
    """Reject unknown HiGHS option names or bad values before building anything."""
    with capture_output(capture_fd=True):  # HiGHS prints a banner when created
        probe = highspy.Highs()
        probe.setOptionValue("output_flag", False)

    def accepted(key, value) -> bool:
        if not isinstance(key, str) or not isinstance(value, (bool, int, float, str)):
            return False
        try:
            return probe.setOptionValue(key, value) == highspy.HighsStatus.kOk
        except (TypeError, ValueError, OverflowError):
            return False

    problems = [
        Problem(source, f"solver.options.{key}", value, "not a valid HiGHS option name or value (a number, text or true/false)")
        for key, value in options.items()
        if not accepted(key, value)
    ]
    if problems:
        raise InputError(problems)


# HiGHS model status -> the termination names used in messages (as Pyomo's TerminationCondition)
_STATUS = {
    highspy.HighsModelStatus.kInfeasible: TerminationCondition.provenInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: TerminationCondition.infeasibleOrUnbounded,
    highspy.HighsModelStatus.kUnbounded: TerminationCondition.unbounded,
    highspy.HighsModelStatus.kTimeLimit: TerminationCondition.maxTimeLimit,
    highspy.HighsModelStatus.kIterationLimit: TerminationCondition.iterationLimit,
}


def status_name(h: highspy.Highs) -> str:
    """The model status of a solved HiGHS instance, named as in messages ('provenInfeasible', ...)."""
    status = h.getModelStatus()
    term = _STATUS.get(status)
    return term.name if term is not None else h.modelStatusToString(status)


WIDE_RANGE = 1e9
"""Warn when the non-zero magnitudes of a part of the LP span more than this factor."""


def lp_ranges(lp) -> tuple[str, list[str]]:
    """Magnitude ranges of the LP's matrix, costs, bounds and right-hand sides; warnings for wide ones."""
    parts = {
        "matrix": lp.a_matrix_.value_,
        "costs": lp.col_cost_,
        "bounds": np.r_[lp.col_lower_, lp.col_upper_],
        "right-hand sides": np.r_[lp.row_lower_, lp.row_upper_],
    }
    text, warnings = [], []
    for name, values in parts.items():
        x = np.abs(np.asarray(values, dtype=float))
        x = x[(x > 0) & (x < highspy.kHighsInf)]
        if not x.size:
            continue
        low, high = float(x.min()), float(x.max())
        text.append(f"{name} [{low:.1e}, {high:.1e}]")
        if high / low > WIDE_RANGE:
            warnings.append(
                f"the LP's {name} span {high / low:.0e} (from {low:.1e} to {high:.1e}); HiGHS may struggle or "
                "report small infeasibilities: check for tiny or huge input values (e.g. costs, caps)"
            )
    return ", ".join(text), warnings


def new_highs(options: dict, tee: bool) -> tuple[highspy.Highs, HighsLog]:
    """A HiGHS instance with the given options; with ``tee`` its log goes to the 'energymodel.highs' logger.

    While the command line shows progress, the log also feeds the solver's status line (progress.py);
    otherwise (library use) HiGHS logs nothing.
    """
    with capture_output(capture_fd=True):  # HiGHS prints a banner when created
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    log = HighsLog(tee)
    if tee or showing():  # line by line to the logger and the status line, not to the terminal
        h.setOptionValue("log_to_console", False)
        h.cbLogging += log
        h.setOptionValue("output_flag", True)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h, log


def finish_solve(h: highspy.Highs, log: HighsLog, compiled: CompiledLP, start: float, accept_suboptimal: bool) -> SolveInfo:
    """Run HiGHS on the LP it holds (its status line shown, if the command line shows progress); load
    the solution into the model, or raise SolveError."""
    with solver_status(log.tee) as log.watch:
        try:
            h.run()
            log.flush()
        finally:
            log.watch = None
    status, info = h.getModelStatus(), h.getInfo()
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    stopped = status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit)
    if status != highspy.HighsModelStatus.kOptimal and not (stopped and feasible and accept_suboptimal):
        term = _STATUS.get(status)
        name = term.name if term is not None else h.modelStatusToString(status)
        advice = ADVICE.get(term, f"see the solver log (run with {option('tee', True)})")
        where = ""
        if stopped:
            accept = f", rerun with {option('accept_suboptimal', True)} to save the feasible point" if feasible else ""
            where = (
                f" It stopped after {h.getRunTime():.1f} s with objective {info.objective_function_value:.6e}"
                f" (primal {'feasible' if feasible else 'not feasible'}, dual "
                f"{'feasible' if info.dual_solution_status == 2 else 'not feasible'}; nothing saved{accept})."
            )
        raise SolveError(f"HiGHS did not find an optimal solution: status '{name}'.{where} Try: {advice}.", status=name)
    solution = h.getSolution()
    loaded = compiled.load(solution)
    loaded.capacity_value = capacity_value(compiled.lp, loaded)  # what the built capacity is paid for (explain.py)
    numerics, warnings = lp_ranges(compiled.lp)
    health = check_health(compiled.lp, solution.col_value, compiled.rows, compiled.columns)
    optimal = status == highspy.HighsModelStatus.kOptimal
    return SolveInfo(
        status="optimal" if optimal else "feasible",
        termination=TerminationCondition.convergenceCriteriaSatisfied.name if optimal else _STATUS[status].name,
        objective_cny=float(info.objective_function_value),
        solve_time_s=time.perf_counter() - start,
        highs_time_s=float(h.getRunTime()),
        solver_version=f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}",
        numerics=numerics,
        warnings=tuple(warnings + health.warnings()),
        health=health,
    )


def solve(frame, options: dict | None = None, tee: bool = False, accept_suboptimal: bool = False) -> SolveInfo:
    """Solve a built model (a ModelFrame) in memory; load the values and duals (``frame.solution``). Raises SolveError if not optimal.

    With ``accept_suboptimal``, a run stopped by a time or iteration limit with a feasible point
    loads that point (status 'feasible') instead of failing.
    """
    options = dict(options or {})
    check_options(options)
    # HiGHS keeps one thread pool per process, sized by the first solve; a later solve asking for a
    # different 'threads' fails unless the pool is reset first.
    highspy.Highs.resetGlobalScheduler(True)
    start = time.perf_counter()
    compiled = compile_lp(frame)
    h, log = new_highs(options, tee)
    h.passModel(compiled.lp)
    return finish_solve(h, log, compiled, start, accept_suboptimal)


class WarmSolver:
    """HiGHS kept alive between solves of one model whose parameters change (sweeps).

    Every solve compiles the model again (numpy assembly: a second or less for a full year), so
    whatever parameters changed are in the new LP; the rows and columns stay the same, so HiGHS
    restarts dual simplex from the previous optimal basis. The first solve uses the given options.
    """

    def __init__(self, options: dict | None = None, tee: bool = False):
        self.options = dict(options or {})
        check_options(self.options)
        highspy.Highs.resetGlobalScheduler(True)
        self.tee = tee
        self.highs: highspy.Highs | None = None
        self.log: HighsLog | None = None

    def solve(self, frame) -> SolveInfo:
        start = time.perf_counter()
        compiled = compile_lp(frame)
        if self.highs is None:
            self.highs, self.log = new_highs(self.options, self.tee)
            self.highs.passModel(compiled.lp)
        else:
            h = self.highs
            basis = h.getBasis()
            same_shape = h.getNumCol() == compiled.lp.num_col_ and h.getNumRow() == compiled.lp.num_row_
            h.passModel(compiled.lp)
            if basis.valid and same_shape:
                h.setBasis(basis)
            h.setOptionValue("solver", "simplex")
        return finish_solve(self.highs, self.log, compiled, start, accept_suboptimal=False)
