"""Near-optimal alternatives (modelling to generate alternatives, MGA): quite different systems that cost almost the same.

With the optimum's cost C* (CNY/yr; the present value in a pathway) and a slack s, every alternative solves

    min or max  a . x      subject to the model's rows  and   c . x + c0 <= (1 + s) C*

where c . x + c0 is the objective and a . x an **aggregate**: the capacity (MW, summed over periods), the
new build (MW, summed over the periods it is built in) or the yearly output (MWh/yr) of a group of
technologies, or the yearly CO2 (t/yr) or hydrogen burnt (t/yr). A group is fuels or families (``coal``:
every power plant burning coal, CHP included, heat-only boilers not), technology names, or the words
``wind``, ``solar`` and ``gas_turbines``, joined by ``+``, and ``@REGION`` keeps one region's
(e.g. ``coal``, ``wind+solar``, ``output:gas_turbines``, ``new:solar@northwest``, ``co2``, ``h2``). ``random`` directions follow the
random-vector method (Berntsen & Trutnevyte 2017, Energy 126: 886-898): a ∈ U(-1, 1) per technology's
capacity, each scaled by the optimum's capacity of that technology (or 1 GW), seeded.

Each alternative re-solves the same HiGHS instance from the optimum's basis (only the costs change and one
row is added); each is a full results set, with the value of every named aggregate (``aggregate_value``).
A Dask worker starts from the optimum's basis. The command-line driver (parts on disk, resume, Dask) is
alternatives_run.py. See docs/alternatives.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import xarray as xr

from .errors import InputError, Problem

GROUP_WORDS = {
    "wind": lambda techs: [g for g in techs.index if "wind" in g],
    "solar": lambda techs: [g for g in techs.index if "solar" in g],
    "gas_turbines": lambda techs: [g for g in techs.index if techs.at[g, "family"] == "thermal" and techs.at[g, "fuel"] == "natural_gas"],
}
KINDS = ("capacity", "new", "output")
TOTALS = {"co2": "tCO2/yr", "h2": "t/yr"}
"""Aggregates over the whole system: yearly CO2 of all sources, hydrogen burnt as fuel (t/yr, summed over periods)."""
HEAT_ONLY = ("heat_boiler", "heat_pump")
"""Families a fuel's group leaves out: their capacity is heat (MW_th), not power; name them to include them."""


@dataclass(frozen=True)
class Aggregate:
    """What an alternative minimises or maximises: ``kind`` over ``technologies`` (none for co2 and h2)."""

    text: str
    kind: str
    technologies: tuple[str, ...]

    @property
    def unit(self) -> str:
        return {"capacity": "MW", "new": "MW", "output": "MWh/yr", **TOTALS}[self.kind]


def parse_aggregate(text: str, technologies, field: str = "--minimise/--maximise") -> Aggregate:
    """``[capacity:|new:|output:]GROUP[+GROUP...][@REGION]``, ``co2`` or ``h2``; an InputError naming the field for
    a group or region that names nothing."""
    if text in TOTALS:
        return Aggregate(text, text, ())
    kind, _, group = text.partition(":") if ":" in text else ("capacity", "", text)
    if kind not in KINDS:
        raise InputError(
            [Problem("command line", field, text, f"the kind must be capacity, new or output (or the aggregate co2 or h2), not {kind!r}")]
        )
    group, _, region = group.partition("@")
    if region:
        regions = technologies["region"].astype(str)
        if region not in set(regions):
            known = ", ".join(sorted(set(regions)))
            raise InputError([Problem("command line", field, text, f"no region {region!r} in the data (regions: {known})")])
        technologies = technologies[regions == region]
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
        elif aggregate.kind == "new":  # built at the start of period p
            for g in aggregate.technologies:
                total = total + frame.in_force(lambda b, g=g: frame.m.new_capacity_mw[g, b]).take([first])
        elif aggregate.kind == "h2":
            hydrogen = frame.config.hydrogen.fuel
            if hydrogen not in frame.data.fuels.index:
                raise InputError([Problem("command line", "--minimise/--maximise", "h2", f"the data has no fuel {hydrogen!r} to burn")])
            t_per_gj = 1.0 / frame.data.fuels.at[hydrogen, "lhv_mj_per_kg"]  # GJ -> t: 1 / (MJ/kg)
            burnt = sum((frame.fuel_use(g, hydrogen) for g in frame.data.technologies.index), frame.zero())
            total = total + frame.yearly(burnt, p) * t_per_gj
        elif aggregate.kind == "output":
            total = total + frame.yearly(frame.output(list(aggregate.technologies)), p)
        else:
            total = total + frame.yearly(sum(carbon.emissions_by_source(frame).values(), frame.zero()), p)
    return total


def check_slack(slack: float) -> None:
    if not 0 <= slack <= 1:
        raise InputError([Problem("command line", "--slack", slack, "must be between 0 and 1 (a share of the optimum's cost)")])


def coefficients(compiled, lin) -> tuple[np.ndarray, float]:
    """A one-row Lin as coefficients on the compiled LP's columns, and its constant."""
    a = np.zeros(compiled.lp.num_col_)
    for var, _, p, c in lin.parts:
        np.add.at(a, compiled.column(var, p), c)
    return a, float(lin.const[0])


def random_lin(frame, number: int, seed: int, scale_mw: dict[str, float]):
    """Random direction ``number`` (1, 2, ...): sum_g w_g cap_g / max(cap*_g, 1 GW), w_g ~ U(-1, 1) drawn from the
    seed and the number alone (the same direction whichever process solves it, in whatever order)."""
    from .model.linear import Lin

    techs = list(frame.data.technologies.index)
    weights = np.random.default_rng([seed, number]).uniform(-1.0, 1.0, len(techs))
    lin = Lin(1)
    for g, w in zip(techs, weights):
        lin = lin + aggregate_lin(frame, Aggregate(g, "capacity", (g,))) * (w / max(scale_mw.get(g, 0.0), 1000.0))
    return lin


def capacity_by_technology_mw(ds: xr.Dataset) -> dict[str, float]:
    """Capacity (MW) of each technology summed over regions and periods: the scale of the random directions."""
    capacity = ds["capacity_total_mw"].fillna(0.0)
    capacity = capacity.sum([d for d in capacity.dims if d != "technology"])
    return {str(g): float(v) for g, v in zip(capacity["technology"].values, capacity.values)}


class Alternative(NamedTuple):
    """One solved alternative: its sense (optimum, min, max, random), aggregate text, the aggregate's value
    (MW, MWh/yr or t/yr; NaN for the optimum) and its results (with ``aggregate_value``)."""

    sense: str
    aggregate: str
    value: float
    dataset: xr.Dataset


class AlternativesSession:
    """One compiled model in one HiGHS instance: the optimum, then each direction within the slack, re-solved from
    the optimum's basis (only the costs change; the cost row is added once)."""

    def __init__(self, frame, options: dict, measured: list[Aggregate]):
        from .compile import compile_lp
        from .solve import check_options, new_highs

        check_options(options)
        self.frame = frame
        self.compiled = compile_lp(frame)
        self.highs, self.log = new_highs(options, False)
        self.highs.passModel(self.compiled.lp)
        self.measured = {a.text: (a, coefficients(self.compiled, aggregate_lin(frame, a))) for a in measured}
        self.optimum_cny = np.nan

    def _solve(self) -> float:
        from .solve import finish_solve

        start = time.perf_counter()
        finish_solve(self.highs, self.log, self.compiled, start, False)
        return time.perf_counter() - start

    def _dataset(self) -> xr.Dataset:
        from .results import build_dataset

        x = np.asarray(self.highs.getSolution().col_value)
        ds = build_dataset(self.frame, {"alternative_objective_cny": self.optimum_cny})
        if not self.measured:
            return ds
        texts = list(self.measured)
        values = [float(a @ x) + a0 for _, (a, a0) in self.measured.values()]
        ds["aggregate_value"] = xr.DataArray(
            np.array(values, dtype=float),
            dims="aggregate",
            coords={"aggregate": texts, "aggregate_unit": ("aggregate", [self.measured[t][0].unit for t in texts])},
            attrs={"long_name": "value of each named aggregate (unit: aggregate_unit)"},
        )
        return ds

    def solve_optimum(self) -> tuple[xr.Dataset, float]:
        """The least-cost solution (C*, CNY/yr or present value) and the seconds it took."""
        seconds = self._solve()
        self.optimum_cny = float(self.highs.getInfo().objective_function_value)
        return self._dataset(), seconds

    def basis(self) -> tuple[np.ndarray, np.ndarray]:
        """The current basis (HiGHS basis statuses of columns and rows, int8): a worker starts from the optimum's."""
        basis = self.highs.getBasis()
        return (np.array([int(s) for s in basis.col_status], np.int8), np.array([int(s) for s in basis.row_status], np.int8))

    def set_basis(self, basis: tuple[np.ndarray, np.ndarray]) -> None:
        """Start the next solve from ``basis`` (statuses as :meth:`basis` gives them, e.g. solved in another process)."""
        import highspy

        start = highspy.HighsBasis()
        start.col_status = [highspy.HighsBasisStatus(int(s)) for s in basis[0]]
        start.row_status = [highspy.HighsBasisStatus(int(s)) for s in basis[1]]
        start.valid = True
        if self.highs.setBasis(start) != highspy.HighsStatus.kOk:
            raise RuntimeError(f"HiGHS refused a basis of {len(basis[0])} columns and {len(basis[1])} rows")

    def bound_cost(self, optimum_cny: float, slack: float, basis: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """From now on: c . x + c0 <= (1 + slack) C*; every direction starts from ``basis`` (the optimum's, solved
        elsewhere), else from the current one (the optimum just solved)."""
        if basis is not None:
            self.set_basis(basis)
        self.optimum_cny = optimum_cny
        cost = np.asarray(self.compiled.lp.col_cost_, dtype=float)
        nonzero = np.flatnonzero(cost)
        bound = (1 + slack) * optimum_cny - float(self.compiled.lp.offset_)
        self.highs.addRow(-np.inf, bound, len(nonzero), nonzero.astype(np.int32), cost[nonzero])
        self.highs.changeObjectiveOffset(0.0)
        self.start_basis = self.basis()  # the optimum's, with the cost row basic

    def solve_direction(self, sense: str, text: str, seed: int = 0, scale_mw: dict | None = None) -> tuple[Alternative, float]:
        """Minimise (``min``, ``random``) or maximise (``max``) the aggregate ``text`` (random: ``#k``) within the slack."""
        if sense == "random":
            a, a0 = coefficients(self.compiled, random_lin(self.frame, int(text.lstrip("#")), seed, scale_mw or {}))
        else:
            a, a0 = self.measured[text][1]
        self.set_basis(self.start_basis)  # from the optimum's: nearer every direction than the last alternative's
        cols = np.arange(len(a), dtype=np.int32)
        self.highs.changeColsCost(len(cols), cols, -a if sense == "max" else a)
        seconds = self._solve()
        value = float(a @ np.asarray(self.highs.getSolution().col_value)) + a0
        return Alternative(sense, text, value, self._dataset()), seconds


def directions(targets: list[tuple[str, Aggregate]], random: int) -> list[tuple[str, str]]:
    """(sense, aggregate text) of each alternative after the optimum: the targets, then ``#1`` ... ``#random``."""
    return [(sense, aggregate.text) for sense, aggregate in targets] + [("random", f"#{i + 1}") for i in range(random)]


def describe(alternative: Alternative, seconds: float) -> str:
    unit = (
        "weighted" if alternative.sense == "random" else alternative.dataset["aggregate_unit"].sel(aggregate=alternative.aggregate).item()
    )
    return (
        f"{alternative.sense} {alternative.aggregate}: {alternative.value:.6g} ({unit}), "
        f"cost {float(alternative.dataset.total_cost_cny):.6e} CNY ({seconds:.1f} s)"
    )


def solve_alternatives(frame, options: dict, slack: float, targets: list[tuple[str, Aggregate]], random: int = 0, seed: int = 0, say=None):
    """The optimum, then each (sense, aggregate) of ``targets`` and ``random`` random directions within ``slack``,
    in this process. Returns a list of :class:`Alternative`, the optimum first."""
    check_slack(slack)
    say = say or (lambda message: None)
    session = AlternativesSession(frame, options, unique_aggregates(targets))
    optimum, seconds = session.solve_optimum()
    say(f"optimum: {session.optimum_cny:.6e} CNY ({seconds:.1f} s)")
    out = [Alternative("optimum", "", np.nan, optimum)]
    session.bound_cost(session.optimum_cny, slack)
    scale = capacity_by_technology_mw(optimum)
    for sense, text in directions(targets, random):
        alternative, seconds = session.solve_direction(sense, text, seed, scale)
        say(describe(alternative, seconds))
        out.append(alternative)
    return out


def unique_aggregates(targets: list[tuple[str, Aggregate]]) -> list[Aggregate]:
    """The named aggregates, each once, in the order given."""
    return list({aggregate.text: aggregate for _, aggregate in targets}.values())


def combine(alternatives: list[Alternative | None], slack: float, labels=None, status=None) -> xr.Dataset:
    """One Dataset with an ``alternative`` dimension (the optimum first) and what each alternative optimised.

    A None entry (an alternative that failed: ``labels`` gives its (sense, aggregate), ``status`` the
    (status, message) of each) is NaN throughout."""
    import json

    template = next(a.dataset for a in alternatives if a is not None)
    if any(a is None for a in alternatives):
        empty = xr.full_like(template, np.nan).assign_coords(template.coords)
    parts = [(a.dataset if a is not None else empty).expand_dims(alternative=[i]) for i, a in enumerate(alternatives)]
    combined = xr.concat(
        parts, dim="alternative", data_vars="all", coords="minimal", compat="override", join="override", combine_attrs="override"
    )
    labels = labels or [(a.sense, a.aggregate) for a in alternatives]
    values = [a.value if a is not None else np.nan for a in alternatives]
    status = status or [("optimal", "")] * len(alternatives)
    combined = combined.assign_coords(
        alternative_sense=("alternative", [s for s, _ in labels]),
        alternative_aggregate=("alternative", [t for _, t in labels]),
        alternative_value=("alternative", np.array(values, dtype=float)),
    )
    combined["alternative_value"].attrs.update(long_name="value of the aggregate each alternative optimised (MW, MWh/yr, t/yr)")
    combined["alternative"].attrs.update(long_name="near-optimal alternative (0: the optimum)")
    combined["status"] = ("alternative", np.array([s for s, _ in status], dtype=str))
    combined["message"] = ("alternative", np.array([m for _, m in status], dtype=str))
    for name in ("sweep_point", "sweep_point_index", "alternative_value"):  # a part's own, not the whole's
        combined.attrs.pop(name, None)
    # read as a sweep over 'alternative': plots (--select alternative=N), summary, compare and export take it as one
    combined.attrs.update(
        alternatives_slack=slack,
        alternatives_count=len(alternatives),
        sweep_dims=json.dumps(["alternative"]),
        points_failed=sum(1 for s, _ in status if s != "optimal"),
    )
    return combined
