"""A fleet-wide hydrogen share over the blending turbines (run file ``hydrogen.fleet``): a mandate, a maximum, or none.

Each turbine keeps its own limit (hydrogen_blending.py); this adds, per period p, a bound on the share of
hydrogen in the whole blending fleet's yearly fuel, by energy (LHV) or by volume. With H[g,t] the
hydrogen heat and F[g,t] the total heat input of blending plant g (GJ/h, both from the fuel ledger):
    energy share s:   sum_g sum_{t in p} w_t H[g,t]  >=  s * sum_g sum_{t in p} w_t F[g,t]          (mandate; <= for a maximum)
    volume share x:   sum_H2 Nm3 >= x * (sum_H2 Nm3 + sum_base Nm3), i.e. with c_g = LHV_H2 / LHV_base[g] (per Nm3)
                      sum_g sum_{t in p} w_t [(1 - x + x c_g) H[g,t] - x c_g F[g,t]] >= 0         (rows in GJ/yr)
The energy form is the volume form with c_g = 1, so both are one row, sum_g a_g H - b_g F >= 0 (or <= 0).
The dual of a mandate's row is the cost per GJ/yr of hydrogen it asks for (energy basis: CNY per GJ of H2).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("h2_fleet_share_min"), Relaxable("h2_fleet_share_max")))

BOUNDS = {"h2_fleet_share_min": ("min", ">="), "h2_fleet_share_max": ("max", "<=")}
"""Constraint family -> (bound in ``hydrogen.fleet``, sense)."""


def fleet_bound(fleet, bound: str) -> tuple[float, str] | None:
    """(share, 'energy' or 'volume') of the run's fleet-wide minimum or maximum, or None."""
    if fleet is None:
        return None
    energy, volume = getattr(fleet, f"{bound}_energy_share"), getattr(fleet, f"{bound}_vol_fraction")
    if energy is not None:
        return energy, "energy"
    return (volume, "volume") if volume is not None else None


def _row(frame: ModelFrame, share: float, basis: str, period: int):
    """sum_g a_g * yearly H[g] - b_g * yearly F[g] (GJ/yr) for one period, a Pyomo expression."""
    fuels, h2 = frame.data.fuels, frame.config.hydrogen.fuel
    lin = frame.zero()
    for g in frame.data.blending_technologies:
        c = 1.0 if basis == "energy" else fuels.at[h2, "lhv_mj_per_nm3"] / fuels.at[frame.tech(g, "fuel"), "lhv_mj_per_nm3"]
        lin = lin + (1.0 - share + share * c) * frame.fuel_use(g, h2) - share * c * frame.fuel_use(g)
    return frame.pyomo(frame.yearly(lin, period))


def build(frame: ModelFrame) -> None:
    m = frame.m
    if not frame.data.blending_technologies:
        return
    for name, (bound, sense) in BOUNDS.items():
        given = fleet_bound(frame.config.hydrogen.fleet, bound)
        if given is None:
            continue
        share, basis = given

        def rule(_, p, share=share, basis=basis, sense=sense):
            row = _row(frame, share, basis, p)
            return row >= 0 if sense == ">=" else row <= 0

        setattr(m, name, pyo.Constraint(m.P, rule=rule, doc=f"fleet-wide hydrogen share ({basis}), GJ/yr"))


def report(frame: ModelFrame, values: Values) -> dict:
    m, out = frame.m, {}
    for name, (bound, _) in BOUNDS.items():
        if hasattr(m, name):
            duals = np.abs(frame.dual(name, over="period")[0]) / frame.plan.objective_factor
            out[f"{name}_dual"] = Output(
                ("period",),
                duals,
                "CNY/GJ",
                f"shadow price of the fleet-wide hydrogen {bound}imum, per GJ/yr of the row (energy basis: per GJ of hydrogen)",
            )
    return out
