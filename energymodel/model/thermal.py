"""Thermal plants (coal, gas turbines, nuclear): output limited by availability, fuel from efficiency.

    0 <= generation_mw[g,t] <= availability[g] * capacity_mw[g]
    fuel heat input (GJ/h) = generation_mw[g,t] * 3.6 / efficiency[g]       -> fuel ledger, fuel[g]
    variable_om[g] = sum_t w_t * variable_om_cny_per_mwh[g] * generation_mw[g,t]   (CNY/yr)
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..physics import GJ_PER_MWH
from .frame import ModelFrame, Output, Term, Values


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    names = data.names("thermal")
    m.thermal = pyo.Set(initialize=names, ordered=True, doc="thermal technologies")
    m.thermal_mw = pyo.Var(m.thermal, m.T, bounds=(0, None), doc="thermal output, MW")

    def limit(_, g, t):
        return m.thermal_mw[g, t] <= frame.tech(g, "availability") * frame.capacity_mw(g, t)

    m.thermal_output_max = pyo.Constraint(m.thermal, m.T, rule=limit)

    for g in names:
        heat_rate_gj_per_mwh = GJ_PER_MWH / frame.tech(g, "efficiency")
        output = Term.of(m.thermal_mw, g)
        frame.add_fuel(g, frame.tech(g, "fuel"), heat_rate_gj_per_mwh * output)
        frame.add_supply(frame.region(g), output)
        frame.add_output(g, output)
        frame.add_variable_om(g, output)


def report(frame: ModelFrame, values: Values) -> dict:
    names = list(frame.m.thermal)
    return {"generation_mw": Output(("technology", "time"), values.hourly(frame.m.thermal_mw, names), "MW", "electric output", names)}
