"""Heat: heat-only boilers and the hourly heat balance of each heat network (district heat, process steam).

Only when the dataset has heat demand (heat_demand.csv); a heat network is a column there.
    0 <= boiler_heat_mw[b,t] <= availability[b] * capacity_mw[b]          (MW_th; a boiler's capacity is MW_th)
    fuel heat input (GJ/h) = boiler_heat_mw[b,t] * 3.6 / efficiency[b]     -> fuel ledger (so fuel cost and CO2)
    variable_om[b] = sum_t w_t * variable_om_cny_per_mwh[b] * boiler_heat_mw[b,t]   (CNY/yr, per MWh_th)
    heat_balance:  sum of heat terms of network n [t] == heat_demand_mw[n,t]          (MW_th)
The heat terms are the CHP plants' heat (thermal.py) and the boilers' heat in the network. There is no
lost heat: a balance that cannot be met makes the case infeasible and the diagnosis relaxes it. The dual
divided by the hour's weight is the network's heat price (CNY/MWh_th).
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..physics import GJ_PER_MWH
from .frame import ModelFrame, Output, Values
from .spec import PHYSICAL_PENALTY, ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("heat_balance", PHYSICAL_PENALTY, hour_weighted=True),))


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    boilers = data.heat_suppliers("heat_boiler")
    m.heat_boilers = pyo.Set(initialize=boilers, ordered=True, doc="heat-only boilers")
    m.boiler_heat_mw = pyo.Var(m.heat_boilers, m.T, bounds=(0, None), doc="boiler heat output, MW_th")

    def heat(b):
        return frame.var(m.boiler_heat_mw, b)

    frame.add_constraints(
        "boiler_heat_max",
        boilers,
        lambda b: heat(b) <= frame.capacity(b) * frame.tech(b, "availability"),
        doc="boiler heat output limit, MW_th",
    )
    for b in boilers:
        frame.add_heat_input(b, GJ_PER_MWH / frame.tech(b, "efficiency") * heat(b))
        frame.add_heat(data.heat_network(b), heat(b))
        frame.add_variable_om(b, heat(b))
    demand = data.heat_demand_mw
    frame.add_constraints(
        "heat_balance",
        list(demand.columns),
        lambda n: frame.heat.total([n], frame.n_hours) == demand[n].to_numpy(dtype=float),
        doc="hourly heat balance, MW_th",
    )


def report(frame: ModelFrame, values: Values) -> dict:
    m, demand = frame.m, frame.data.heat_demand_mw
    out = {}
    boilers = list(m.heat_boilers)
    if boilers:
        out["heat_output_mw"] = Output(("technology", "time"), values.hourly(m.boiler_heat_mw, boilers), "MW_th", "heat output", boilers)
    if not demand.empty:
        networks = list(demand.columns)
        duals = frame.dual("heat_balance", networks)
        out["heat_demand_mw"] = Output(("heat_network", "time"), demand.to_numpy(dtype=float).T, "MW_th", "heat demand")
        out["heat_price_cny_per_mwh"] = Output(
            ("heat_network", "time"),
            duals / frame.price_weight(),
            "CNY/MWh_th",
            "marginal price of heat (dual of the heat balance)",
        )
    return out
