"""Reservoir hydro: a reservoir filled by inflow, emptied by the turbines and by spilling.

Inflow is given per MW of turbine capacity (MWh per hour per MW, electrical equivalent), so a
larger plant brings a proportionally larger catchment. With capacity P[g] (MW) and reservoir size
E[g] = energy_to_power_h[g] * P[g] (MWh):
    level[g,t] = level[g,t-1] + dt * (inflow[g,t] * P[g] - generation_mw[g,t] - spill_mw[g,t])
    generation_mw[g,t] <= P[g]
    min_level_fraction[g] * E[g] <= level[g,t] <= E[g]
Levels are cyclic within each run of consecutive modelled hours (end level = start level), or
linked across the days of the year with representative days (levels.py).
"""

from __future__ import annotations

import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .levels import add_levels, report_levels
from .spec import ModuleSpec

SPEC = ModuleSpec()


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    names = data.names("reservoir_hydro")
    inflow = {g: data.inflow_per_mw[g].to_numpy() for g in names}
    m.reservoir = pyo.Set(initialize=names, ordered=True, doc="reservoir hydro technologies")
    m.hydro_mw = pyo.Var(m.reservoir, m.T, bounds=(0, None), doc="turbine output, MW")
    m.hydro_spill_mw = pyo.Var(m.reservoir, m.T, bounds=(0, None), doc="spilled inflow, MW")
    m.reservoir_level_mwh = pyo.Var(m.reservoir, m.T, bounds=(0, None), doc="reservoir level at the end of hour, MWh")

    def size(g, p):
        return frame.tech(g, "energy_to_power_h") * frame.capacity_mw(g, p)

    frame.add_constraints("hydro_output_max", names, lambda g: frame.var(m.hydro_mw, g) <= frame.capacity(g), doc="turbine limit, MW")

    def gain(g):
        return frame.capacity(g) * inflow[g] - frame.var(m.hydro_mw, g) - frame.var(m.hydro_spill_mw, g)

    add_levels(frame, "reservoir", m.reservoir, m.reservoir_level_mwh, gain, size, lambda g: frame.tech(g, "min_level_fraction"))
    for g in names:
        output = frame.var(m.hydro_mw, g)
        frame.add_supply(frame.region(g), output)
        frame.add_output(g, output)
        frame.add_reserve_provider(g, frame.capacity(g) - output)
        frame.add_variable_om(g, output)


def report(frame: ModelFrame, values: Values) -> dict:
    m, data = frame.m, frame.data
    names = list(m.reservoir)
    capacity = values.capacity(names)  # (g, periods)
    inflow = data.inflow_per_mw[names].to_numpy().T * values.hourly_capacity(names)
    return {
        "generation_mw": Output(("technology", "time"), values.hourly(m.hydro_mw, names), "MW", "electric output", names),
        "hydro_spill_mw": Output(("technology", "time"), values.hourly(m.hydro_spill_mw, names), "MW", "spilled reservoir inflow", names),
        "hydro_inflow_mw": Output(("technology", "time"), inflow, "MW", "reservoir inflow (electrical equivalent)", names),
        **report_levels(frame, values, "reservoir", names, m.reservoir_level_mwh),
        "energy_capacity_mwh": Output(
            ("technology", "period"),
            data.technologies.loc[names, "energy_to_power_h"].to_numpy(dtype=float)[:, None] * capacity,
            "MWh",
            "storage or reservoir energy capacity",
            names,
        ),
    }
