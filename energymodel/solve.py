"""Solve the model with HiGHS in memory (no external executables, no files).

The model is compiled into sparse matrices (the hourly blocks with numpy, the small Pyomo
constraints with Pyomo's standard-form compiler; see ``compile_lp``) and passed to highspy
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
import pyomo.environ as pyo
from scipy import sparse
from pyomo.common.tee import capture_output
from pyomo.contrib.solver.common.results import TerminationCondition
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from .errors import InputError, Problem, SolveError
from .progress import HighsLog

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
    numerics: str = ""  # coefficient ranges of the LP handed to HiGHS (one-off solves)
    warnings: tuple[str, ...] = ()


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


class CompiledLP:
    """The LP handed to HiGHS, and how to put HiGHS's solution back on the model.

    ``load(solution)`` sets the Pyomo variables' values, the duals of Pyomo constraints (``m.dual``)
    and those of the frame's constraint blocks (``block.duals``).
    """

    def __init__(self, lp, load):
        self.lp, self.load = lp, load


def _lp(n_cols: int, cost, offset: float, lower, upper, matrix, row_lower, row_upper):
    matrix = matrix.tocsc()
    matrix.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.offset_ = float(offset)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    return lp


def _compile_pyomo(m: pyo.ConcreteModel):
    """Every active Pyomo constraint (and the objective, if any) in standard form."""
    repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    kind = np.fromiter((row.bound_type for row in repn.rows), dtype=np.int8, count=len(repn.rows))
    rhs = np.asarray(repn.rhs, dtype=float)
    row_lower = np.where(kind <= 0, rhs, -highspy.kHighsInf)
    row_upper = np.where(kind >= 0, rhs, highspy.kHighsInf)
    return repn, row_lower, row_upper


def _set_duals(m, constraints, row_duals) -> None:
    if not hasattr(m, "dual"):
        m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    m.dual.clear()
    duals = m.dual
    for constraint, dual in zip(constraints, row_duals):
        duals[constraint] = duals.get(constraint, 0.0) + dual  # a ranged constraint has two rows


def compile_lp(m: pyo.ConcreteModel) -> CompiledLP:
    """The model as a HiGHS LP (column-wise sparse matrix).

    A model built by ``build_model`` keeps its large hourly constraint families as sparse blocks
    (model/linear.py) and its objective as cost parts: they are assembled here with numpy, and only
    the small Pyomo constraints go through Pyomo's standard-form compiler. A model whose blocks were
    materialised (sweeps, diagnosis) or any plain Pyomo model is compiled by Pyomo alone.
    """
    frame = getattr(m, "_em_frame", None)
    if frame is None or frame.materialised:
        return _compile_plain(m)
    return _compile_frame(m, frame)


def _compile_plain(m: pyo.ConcreteModel) -> CompiledLP:
    repn, row_lower, row_upper = _compile_pyomo(m)
    n = len(repn.columns)
    cost = np.asarray(repn.c.toarray()[0], dtype=float) if repn.c.shape[0] else np.zeros(n)
    offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    lower = [-highspy.kHighsInf if v.lb is None else v.lb for v in repn.columns]
    upper = [highspy.kHighsInf if v.ub is None else v.ub for v in repn.columns]
    lp = _lp(n, cost, offset, lower, upper, repn.A, row_lower, row_upper)
    columns, rows = repn.columns, [row.constraint for row in repn.rows]

    def load(solution) -> None:
        for var, value in zip(columns, solution.col_value):
            var.set_value(value, skip_validation=True)
        _set_duals(m, rows, solution.row_dual)

    return CompiledLP(lp, load)


def _bounds(var) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of a variable's elements in position order (fixed: both at the value)."""
    lower, upper = [], []
    for v in var.values():
        if v.fixed:
            lo = hi = v.value
        elif v._domain is pyo.Reals and type(v._lb) in _PLAIN and type(v._ub) in _PLAIN:
            lo, hi = v._lb, v._ub
        else:
            lo, hi = v.lb, v.ub
        lower.append(-highspy.kHighsInf if lo is None else lo)
        upper.append(highspy.kHighsInf if hi is None else hi)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


_PLAIN = (int, float, type(None))


def _compile_frame(m: pyo.ConcreteModel, frame) -> CompiledLP:
    variables = list(m.component_objects(pyo.Var, active=True, descend_into=True))
    offsets, lower, upper, n = {}, [], [], 0
    for var in variables:
        offsets[id(var)] = n
        lo, hi = _bounds(var)
        lower.append(lo)
        upper.append(hi)
        n += len(lo)
    lower = np.concatenate(lower) if lower else np.zeros(0)
    upper = np.concatenate(upper) if upper else np.zeros(0)

    def column(var, positions):
        return offsets[id(var)] + positions

    # small Pyomo constraints, through Pyomo's compiler, re-numbered onto our columns
    repn, row_lower, row_upper = _compile_pyomo(m)
    pyomo_rows = [row.constraint for row in repn.rows]
    coo = repn.A.tocoo()
    col_map = np.fromiter((offsets[id(v.parent_component())] + frame.layout(v.parent_component()).position(v.index())
                           for v in repn.columns), dtype=np.int64, count=len(repn.columns))
    rows, cols, vals = [coo.row.astype(np.int64)], [col_map[coo.col]], [coo.data]
    lows, highs = [row_lower], [row_upper]
    n_rows = len(pyomo_rows)

    # the blocks: each kept row of each key becomes one LP row
    placed = []  # (block, key index, kept rows, first LP row)
    for block in frame.blocks.values():
        for j, spec in enumerate(block.rows):
            kept = spec.kept()
            row_of = np.full(spec.lin.n, -1, dtype=np.int64)
            row_of[kept] = n_rows + np.arange(len(kept))
            for var, r, p, c in spec.lin.parts:
                keep = (row_of[r] >= 0) & (c != 0)
                rows.append(row_of[r[keep]])
                cols.append(column(var, p[keep]))
                vals.append(c[keep])
            rhs = -spec.lin.const[kept]
            lows.append(rhs if spec.sense in (">=", "==") else np.full(len(kept), -highspy.kHighsInf))
            highs.append(rhs if spec.sense in ("<=", "==") else np.full(len(kept), highspy.kHighsInf))
            placed.append((block, j, kept, n_rows))
            n_rows += len(kept)

    objective = frame.objective_lin()
    cost = np.zeros(n)
    for var, _, p, c in objective.parts:
        np.add.at(cost, column(var, p), c)
    matrix = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n))
    lp = _lp(n, cost, float(objective.const[0]), lower, upper, matrix, np.concatenate(lows), np.concatenate(highs))

    def load(solution) -> None:
        values = np.asarray(solution.col_value, dtype=float)
        for var in variables:
            start = offsets[id(var)]
            for v, x in zip(frame.layout(var).data(), values[start:start + len(var)].tolist()):
                v.set_value(x, skip_validation=True)
        duals = np.asarray(solution.row_dual, dtype=float)
        _set_duals(m, pyomo_rows, duals[:len(pyomo_rows)])
        for block in frame.blocks.values():
            block.duals = np.full((len(block.keys), block.n_rows()), np.nan)
        for block, j, kept, first in placed:
            block.duals[j, kept] = duals[first:first + len(kept)]

    return CompiledLP(lp, load)


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
            warnings.append(f"the LP's {name} span {high / low:.0e} (from {low:.1e} to {high:.1e}); HiGHS may struggle or "
                            "report small infeasibilities: check for tiny or huge input values (e.g. costs, caps)")
    return ", ".join(text), warnings


def _new_highs(options: dict, tee: bool) -> tuple[highspy.Highs, HighsLog]:
    """A HiGHS instance with the given options; with ``tee`` its log goes to the 'energymodel.highs' logger."""
    with capture_output(capture_fd=True):  # HiGHS prints a banner when created
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
    log = HighsLog()
    if tee:  # line by line to the logger, not to the terminal
        h.setOptionValue("log_to_console", False)
        h.cbLogging += log
        h.setOptionValue("output_flag", True)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h, log


def _finish(h: highspy.Highs, log: HighsLog, compiled: CompiledLP, start: float, accept_suboptimal: bool) -> SolveInfo:
    """Run HiGHS on the LP it holds; load the solution into the model, or raise SolveError."""
    h.run()
    log.flush()
    status, info = h.getModelStatus(), h.getInfo()
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    stopped = status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit)
    if status != highspy.HighsModelStatus.kOptimal and not (stopped and feasible and accept_suboptimal):
        term = _STATUS.get(status)
        name = term.name if term is not None else h.modelStatusToString(status)
        advice = ADVICE.get(term, "see the solver log (run with --verbose)")
        where = ""
        if stopped:
            where = (f" It stopped after {h.getRunTime():.1f} s with objective {info.objective_function_value:.6e}"
                     f" (primal {'feasible' if feasible else 'not feasible'}, dual "
                     f"{'feasible' if info.dual_solution_status == 2 else 'not feasible'}; nothing saved"
                     f"{', rerun with --accept-suboptimal to save the feasible point' if feasible else ''}).")
        raise SolveError(f"HiGHS did not find an optimal solution: status '{name}'.{where} Try: {advice}.", status=name)
    compiled.load(h.getSolution())
    numerics, warnings = lp_ranges(compiled.lp)
    optimal = status == highspy.HighsModelStatus.kOptimal
    return SolveInfo(
        status="optimal" if optimal else "feasible",
        termination=TerminationCondition.convergenceCriteriaSatisfied.name if optimal else _STATUS[status].name,
        objective_cny=float(info.objective_function_value),
        solve_time_s=time.perf_counter() - start,
        highs_time_s=float(h.getRunTime()),
        solver_version=f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}",
        log="",
        numerics=numerics,
        warnings=tuple(warnings),
    )


def solve(m: pyo.ConcreteModel, options: dict | None = None, tee: bool = False, accept_suboptimal: bool = False) -> SolveInfo:
    """Solve in memory; load primal values and duals (into ``m.dual`` and the blocks). Raises SolveError if not optimal.

    With ``accept_suboptimal``, a run stopped by a time or iteration limit with a feasible point
    loads that point (status 'feasible') instead of failing.
    """
    options = dict(options or {})
    check_options(options)
    # HiGHS keeps one thread pool per process, sized by the first solve; a later solve asking for a
    # different 'threads' fails unless the pool is reset first.
    highspy.Highs.resetGlobalScheduler(True)
    start = time.perf_counter()
    compiled = compile_lp(m)
    h, log = _new_highs(options, tee)
    h.passModel(compiled.lp)
    return _finish(h, log, compiled, start, accept_suboptimal)


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

    def solve(self, m: pyo.ConcreteModel) -> SolveInfo:
        start = time.perf_counter()
        compiled = compile_lp(m)
        if self.highs is None:
            self.highs, self.log = _new_highs(self.options, self.tee)
            self.highs.passModel(compiled.lp)
        else:
            h = self.highs
            basis = h.getBasis()
            same_shape = h.getNumCol() == compiled.lp.num_col_ and h.getNumRow() == compiled.lp.num_row_
            h.passModel(compiled.lp)
            if basis.valid and same_shape:
                h.setBasis(basis)
            h.setOptionValue("solver", "simplex")
        return _finish(self.highs, self.log, compiled, start, accept_suboptimal=False)
