"""Reserves (run file ``reserves``), both optional.

Operating reserve, per region r and hour t (upward, held by plants with reserve_fraction > 0):
    reserve_mw[g,t] <= headroom[g,t]                      (registered by the families: unused online,
                                                            available or turbine capacity; storage adds its charging)
    reserve_mw[g,t] <= reserve_fraction[g] * capacity_mw[g]   (what can respond within the reserve's time)
    sum_{g in r} reserve_mw[g,t] >= demand_fraction * demand_mw[r,t] + wind_solar_fraction * sum_{v in r} output[v,t]
The dual, divided by the hour's objective weight, is the reserve price (CNY/MW per hour).

Planning reserve margin (``planning_method: hourly``, the default), per region r and modelled hour t
(all hours, or the ``planning_hours`` of highest net load per period):
    sum_{g in r, not wind/solar} capacity_credit[g] * capacity_mw[g]  +  sum_{v in r, wind/solar} cf[v,t] * capacity_mw[v]
        >= (1 + margin) * demand_mw[r,t]
Every row holds capacities only (a Benders master row). The dual over the hour's objective weight is
the planning reserve price (CNY/MW/h); summed over a period's hours, over its discounted years, the
capacity price (CNY/MW/yr). ``planning_method: peak`` (the static margin), per region r and period p:
    sum_{g in r} capacity_credit[g] * capacity_mw[g,p] >= (1 + margin) * peak_demand_mw[r,p]
with the dataset's full-year peak (times the period's demand growth). Imports do not count in either.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..errors import InputError, Problem
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

BINDING_CNY_PER_MW_H = 1e-6
"""An hour binds the planning margin if its price is above this."""

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


def hourly_firm(frame: ModelFrame, region: str) -> list[str]:
    """Technologies of a region counted at capacity_credit x capacity in every hour (all firm ones but wind and solar)."""
    return [g for g in firm(frame, region) if frame.tech(g, "family") != "variable_renewable"]


def adequacy_mw(frame: ModelFrame, region: str):
    """What a region's capacity offers towards the planning margin in each hour (MW, a Lin): capacity_credit x capacity
    for the firm technologies, the hour's capacity factor x capacity for wind and solar."""
    total = frame.zero()
    for g in hourly_firm(frame, region):
        total = total + frame.capacity(g) * frame.tech(g, "capacity_credit")
    for v in frame.data.names("variable_renewable"):
        if frame.region(v) == region:
            total = total + frame.capacity(v) * frame.data.capacity_factor[v].to_numpy()
    return total


def planning_hours(frame: ModelFrame, region: str) -> np.ndarray:
    """The modelled hours the hourly margin holds in (a mask): all, or per period the ``planning_hours`` of highest
    net load, demand less wind and solar at the capacity standing before any is built (existing_mw left in the period)."""
    keep = frame.config.reserves.planning_hours
    mask = np.ones(frame.n_hours, dtype=bool)
    if keep is None:
        return mask
    net = np.asarray(frame.demand[region], dtype=float).copy()
    for v in frame.data.names("variable_renewable"):
        if frame.region(v) == region:
            existing = frame.hourly_values([frame.plan.existing_mw.at[v, p] for p in frame.periods])
            net -= frame.data.capacity_factor[v].to_numpy() * existing
    mask[:] = False
    for p in frame.periods:
        hours = np.arange(frame.hours_of(p).start, frame.hours_of(p).stop)
        mask[hours[np.argsort(-net[hours], kind="stable")[:keep]]] = True
    return mask


def undominated(frame: ModelFrame, region: str, mask: np.ndarray) -> np.ndarray:
    """The hours of ``mask`` whose margin row another hour's does not imply (exact, it leaves the optimum as it is).

    In one period the firm part of every hour's row is the same, so the row of hour s implies that of hour t if s
    needs at least as much (demand[s] >= demand[t]) with no more wind and solar (cf[v,s] <= cf[v,t] for each v):
    capacities are never negative. Of a whole year of hours a few hundred are left (the Benders master holds them)."""
    vre = [v for v in frame.data.names("variable_renewable") if frame.region(v) == region]
    cf = frame.data.capacity_factor[vre].to_numpy(dtype=float) if vre else np.zeros((frame.n_hours, 0))
    demand = np.asarray(frame.demand[region], dtype=float)
    keep = np.zeros(frame.n_hours, dtype=bool)
    for p in frame.periods:
        hours = np.arange(frame.hours_of(p).start, frame.hours_of(p).stop)
        hours = hours[mask[hours]]
        kept: list[int] = []
        for t in hours[np.argsort(-demand[hours], kind="stable")]:
            if not kept or not (cf[kept] <= cf[t]).all(axis=1).any():
                kept.append(int(t))
        keep[kept] = True
    return keep


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
        if config.planning_method == "hourly":
            frame.add_constraints(
                "planning_reserve",
                list(m.R),
                lambda r: (adequacy_mw(frame, r) >= np.asarray(frame.demand[r]) * (1 + margin)).where(
                    undominated(frame, r, planning_hours(frame, r))
                ),
                doc="planning reserve margin in every modelled hour, MW",
            )
        else:
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
    if frame.has_constraints("planning_reserve") and config.planning_method == "hourly":
        out.update(_report_hourly(frame, values))
    elif frame.has_constraints("planning_reserve"):
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


def _firm_mw(frame: ModelFrame, values: Values, names_of) -> np.ndarray:
    """Sum of capacity_credit x capacity of ``names_of(region)`` per region and period (MW)."""
    regions = list(frame.m.R)
    out = np.zeros((len(regions), len(frame.periods)))
    for i, r in enumerate(regions):
        names = names_of(r)
        if names:
            out[i] = np.array([frame.tech(g, "capacity_credit") for g in names]) @ values.capacity(names)
    return out


def _report_hourly(frame: ModelFrame, values: Values) -> dict:
    regions, margin = list(frame.m.R), frame.config.reserves.planning_margin
    held = np.array([planning_hours(frame, r) for r in regions]).reshape(len(regions), frame.n_hours)
    need = np.where(held, (1 + margin) * frame.data.demand_mw[regions].to_numpy().T, np.nan)
    offered = np.array([values.term(adequacy_mw(frame, r)) for r in regions]).reshape(len(regions), frame.n_hours)
    duals = frame.dual("planning_reserve", regions)  # (regions, hours), objective units per MW
    price = np.where(held, np.nan_to_num(duals) / frame.price_weight(), np.nan)  # 0 in the hours whose row another's implies
    yearly = np.stack([np.nansum(duals[:, frame.period_of == p], axis=1) for p in frame.periods], axis=1) / frame.plan.objective_factor
    binding = np.where(held, np.nan_to_num(price) > BINDING_CNY_PER_MW_H, False)
    return {
        "planning_requirement_mw": Output(
            ("region", "time"), need, "MW", "planning reserve requirement: (1 + margin) x demand (NaN: hour not held to it)"
        ),
        "planning_available_mw": Output(
            ("region", "time"),
            offered,
            "MW",
            "capacity counted towards the planning margin: capacity credit x capacity, wind and solar their capacity factor",
        ),
        "planning_reserve_price_cny_per_mw_h": Output(
            ("region", "time"), price, "CNY/MW/h", "price of firm capacity in the hour (dual of the hourly planning reserve margin)"
        ),
        "planning_binding": Output(("region", "time"), binding.astype(float), "1", "1 where the planning reserve margin binds"),
        "firm_capacity_mw": Output(
            ("region", "period"),
            _firm_mw(frame, values, lambda r: hourly_firm(frame, r)),
            "MW",
            "firm capacity (capacity credit x capacity, wind and solar not included)",
        ),
        "capacity_price_cny_per_mw_yr": Output(
            ("region", "period"), yearly, "CNY/MW/yr", "price of firm capacity (duals of the planning reserve margin over the year)"
        ),
    }
