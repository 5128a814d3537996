"""Flexible demand: a share of each hour's demand may move to another hour of the same window.

Only with ``flexible_demand`` in the run file. For each flexible region r and hour t (demand d[r,t], MW):
    0 <= shift_down_mw[r,t] <= share * d[r,t]                       (load taken out of hour t)
    0 <= shift_up_mw[r,t]   <= max_added_fraction * d[r,t]          (load added to hour t; default: the share)
    supply terms of r [t] += shift_down_mw[r,t] - shift_up_mw[r,t]   (the balance meets d + up - down)
    demand_shift_window:  sum_{t in w} (shift_up_mw[r,t] - shift_down_mw[r,t]) == 0   for every window w
    cost = sum_r,t w_t * cost_cny_per_mwh * shift_down_mw[r,t]      (CNY/yr: each MWh moved once)
Windows are ``window_h`` consecutive modelled hours from midnight (window_h divides 24, so a window never
leaves its day, and representative days and decomposition weeks hold whole windows); a window's row is
labelled with its last hour. Energy is neutral within each window; nothing is lost in the move.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..errors import InputError, Problem
from .frame import ModelFrame, Output, Values
from .linear import Lin
from .spec import ModuleSpec

SPEC = ModuleSpec()


def flexible_regions(frame: ModelFrame) -> list[str]:
    """The regions whose demand may move (an InputError naming the field for a region the data do not have)."""
    config = frame.config.flexible_demand
    if config is None:
        return []
    regions = list(frame.data.regions)
    if config.regions is None:
        return regions
    unknown = [r for r in config.regions if r not in regions]
    if unknown:
        source = frame.data.sources.get("run_file", "run file")
        raise InputError(
            [Problem(source, "flexible_demand.regions", r, f"not a region of the dataset ({', '.join(regions)})") for r in unknown]
        )
    return list(config.regions)


def window_sums(term: Lin, window_h: int) -> Lin:
    """Row t = the sum of ``term`` over the window of hour t, kept at each window's last hour only (an n-row Lin)."""
    last = np.minimum((np.arange(term.n) // window_h + 1) * window_h - 1, term.n - 1)  # (a short last window: a few hours' case)
    parts = [(v, last[r], p, c) for v, r, p, c in term.parts]
    return Lin(term.n, parts, np.bincount(last, weights=term.const, minlength=term.n))


def build(frame: ModelFrame) -> None:
    regions = flexible_regions(frame)
    if not regions:
        return
    m, config, demand = frame.m, frame.config.flexible_demand, frame.demand
    added = config.share if config.max_added_fraction is None else config.max_added_fraction
    m.flexible_regions = pyo.Set(initialize=regions, ordered=True, doc="regions with flexible demand")
    m.demand_shift_down_mw = pyo.Var(
        m.flexible_regions, m.T, bounds=lambda _, r, t: (0.0, config.share * demand[r][t]), doc="load taken out of the hour, MW"
    )
    m.demand_shift_up_mw = pyo.Var(
        m.flexible_regions, m.T, bounds=lambda _, r, t: (0.0, added * demand[r][t]), doc="load added to the hour, MW"
    )
    hours = np.arange(frame.n_hours)
    window_end = ((hours + 1) % config.window_h == 0) | (hours == frame.n_hours - 1)

    def net_added(r) -> Lin:
        return frame.var(m.demand_shift_up_mw, r) - frame.var(m.demand_shift_down_mw, r)

    frame.add_constraints(
        "demand_shift_window",
        regions,
        lambda r: (window_sums(net_added(r), config.window_h) == 0.0).where(window_end),
        doc="flexible demand is energy-neutral within each window, MWh",
    )
    for r in regions:
        frame.add_supply(r, -net_added(r))
        if config.cost_cny_per_mwh:
            frame.add_hourly_cost("demand_shifting", r, config.cost_cny_per_mwh, frame.var(m.demand_shift_down_mw, r))


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    if not hasattr(m, "flexible_regions"):
        return {}
    regions = list(m.R)
    shift, moved = np.zeros((len(regions), frame.n_hours)), np.zeros((len(regions), len(frame.periods)))
    flexible = [regions.index(r) for r in m.flexible_regions]
    down = values.hourly(m.demand_shift_down_mw, list(m.flexible_regions))
    shift[flexible] = values.hourly(m.demand_shift_up_mw, list(m.flexible_regions)) - down
    moved[flexible] = values.annual(down)
    return {
        "demand_shift_mw": Output(("region", "time"), shift, "MW", "flexible demand moved into (+) or out of (-) the hour"),
        "demand_moved_mwh": Output(("region", "period"), moved, "MWh/yr", "flexible demand moved to another hour"),
    }
