"""Transmission between regions: a transport model over lines (corridors) from lines.csv.

For each line l from region a to region b, with capacity P[l] = existing_mw[l] + new_line_mw[l] (MW):
    0 <= forward_mw[l,t] <= P[l],  0 <= backward_mw[l,t] <= P[l]        (MW sent, a->b and b->a)
    region a:  - forward_mw + efficiency[l] * backward_mw   (supply term)
    region b:  + efficiency[l] * forward_mw - backward_mw   (supply term)
    0 <= new_line_mw[l] <= max_mw[l] - existing_mw[l]
    investment[l] = CRF(r, lifetime[l]) * capex_cny_per_kw[l] * 1000 * new_line_mw[l]   (CNY/yr)
    fixed_om[l]   = fixed_om_cny_per_kw_yr[l] * 1000 * P[l]                              (CNY/yr)
efficiency = 1 - losses (fraction delivered). Reported: net flow (a->b positive), capacity and the
congestion rent sum_t w_t * (price_b * delivered - price_a * sent) per line (CNY/yr).
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from ..physics import capital_recovery_factor
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec

SPEC = ModuleSpec()


def cost_key(line: str) -> str:
    """Key of a line's terms in the cost register (kept apart from technology names)."""
    return f"line:{line}"


def build(frame: ModelFrame) -> None:
    m, lines = frame.m, frame.data.lines
    names = list(lines.index)
    m.L = pyo.Set(initialize=names, ordered=True, doc="transmission lines")
    if not names:
        return

    def bounds(_, line, p):
        room = lines.at[line, "max_mw"] - lines.at[line, "existing_mw"]
        return (0.0, None if math.isinf(room) else room)

    single = frame.plan.count == 1
    m.new_line_mw = pyo.Var(m.L, m.P, bounds=bounds if single else (0, None), doc="new line capacity built at the start of each period, MW")
    if not frame.config.new_capacity:
        m.new_line_mw.fix(0.0)
    m.forward_mw = pyo.Var(m.L, m.T, bounds=(0, None), doc="power sent from region_from to region_to, MW")
    m.backward_mw = pyo.Var(m.L, m.T, bounds=(0, None), doc="power sent from region_to to region_from, MW")

    def capacity(line, p):
        return lines.at[line, "existing_mw"] + frame.standing(m.new_line_mw, line, p, lines.at[line, "lifetime_yr"])

    hourly_capacity = {line: frame.in_force(lambda p, line=line: capacity(line, p)) for line in names}
    frame.add_constraints("forward_max", names, lambda line: frame.var(m.forward_mw, line) <= hourly_capacity[line], doc="flow limit, MW")
    frame.add_constraints("backward_max", names, lambda line: frame.var(m.backward_mw, line) <= hourly_capacity[line], doc="flow limit, MW")
    if not single:
        m.line_capacity_max = pyo.Constraint(
            m.L,
            m.P,
            rule=lambda _, line, p: (
                capacity(line, p) <= lines.at[line, "max_mw"] if math.isfinite(lines.at[line, "max_mw"]) else pyo.Constraint.Skip
            ),
        )
    rate = frame.data.settings["discount_rate"]
    for line in names:
        a, b, eff = lines.at[line, "region_from"], lines.at[line, "region_to"], float(lines.at[line, "efficiency"])
        forward, backward = frame.var(m.forward_mw, line), frame.var(m.backward_mw, line)
        frame.add_supply(a, eff * backward - forward)
        frame.add_supply(b, eff * forward - backward)
        annuity = capital_recovery_factor(rate, lines.at[line, "lifetime_yr"]) * lines.at[line, "capex_cny_per_kw"] * 1000.0
        for p in frame.periods:
            if annuity:
                frame.add_cost("investment", cost_key(line), annuity * (capacity(line, p) - lines.at[line, "existing_mw"]), p)
            if lines.at[line, "fixed_om_cny_per_kw_yr"]:
                frame.add_cost("fixed_om", cost_key(line), lines.at[line, "fixed_om_cny_per_kw_yr"] * 1000.0 * capacity(line, p), p)


def report(frame: ModelFrame, values: Values) -> dict:
    m, lines = frame.m, frame.data.lines
    names = list(m.L)
    if not names:
        return {}
    forward = values.hourly(m.forward_mw, names)
    backward = values.hourly(m.backward_mw, names)
    new = np.array([[values.scalar(m.new_line_mw[line, p]) for p in frame.periods] for line in names]).reshape(
        len(names), len(frame.periods)
    )
    standing = np.array(
        [[values.scalar(frame.standing(m.new_line_mw, line, p, lines.at[line, "lifetime_yr"])) for p in frame.periods] for line in names]
    ).reshape(len(names), len(frame.periods))
    existing = np.repeat(lines.loc[names, "existing_mw"].to_numpy(dtype=float)[:, None], len(frame.periods), axis=1)
    eff = lines.loc[names, "efficiency"].to_numpy(dtype=float)[:, None]
    rent = np.full((len(names), len(frame.periods)), np.nan)
    regions = list(m.R)
    prices = frame.dual("demand_balance", regions) / frame.price_weight()
    if not np.isnan(prices).all():
        for i, line in enumerate(names):
            pa, pb = prices[regions.index(lines.at[line, "region_from"])], prices[regions.index(lines.at[line, "region_to"])]
            rent[i] = values.annual(pb * (eff[i] * forward[i] - backward[i]) + pa * (eff[i] * backward[i] - forward[i]))
    return {
        "flow_mw": Output(
            ("line", "time"), forward - backward, "MW", "net power sent from region_from to region_to (negative: the other way)"
        ),
        "line_losses_mw": Output(("line", "time"), (1 - eff) * (forward + backward), "MW", "power lost on the line"),
        "line_capacity_existing_mw": Output(("line", "period"), existing, "MW", "existing line capacity"),
        "line_capacity_new_mw": Output(("line", "period"), new, "MW", "new line capacity built by the model (at the start of the period)"),
        "line_capacity_total_mw": Output(("line", "period"), existing + standing, "MW", "total line capacity (each direction)"),
        "line_energy_mwh": Output(
            ("line", "period"), values.annual(forward + backward), "MWh/yr", "energy sent over the line, both directions"
        ),
        "congestion_rent_cny": Output(
            ("line", "period"),
            rent,
            "CNY/yr",
            "congestion rent: value delivered at the receiving price less value taken at the sending price",
        ),
    }
