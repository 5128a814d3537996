"""Myopic pathways (``pathway.foresight: myopic``): plan by plan, seeing ``horizon_periods`` periods ahead.

With periods 0..N-1 and horizon H, window k (k = 0, 1, ...) is the pathway of the periods
0..e_k, e_k = min(k + H, N) - 1, built from the same inputs as the whole pathway (each period keeps
its year, represented years y_p, discount factor f_p, existing fleet, hours and demand:
periods.first_periods), in which the periods before k are what the earlier windows decided:

    min  sum_{p <= e_k} f_p * cost_p(x)
    s.t. the pathway's constraints over the periods 0..e_k (all modules, unchanged)
         I[., b] = I*[., b]    (both bounds)        for every investment column of a period b < k
         CO2_p   = CO2*_p                           for p < k, when a carbon budget applies
    keep I*[., k] (and, in the window that reaches the last period, I*[., k..N-1]; see below)

I are the model's investment columns, the variables indexed by the period (``new_capacity_mw`` of
every technology: new build and retrofits; ``new_energy_mwh`` of storage; ``new_line_mw`` of
lines; found generically, so a module adding one is carried too). Because the earlier periods are
in the window's LP, what was built there is capacity in the window exactly as the model treats it
(frame.capacity_mw: standing while year_p - year_b < lifetime, retrofits converting their base
plant, storage energy, line capacity), and its annuities are charged in every period of the window
where it stands, as with perfect foresight. The carbon budget row, sum_{p <= e_k} y_p CO2_p <=
budget, then leaves the window exactly budget - sum_{p<k} y_p CO2*_p: the earlier periods' CO2 is
held at what they emitted when decided, so a window cannot re-dispatch the past to free budget. The
window sees the whole remaining budget (it does not know the later periods need some).

The earlier periods' operation is solved again in every window (their capacity fixed). Without a
budget, the LP separates by period once investment is fixed, so this re-solve reaches the same
yearly costs; with a budget, their CO2 is fixed as above, and the same holds. That keeps prices and
shadow prices of every period from a solve with that period in it (the last window's: the
short-run values with the fleet built), and it makes the last window's objective the myopic total:

    total = sum_p f_p * cost_p(I*, operation)            (CNY, present value, as perfect foresight)

comparable with the perfect-foresight objective, which is a lower bound on it: the myopic plan
meets every constraint of the whole pathway (the last window holds them all), so it is one of the
plans perfect foresight could have chosen. If a window is infeasible, the error names it, with the
diagnosis (diagnose.py) of that window, its earlier periods held as decided.

A window that reaches the last period (e_k = N - 1) keeps all its decisions: the windows after it
would see no more than it saw and could only solve the same problem again with more fixed. So H >= N
is one window, perfect foresight exactly, and a run has N - H + 1 windows (H < N).

Each window is its own LP (its size grows with the periods it has; the fixed columns are removed
by HiGHS's presolve), solved by solve.solve; the results are built from the last window's model, so
the Dataset has the same shape as with perfect foresight, plus the ``window`` record.
"""

from __future__ import annotations

import time

import numpy as np
import pyomo.environ as pyo

from .diagnose import diagnose, format_diagnosis
from .errors import InputError, Problem, SolveError
from .model import ModelFrame, build_model
from .periods import first_periods
from .progress import status
from .solve import SolveInfo, solve


def investment_vars(frame: ModelFrame) -> list[pyo.Var]:
    """The model's investment columns: every variable indexed by the period last (``var[..., p]``)."""
    m = frame.m
    return [
        var for var in m.component_objects(pyo.Var, descend_into=True) if var.is_indexed() and list(var.index_set().subsets())[-1] is m.P
    ]


def _period(index) -> int:
    return int(index[-1] if isinstance(index, tuple) else index)


def windows(count: int, horizon: int) -> list[tuple[int, int]]:
    """(first, last) period of each window: one period kept at a time until a window reaches the last period."""
    horizon = min(horizon, count)
    return [(k, min(k + horizon, count) - 1) for k in range(count - horizon + 1)]


class _Fixing:
    """Fixes, in a window's model, the decisions of the periods before it (and runs the run's own ``prepare``)."""

    def __init__(self, first: int, investment: dict, co2: dict, prepare=None):
        self.first, self.investment, self.co2, self.prepare = first, investment, co2, prepare

    def __call__(self, frame: ModelFrame) -> None:
        if self.prepare is not None:
            self.prepare(frame)
        for var in investment_vars(frame):
            for index in var:
                if _period(index) < self.first and not var[index].fixed:
                    # bounds, not Var.fix: the column stays in its rows, so HiGHS judges them within its
                    # tolerances (a fixed column makes constant rows, which Pyomo checks exactly)
                    value = self.investment[(var.name, index)]
                    var[index].setlb(value)
                    var[index].setub(value)
        earlier = [p for p in frame.periods if p < self.first]
        if self.co2 and earlier and frame.yearly_co2:
            frame.m.myopic_co2_fixed = pyo.Constraint(
                earlier, rule=lambda _, p: frame.yearly_co2[p] == self.co2[p], doc="CO2 of the periods decided in earlier windows, t/yr"
            )


def _keep(frame: ModelFrame, first: int, last: int, investment: dict, co2: dict, budget: bool) -> None:
    """Record the window's decisions for its kept periods first..last."""
    for var in investment_vars(frame):
        for index in var:
            if first <= _period(index) <= last:
                value = var[index].value or 0.0
                low = var[index].lb
                investment[(var.name, index)] = max(value, low) if low is not None else value
    if budget:
        for p in range(first, last + 1):
            co2[p] = float(pyo.value(frame.yearly_co2[p]))


def solve_myopic(data, say, tee: bool = False, accept_suboptimal: bool = False, prepare=None):
    """Solve a pathway window by window; returns (last window's frame, its SolveInfo, the window record, build seconds)."""
    pathway = data.config.pathway
    if data.config.solver.decomposition is not None:
        source = data.sources.get("run_file", "run file")
        raise InputError([Problem(source, "pathway.foresight", "myopic", "cannot be combined with solver.decomposition: remove one")])
    plan = data.period_plan()
    spans = windows(plan.count, pathway.horizon_periods)
    budget = pathway.carbon_budget_t is not None
    investment: dict = {}
    co2: dict = {}
    record = {"first": [], "last": [], "objective": [], "build": [], "solve": []}
    frame = info = None
    build_total = 0.0
    for number, (first, last) in enumerate(spans, start=1):
        years = f"{plan.years[first]}-{plan.years[last]}" if last > first else f"{plan.years[first]}"
        window = first_periods(data, last + 1)
        fixing = _Fixing(first, investment, co2, prepare)
        t0 = time.perf_counter()
        with status(f"window {number}/{len(spans)} ({years}): building"):
            frame = build_model(window)
            fixing(frame)
        t_build = time.perf_counter() - t0
        build_total += t_build
        try:
            with status(f"window {number}/{len(spans)} ({years}): solving with HiGHS"):
                info = solve(frame, data.config.solver.options, tee=tee, accept_suboptimal=accept_suboptimal)
        except SolveError as exc:
            where = f"myopic window {number} of {len(spans)} ({years}, the periods before {plan.years[first]} fixed as decided)"
            if not exc.infeasible:
                raise SolveError(f"{where}: {exc.raw}", status=exc.status, exit_code=exc.exit_code) from None
            say(f"{where} is infeasible: re-solving it with elastic slacks to find what has to give")
            with status("diagnosing the infeasibility"):
                found = diagnose(window, fixing)
            raise SolveError(f"{where}: {exc.raw}\n{format_diagnosis(found)}", status=exc.status, exit_code=exc.exit_code) from None
        _keep(frame, first, last if last == plan.count - 1 else first, investment, co2, budget)
        seconds = t_build + info.solve_time_s
        say(
            f"window {number}/{len(spans)}: {years} (periods {first + 1}-{last + 1} of {plan.count}), "
            f"objective {info.objective_cny:.6e} CNY, {info.status}, {seconds:.1f} s (build {t_build:.1f} s)"
        )
        record["first"].append(plan.years[first])
        record["last"].append(plan.years[last])
        record["objective"].append(info.objective_cny)
        record["build"].append(t_build)
        record["solve"].append(info.solve_time_s)
    return frame, info, record, build_total


def add_window_record(ds, record: dict, horizon: int):
    """The ``window`` dimension: each window's periods, objective and times; attrs of the foresight."""
    n = len(record["first"])
    ds = ds.assign_coords(window=("window", np.arange(1, n + 1), {"long_name": "myopic window, in solve order"}))
    variables = {
        "window_first_period": (record["first"], "year", "first period of the window (its decisions kept)"),
        "window_last_period": (record["last"], "year", "last period the window sees"),
        "window_objective_cny": (
            record["objective"],
            "CNY",
            "objective of the window's LP: present value of the costs of the periods up to its last, earlier periods as decided",
        ),
        "window_build_time_s": (record["build"], "s", "time to build the window's model"),
        "window_solve_time_s": (record["solve"], "s", "time to solve the window's LP (with transfer)"),
    }
    for name, (values, units, long_name) in variables.items():
        ds[name] = ("window", np.asarray(values), {"units": units, "long_name": long_name})
    ds.attrs["pathway_foresight"] = "myopic"
    ds.attrs["pathway_horizon_periods"] = int(horizon)
    ds.attrs["myopic_windows"] = n
    return ds


__all__ = ["SolveInfo", "add_window_record", "investment_vars", "solve_myopic", "windows"]
