"""Lost load: demand not served, at the value of lost load (CNY/MWh).

    0 <= lost_load_mw[t] <= demand_mw[t];  cost = sum_t w_t * VoLL * lost_load_mw[t]
With ``value_of_lost_load_cny_per_mwh: null`` in the settings there is no lost load: demand must be met.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    voll = frame.data.settings["value_of_lost_load_cny_per_mwh"]
    if voll is None:  # demand must be met in full
        return
    m, demand = frame.m, frame.data.demand_mw
    m.lost_load_mw = pyo.Var(m.T, bounds=lambda _, t: (0.0, float(demand[t])), doc="unserved demand, MW")
    frame.add_supply(lambda t: m.lost_load_mw[t])
    frame.add_cost("lost_load", "lost_load", voll * frame.yearly(lambda t: m.lost_load_mw[t]))


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    lost = values.series(m.lost_load_mw) if hasattr(m, "lost_load_mw") else np.zeros(len(frame.hours))
    return {"lost_load_mw": Output(("time",), lost, "MW", "unserved demand")}
