"""A first master point from a typical-days plan of the same run (cheap: a few days stand for the year).

The run is built again with ``hours.representative_days = n`` (clustered days, inputs/aggregation.py;
without the optional package tsam, every (days / n)-th day instead) and solved as one LP; the value of every master column (new capacity, storage energy, lines: the
columns without an hour) is read by its label (family, key, period) and handed to Benders as the
first point to evaluate. Columns the typical-days LP does not have are left to the master.
"""

from __future__ import annotations

import importlib.util

import highspy
import numpy as np

from ..compile import compile_lp
from ..errors import SolveError
from ..solve import status_name
from .benders import quiet_highs

WARM_START_SOLVER = {"solver": "ipm", "run_crossover": "off"}
"""How the warm start's plan is solved: a point is wanted, not a basis, so interior point without crossover. Full year,
8 typical days, threads=1 (benchmarks/bench_warm_start.py, HiGHS 1.15.1): the default 4.3 s against 2.3 s by dual
simplex, the six grids 25.8 s against 57.5 s, the 31 provinces
473.5 s where dual simplex had not finished after 900 s; the points agree within 1e-8."""


def tsam_available() -> bool:
    return importlib.util.find_spec("tsam") is not None


def reduced_year(days: int, days_modelled: int) -> dict:
    """The ``hours`` settings of the warm start's plan: ``days`` typical days, or every n-th day without tsam."""
    if tsam_available():
        return {"representative_days": days, "every_nth_day": 1}
    return {"representative_days": None, "every_nth_day": max(days_modelled // days, 1)}


def typical_days_plan(frame, days: int, options: dict, master_cols: np.ndarray, columns) -> tuple[np.ndarray, float]:
    """Values of the master columns ``master_cols`` (labels ``columns``) in a ``days``-typical-days plan (NaN: unknown),
    and the plan's objective (CNY/yr)."""
    from ..inputs import load_inputs
    from ..model import build_model

    config = frame.config
    hours = config.hours.model_copy(update=reduced_year(days, frame.n_hours // 24 // frame.plan.count))
    solver = config.solver.model_copy(update={"decomposition": None})
    td_config = config.model_copy(update={"hours": hours, "solver": solver})
    td_frame = build_model(load_inputs(td_config))
    compiled = compile_lp(td_frame)
    h = quiet_highs(options)
    h.passModel(compiled.lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolveError(
            f"the {days}-typical-days plan for the warm start was not solved: status '{status_name(h)}'",
            status=status_name(h),
        )
    values = np.asarray(h.getSolution().col_value, dtype=float)
    td = compiled.columns
    where = {}
    for i in np.flatnonzero(td.hour < 0):
        where[(td.families[td.family[i]], td.keys[td.family[i]][td.key[i]], int(td.period[i]))] = i
    out = np.full(len(master_cols), np.nan)
    for j, c in enumerate(master_cols):
        f = columns.family[c]
        i = where.get((columns.families[f], columns.keys[f][columns.key[c]], int(columns.period[c])))
        if i is not None:
            out[j] = values[i]
    return out, float(h.getInfo().objective_function_value)
