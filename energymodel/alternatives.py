"""Near-optimal alternatives (modelling to generate alternatives, MGA): quite different systems that cost almost the same.

With the optimum's cost C* (CNY/yr; the present value in a pathway) and a slack s, every alternative solves

    min or max  a . x      subject to the model's rows  and   c . x + c0 <= (1 + s) C*

where c . x + c0 is the objective and a . x an **aggregate**: the capacity (MW, summed over periods) or
the yearly output (MWh/yr) of a group of technologies, or the yearly CO2 (t/yr). A group is fuels or
families (``coal``: every power plant burning coal, CHP included, heat-only boilers not), technology names, or the words ``wind``, ``solar`` and
``gas_turbines``, joined by ``+``
(e.g. ``coal``, ``wind+solar``, ``output:gas_turbines``, ``co2``). ``random`` directions follow the
random-vector method (Berntsen & Trutnevyte 2017, Energy 126: 886-898): a ∈ U(-1, 1) per technology's
capacity, each scaled by the optimum's capacity of that technology (or 1 GW), seeded.

Each alternative re-solves the same HiGHS instance from the previous basis (only the costs change and one
row is added); each is a full results set. See docs/alternatives.md.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .errors import InputError, Problem

GROUP_WORDS = {
    "wind": lambda techs: [g for g in techs.index if "wind" in g],
    "solar": lambda techs: [g for g in techs.index if "solar" in g],
    "gas_turbines": lambda techs: [g for g in techs.index if techs.at[g, "family"] == "thermal" and techs.at[g, "fuel"] == "natural_gas"],
}
KINDS = ("capacity", "output", "co2")
HEAT_ONLY = ("heat_boiler", "heat_pump")
"""Families a fuel's group leaves out: their capacity is heat (MW_th), not power; name them to include them."""


@dataclass(frozen=True)
class Aggregate:
    """What an alternative minimises or maximises: ``kind`` over ``technologies`` (none for co2)."""

    text: str
    kind: str
    technologies: tuple[str, ...]

    @property
    def unit(self) -> str:
        return {"capacity": "MW", "output": "MWh/yr", "co2": "tCO2/yr"}[self.kind]


def parse_aggregate(text: str, technologies, field: str = "--minimise/--maximise") -> Aggregate:
    """``[capacity:|output:]GROUP[+GROUP...]`` or ``co2``; an InputError naming the field for a group that names nothing."""
    kind, _, group = text.partition(":") if ":" in text else ("capacity", "", text)
    if text == "co2":
        return Aggregate(text, "co2", ())
    if kind not in KINDS[:2]:
        raise InputError(
            [Problem("command line", field, text, f"the kind must be capacity or output (or the aggregate co2), not {kind!r}")]
        )
    found: list[str] = []
    for part in filter(None, group.split("+")):
        if part in GROUP_WORDS:
            names = GROUP_WORDS[part](technologies)
        else:  # a family, or a fuel's power plants (``coal``: every coal plant, not heat-only boilers), else a name
            family, fuel = technologies["family"], technologies["fuel"]
            names = [g for g in technologies.index if family[g] == part or (fuel[g] == part and family[g] not in HEAT_ONLY)]
            names = names or [g for g in technologies.index if g == part]
        if not names:
            raise InputError(
                [Problem("command line", field, text, f"{part!r} names no technology (a name, family, fuel, wind, solar or gas_turbines)")]
            )
        found += [g for g in names if g not in found]
    if not found:
        raise InputError([Problem("command line", field, text, "names no technology")])
    return Aggregate(text, kind, tuple(found))


def aggregate_lin(frame, aggregate: Aggregate):
    """The aggregate as a one-row expression (Lin) of the frame's variables, summed over the periods."""
    from .model import carbon

    total = frame.zero().sum()
    for p in frame.periods:
        first = frame.hours_of(p).start
        if aggregate.kind == "capacity":
            for g in aggregate.technologies:
                total = total + frame.capacity(g).take([first])
        elif aggregate.kind == "output":
            total = total + frame.yearly(frame.output(list(aggregate.technologies)), p)
        else:
            total = total + frame.yearly(sum(carbon.emissions_by_source(frame).values(), frame.zero()), p)
    return total


def check_slack(slack: float) -> None:
    if not 0 <= slack <= 1:
        raise InputError([Problem("command line", "--slack", slack, "must be between 0 and 1 (a share of the optimum's cost)")])


def solve_alternatives(frame, options: dict, slack: float, targets: list[tuple[str, Aggregate]], random: int = 0, seed: int = 0, say=None):
    """The optimum, then each (sense, aggregate) of ``targets`` and ``random`` random directions within ``slack``.

    Returns a list of (sense, aggregate text, aggregate value, results Dataset), the optimum first.
    """
    from .compile import compile_lp
    from .model.linear import Lin
    from .results import build_dataset
    from .solve import check_options, finish_solve, new_highs

    check_slack(slack)
    check_options(options)
    say = say or (lambda message: None)
    compiled = compile_lp(frame)
    h, log = new_highs(options, False)
    h.passModel(compiled.lp)
    t0 = time.perf_counter()
    info = finish_solve(h, log, compiled, t0, False)
    optimum = info.objective_cny
    say(f"optimum: {optimum:.6e} CNY ({time.perf_counter() - t0:.1f} s)")
    out = [("optimum", "", np.nan, build_dataset(frame, {"alternative_objective_cny": optimum}))]
    cost = np.asarray(compiled.lp.col_cost_, dtype=float)
    offset = float(compiled.lp.offset_)
    nonzero = np.flatnonzero(cost)
    h.addRow(-np.inf, (1 + slack) * optimum - offset, len(nonzero), nonzero.astype(np.int32), cost[nonzero])
    directions = [(sense, aggregate, coefficients(compiled, aggregate_lin(frame, aggregate))) for sense, aggregate in targets]
    rng = np.random.default_rng(seed)
    techs = list(frame.data.technologies.index)
    scale = out[0][3]["capacity_total_mw"].sum([d for d in out[0][3]["capacity_total_mw"].dims if d != "technology"])
    for i in range(random):
        weights = rng.uniform(-1.0, 1.0, len(techs))
        lin = Lin(1)
        for g, w in zip(techs, weights):
            lin = lin + aggregate_lin(frame, Aggregate(g, "capacity", (g,))) * (w / max(float(scale.sel(technology=g)), 1000.0))
        directions.append(("random", Aggregate(f"#{i + 1}", "capacity", tuple(techs)), coefficients(compiled, lin)))
    cols = np.arange(len(cost), dtype=np.int32)
    for sense, aggregate, (a, a0) in directions:
        t1 = time.perf_counter()
        h.changeColsCost(len(cols), cols, a if sense in ("min", "random") else -a)
        h.changeObjectiveOffset(0.0)
        finish_solve(h, log, compiled, t1, False)
        value = float(a @ np.asarray(h.getSolution().col_value)) + a0
        ds = build_dataset(frame, {"alternative_objective_cny": optimum})
        say(
            f"{sense} {aggregate.text}: {value:.6g} ({aggregate.unit if sense != 'random' else 'weighted'}), "
            f"cost {float(ds.total_cost_cny):.6e} CNY ({time.perf_counter() - t1:.1f} s)"
        )
        out.append((sense, aggregate.text, value, ds))
    return out


def coefficients(compiled, lin) -> tuple[np.ndarray, float]:
    """A one-row Lin as coefficients on the compiled LP's columns, and its constant."""
    a = np.zeros(compiled.lp.num_col_)
    for var, _, p, c in lin.parts:
        np.add.at(a, compiled.column(var, p), c)
    return a, float(lin.const[0])


def combine(alternatives, slack: float) -> xr.Dataset:
    """One Dataset with an ``alternative`` dimension (the optimum first) and what each alternative optimised."""
    parts = [ds.expand_dims(alternative=[i]) for i, (_, _, _, ds) in enumerate(alternatives)]
    combined = xr.concat(parts, dim="alternative", combine_attrs="override")
    combined = combined.assign_coords(
        alternative_sense=("alternative", [a[0] for a in alternatives]),
        alternative_aggregate=("alternative", [a[1] for a in alternatives]),
        alternative_value=("alternative", np.array([a[2] for a in alternatives], dtype=float)),
    )
    combined["alternative_value"].attrs.update(long_name="value of the aggregate each alternative optimised (MW, MWh/yr, t/yr)")
    combined["alternative"].attrs.update(long_name="near-optimal alternative (0: the optimum)")
    combined["status"] = ("alternative", np.full(len(alternatives), "optimal"))
    combined["message"] = ("alternative", np.full(len(alternatives), ""))
    # read as a sweep over 'alternative': plots (--select alternative=N), summary, compare and export take it as one
    combined.attrs.update(alternatives_slack=slack, alternatives_count=len(alternatives), sweep_dims=json.dumps(["alternative"]))
    return combined


def alternatives_file(
    path,
    output=None,
    slack: float = 0.02,
    minimise: tuple[str, ...] = (),
    maximise: tuple[str, ...] = (),
    random: int = 0,
    seed: int = 0,
    changes: dict | None = None,
    overwrite: bool = False,
    progress=None,
) -> tuple[xr.Dataset, object]:
    """Near-optimal alternatives of a run file, one LP each; the NetCDF at ``output`` (default: the run's output with
    '-alternatives' added). Bad input (slack, aggregates, run file) fails before any solving; nothing is written then."""
    import logging
    from pathlib import Path

    from .config import load_run
    from .inputs import load_inputs
    from .model import build_model
    from .progress import reporter
    from .results import write_netcdf
    from .runner import check_output

    say = reporter(logging.getLogger(__name__), progress)
    check_slack(slack)
    path = Path(path)
    config = load_run(path, {**(changes or {}), "solver.decomposition": None})
    out = config.resolved_output()
    target = Path(output) if output is not None else out.with_name(out.stem + "-alternatives" + out.suffix)
    check_output(target, overwrite, str(path))
    data = load_inputs(config, str(path))
    targets = [("min", parse_aggregate(t, data.technologies, "--minimise")) for t in minimise]
    targets += [("max", parse_aggregate(t, data.technologies, "--maximise")) for t in maximise]
    if not targets and not random:
        raise InputError([Problem("command line", "--minimise/--maximise/--random", None, "give at least one aggregate or --random N")])
    say(f"{len(targets) + random} alternatives within {slack:.1%} of the optimum's cost")
    frame = build_model(data)
    ds = combine(solve_alternatives(frame, config.solver.options, slack, targets, random, seed, say), slack)
    write_netcdf(ds, target)
    return ds, target
