"""Energy levels shared by storage and reservoir hydro: the level balance and its bounds.

Chronological hours (the default): levels are cyclic within each block of consecutive hours,
    level[s,t] = level[s,prev(t)] + gain[s,t] * dt,      min_fraction[s] * E[s] <= level[s,t] <= E[s]

Representative days (``hours.representative_days``): each typical day k is a block, and the level
inside it is tracked relative to the day's start (Kotzur et al. 2018, "inter-period" storage):
    level[s,t] = (level[s,t-1] if t is not the day's first hour else 0) + gain[s,t] * dt   (free sign)
    low[s,k] <= level[s,t] <= high[s,k]                      for the hours t of typical day k
and a start level for every day d of the range, in calendar order, cyclic over the range:
    start[s,d+1] = start[s,d] + level[s, last hour of k(d)]
    start[s,d] + high[s,k(d)] <= E[s],   start[s,d] + low[s,k(d)] >= min_fraction[s] * E[s]
so seasonal storage (reservoirs) keeps its year-long arc. With one typical day per day this is
exactly the chronological model.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values


def add_levels(frame: ModelFrame, name: str, techs, level: pyo.Var, gain: Callable, energy_mwh: Callable, min_fraction: Callable) -> None:
    """Constrain ``level[s,t]`` (MWh) by its balance and bounds; components are named after ``name``.

    ``gain(s)`` is the net inflow to the level in each hour (MW, a Lin over the hours); ``energy_mwh(s, p)``
    the energy capacity in period p (MWh, a Pyomo expression); ``min_fraction(s)`` the minimum level as a share of it.
    """
    m, dt, prev = frame.m, frame.duration_h, frame.prev
    techs = list(techs)
    sequence = frame.data.day_sequence
    if sequence is None:
        frame.add_constraints(
            f"{name}_balance",
            techs,
            lambda s: frame.var(level, s) == frame.var(level, s).take(prev) + gain(s) * dt,
            doc=f"{name} level balance, MWh",
        )
        energy = {s: frame.in_force(lambda p, s=s: energy_mwh(s, p)) for s in techs}
        frame.add_constraints(f"{name}_level_max", techs, lambda s: frame.var(level, s) <= energy[s], doc=f"{name} level limit, MWh")
        frame.add_constraints(
            f"{name}_level_min",
            techs,
            lambda s: frame.var(level, s) >= energy[s] * min_fraction(s) if min_fraction(s) > 0 else None,
            doc=f"{name} minimum level, MWh",
        )
        return

    block = frame.data.block
    first = prev > np.arange(len(prev))  # the day's first hour: its "previous hour" wraps to the day's end
    last = {k: int(np.flatnonzero(block == k)[-1]) for k in np.unique(block)}
    days = range(len(sequence))
    for v in level.values():
        v.setlb(None)  # relative to the day's start level
    frame.add_constraints(
        f"{name}_balance",
        techs,
        lambda s: frame.var(level, s) == frame.var(level, s).take(prev) * (~first) + gain(s) * dt,
        doc=f"{name} level balance within each typical day, MWh",
    )
    high = pyo.Var(techs, sorted(last), doc=f"{name}: highest level within each typical day, relative to its start, MWh")
    low = pyo.Var(techs, sorted(last), doc=f"{name}: lowest level within each typical day, relative to its start, MWh")
    start = pyo.Var(techs, days, bounds=(0, None), doc=f"{name}: level at the start of each day of the range, MWh")
    setattr(m, f"{name}_within_day_high", high)
    setattr(m, f"{name}_within_day_low", low)
    setattr(m, f"{name}_day_start_mwh", start)
    frame.add_constraints(f"{name}_high_bound", techs, lambda s: frame.var(level, s) <= frame.var_at(high, [(s, int(k)) for k in block]))
    frame.add_constraints(f"{name}_low_bound", techs, lambda s: frame.var(level, s) >= frame.var_at(low, [(s, int(k)) for k in block]))
    day_period = frame.data.day_period if frame.data.day_period is not None else np.zeros(len(sequence), dtype=int)
    following = _next_day(day_period)
    setattr(
        m,
        f"{name}_day_link",
        pyo.Constraint(techs, days, rule=lambda _, s, d: start[s, following[d]] == start[s, d] + level[s, last[int(sequence[d])]]),
    )
    setattr(
        m,
        f"{name}_level_max",
        pyo.Constraint(techs, days, rule=lambda _, s, d: start[s, d] + high[s, int(sequence[d])] <= energy_mwh(s, int(day_period[d]))),
    )
    setattr(
        m,
        f"{name}_level_min",
        pyo.Constraint(
            techs, days, rule=lambda _, s, d: start[s, d] + low[s, int(sequence[d])] >= min_fraction(s) * energy_mwh(s, int(day_period[d]))
        ),
    )


def _next_day(day_period: np.ndarray) -> np.ndarray:
    """The day after each day, wrapping to the first day of the same period (levels are cyclic per period)."""
    following = np.arange(1, len(day_period) + 1)
    for p in np.unique(day_period):
        days = np.flatnonzero(day_period == p)
        following[days[-1]] = days[0]
    return following


def report_levels(frame: ModelFrame, values: Values, name: str, techs: list[str], level: pyo.Var) -> dict:
    """The level at the end of each modelled hour (MWh) and, with representative days, each day's start level.

    With representative days the hourly level shown for a typical day is the one on its own
    (medoid) calendar day: that day's start level plus the level within the day.
    """
    hourly = values.hourly(level, techs)
    sequence = frame.data.day_sequence
    if sequence is None:
        return {
            "storage_level_mwh": Output(("technology", "time"), hourly, "MWh", "storage or reservoir level at the end of the hour", techs)
        }
    start = getattr(frame.m, f"{name}_day_start_mwh")
    starts = np.array([[values.scalar(start[s, d]) for d in range(len(sequence))] for s in techs]).reshape(len(techs), len(sequence))
    data = frame.data
    day_period = data.day_period if data.day_period is not None else np.zeros(len(sequence), dtype=int)
    days_per_period = len(sequence) // (int(day_period.max()) + 1)
    own_day = np.searchsorted(data.day_dates[:days_per_period].values, data.time.normalize().values)  # calendar day of each hour
    own_day = own_day + frame.period_of * days_per_period
    return {
        "storage_level_mwh": Output(
            ("technology", "time"), hourly + starts[:, own_day], "MWh", "storage or reservoir level at the end of the hour", techs
        ),
        "day_start_level_mwh": Output(
            ("technology", "day"),
            starts,
            "MWh",
            "storage or reservoir level at the start of each day of the range (representative days)",
            techs,
        ),
    }
