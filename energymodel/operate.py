"""Operate a given fleet: every investment decision held at a results file's value, every hour solved.

"Plan on typical days, check every hour": a plan (``energymodel run`` on representative days or
every n-th day) decides the capacities; ``energymodel operate RUN_FILE --fleet PLAN.nc`` takes them
from the plan's results file (the *fleet*), models the run file's hours chronologically (a reduced
year is dropped) and solves the same LP as a run with, for every investment column j,

    fleet_j <= x_j <= fleet_j

so only the operation is optimised: dispatch, storage and reservoir levels, flows, hydrogen, lost
load and curtailment, with prices, CO2 and costs read from the results exactly as for a run.

The investment decisions are found generically: the model's variables none of whose index entries
is an hour (:func:`compile.index_roles`, the rule that labels the LP's columns with hour -1):
``new_capacity_mw``, ``new_energy_mwh``, ``new_line_mw``, and any other, e.g. one a hook adds.
:data:`FLEET` says where a results file keeps each; an investment variable it does not know, a
missing results variable or a fleet of other technologies, regions, lines or periods is an
:class:`InputError` naming the fleet file and the field (nothing is solved or written).

The decisions are held by their bounds rather than ``Var.fix``: a fixed variable turns the small
investment rows (build limits, storage durations, retrofits, planning margin) into constants that
Pyomo checks with no tolerance, so a fleet read back at 1e-9 beyond a bound would fail to compile;
as bounds, HiGHS checks them within its feasibility tolerance, and an infeasible fleet is diagnosed.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from .compile import index_roles
from .config import RunConfig, load_run
from .errors import ARGUMENTS, InputError, Problem, ResultsError, option
from .model import ModelFrame
from .progress import reporter
from .reading import read_results
from .runner import Progress, check_output, run_and_write

log = logging.getLogger(__name__)

BOUND_TOLERANCE = 1e-6
"""A fleet value further than this (relative, at least 1 MW or MWh) outside the run's own bounds is warned about."""


@dataclass(frozen=True)
class Stored:
    """Where a results file keeps one investment variable.

    ``variable``: the results variable; ``dim``: what the variable's key is ('technology': a technology
    id, stored by region and technology name; 'line'); ``standing``: the results hold what stands in
    each period, E[p] = sum_{b alive in p} x[b], not the builds x[b] themselves.
    """

    variable: str
    dim: str
    standing: bool = False


FLEET = {
    "new_capacity_mw": Stored("capacity_new_mw", "technology"),
    "new_energy_mwh": Stored("energy_capacity_mwh", "technology", standing=True),
    "new_line_mw": Stored("line_capacity_new_mw", "line"),
}
"""Investment variable of the model -> where a results file keeps its values."""


def investment_variables(frame: ModelFrame) -> list[pyo.Var]:
    """The model's investment decisions: the (non-empty) variables whose index has no hour (the LP's hourless columns)."""
    variables = frame.m.component_objects(pyo.Var, active=True, descend_into=True)
    return [v for v in variables if len(v) and "hour" not in index_roles(v, frame)]


def chronological(config: RunConfig, say=None) -> RunConfig:
    """The run with every modelled hour chronological: representative days and every n-th day dropped
    (the date range kept), and no decomposition (with the investments fixed the operation is one LP)."""
    say = say or reporter(log)
    hours, solver = config.hours, config.solver
    if hours.representative_days is not None:
        say(f"operate: hours.representative_days ({hours.representative_days}) dropped: every day of the range is modelled, hour by hour")
    if hours.every_nth_day > 1:
        say(f"operate: hours.every_nth_day ({hours.every_nth_day}) dropped: every day of the range is modelled, hour by hour")
    if solver.decomposition is not None:
        say("operate: solver.decomposition dropped: with the investments fixed the operation is one LP")
    return config.model_copy(
        update={
            "hours": hours.model_copy(update={"representative_days": None, "every_nth_day": 1}),
            "solver": solver.model_copy(update={"decomposition": None}),
        }
    )


def read_fleet(path: str | Path) -> xr.Dataset:
    """A results file of one run (loaded into memory, file closed). Raises InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(ARGUMENTS, option("fleet"), str(path), "no such results file")])
    try:
        ds = read_results(path)
    except ResultsError as exc:
        raise InputError([Problem(str(path), "", None, exc.reason)]) from None
    if "sweep_dims" in ds.attrs:
        raise InputError([Problem(str(path), "sweep_dims", ds.attrs["sweep_dims"], "a sweep's results: a fleet is one run's results")])
    return ds


def fleet_periods(fleet: xr.Dataset) -> list[int]:
    """The years of a results file's investment periods (one run: its modelled year)."""
    if "period" in fleet.dims:
        return [int(y) for y in fleet["period"].values]
    return [int(fleet.attrs["modelled_year"])] if "modelled_year" in fleet.attrs else []


def coordinate_problems(frame: ModelFrame, fleet: xr.Dataset, source: str) -> list[Problem]:
    """Regions, technologies, lines and periods of the run that the fleet lacks, or the other way round."""
    data = frame.data
    run = {"region": data.regions, "technology": list(data.technologies["technology"]), "line": list(data.lines.index)}
    problems = []
    for dim, names in run.items():
        have = {str(v) for v in fleet[dim].values} if dim in fleet.coords else set()
        if missing := sorted(set(names) - have):
            problems.append(Problem(source, dim, missing, "in the run but not in the fleet file"))
        if extra := sorted(have - set(names)):
            problems.append(Problem(source, dim, extra, "in the fleet file but not in the run"))
    if (years := fleet_periods(fleet)) != list(frame.plan.years):
        problems.append(Problem(source, "period", years, f"the fleet's periods differ from the run's {list(frame.plan.years)}"))
    return problems


def _coordinates(frame: ModelFrame, dim: str, key: tuple) -> dict:
    """Results coordinates of a variable's key: region and technology name of a technology id, or the line."""
    if dim == "technology":
        return {"region": frame.tech(key[0], "region"), "technology": frame.tech(key[0], "technology")}
    return {dim: key[0]}


def _builds(frame: ModelFrame, key: tuple, standing: np.ndarray) -> np.ndarray:
    """Builds x[b] from what stands in each period, E[p] = sum_{b alive in p} x[b] (a triangular solve)."""
    lifetime = frame.tech(key[0], "lifetime_yr")
    built = np.zeros(len(standing))
    for p in frame.periods:
        built[p] = standing[p] - sum(built[b] for b in range(p) if frame.plan.alive(b, p, lifetime))
    return built


def fleet_values(frame: ModelFrame, var: pyo.Var, fleet: xr.Dataset, source: str) -> tuple[dict, list[Problem]]:
    """The fleet's value of each element of one investment variable (index -> value), or the problems found."""
    stored = FLEET.get(var.name)
    if stored is None:
        message = "an investment decision (no hour in its index) that operate does not know where a results file keeps"
        return {}, [Problem(source, var.name, None, message)]
    if stored.variable not in fleet:
        return {}, [Problem(source, stored.variable, None, f"missing: it holds the run's {var.name}")]
    da = fleet[stored.variable]
    keys = ("region", "technology") if stored.dim == "technology" else (stored.dim,)
    wanted = keys + (("period",) if "period" in fleet.dims else ())
    if set(da.dims) != set(wanted):
        return {}, [Problem(source, stored.variable, list(da.dims), f"expected the dimensions {list(wanted)}")]
    table = {k if isinstance(k, tuple) else (k,): v for k, v in da.transpose(*wanted).to_series().items()}
    roles = index_roles(var, frame)
    by_key: dict[tuple, dict[int, object]] = {}
    for index in var.keys():
        index = index if isinstance(index, tuple) else (index,)
        key = tuple(v for v, role in zip(index, roles) if role == "key")
        period = next((int(v) for v, role in zip(index, roles) if role == "period"), 0)
        by_key.setdefault(key, {})[period] = index
    values, absent = {}, []
    for key, indices in by_key.items():
        at = _coordinates(frame, stored.dim, key)
        stands = np.array(
            [table.get(tuple(at[k] for k in keys) + ((frame.plan.years[p],) if len(wanted) > len(keys) else ()), np.nan) for p in indices]
        )
        if not np.isfinite(stands).all():
            absent.append(", ".join(f"{k}={v}" for k, v in at.items()))
            continue
        built = _builds(frame, key, stands) if stored.standing and len(stands) > 1 else stands
        values.update({index: float(x) for index, x in zip(indices.values(), built)})
    problems = [Problem(source, stored.variable, absent, f"no value for the run's {var.name} at these keys")] if absent else []
    return values, problems


def fix_fleet(frame: ModelFrame, fleet: xr.Dataset, source: str = "fleet file", say=None) -> Counter:
    """Hold every investment decision of the built model at the fleet's value (lower = upper bound).

    Raises InputError naming the fleet file and each variable that cannot be matched; returns the
    number of decisions held per variable.
    """
    say = say or reporter(log)
    problems = coordinate_problems(frame, fleet, source)
    if problems:
        raise InputError(problems)
    held, counts = [], Counter()
    for var in investment_variables(frame):
        values, found = fleet_values(frame, var, fleet, source)
        problems += found
        held += [(var, values)]
    if problems:
        raise InputError(problems)
    for var, values in held:
        for index, x in values.items():
            v = var[index]
            lo, hi = v.lb, v.ub
            slack = BOUND_TOLERANCE * max(abs(x), 1.0)
            if (lo is not None and x < lo - slack) or (hi is not None and x > hi + slack):
                say(f"warning: the fleet's {var.name}[{index}] = {x:.6g} is outside the run's bounds [{lo}, {hi}]; held at the fleet's")
            v.unfix()
            v.setlb(x)
            v.setub(x)
            counts[var.name] += 1
    where = ", ".join(f"{name} {n}" for name, n in counts.items())
    say(f"fleet: {sum(counts.values())} investment decisions held at the values in {source} ({where})")
    return counts


def operate_file(
    path: str | Path,
    fleet: str | Path,
    output: str | Path | None = None,
    progress: Progress | None = None,
    tee: bool = False,
    changes: dict | None = None,
    overwrite: bool = False,
    accept_suboptimal: bool = False,
) -> tuple[xr.Dataset, Path]:
    """Operate the fleet of results file ``fleet`` over the run file's hours, chronologically; write the NetCDF.

    ``output`` defaults to the run file's output with '-operate' added; ``changes`` and ``overwrite``
    as in :func:`runner.run_file`. The results record ``mode = 'operate'`` and ``fleet_file``.
    """
    path, fleet = Path(path), Path(fleet)
    say = reporter(log, progress)
    config = chronological(load_run(path, changes), say)
    target = Path(output) if output is not None else config.operate_output()
    check_output(target, overwrite, str(path))
    held = read_fleet(fleet)
    return run_and_write(
        config,
        str(path),
        target,
        progress,
        tee,
        overwrite,
        accept_suboptimal,
        prepare=lambda frame: fix_fleet(frame, held, str(fleet), say),
        metadata={"mode": "operate", "fleet_file": str(fleet.resolve())},
    )
