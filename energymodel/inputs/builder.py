"""InputData built in memory from rows and series, without files (small studies and tests)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..config import RunConfig
from .data import InputData
from .schema import DEFAULT_REGION, FUEL_COLUMNS, H2_SUPPLY_COLUMNS, LINE_COLUMNS, TECHNOLOGY_COLUMNS
from .series import blocks


def inputs_from_tables(
    config: RunConfig,
    settings: dict[str, Any],
    technologies: list[dict[str, Any]],
    fuels: list[dict[str, Any]],
    demand_mw,
    capacity_factor: dict[str, Any] | None = None,
    inflow_per_mw: dict[str, Any] | None = None,
    start: str = "2030-01-01 00:00",
    weight_h=None,
    lines: list[dict[str, Any]] | None = None,
    heat_demand_mw: dict[str, Any] | None = None,
    hydrogen_supply: list[dict[str, Any]] | None = None,
    region_positions: dict[str, tuple[float, float]] | None = None,
) -> InputData:
    """Build inputs in memory (for small studies and tests): rows as dicts, columns as in the files.

    ``demand_mw`` is one series (one region, named by ``settings['region']`` or 'system') or a dict
    region -> series; technologies then name their ``region`` and are keyed ``region.name``, as are
    the series. Missing optional columns take their defaults; ``weight_h`` defaults to 1 h per
    modelled hour. Hours are consecutive from ``start`` (one block, so storage is cyclic over them).
    ``heat_demand_mw`` maps heat networks (``region.network`` with regions) to MW_th series; ``hydrogen_supply`` rows
    are as in hydrogen_supply.csv (``region`` defaults to the one region); ``region_positions`` maps regions to
    (lat_deg, lon_deg), as regions.csv does.
    """
    default_region = str(settings.get("region") or DEFAULT_REGION)
    regional = isinstance(demand_mw, dict)
    rows = []
    for row in technologies:
        record = {c: row.get(c, spec.default) for c, spec in TECHNOLOGY_COLUMNS.items()}
        record["technology"] = row["name"]
        record["region"] = row.get("region") or default_region
        record["name"] = f"{record['region']}.{row['name']}" if regional else row["name"]
        rows.append(record)
    techs = pd.DataFrame(rows).set_index("name")
    fuel_frame = pd.DataFrame([{c: row.get(c, spec.default) for c, spec in FUEL_COLUMNS.items()} for row in fuels]).set_index("fuel")
    demand = (
        pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in demand_mw.items()})
        if regional
        else pd.DataFrame({default_region: np.asarray(demand_mw, dtype=float)})
    )
    n = len(demand)
    line_frame = (
        pd.DataFrame([{c: row.get(c, spec.default) for c, spec in LINE_COLUMNS.items()} for row in lines]).set_index("name")
        if lines
        else pd.DataFrame()
    )
    supply_frame = (
        pd.DataFrame([{c: row.get(c, spec.default) for c, spec in H2_SUPPLY_COLUMNS.items()} for row in hydrogen_supply]).set_index("name")
        if hydrogen_supply
        else pd.DataFrame()
    )
    if not supply_frame.empty:
        supply_frame["region"] = supply_frame["region"].fillna(default_region)
    time = pd.date_range(start, periods=n, freq="h")
    weight = np.ones(n) if weight_h is None else np.broadcast_to(np.asarray(weight_h, dtype=float), (n,)).copy()
    return InputData(
        config=config,
        settings=settings,
        technologies=techs,
        fuels=fuel_frame,
        time=time,
        weight_h=weight,
        block=blocks(time),
        demand_mw=demand,
        capacity_factor=pd.DataFrame(capacity_factor or {}, index=range(n)),
        inflow_per_mw=pd.DataFrame(inflow_per_mw or {}, index=range(n)),
        lines=line_frame,
        hydrogen_supply=supply_frame,
        region_positions=pd.DataFrame.from_dict(region_positions or {}, orient="index", columns=["lat_deg", "lon_deg"]),
        heat_demand_mw=pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in heat_demand_mw.items()})
        if heat_demand_mw
        else pd.DataFrame(),
    )
