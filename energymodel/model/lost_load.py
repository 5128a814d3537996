"""Lost load: demand not served, at the value of lost load (CNY/MWh).

    0 <= lost_load_mw[t] <= demand_mw[t];  cost = sum_t w_t * VoLL * lost_load_mw[t]
"""

from __future__ import annotations

import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    m, demand = frame.m, frame.data.demand_mw
    m.lost_load_mw = pyo.Var(m.T, bounds=lambda _, t: (0.0, float(demand[t])), doc="unserved demand, MW")
    frame.add_supply(lambda t: m.lost_load_mw[t])
    voll = frame.data.settings["value_of_lost_load_cny_per_mwh"]
    frame.add_cost("lost_load", "lost_load", voll * frame.yearly(lambda t: m.lost_load_mw[t]))


def report(frame: ModelFrame, values: Values) -> dict:
    return {"lost_load_mw": Output(("time",), values.series(frame.m.lost_load_mw), "MW", "unserved demand")}
