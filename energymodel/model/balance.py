"""Hourly demand balance per region: the supply terms registered in a region meet its demand.

    sum(supply terms of region r)[t] == demand_mw[r,t]         (MW)
Supply terms include imports and exports over transmission lines. The dual of this constraint
divided by the hour's weight is the region's marginal price (CNY/MWh).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    m, demand, terms = frame.m, frame.demand, frame.supply_terms
    m.demand_balance = pyo.Constraint(m.R, m.T, rule=lambda _, r, t: sum(term(t) for term in terms[r]) == demand[r][t])


def report(frame: ModelFrame, values: Values) -> dict:
    m, regions = frame.m, list(frame.m.R)
    shape = (len(regions), len(frame.hours))
    duals = np.array([[m.dual.get(m.demand_balance[r, t], np.nan) for t in frame.hours] for r in regions], dtype=float).reshape(shape) if hasattr(m, "dual") else np.full(shape, np.nan)
    return {
        "demand_mw": Output(("region", "time"), frame.data.demand_mw[regions].to_numpy().T, "MW", "electricity demand"),
        "marginal_price_cny_per_mwh": Output(("region", "time"), duals / frame.price_weight(), "CNY/MWh", "marginal price of electricity (dual of the demand balance)"),
    }
