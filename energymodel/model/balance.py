"""Hourly demand balance per region: the supply terms registered in a region meet its demand.

    sum(supply terms of region r)[t] == demand_mw[r,t]         (MW)
Supply terms include imports and exports over transmission lines. The dual of this constraint
divided by the hour's weight is the region's marginal price (CNY/MWh).
"""

from __future__ import annotations

import numpy as np

from .frame import ModelFrame, Output, Values
from .spec import PHYSICAL_PENALTY, ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("demand_balance", PHYSICAL_PENALTY, hour_weighted=True),))


def build(frame: ModelFrame) -> None:
    demand = frame.demand
    frame.add_constraints(
        "demand_balance",
        frame.data.regions,
        lambda r: frame.supply.total([r], frame.n_hours) == np.asarray(demand[r]),
        doc="hourly demand balance, MW",
    )


def report(frame: ModelFrame, values: Values) -> dict:
    regions = list(frame.m.R)
    duals = frame.dual("demand_balance", regions)
    return {
        "demand_mw": Output(("region", "time"), frame.data.demand_mw[regions].to_numpy().T, "MW", "electricity demand"),
        "marginal_price_cny_per_mwh": Output(
            ("region", "time"), duals / frame.price_weight(), "CNY/MWh", "marginal price of electricity (dual of the demand balance)"
        ),
    }
