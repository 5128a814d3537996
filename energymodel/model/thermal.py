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
Combined heat and power (plants with power_to_heat, when their heat network has heat demand; docs/formulation.md 3c):
extraction-condensing units with heat output heat_mw[g,t] (MW_th) into their heat network's balance (heat.py),
    generation_mw[g,t] >= power_to_heat[g] * heat_mw[g,t]                              (back-pressure line)
    load_mw[g,t] = generation_mw[g,t] + heat_power_loss[g] * heat_mw[g,t]  replaces generation_mw in the output
    limit (<= availability x capacity, or <= online_mw), the minimum load and the heat input (fuel = load_mw * 3.6 / efficiency)
Headroom for operating reserves is online_mw - load_mw (committed) or availability x capacity - load_mw.
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
    chp = data.heat_suppliers("thermal")
    m.chp = pyo.Set(initialize=chp, ordered=True, doc="CHP plants supplying a heat network")
    m.chp_heat_mw = pyo.Var(m.chp, m.T, bounds=(0, None), doc="CHP heat output, MW_th")
    chp_set = set(chp)

    def available_mw(g):
        return frame.capacity(g) * frame.tech(g, "availability")

    def output(g):
        return frame.var(m.thermal_mw, g)

    def load(g):  # output plus the power a CHP plant gives up for its heat (MW): what the fuel and the capacity see
        if g not in chp_set:
            return output(g)
        return output(g) + frame.var(m.chp_heat_mw, g) * frame.tech(g, "heat_power_loss")

    frame.add_constraints("thermal_output_max", free, lambda g: load(g) <= available_mw(g), doc="thermal output limit, MW")
    _commitment(frame, uc, available_mw, load)
    frame.add_constraints(
        "chp_backpressure",
        chp,
        lambda g: output(g) >= frame.var(m.chp_heat_mw, g) * frame.tech(g, "power_to_heat"),
        doc="CHP power at least power_to_heat x heat, MW",
    )
    for g in chp:
        frame.add_heat(data.heat_network(g), frame.var(m.chp_heat_mw, g))
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
        frame.add_heat_input(g, heat_rate_gj_per_mwh * load(g))
        frame.add_supply(frame.region(g), output_mw)
        frame.add_output(g, output_mw)
        frame.add_variable_om(g, output_mw)
        online = frame.var(m.online_mw, g) if g in uc else available_mw(g)
        frame.add_reserve_provider(g, online - load(g))


def _commitment(frame: ModelFrame, names: list[str], available_mw, load) -> None:
    """Online capacity, minimum stable load and start-ups of the committed plants."""
    m, prev = frame.m, frame.prev
    m.online_mw = pyo.Var(m.committed, m.T, bounds=(0, None), doc="capacity online (committed), MW")

    def online(g):
        return frame.var(m.online_mw, g)

    frame.add_constraints("online_max", names, lambda g: online(g) <= available_mw(g), doc="online capacity limit, MW")
    frame.add_constraints("thermal_output_online", names, lambda g: load(g) <= online(g), doc="output up to the online capacity, MW")
    loaded = [g for g in names if frame.tech(g, "min_load_fraction") > 0]
    frame.add_constraints(
        "min_load", loaded, lambda g: load(g) >= online(g) * frame.tech(g, "min_load_fraction"), doc="minimum stable load, MW"
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
    chp = list(m.chp)
    if chp:
        out["heat_output_mw"] = Output(("technology", "time"), values.hourly(m.chp_heat_mw, chp), "MW_th", "heat output", chp)
    started = list(m.started) if uc else []
    if started:
        yearly = values.annual(values.hourly(m.startup_mw, started)).reshape(len(started), len(frame.periods))
        out["startup_mw"] = Output(("technology", "period"), yearly, "MW/yr", "capacity started up over the year", started)
    return out
