"""Investment in every technology: new capacity, annualised capital cost and fixed O&M.

    0 <= new_capacity_mw[g] <= max_mw[g] - existing_mw[g]
    investment[g] = CRF(r, lifetime[g]) * capex_cny_per_kw[g] * 1000 * new_capacity_mw[g]   (CNY/yr)
    fixed_om[g]   = fixed_om_cny_per_kw_yr[g] * 1000 * (existing_mw[g] + new_capacity_mw[g])  (CNY/yr)
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from ..physics import capital_recovery_factor
from .frame import ModelFrame, Output


def annuity_cny_per_mw_yr(frame: ModelFrame, name: str, capex_cny_per_kw: float) -> float:
    """Yearly payment (CNY/MW/yr) for an overnight cost in CNY/kW, over the technology's lifetime."""
    crf = capital_recovery_factor(frame.data.settings["discount_rate"], frame.tech(name, "lifetime_yr"))
    return crf * capex_cny_per_kw * 1000.0


def build(frame: ModelFrame) -> None:
    m, techs = frame.m, frame.data.technologies
    m.G = pyo.Set(initialize=list(techs.index), ordered=True, doc="all technologies")

    def bounds(_, g):
        room = techs.at[g, "max_mw"] - techs.at[g, "existing_mw"]
        return (0.0, None if math.isinf(room) else room)

    m.new_capacity_mw = pyo.Var(m.G, bounds=bounds, doc="new capacity, MW")
    for g in m.G:
        frame.add_cost("investment", g, annuity_cny_per_mw_yr(frame, g, techs.at[g, "capex_cny_per_kw"]) * m.new_capacity_mw[g])
        frame.add_cost("fixed_om", g, techs.at[g, "fixed_om_cny_per_kw_yr"] * 1000.0 * frame.capacity_mw(g))


def report(frame: ModelFrame, values) -> dict:
    techs = frame.data.technologies
    new = np.array([values.scalar(frame.m.new_capacity_mw[g]) for g in techs.index])
    existing = techs["existing_mw"].to_numpy(dtype=float)
    return {
        "capacity_existing_mw": Output(("technology",), existing, "MW", "existing capacity"),
        "capacity_new_mw": Output(("technology",), new, "MW", "new capacity built by the model"),
        "capacity_total_mw": Output(("technology",), existing + new, "MW", "total installed capacity"),
    }
