"""Why is a run infeasible? Re-solve with elastic slacks and report which constraints had to give.

The model is rebuilt, its cost objective replaced by the sum of non-negative slacks added to the
constraints that can make a case infeasible: the hourly demand balances (demand that cannot be
served, or supply that cannot be absorbed, e.g. must-run above demand), the hourly heat balances (heat
demand that cannot be met), the CO2 caps and budget, a
pathway's targets and capacity limits, and the operating and planning reserves. Physical slacks (demand) cost far more than policy slacks, so a cap or target is
relaxed before demand is: the answer is the smallest relaxation that makes the case solvable.
For a CO2 cap the relaxation is exactly the gap to the least emissions the system can reach, which
is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from .errors import SolveError
from .inputs import InputData
from .model import MODULES, build_model, reserves
from .model.frame import Values
from .model.spec import relaxable
from .solve import solve


@dataclass
class Relaxation:
    """One constraint family that had to give, and by how much."""

    what: str
    amount: float
    unit: str
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


def _soften(constraint, name: str, index, slacks: list, weight: float, m) -> None:
    """Add a slack (>= 0) to one constraint in the direction that relaxes it (both ways for an equality)."""
    body, lower, upper = constraint.body, constraint.lower, constraint.upper
    if constraint.equality:
        up, down = pyo.Var(bounds=(0, None)), pyo.Var(bounds=(0, None))
        m.add_component(f"_slack_{len(slacks)}", up)
        m.add_component(f"_slack_{len(slacks)}_down", down)
        constraint.set_value(body + up - down == upper)
        slacks.append((name, index, "up", up, weight))
        slacks.append((name, index, "down", down, weight))
    elif upper is not None:
        s = pyo.Var(bounds=(0, None))
        m.add_component(f"_slack_{len(slacks)}", s)
        constraint.set_value(body - s <= upper)
        slacks.append((name, index, "up", s, weight))
    else:
        s = pyo.Var(bounds=(0, None))
        m.add_component(f"_slack_{len(slacks)}", s)
        constraint.set_value(body + s >= lower)
        slacks.append((name, index, "up", s, weight))


def diagnose(data: InputData, prepare=None) -> list[Relaxation] | None:
    """The smallest relaxations that make the run solvable ([] if it is feasible as it is).

    ``prepare(frame)`` changes the built model first, as for the solve (e.g. a fixed fleet, operate.py).
    Returns None if even the relaxed problem cannot be solved.
    """
    frame = build_model(data)
    if prepare is not None:
        prepare(frame)
    frame.materialise()  # slacks are added to Pyomo constraints
    m = frame.m
    slacks: list = []
    for soft in relaxable(MODULES):  # what the modules declare may give (model/spec.py)
        component = getattr(m, soft.family, None)
        if component is None:
            continue
        for index in component.keys() if component.is_indexed() else [None]:
            con = component[index] if index is not None else component
            w = soft.penalty * (frame.weight_h[index[-1]] if soft.hour_weighted else 1.0)
            _soften(con, soft.family, index, slacks, w, m)
    m._diagnosis = pyo.Objective(expr=sum(w * s for _, _, _, s, w in slacks))
    try:
        solve(frame, data.config.solver.options)
    except SolveError:
        return None
    return _report(frame, slacks)


def _report(frame, slacks) -> list[Relaxation]:
    data, plan = frame.data, frame.plan
    found: list[Relaxation] = []
    values = [(name, index, side, pyo.value(s) or 0.0) for name, index, side, s, _ in slacks]
    demand = [(index, side, v) for name, index, side, v in values if name == "demand_balance" and v > 1e-6]
    for region in data.regions:
        for side, label in (("up", "demand that cannot be served"), ("down", "supply that cannot be absorbed")):
            hours = [(t, v) for (r, t), s, v in demand if r == region and s == side]
            if not hours:
                continue
            mwh = sum(v * frame.weight_h[t] for t, v in hours)
            first = data.time[hours[0][0]]
            advice = (
                "allow lost load (value_of_lost_load_cny_per_mwh) or raise capacity limits (max_mw)"
                if side == "up"
                else "check must-run or inflow data"
            )
            found.append(
                Relaxation(
                    f"demand balance, region {region}",
                    mwh,
                    "MWh/yr",
                    f"{label}: {mwh:,.0f} MWh/yr over {len(hours)} modelled hours (first {first:%Y-%m-%d %H:%M}, "
                    f"largest {max(v for _, v in hours):,.0f} MW); {advice}",
                )
            )
    heat = [(index, v) for name, index, side, v in values if name == "heat_balance" and side == "up" and v > 1e-6]
    for network in data.heat_demand_mw.columns:
        hours = [(t, v) for (n, t), v in heat if n == network]
        if hours:
            mwh = sum(v * frame.weight_h[t] for t, v in hours)
            found.append(
                Relaxation(
                    f"heat balance, heat network {network}",
                    mwh,
                    "MWh_th/yr",
                    f"heat demand that cannot be met: {mwh:,.0f} MWh_th/yr over {len(hours)} modelled hours (first "
                    f"{data.time[hours[0][0]]:%Y-%m-%d %H:%M}, largest {max(v for _, v in hours):,.0f} MW_th); raise the "
                    "capacity of its heat boilers, heat pumps or CHP plants (max_mw, power_to_heat) or check heat_demand.csv",
                )
            )
    short = [(index, v) for name, index, _, v in values if name == "operating_reserve" and v > 1e-3]
    for region in data.regions:
        hours = [(t, v) for (r, t), v in short if r == region]
        if hours:
            found.append(
                Relaxation(
                    f"operating reserve, region {region}",
                    max(v for _, v in hours),
                    "MW",
                    f"short by up to {_power(max(v for _, v in hours))} in {len(hours)} modelled hours (first "
                    f"{data.time[hours[0][0]]:%Y-%m-%d %H:%M}); raise reserve_fraction or the capacity of reserve providers",
                )
            )
    hourly_margin = data.config.reserves.planning_method == "hourly"
    if hourly_margin and any(name == "planning_reserve" and v > 1e-3 for name, _, _, v in values):
        found += _hourly_margin(frame)
    for name, index, _, v in values:
        if name in ("demand_balance", "heat_balance", "operating_reserve") or v <= 1e-3 or (hourly_margin and name == "planning_reserve"):
            continue
        year = plan.years[index] if isinstance(index, int) else None
        when = f" ({year})" if year is not None and plan.count > 1 else ""
        if name == "carbon_cap":
            cap = pyo.value(frame.m.carbon_cap_t[index])
            found.append(
                Relaxation(
                    f"CO2 cap{when}",
                    v,
                    "tCO2/yr",
                    f"the cap of {_tonnes(cap)}/yr cannot be met; the least emissions the system can reach are "
                    f"{_tonnes(cap + v)}/yr ({_tonnes(v)}/yr above the cap) with the allowed capacities",
                )
            )
        elif name == "nox_cap":
            cap = pyo.value(frame.m.nox_cap_t[index])
            found.append(Relaxation(f"NOx cap{when}", v, "t/yr", f"the cap of {cap:,.0f} t/yr is exceeded by at least {v:,.0f} t/yr"))
        elif name in ("h2_fleet_share_min", "h2_fleet_share_max"):
            found.append(
                Relaxation(f"fleet-wide hydrogen share (hydrogen.fleet){when}", v, "GJ/yr", f"missed by {v:,.0f} GJ/yr of its row")
            )
        elif name == "carbon_budget":
            found.append(Relaxation("CO2 budget", v, "tCO2", f"the budget is short by {_tonnes(v)} over the horizon"))
        elif name == "non_fossil_share_min":
            found.append(
                Relaxation(f"non-fossil share target{when}", v, "MWh/yr", f"short by {v / 1e6:,.1f} TWh/yr of non-fossil generation")
            )
        elif name == "wind_solar_min":
            found.append(Relaxation(f"wind + solar target{when}", v, "MW", f"short by {v / 1e3:,.1f} GW of wind and solar capacity"))
        elif name == "planning_reserve":
            region, p = index
            year = f" ({plan.years[p]})" if plan.count > 1 else ""
            found.append(
                Relaxation(
                    f"planning reserve margin, region {region}{year}",
                    v,
                    "MW",
                    f"firm capacity short by {_power(v)}; allow building firm technologies (max_mw, new_capacity) "
                    "or review capacity_credit and reserves.planning_margin",
                )
            )
        elif name in ("capacity_max", "build_rate_max"):
            tech, p = index
            label = "capacity limit max_mw" if name == "capacity_max" else "build rate limit"
            found.append(Relaxation(f"{label} of {tech} ({plan.years[p]})", v, "MW", f"exceeded by {v / 1e3:,.1f} GW"))
    return found


def _hourly_margin(frame) -> list[Relaxation]:
    """The hourly planning margin's shortfalls at the relaxed solution's capacities, per region and period, at the
    worst hour (every hour held to the margin counts, also those whose row another hour's implies)."""
    data, plan, found, values = frame.data, frame.plan, [], Values(frame)
    for region in data.regions:
        need = np.asarray(frame.demand[region]) * (1 + data.config.reserves.planning_margin)
        gap = np.where(reserves.planning_hours(frame, region), need - values.term(reserves.adequacy_mw(frame, region)), 0.0)
        for p in frame.periods:
            hours = [(t, float(gap[t])) for t in frame.hours_of(p) if gap[t] > 1e-3]
            if not hours:
                continue
            t, worst = max(hours, key=lambda h: h[1])
            year = f" ({plan.years[p]})" if plan.count > 1 else ""
            found.append(
                Relaxation(
                    f"planning reserve margin, region {region}{year}",
                    worst,
                    "MW",
                    f"firm capacity short by {_power(worst)} at {data.time[t]:%Y-%m-%d %H:%M} (short in {len(hours)} modelled "
                    "hours); allow building firm technologies (max_mw, new_capacity) or review capacity_credit and "
                    "reserves.planning_margin",
                )
            )
    return found


def _power(mw: float) -> str:
    return f"{mw / 1e3:,.1f} GW" if abs(mw) >= 1e3 else f"{mw:,.1f} MW"


def _tonnes(t: float) -> str:
    return f"{t / 1e6:,.1f} Mt" if abs(t) >= 1e5 else f"{t:,.1f} t"


def format_diagnosis(found: list[Relaxation] | None) -> str:
    """Text for the user (one line per relaxation)."""
    if found is None:
        return "Diagnosis: the case stays infeasible even with demand, CO2 caps and targets relaxed; check the data (e.g. reservoir minimum levels against inflows)."
    if not found:
        return "Diagnosis: the case is feasible as it is; nothing had to be relaxed."
    lines = ["Diagnosis (the smallest relaxations that make the case solvable):"]
    lines += [f"  - {r}" for r in found]
    return "\n".join(lines)


__all__ = ["Relaxation", "diagnose", "format_diagnosis"]
