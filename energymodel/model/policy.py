"""Pathway targets per period (run file ``pathway``), each optional:

    non-fossil share:  sum_{g non-fossil} sum_{t in p} w_t output[g,t] >= share[p] * sum_{r, t in p} w_t demand[r,t]
    wind + solar:      sum_{g variable_renewable} capacity_mw[g,p] >= min_wind_solar_mw[p]
Non-fossil generators are variable renewables, reservoir hydro and thermal plants whose fuel has
no CO2 (nuclear); storage output does not count (it is not generation). Shares are of demand.
"""

from __future__ import annotations

import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("non_fossil_share_min"), Relaxable("wind_solar_min")))


def non_fossil(frame: ModelFrame) -> list[str]:
    """Technologies whose output counts as non-fossil generation."""
    techs, co2 = frame.data.technologies, frame.data.fuels["co2_t_per_gj"]
    return [
        g
        for g in frame.outputs.keys()
        if techs.at[g, "family"] in ("variable_renewable", "reservoir_hydro")
        or (techs.at[g, "family"] == "thermal" and co2.get(techs.at[g, "fuel"], 1.0) == 0)
    ]


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    pathway = frame.config.pathway
    if pathway is None:
        return
    shares = frame.setting_by_period(pathway.min_non_fossil_share, None)
    if any(s is not None for s in shares):
        clean = non_fossil(frame)
        demand = data.demand_mw.sum(axis=1).to_numpy()

        def share_rule(_, p):
            if shares[p] is None:
                return pyo.Constraint.Skip
            made = frame.pyomo(frame.yearly(frame.output(clean), p))
            return made >= shares[p] * float(sum(frame.weight_h[t] * demand[t] for t in frame.hours_of(p)))

        m.non_fossil_share_min = pyo.Constraint(m.P, rule=share_rule)
    minimum = frame.setting_by_period(pathway.min_wind_solar_mw, None)
    if any(v is not None for v in minimum):
        vre = data.names("variable_renewable")
        m.wind_solar_min = pyo.Constraint(
            m.P,
            rule=lambda _, p: sum(frame.capacity_mw(g, p) for g in vre) >= minimum[p] if minimum[p] is not None else pyo.Constraint.Skip,
        )


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    out = {}
    if hasattr(m, "non_fossil_share_min") or hasattr(m, "wind_solar_min"):
        clean = non_fossil(frame)
        made = values.annual(values.term(frame.output(clean)))
        demand = values.annual(frame.data.demand_mw.sum(axis=1).to_numpy())
        out["non_fossil_share"] = Output(("period",), made / demand, "1", "non-fossil generation as a share of demand")
    for name, label in (("non_fossil_share_min", "non-fossil share target"), ("wind_solar_min", "wind + solar capacity target")):
        if hasattr(m, name):
            duals = frame.dual(name, over="period")[0] / frame.plan.objective_factor
            unit = "CNY/yr per unit of share" if name == "non_fossil_share_min" else "CNY/MW/yr"
            out[f"{name}_dual"] = Output(("period",), duals, unit, f"shadow price of the {label} (NaN: no target)")
    return out
