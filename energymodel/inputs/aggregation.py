"""The modelled hours reshaped: repeated for each pathway period, or clustered into representative days."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..periods import expand as expand_periods
from .data import InputData


def with_pathway(data: InputData) -> InputData:
    """Repeat the modelled hours for each period of the run's ``pathway`` (unchanged without one)."""
    pathway = data.config.pathway
    if pathway is None:
        return data
    return expand_periods(data, pathway.periods, pathway.base_year or pathway.periods[0], pathway.demand_growth)


def representative_days(data: InputData, n_days: int) -> InputData:
    """Cluster the days of ``data`` into ``n_days`` typical days (tsam, hierarchical, medoids).

    ``data`` must hold whole consecutive days. Each typical day is the medoid day of its cluster,
    rescaled by tsam so that every series keeps its mean over the range; it is one block, weighted
    by the days it stands for (so the weights keep their total). ``day_sequence`` gives each day's
    typical day, so storage and reservoirs are linked across the days in calendar order.
    """
    try:
        import tsam
    except ImportError as exc:
        raise InputError(
            [
                Problem(
                    "run file", "hours.representative_days", n_days, "needs the optional package tsam: pip install 'energymodel[aggregate]'"
                )
            ]
        ) from exc
    n_hours = len(data.time)
    if n_hours % 24 or len(np.unique(data.block)) != 1 or n_days > n_hours // 24:
        raise InputError(
            [
                Problem(
                    "run file",
                    "hours.representative_days",
                    n_days,
                    f"needs at least that many whole consecutive days (have {n_hours} hours)",
                )
            ]
        )
    parts = {"demand": data.demand_mw, "cf": data.capacity_factor, "inflow": data.inflow_per_mw}
    if not data.heat_demand_mw.empty:
        parts["heat"] = data.heat_demand_mw
    table = pd.concat([p.set_axis(data.time) for p in parts.values()], axis=1, keys=list(parts))
    table.columns = [f"{kind}|{name}" for kind, name in table.columns]
    result = tsam.aggregate(
        table, n_clusters=n_days, period_duration=24, cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid")
    )
    assignments = np.asarray(result.clustering.cluster_assignments, dtype=int)
    centers = np.asarray(result.clustering.cluster_centers, dtype=int)
    order = np.argsort(centers, kind="stable")  # typical days in the calendar order of their medoid day
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    values = pd.DataFrame(
        np.concatenate([result.cluster_representatives.loc[k].to_numpy(dtype=float) for k in order]), columns=table.columns
    )
    counts = np.array([result.cluster_counts[k] for k in order], dtype=float)
    limits = {"demand": (0, None), "cf": (0, 1), "inflow": (0, None), "heat": (0, None)}

    def part(kind):
        frame = pd.DataFrame({name: values[f"{kind}|{name}"].to_numpy() for name in parts[kind].columns}, index=range(len(values)))
        return frame.clip(*limits[kind])

    return dataclasses.replace(
        data,
        time=pd.DatetimeIndex(np.concatenate([data.time[centers[k] * 24 : (centers[k] + 1) * 24] for k in order])),
        weight_h=np.repeat(counts * data.weight_h.sum() / (24 * counts.sum()), 24),
        block=np.repeat(np.arange(len(order)), 24),
        demand_mw=part("demand"),
        capacity_factor=part("cf"),
        inflow_per_mw=part("inflow"),
        heat_demand_mw=part("heat") if "heat" in parts else data.heat_demand_mw,
        day_sequence=rank[assignments],
        day_dates=pd.DatetimeIndex(data.time[::24].normalize()),
    )
