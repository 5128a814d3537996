"""Hydrogen blended into the fuel of gas turbines (technologies with ``h2_blending = true``).

Each turbine g has a hydrogen volume limit x[g,p] in each period p: its own (pathway
``h2_max_vol_fraction`` by year, else the ``h2_max_vol_fraction`` column of technologies.csv), or else
the run-wide ``hydrogen.blend_vol_fraction`` (in a pathway ``pathway.h2_blend_vol_fraction`` by year).
Its energy (LHV) share is
    e[g,p] = x*LHV_H2 / (x*LHV_H2 + (1-x)*LHV_base)          (LHVs per Nm3, from fuels.csv)
Of a blending plant's heat input F[g,t] (GJ/h, from the fuel ledger), hydrogen supplies h2_gj[g,t]:
    mode 'fixed':  h2_gj[g,t] = e[g,p(t)] * F[g,t]
    mode 'max':    0 <= h2_gj[g,t] <= e[g,p(t)] * F[g,t]   (the optimiser picks the share, hour by hour)
and the ledger moves that heat from the base fuel to hydrogen: base fuel -h2_gj, hydrogen +h2_gj.
Fuel cost and CO2 then follow from the ledger: CO2 only from the natural-gas share.
``e`` is a mutable parameter; a sweep that changes the run-wide blend sets it and rebuilds the
limit's rows in place (the same rows with new coefficients), without rebuilding the model.
A fleet-wide share on top of the turbines' limits is hydrogen_fleet.py.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..physics import h2_energy_share, h2_volume_share
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Updatable


def blend_vol_fraction(frame: ModelFrame, config, technology: str, period: int = 0) -> float:
    """Hydrogen volume limit (0..1) of one blending plant in a period.

    The plant's own limit, pathway ``h2_max_vol_fraction`` for its technology (per year, interpolated) or
    else its ``h2_max_vol_fraction`` column; without one, the run-wide ``hydrogen.blend_vol_fraction``, or
    in a pathway ``pathway.h2_blend_vol_fraction`` for the period's year (falling back to the former).
    """
    pathway = config.pathway
    run_wide = frame.setting_by_period(pathway.h2_blend_vol_fraction if pathway else {}, config.hydrogen.blend_vol_fraction)[period]
    column = frame.tech(technology, "h2_max_vol_fraction")
    own_by_year = pathway.h2_max_vol_fraction.get(frame.tech(technology, "technology"), {}) if pathway else {}
    return frame.setting_by_period(own_by_year, run_wide if np.isnan(column) else column)[period]


def blend_energy_share(frame: ModelFrame, config, technology: str, period: int = 0) -> float:
    """Hydrogen energy share limit (0..1) of one plant in a period: its volume limit through its fuels' LHVs per Nm3."""
    fuels = frame.data.fuels
    return h2_energy_share(
        blend_vol_fraction(frame, config, technology, period),
        fuels.at[config.hydrogen.fuel, "lhv_mj_per_nm3"],
        fuels.at[frame.tech(technology, "fuel"), "lhv_mj_per_nm3"],
    )


def build(frame: ModelFrame) -> None:
    m, config = frame.m, frame.config
    names = frame.data.blending_technologies
    m.blending = pyo.Set(initialize=names, ordered=True, doc="technologies burning a hydrogen blend")
    if not names:
        return
    m.h2_energy_share = pyo.Param(
        m.blending,
        m.P,
        initialize=lambda _, g, p: blend_energy_share(frame, config, g, p),
        mutable=True,
        doc="H2 energy share limit, fraction",
    )
    m.h2_heat_gj = pyo.Var(m.blending, m.T, bounds=(0, None), doc="hydrogen heat input, GJ/h")
    _blend_limit(frame)
    for g in names:
        frame.add_fuel_switch(g, frame.tech(g, "fuel"), config.hydrogen.fuel, frame.var(m.h2_heat_gj, g))


def _blend_limit(frame: ModelFrame, replace: bool = False) -> None:
    """The rows h2_gj = e * F (mode fixed) or h2_gj <= e * F (mode max), with e from ``m.h2_energy_share``."""
    m = frame.m
    fixed = frame.config.hydrogen.mode == "fixed"

    def rows(g):
        share = frame.hourly_values([pyo.value(m.h2_energy_share[g, p]) for p in frame.periods])
        h2, allowed = frame.var(m.h2_heat_gj, g), frame.heat_input.total([g], frame.n_hours) * share
        return h2 == allowed if fixed else h2 <= allowed

    frame.add_constraints("h2_blend_limit", list(m.blending), rows, doc="hydrogen share of heat input, GJ/h", replace=replace)


def _update_blend(frame: ModelFrame, config, _path: str, _value) -> None:
    """A sweep's new blend: new shares, and the limit's rows rebuilt with them (same rows, new coefficients)."""
    m = frame.m
    for g in m.blending:
        for p in m.P:
            m.h2_energy_share[g, p] = blend_energy_share(frame, config, g, p)
    if len(m.blending):
        _blend_limit(frame, replace=True)


SPEC = ModuleSpec(updatable=(Updatable(r"hydrogen\.blend_vol_fraction", _update_blend),))


def report(frame: ModelFrame, values: Values) -> dict:
    m, data = frame.m, frame.data
    names = list(m.blending)
    if not names:
        return {}
    fuels, h2 = data.fuels, frame.config.hydrogen.fuel
    h2_gj = values.hourly(m.h2_heat_gj, names)  # (g, t)
    heat_gj = np.array([values.term(frame.fuel_use(g)) for g in names])
    h2_gj_per_kg = fuels.at[h2, "lhv_mj_per_kg"] / 1000.0
    h2_gj_per_nm3 = fuels.at[h2, "lhv_mj_per_nm3"] / 1000.0
    yearly_h2 = values.annual(h2_gj).reshape(len(names), len(frame.periods))  # (g, periods)
    yearly_heat = values.annual(heat_gj).reshape(len(names), len(frame.periods))
    with np.errstate(invalid="ignore", divide="ignore"):
        energy_share = np.where(yearly_heat > 0, yearly_h2 / yearly_heat, 0.0)
    base_lhv = np.array([fuels.at[data.technologies.at[g, "fuel"], "lhv_mj_per_nm3"] for g in names])[:, None]
    volume_share = h2_volume_share(np.clip(energy_share, 0, 1), fuels.at[h2, "lhv_mj_per_nm3"], base_lhv)
    hourly_t = h2_gj.sum(axis=0) / h2_gj_per_kg / 1000.0
    limit = np.array([[pyo.value(m.h2_energy_share[g, p]) for p in frame.periods] for g in names])
    return {
        "h2_use_t": Output(("period",), values.annual(hourly_t), "t/yr", "hydrogen burnt in gas turbines"),
        "h2_use_nm3": Output(("period",), yearly_h2.sum(axis=0) / h2_gj_per_nm3, "Nm3/yr", "hydrogen burnt in gas turbines (volume)"),
        "h2_use_t_per_h": Output(("time",), hourly_t, "t/h", "hydrogen burnt per hour"),
        "h2_use_by_technology_t": Output(
            ("technology", "period"), yearly_h2 / h2_gj_per_kg / 1000.0, "t/yr", "hydrogen burnt by technology", names
        ),
        "h2_blend_energy_share": Output(("technology", "period"), energy_share, "1", "realised hydrogen share of heat input (LHV)", names),
        "h2_blend_volume_share": Output(("technology", "period"), volume_share, "1", "realised hydrogen share of fuel volume", names),
        "h2_blend_energy_share_limit": Output(
            ("technology", "period"), limit, "1", "hydrogen energy share limit of each turbine (the share burnt in mode fixed)", names
        ),
        "h2_blend_volume_share_limit": Output(
            ("technology", "period"),
            h2_volume_share(np.clip(limit, 0, 1), fuels.at[h2, "lhv_mj_per_nm3"], base_lhv),
            "1",
            "hydrogen volume share limit of each turbine (its h2_max_vol_fraction, or the run-wide blend)",
            names,
        ),
    }
