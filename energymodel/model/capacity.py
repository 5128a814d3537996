"""Investment in every technology: new capacity per period, annualised capital cost and fixed O&M.

Capacity built at the start of period b stands in every period p with year[p] - year[b] < lifetime:
    capacity_mw[g,p] = existing_mw[g,p] + sum_{b alive in p} new_capacity_mw[g,b]
    capacity_mw[g,p] <= max_mw[g]                     (a bound on new_capacity_mw with one period)
    new_capacity_mw[g,p] <= max_build_mw_per_yr[g] * represented_yr[p]     (pathways, optional)
    investment[g,p] = CRF(r, lifetime[g]) * capex_cny_per_kw[g] * 1000 * sum_{b alive in p} capex_factor[g,b] * new_capacity_mw[g,b]
    fixed_om[g,p]   = fixed_om_cny_per_kw_yr[g] * 1000 * capacity_mw[g,p]               (CNY/yr)
The annuity is paid only in the periods where the capacity stands within the horizon, so nothing
is charged (or left unpaid) beyond the last period.

A retrofit r of plant b (``retrofit_of``, e.g. carbon capture on existing coal, or an H2-ready upgrade of a gas
turbine with its own blend limit, docs/hydrogen-blending.md) converts plant b's
capacity: the boiler keeps its heat input, so each MW of retrofit (net) uses eff[b]/eff[r] MW of b:
    capacity_mw[b,p] = existing_mw[b,p] + built[b,p] - sum_r eff[b]/eff[r] * built[r,p] >= 0
and capex_cny_per_kw of r is the cost of the conversion only.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("capacity_max"), Relaxable("build_rate_max")))


def build(frame: ModelFrame) -> None:
    m, techs = frame.m, frame.data.technologies
    m.G = pyo.Set(initialize=list(techs.index), ordered=True, doc="all technologies")
    single = frame.plan.count == 1

    def bounds(_, g, p):
        room = techs.at[g, "max_mw"] - frame.plan.existing_mw.at[g, p]
        return (0.0, None if (math.isinf(room) or not single) else max(room, 0.0))

    m.new_capacity_mw = pyo.Var(m.G, m.P, bounds=bounds, doc="new capacity built at the start of each period, MW")
    if not frame.config.new_capacity:
        m.new_capacity_mw.fix(0.0)
    pathway = frame.config.pathway
    rates = pathway.max_build_mw_per_yr if pathway else {}
    limited = [g for g in m.G if frame.tech(g, "technology") in rates]
    m.build_rate_max = pyo.Constraint(
        limited, m.P, rule=lambda _, g, p: m.new_capacity_mw[g, p] <= rates[frame.tech(g, "technology")] * frame.plan.represented_yr[p]
    )
    if not single:
        m.capacity_max = pyo.Constraint(
            m.G,
            m.P,
            rule=lambda _, g, p: (
                frame.capacity_mw(g, p) <= techs.at[g, "max_mw"] if math.isfinite(techs.at[g, "max_mw"]) else pyo.Constraint.Skip
            ),
        )
    converted = [b for b in frame.retrofits if b in m.G]
    m.retrofit_max = pyo.Constraint(
        converted, m.P, rule=lambda _, b, p: frame.capacity_mw(b, p) >= 0, doc="retrofits convert no more than the plant that stands"
    )
    for g in m.G:
        annuity = frame.annuity_cny_per_mw_yr(g, techs.at[g, "capex_cny_per_kw"])
        lifetime = frame.tech(g, "lifetime_yr")
        for p in frame.periods:
            if annuity:
                frame.add_cost("investment", g, annuity * frame.standing(m.new_capacity_mw, g, p, lifetime, frame.capex_factors(g)), p)
            frame.add_cost("fixed_om", g, techs.at[g, "fixed_om_cny_per_kw_yr"] * 1000.0 * frame.capacity_mw(g, p), p)


def report(frame: ModelFrame, values: Values) -> dict:
    m, techs = frame.m, frame.data.technologies
    names = list(techs.index)
    new = np.array([[values.scalar(m.new_capacity_mw[g, p]) for p in frame.periods] for g in names]).reshape(len(names), len(frame.periods))
    existing = frame.plan.existing_mw.loc[names].to_numpy(dtype=float)
    converted = np.array(
        [
            [sum(ratio * values.scalar(frame.built_mw(r, p)) for r, ratio in frame.retrofits.get(g, ())) for p in frame.periods]
            for g in names
        ]
    ).reshape(len(names), len(frame.periods))
    out = (
        {}
        if not frame.retrofits
        else {
            "capacity_retrofitted_mw": Output(
                ("technology", "period"),
                converted,
                "MW",
                "capacity of the plant converted by retrofits (e.g. carbon capture, H2-ready turbines)",
            )
        }
    )
    return out | {
        "capacity_existing_mw": Output(("technology", "period"), existing, "MW", "existing capacity (the fleet left in each period)"),
        "capacity_new_mw": Output(("technology", "period"), new, "MW", "new capacity built by the model (at the start of the period)"),
        "capacity_total_mw": Output(("technology", "period"), values.capacity(names), "MW", "total installed capacity"),
    }
