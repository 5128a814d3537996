"""Fuel use and fuel cost, read from the fuel ledger that thermal and blending modules fill.

    fuel_use_gj[g,f,t] = sum of ledger terms for (g, f)                 (GJ/h)
    fuel[g,p] = sum_f price_cny_per_gj[f] * sum_{t in p} w_t * fuel_use_gj[g,f,t]   (CNY/yr, per period)
Prices are mutable parameters (``m.fuel_price_cny_per_gj``), so a sweep can change them without rebuilding.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Updatable


def _update_price(frame: ModelFrame, _config, path: str, value) -> None:
    """A sweep's new fuel price (path ``overrides.fuels.<fuel>.price_cny_per_gj``)."""
    frame.m.fuel_price_cny_per_gj[path.split(".")[2]] = float(value)


SPEC = ModuleSpec(updatable=(Updatable(r"overrides\.fuels\.[^.]+\.price_cny_per_gj", _update_price),))


def build(frame: ModelFrame) -> None:
    m = frame.m
    keys = sorted(frame.fuel.keys())
    m.fuel_keys = pyo.Set(initialize=keys, dimen=2, ordered=True, doc="(technology, fuel) pairs that burn fuel")
    prices = frame.data.fuels["price_cny_per_gj"]
    for g, f in keys:
        if f in frame.supplied_fuels:
            continue
        if prices[f] or frame.is_mutable(f"overrides.fuels.{f}.price_cny_per_gj"):
            frame.add_hourly_cost("fuel", g, m.fuel_price_cny_per_gj[f], frame.fuel_use(g, f))


def hourly_fuel_use(frame: ModelFrame, values: Values) -> dict[tuple[str, str], np.ndarray]:
    """Solved fuel use (GJ/h) per (technology, fuel)."""
    return {(g, f): values.term(frame.fuel_use(g, f)) for g, f in frame.m.fuel_keys}


def report(frame: ModelFrame, values: Values) -> dict:
    techs = list(frame.data.technologies.index)
    fuels = list(frame.data.fuels.index)
    yearly = np.zeros((len(techs), len(fuels), len(frame.periods)))
    hourly = np.zeros((len(fuels), len(frame.hours)))
    for (g, f), use in hourly_fuel_use(frame, values).items():
        yearly[techs.index(g), fuels.index(f)] += values.annual(use)
        hourly[fuels.index(f)] += use
    return {
        "fuel_use_gj": Output(("technology", "fuel", "period"), yearly, "GJ/yr", "fuel heat input (LHV) by technology and fuel"),
        "fuel_use_gj_per_h": Output(("fuel", "time"), hourly, "GJ/h", "fuel heat input (LHV) per hour"),
    }
