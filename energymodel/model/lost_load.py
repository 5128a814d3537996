"""Lost load: demand not served, at the value of lost load (CNY/MWh).

    0 <= lost_load_mw[r,t] <= demand_mw[r,t];  cost = sum_r,t w_t * VoLL * lost_load_mw[r,t]
With ``value_of_lost_load_cny_per_mwh: null`` in the settings there is no lost load: demand must be met.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec

SPEC = ModuleSpec()


def build(frame: ModelFrame) -> None:
    voll = frame.data.settings["value_of_lost_load_cny_per_mwh"]
    if voll is None:  # demand must be met in full
        return
    m, demand = frame.m, frame.demand
    m.lost_load_mw = pyo.Var(m.R, m.T, bounds=lambda _, r, t: (0.0, demand[r][t]), doc="unserved demand, MW")
    lost = [frame.var(m.lost_load_mw, r) for r in m.R]
    for r, lost_mw in zip(m.R, lost):
        frame.add_supply(r, lost_mw)
    frame.add_hourly_cost("lost_load", "lost_load", voll, sum(lost, frame.zero()))


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    regions = list(m.R)
    lost = values.hourly(m.lost_load_mw, regions) if hasattr(m, "lost_load_mw") else np.zeros((len(regions), len(frame.hours)))
    return {"lost_load_mw": Output(("region", "time"), lost, "MW", "unserved demand")}
