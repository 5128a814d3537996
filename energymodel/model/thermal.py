"""Thermal plants (coal, gas turbines, nuclear, with or without carbon capture): output, fuel and flexibility.

    0 <= generation_mw[g,t] <= availability[g] * capacity_mw[g]
    fuel heat input (GJ/h) = generation_mw[g,t] * 3.6 / efficiency[g]       -> fuel ledger, fuel[g]
    variable_om[g] = sum_t w_t * variable_om_cny_per_mwh[g] * generation_mw[g,t]   (CNY/yr)

Flexible operation, switched on by the run file's ``operations`` for the plants whose data give it
(t-1 is the previous hour, cyclic within each run of consecutive hours):
  unit commitment, linearised (plants with min_load_fraction or startup_cny_per_mw > 0):
    online_mw[g,t] <= availability[g] * capacity_mw[g]
    min_load_fraction[g] * online_mw[g,t] <= generation_mw[g,t] <= online_mw[g,t]
    startup_mw[g,t] >= online_mw[g,t] - online_mw[g,t-1],  start_up[g] = sum_t w_t * startup_cny_per_mw[g] * startup_mw[g,t]
  ramping (plants with ramp_fraction_per_h):
    |generation_mw[g,t] - generation_mw[g,t-1]| <= ramp_fraction_per_h[g] * capacity_mw[g]
  must-run (plants with must_run_fraction > 0, in the months of must_run_months, e.g. heating-season CHP):
    generation_mw[g,t] >= must_run_fraction[g] * capacity_mw[g]
Headroom for operating reserves is online_mw - generation_mw (committed) or availability x capacity - generation_mw.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from ..inputs import parse_months
from ..physics import GJ_PER_MWH
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec

SPEC = ModuleSpec()


def committed(frame: ModelFrame, names: list[str]) -> list[str]:
    """Plants under (linearised) unit commitment in this run."""
    if not frame.config.operations.unit_commitment:
        return []
    return [g for g in names if frame.tech(g, "min_load_fraction") > 0 or frame.tech(g, "startup_cny_per_mw") > 0]


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    ops = frame.config.operations
    names = data.names("thermal")
    m.thermal = pyo.Set(initialize=names, ordered=True, doc="thermal technologies")
    m.thermal_mw = pyo.Var(m.thermal, m.T, bounds=(0, None), doc="thermal output, MW")
    uc = committed(frame, names)
    m.committed = pyo.Set(initialize=uc, ordered=True, doc="thermal plants under linearised unit commitment")
    free = [g for g in names if g not in uc]

    def available_mw(g):
        return frame.capacity(g) * frame.tech(g, "availability")

    def output(g):
        return frame.var(m.thermal_mw, g)

    frame.add_constraints("thermal_output_max", free, lambda g: output(g) <= available_mw(g), doc="thermal output limit, MW")
    _commitment(frame, uc, available_mw)
    prev = frame.prev
    ramped = [g for g in names if ops.ramping and not math.isnan(frame.tech(g, "ramp_fraction_per_h"))]
    frame.add_constraints(
        "ramp_up",
        ramped,
        lambda g: output(g) - output(g).take(prev) <= frame.capacity(g) * frame.tech(g, "ramp_fraction_per_h"),
        doc="ramp-up limit, MW/h",
    )
    frame.add_constraints(
        "ramp_down",
        ramped,
        lambda g: output(g).take(prev) - output(g) <= frame.capacity(g) * frame.tech(g, "ramp_fraction_per_h"),
        doc="ramp-down limit, MW/h",
    )
    months = np.asarray(data.time.month)
    must_run = [g for g in names if ops.must_run and frame.tech(g, "must_run_fraction") > 0]
    frame.add_constraints(
        "must_run",
        must_run,
        lambda g: (output(g) >= frame.capacity(g) * frame.tech(g, "must_run_fraction")).where(
            np.isin(months, parse_months(frame.tech(g, "must_run_months")))
        ),
        doc="must-run output, MW",
    )

    for g in names:
        heat_rate_gj_per_mwh = GJ_PER_MWH / frame.tech(g, "efficiency")
        output_mw = output(g)
        frame.add_heat_input(g, heat_rate_gj_per_mwh * output_mw)
        frame.add_supply(frame.region(g), output_mw)
        frame.add_output(g, output_mw)
        frame.add_variable_om(g, output_mw)
        online = frame.var(m.online_mw, g) if g in uc else available_mw(g)
        frame.add_reserve_provider(g, online - output_mw)


def _commitment(frame: ModelFrame, names: list[str], available_mw) -> None:
    """Online capacity, minimum stable load and start-ups of the committed plants."""
    m, prev = frame.m, frame.prev
    m.online_mw = pyo.Var(m.committed, m.T, bounds=(0, None), doc="capacity online (committed), MW")

    def online(g):
        return frame.var(m.online_mw, g)

    def output(g):
        return frame.var(m.thermal_mw, g)

    frame.add_constraints("online_max", names, lambda g: online(g) <= available_mw(g), doc="online capacity limit, MW")
    frame.add_constraints("thermal_output_online", names, lambda g: output(g) <= online(g), doc="output up to the online capacity, MW")
    loaded = [g for g in names if frame.tech(g, "min_load_fraction") > 0]
    frame.add_constraints(
        "min_load", loaded, lambda g: output(g) >= online(g) * frame.tech(g, "min_load_fraction"), doc="minimum stable load, MW"
    )
    started = [g for g in names if frame.tech(g, "startup_cny_per_mw") > 0]
    m.started = pyo.Set(initialize=started, ordered=True, doc="committed plants with start-up costs")
    m.startup_mw = pyo.Var(m.started, m.T, bounds=(0, None), doc="capacity started up in the hour, MW")
    frame.add_constraints(
        "startup_min", started, lambda g: frame.var(m.startup_mw, g) >= online(g) - online(g).take(prev), doc="start-ups, MW"
    )
    for g in started:
        frame.add_hourly_cost("start_up", g, frame.tech(g, "startup_cny_per_mw"), frame.var(m.startup_mw, g))


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    names = list(m.thermal)
    out = {"generation_mw": Output(("technology", "time"), values.hourly(m.thermal_mw, names), "MW", "electric output", names)}
    uc = list(m.committed)
    if uc:
        out["online_mw"] = Output(
            ("technology", "time"), values.hourly(m.online_mw, uc), "MW", "capacity online (linearised unit commitment)", uc
        )
    started = list(m.started) if uc else []
    if started:
        yearly = values.annual(values.hourly(m.startup_mw, started)).reshape(len(started), len(frame.periods))
        out["startup_mw"] = Output(("technology", "period"), yearly, "MW/yr", "capacity started up over the year", started)
    return out
