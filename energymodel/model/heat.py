"""Heat: heat-only suppliers (boilers, heat pumps) and the hourly heat balance of each heat network (district heat, process steam).

Only when the dataset has heat demand (heat_demand.csv); a heat network is a column there. A heat-only supplier
s (family heat_boiler or heat_pump) feeds one network; its capacity is MW_th:
    0 <= heat_mw[s,t] <= availability[s] * capacity_mw[s]                  (MW_th; boiler_heat_mw, heat_pump_heat_mw)
    variable_om[s] = sum_t w_t * variable_om_cny_per_mwh[s] * heat_mw[s,t]   (CNY/yr, per MWh_th)
A boiler b burns its fuel:
    fuel heat input (GJ/h) = boiler_heat_mw[b,t] * 3.6 / efficiency[b]     -> fuel ledger (so fuel cost and CO2)
A heat pump or electric boiler h (power-to-heat) draws electricity in its region's demand balance:
    power drawn (MW_e) = heat_pump_heat_mw[h,t] / cop[h]                    (cop: MWh_th per MWh_e)
    heat_balance:  sum of heat terms of network n [t] == heat_demand_mw[n,t]          (MW_th)
The heat terms are the CHP plants' heat (thermal.py) and the heat-only suppliers' heat in the network. There is
no lost heat: a balance that cannot be met makes the case infeasible and the diagnosis relaxes it. The dual
divided by the hour's weight is the network's heat price (CNY/MWh_th).
"""

from __future__ import annotations

import numpy as np
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
    for b, heat in _heat_only(frame, boilers, m.boiler_heat_mw, "boiler_heat_max", "boiler").items():
        frame.add_heat_input(b, GJ_PER_MWH / frame.tech(b, "efficiency") * heat)
    pumps = data.heat_suppliers("heat_pump")
    m.heat_pumps = pyo.Set(initialize=pumps, ordered=True, doc="heat pumps and electric boilers (power-to-heat)")
    m.heat_pump_heat_mw = pyo.Var(m.heat_pumps, m.T, bounds=(0, None), doc="heat pump heat output, MW_th")
    for h, heat in _heat_only(frame, pumps, m.heat_pump_heat_mw, "heat_pump_heat_max", "heat pump").items():
        frame.add_supply(frame.region(h), (-1.0 / frame.tech(h, "cop")) * heat)
    demand = data.heat_demand_mw
    frame.add_constraints(
        "heat_balance",
        list(demand.columns),
        lambda n: frame.heat.total([n], frame.n_hours) == demand[n].to_numpy(dtype=float),
        doc="hourly heat balance, MW_th",
    )


def _heat_only(frame: ModelFrame, names: list[str], var, limit: str, what: str) -> dict:
    """The shared part of heat-only suppliers: heat <= availability x capacity (constraint ``limit``), the heat into
    the network's balance and the variable O&M per MWh_th. Returns each supplier's hourly heat (MW_th)."""
    heat = {s: frame.var(var, s) for s in names}
    frame.add_constraints(
        limit, names, lambda s: heat[s] <= frame.capacity(s) * frame.tech(s, "availability"), doc=f"{what} heat output limit, MW_th"
    )
    for s in names:
        frame.add_heat(frame.data.heat_network(s), heat[s])
        frame.add_variable_om(s, heat[s])
    return heat


def report(frame: ModelFrame, values: Values) -> dict:
    m, demand = frame.m, frame.data.heat_demand_mw
    out = {}
    boilers, pumps = list(m.heat_boilers), list(m.heat_pumps)
    if boilers or pumps:
        heat = np.vstack([values.hourly(var, names) for var, names in ((m.boiler_heat_mw, boilers), (m.heat_pump_heat_mw, pumps)) if names])
        out["heat_output_mw"] = Output(("technology", "time"), heat, "MW_th", "heat output", boilers + pumps)
    if pumps:
        cop = frame.data.technologies.loc[pumps, "cop"].to_numpy(dtype=float)[:, None]
        out["heat_pump_power_mw"] = Output(
            ("technology", "time"),
            values.hourly(m.heat_pump_heat_mw, pumps) / cop,
            "MW",
            "electricity drawn by heat pumps and electric boilers (heat / cop)",
            pumps,
        )
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
