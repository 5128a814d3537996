"""Dataset loading and validation: files -> checked, indexed input data.

A dataset is a folder holding ``settings.yaml``, ``technologies.csv``, ``fuels.csv``, the hourly
series ``demand.csv``, ``capacity_factors.csv`` and ``hydro_inflow.csv``, optionally ``heat_demand.csv``
``hydrogen_supply.csv`` and ``regions.csv`` (positions for maps), and, for several regions, ``lines.csv`` (see docs/inputs.md).

Regions: a dataset without a ``region`` column in technologies.csv has one region (named by the
``region`` setting, default ``system``). With the column, each row is one technology in one region;
its id is ``region.name`` and series columns use that id; demand.csv has one column per region.
Every check runs and every problem is collected, so a user sees all of them at once
(file, row/column, value, why) in one :class:`~energymodel.errors.InputError`.

Modules: ``schema`` (columns and value checks), ``tables`` (settings and CSV tables), ``series``
(hourly series and modelled hours), ``aggregation`` (pathway periods, representative days),
``builder`` (in-memory inputs), ``data`` (:class:`InputData`); :func:`load_inputs` is here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..config import RunConfig
from ..errors import InputError, Problem
from .aggregation import representative_days, with_pathway
from .builder import inputs_from_tables
from .data import InputData
from .schema import (
    DEFAULT_REGION,
    FAMILIES,
    FUEL_COLUMNS,
    H2_KINDS,
    H2_SUPPLY_COLUMNS,
    LINE_COLUMNS,
    OPTIONAL_SETTINGS,
    REGION_COLUMNS,
    SETTINGS_KEYS,
    SETTINGS_TEXT_KEYS,
    TECHNOLOGY_COLUMNS,
    Column,
)
from .series import blocks, load_heat_demand, load_series, select_hours, year_index
from .tables import (
    check_blend_limit_names,
    check_fuel_links,
    load_fuels,
    load_hydrogen_supply,
    load_lines,
    load_regions,
    load_settings,
    load_technologies,
    parse_months,
    retrofit_base,
)

__all__ = [
    "DEFAULT_REGION",
    "FAMILIES",
    "FUEL_COLUMNS",
    "H2_KINDS",
    "H2_SUPPLY_COLUMNS",
    "LINE_COLUMNS",
    "OPTIONAL_SETTINGS",
    "REGION_COLUMNS",
    "SETTINGS_KEYS",
    "SETTINGS_TEXT_KEYS",
    "TECHNOLOGY_COLUMNS",
    "Column",
    "InputData",
    "inputs_from_tables",
    "load_inputs",
    "parse_months",
    "representative_days",
    "retrofit_base",
    "with_pathway",
]


def load_inputs(config: RunConfig, run_file: str = "run file") -> InputData:
    """Load and validate the dataset named by ``config``; raise InputError listing every problem."""
    problems: list[Problem] = []
    folder = Path(config.dataset)
    if not folder.is_dir():
        raise InputError([Problem(run_file, "dataset", str(folder), "dataset folder not found")])

    settings = load_settings(folder, config.overrides.settings, run_file, problems)
    default_region = str(settings.get("region") or DEFAULT_REGION)
    techs = load_technologies(folder, config, default_region, run_file, problems)
    fuels = load_fuels(folder, config, run_file, problems)
    check_fuel_links(techs, fuels, config, folder, problems)
    check_blend_limit_names(techs, config, run_file, problems)

    year = settings.get("year")
    if isinstance(year, float) and not year.is_integer():
        problems.append(Problem(str(folder / "settings.yaml"), "year", year, "must be a whole year"))
    year = int(year) if isinstance(year, float) and year.is_integer() else None
    names = (lambda fam: list(techs.index[techs["family"] == fam])) if not techs.empty else (lambda fam: [])
    regional = not techs.empty and bool((techs.index != techs["technology"]).any())
    demand = load_series(folder / "demand.csv", None if regional else ["demand_mw"], year, 0.0, None, problems)
    if demand is not None and not regional:
        demand = demand.rename(columns={"demand_mw": default_region})
    regions = list(demand.columns) if demand is not None else []
    if demand is not None and not techs.empty:
        for g, region in techs["region"].items():
            if region not in regions:
                problems.append(
                    Problem(
                        str(folder / "technologies.csv"),
                        f"{g}, column 'region'",
                        region,
                        f"region has no demand column in demand.csv (has: {', '.join(regions)})",
                    )
                )
    lines = load_lines(folder, config, regions, run_file, problems) if regions else pd.DataFrame()
    hydrogen_supply = load_hydrogen_supply(folder, config, regions, default_region, run_file, problems) if regions else pd.DataFrame()
    positions = load_regions(folder, regions, problems) if regions else pd.DataFrame()
    cf = load_series(folder / "capacity_factors.csv", names("variable_renewable"), year, 0.0, 1.0, problems)
    inflow = load_series(folder / "hydro_inflow.csv", names("reservoir_hydro"), year, 0.0, None, problems)
    heat = load_heat_demand(folder, techs, year, problems)
    mask = select_hours(year_index(year), config, run_file, problems) if year is not None else None

    days = config.hours.representative_days
    if days is not None and mask is not None and days > mask.sum() // 24:
        problems.append(Problem(run_file, "hours.representative_days", days, f"more than the {mask.sum() // 24} days selected"))
    if problems:
        raise InputError(problems)

    index = year_index(year)[mask]
    data = InputData(
        config=config,
        settings=settings,
        technologies=techs,
        fuels=fuels,
        lines=lines,
        hydrogen_supply=hydrogen_supply,
        region_positions=positions,
        sources={"dataset": str(folder), "run_file": run_file},
        time=index,
        weight_h=np.full(len(index), mask.size / mask.sum()),
        block=blocks(index),
        demand_mw=demand[mask].reset_index(drop=True),
        peak_demand_mw=demand.max().to_frame().T.reset_index(drop=True),
        capacity_factor=cf[mask].reset_index(drop=True),
        inflow_per_mw=inflow[mask].reset_index(drop=True),
        heat_demand_mw=heat[mask].reset_index(drop=True) if not heat.empty else heat,
    )
    if days is not None:
        data = representative_days(data, days)
    return with_pathway(data)
