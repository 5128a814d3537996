"""Hourly demand balance: every supply term registered by the families meets demand.

    sum(supply terms)[t] == demand_mw[t]         (MW)
The dual of this constraint divided by the hour's weight is the marginal price (CNY/MWh).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    m, demand, terms = frame.m, frame.data.demand_mw, frame.supply_terms
    m.demand_balance = pyo.Constraint(m.T, rule=lambda _, t: sum(term(t) for term in terms) == float(demand[t]))


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    duals = np.array([m.dual.get(m.demand_balance[t], np.nan) for t in frame.hours], dtype=float) if hasattr(m, "dual") else np.full(len(frame.hours), np.nan)
    return {
        "demand_mw": Output(("time",), frame.data.demand_mw, "MW", "electricity demand"),
        "marginal_price_cny_per_mwh": Output(("time",), duals / frame.weight_h, "CNY/MWh", "marginal price of electricity (dual of the demand balance)"),
    }
