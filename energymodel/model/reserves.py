"""Reserves (run file ``reserves``), both optional.

Operating reserve, per region r and hour t (upward, held by plants with reserve_fraction > 0):
    reserve_mw[g,t] <= headroom[g,t]                      (registered by the families: unused online,
                                                            available or turbine capacity; storage adds its charging)
    reserve_mw[g,t] <= reserve_fraction[g] * capacity_mw[g]   (what can respond within the reserve's time)
    sum_{g in r} reserve_mw[g,t] >= demand_fraction * demand_mw[r,t] + wind_solar_fraction * sum_{v in r} output[v,t]
The dual, divided by the hour's objective weight, is the reserve price (CNY/MW per hour).

Planning reserve margin, per region r and period p:
    sum_{g in r} capacity_credit[g] * capacity_mw[g,p] >= (1 + margin) * peak_demand_mw[r,p]
with the dataset's full-year peak (times the period's demand growth). Imports do not count. The
dual, divided by the period's discounted years, is the capacity price (CNY/MW/yr).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..errors import InputError, Problem
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("planning_reserve"), Relaxable("operating_reserve")))


def wind_solar(frame: ModelFrame, region: str) -> list[str]:
    """Variable renewables of a region that produce."""
    return [g for g in frame.outputs.keys() if frame.tech(g, "family") == "variable_renewable" and frame.region(g) == region]


def providers(frame: ModelFrame) -> list[str]:
    """Technologies holding operating reserve."""
    return [g for g in frame.reserve_headroom.keys() if frame.tech(g, "reserve_fraction") > 0]


def firm(frame: ModelFrame, region: str) -> list[str]:
    """Technologies of a region whose capacity counts towards the planning reserve margin."""
    return [g for g in frame.data.technologies.index if frame.region(g) == region and frame.tech(g, "capacity_credit") > 0]


def peak_demand_mw(frame: ModelFrame, region: str, period: int) -> float:
    """Peak demand of a region in a period (MW): the dataset's full-year peak, else the modelled hours' peak."""
    peaks = frame.data.peak_demand_mw
    if peaks is not None and region in peaks.columns:
        return float(peaks.at[period, region])
    return max(frame.demand[region][t] for t in frame.hours_of(period))


def build(frame: ModelFrame) -> None:
    m, config = frame.m, frame.config.reserves
    operating = config.operating
    if operating is not None:
        held = providers(frame)
        m.reserve_providers = pyo.Set(initialize=held, ordered=True, doc="technologies holding operating reserve")
        m.reserve_mw = pyo.Var(m.reserve_providers, m.T, bounds=(0, None), doc="upward operating reserve held, MW")
        frame.add_constraints(
            "reserve_headroom",
            held,
            lambda g: frame.var(m.reserve_mw, g) <= frame.reserve_headroom.total([g], frame.n_hours),
            doc="reserve within the provider's headroom, MW",
        )
        frame.add_constraints(
            "reserve_share_max",
            held,
            lambda g: frame.var(m.reserve_mw, g) <= frame.capacity(g) * frame.tech(g, "reserve_fraction"),
            doc="reserve within the share of capacity that responds in time, MW",
        )
        by_region = {r: [g for g in held if frame.region(g) == r] for r in m.R}
        _require_some(frame, "operating", "reserve_fraction", by_region)

        def requirement(r):  # variables on the left, the constant on the right: the dual is >= 0
            held_mw = sum((frame.var(m.reserve_mw, g) for g in by_region[r]), frame.zero())
            if operating.wind_solar_fraction:
                held_mw = held_mw - frame.output(wind_solar(frame, r)) * operating.wind_solar_fraction
            return held_mw >= np.asarray(frame.demand[r]) * operating.demand_fraction

        frame.add_constraints("operating_reserve", list(m.R), requirement, doc="upward operating reserve requirement, MW")
    if config.planning_margin is not None:
        margin = config.planning_margin
        _require_some(frame, "planning_margin", "capacity_credit", {r: firm(frame, r) for r in m.R})
        m.planning_reserve = pyo.Constraint(
            m.R,
            m.P,
            rule=lambda _, r, p: (
                sum(frame.tech(g, "capacity_credit") * frame.capacity_mw(g, p) for g in firm(frame, r))
                >= (1 + margin) * peak_demand_mw(frame, r, p)
            ),
        )


def _require_some(frame: ModelFrame, setting: str, column: str, by_region: dict[str, list[str]]) -> None:
    """A reserve needs at least one contributing technology in every region."""
    empty = [r for r, names in by_region.items() if not names]
    if empty:
        raise InputError(
            [
                Problem(
                    frame.data.sources.get("run_file", "run file"),
                    f"reserves.{setting}",
                    frame.config.reserves.model_dump()[setting],
                    f"region(s) {', '.join(empty)} have no technology with {column} > 0 in technologies.csv",
                )
            ]
        )


def report(frame: ModelFrame, values: Values) -> dict:
    m, config = frame.m, frame.config.reserves
    out = {}
    regions = list(m.R)
    if frame.has_constraints("operating_reserve"):
        held = list(m.reserve_providers)
        operating = config.operating
        vre = np.array([values.term(frame.output(wind_solar(frame, r))) for r in regions]).reshape(len(regions), frame.n_hours)
        demand = frame.data.demand_mw[regions].to_numpy().T
        duals = frame.dual("operating_reserve", regions)
        out["reserve_mw"] = Output(("technology", "time"), values.hourly(m.reserve_mw, held), "MW", "upward operating reserve held", held)
        out["reserve_requirement_mw"] = Output(
            ("region", "time"),
            operating.demand_fraction * demand + operating.wind_solar_fraction * vre,
            "MW",
            "operating reserve requirement",
        )
        out["reserve_price_cny_per_mw_h"] = Output(
            ("region", "time"),
            duals.reshape(len(regions), -1) / frame.price_weight(),
            "CNY/MW/h",
            "price of operating reserve (dual of the requirement)",
        )
    if hasattr(m, "planning_reserve"):
        n = len(frame.periods)
        peak = np.array([[peak_demand_mw(frame, r, p) for p in frame.periods] for r in regions]).reshape(len(regions), n)
        duals = frame.dual("planning_reserve", regions, over="period") / frame.plan.objective_factor
        firm_mw = np.zeros((len(regions), n))
        for i, r in enumerate(regions):
            names = firm(frame, r)
            credit = np.array([frame.tech(g, "capacity_credit") for g in names])
            firm_mw[i] = credit @ values.capacity(names) if names else 0.0
        out["peak_demand_mw"] = Output(("region", "period"), peak, "MW", "peak demand the planning reserve margin applies to")
        out["firm_capacity_mw"] = Output(("region", "period"), firm_mw, "MW", "firm capacity (capacity credit x capacity)")
        out["capacity_price_cny_per_mw_yr"] = Output(
            ("region", "period"), duals, "CNY/MW/yr", "price of firm capacity (dual of the planning reserve margin)"
        )
    return out
