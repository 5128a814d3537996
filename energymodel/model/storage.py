"""Storage of electricity (pumped hydro, family 'storage') or hydrogen (family 'h2_storage').

Both share the physics below; electricity storage trades with the demand balance, hydrogen storage
with the hydrogen balance (see hydrogen_supply.py), its powers and levels in MW and MWh of H2 (LHV).

With power capacity P[s] (MW, for both directions) and energy capacity E[s] (MWh):
    charge_mw[s,t] <= P[s],  discharge_mw[s,t] <= P[s]
    level[s,t] = level[s,t-1] + dt * (charge_efficiency * charge_mw - discharge_mw / discharge_efficiency)
    min_level_fraction[s] * E[s] <= level[s,t] <= E[s]        (levels.py; linked across representative days)
E[s] = energy_to_power_h[s] * P[s] when the data gives a ratio; otherwise E[s] is sized separately
(new_energy_mwh >= 0, no existing energy) at capex_cny_per_kwh, within optional durations
    min_duration_h[s] * P[s] <= E[s] <= max_duration_h[s] * P[s]      (e.g. a 2-4 h battery) Levels are cyclic within each run of
consecutive modelled hours. Net injection discharge - charge enters the demand balance.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .levels import add_levels, report_levels
from .spec import ModuleSpec

SPEC = ModuleSpec()


def _has_ratio(frame: ModelFrame, s: str) -> bool:
    ratio = frame.tech(s, "energy_to_power_h")
    return ratio is not None and not math.isnan(ratio)


def energy_capacity_mwh(frame: ModelFrame, s: str, period: int):
    """Energy capacity of a storage technology in a period (MWh), an expression."""
    if _has_ratio(frame, s):
        return frame.tech(s, "energy_to_power_h") * frame.capacity_mw(s, period)
    return frame.standing(frame.m.new_energy_mwh, s, period, frame.tech(s, "lifetime_yr"))


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    names = data.names("storage") + data.names("h2_storage")
    m.storage = pyo.Set(initialize=names, ordered=True, doc="storage technologies (electricity and hydrogen)")
    m.storage_free_energy = pyo.Set(initialize=[s for s in names if not _has_ratio(frame, s)], doc="storage with separately sized energy")
    m.new_energy_mwh = pyo.Var(
        m.storage_free_energy, m.P, bounds=(0, None), doc="new storage energy capacity built at the start of each period, MWh"
    )
    if not frame.config.new_capacity:
        m.new_energy_mwh.fix(0.0)
    m.charge_mw = pyo.Var(m.storage, m.T, bounds=(0, None), doc="charging power, MW")
    m.discharge_mw = pyo.Var(m.storage, m.T, bounds=(0, None), doc="discharging power, MW")
    m.storage_level_mwh = pyo.Var(m.storage, m.T, bounds=(0, None), doc="stored energy at the end of the hour, MWh")

    def gain(s):
        return frame.var(m.charge_mw, s) * frame.tech(s, "charge_efficiency") - frame.var(m.discharge_mw, s) / frame.tech(
            s, "discharge_efficiency"
        )

    add_levels(
        frame,
        "storage",
        m.storage,
        m.storage_level_mwh,
        gain,
        lambda s, p: energy_capacity_mwh(frame, s, p),
        lambda s: frame.tech(s, "min_level_fraction"),
    )

    def duration(bound: str, sense: int):
        keys = [(s, p) for s in m.storage_free_energy for p in m.P if not math.isnan(frame.tech(s, bound))]
        return pyo.Constraint(
            keys, rule=lambda _, s, p: sense * (energy_capacity_mwh(frame, s, p) - frame.tech(s, bound) * frame.capacity_mw(s, p)) >= 0
        )

    m.storage_duration_min = duration("min_duration_h", 1)
    m.storage_duration_max = duration("max_duration_h", -1)
    frame.add_constraints("charge_max", names, lambda s: frame.var(m.charge_mw, s) <= frame.capacity(s), doc="charging limit, MW")
    frame.add_constraints("discharge_max", names, lambda s: frame.var(m.discharge_mw, s) <= frame.capacity(s), doc="discharging limit, MW")

    for s in names:
        discharge, charge = frame.var(m.discharge_mw, s), frame.var(m.charge_mw, s)
        net = discharge - charge
        if frame.tech(s, "family") == "h2_storage":
            frame.add_hydrogen(frame.region(s), net)  # MW of hydrogen (LHV) into the hydrogen balance
        else:
            frame.add_supply(frame.region(s), net)
            frame.add_reserve_provider(s, frame.capacity(s) - discharge + charge)
        frame.add_variable_om(s, discharge)
        energy_annuity = frame.annuity_cny_per_mw_yr(s, frame.tech(s, "capex_cny_per_kwh"))  # CNY/MWh/yr
        lifetime = frame.tech(s, "lifetime_yr")
        if energy_annuity:
            for p in frame.periods:
                factors = frame.capex_factors(s)
                if _has_ratio(frame, s):
                    new_energy = frame.tech(s, "energy_to_power_h") * frame.standing(m.new_capacity_mw, s, p, lifetime, factors)
                else:
                    new_energy = frame.standing(m.new_energy_mwh, s, p, lifetime, factors)
                frame.add_cost("investment", s, energy_annuity * new_energy, p)


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    names = list(m.storage)
    energy = np.array([[pyo.value(energy_capacity_mwh(frame, s, p)) for p in frame.periods] for s in names], dtype=float).reshape(
        len(names), len(frame.periods)
    )
    out = {
        **report_levels(frame, values, "storage", names, m.storage_level_mwh),
        "energy_capacity_mwh": Output(
            ("technology", "period"), energy, "MWh", "storage or reservoir energy capacity (MWh of H2, LHV, for hydrogen storage)", names
        ),
    }
    electric = [s for s in names if frame.tech(s, "family") == "storage"]
    hydrogen = [s for s in names if frame.tech(s, "family") == "h2_storage"]
    if electric:
        out["generation_mw"] = Output(("technology", "time"), values.hourly(m.discharge_mw, electric), "MW", "electric output", electric)
        out["storage_charge_mw"] = Output(
            ("technology", "time"), values.hourly(m.charge_mw, electric), "MW", "storage charging power", electric
        )
    if hydrogen:
        out["h2_storage_charge_mw"] = Output(
            ("technology", "time"), values.hourly(m.charge_mw, hydrogen), "MW", "hydrogen put into storage (LHV)", hydrogen
        )
        out["h2_storage_discharge_mw"] = Output(
            ("technology", "time"), values.hourly(m.discharge_mw, hydrogen), "MW", "hydrogen taken from storage (LHV)", hydrogen
        )
    return out
