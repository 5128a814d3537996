"""Table schemas (columns of technologies.csv, fuels.csv, lines.csv, hydrogen_supply.csv and regions.csv; settings keys) and value checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem

FAMILIES = ("thermal", "variable_renewable", "reservoir_hydro", "storage", "electrolyser", "h2_storage", "heat_boiler", "heat_pump")
HEAT_ONLY_FAMILIES = ("heat_boiler", "heat_pump")
"""Families that make only heat (capacity and output in MW_th), each for one heat network: fuel-fired boilers and
power-to-heat (electric boilers, large heat pumps)."""


@dataclass(frozen=True)
class Column:
    """One column of technologies.csv: which families need it, its default and its valid range."""

    unit: str
    required_for: tuple[str, ...] = ()
    default: Any = None
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    kind: str = "number"  # number | text | bool


TECHNOLOGY_COLUMNS: dict[str, Column] = {
    "name": Column("-", FAMILIES, kind="text"),
    "region": Column("-", kind="text"),
    "family": Column("-", FAMILIES, kind="text"),
    "fuel": Column("-", ("thermal", "heat_boiler"), kind="text"),
    "h2_blending": Column("-", default=False, kind="bool"),
    "h2_max_vol_fraction": Column("fraction", default=math.nan, lower=0, upper=1),  # blank: the run's hydrogen.blend_vol_fraction
    "existing_mw": Column("MW", default=0.0, lower=0),
    "max_mw": Column("MW", default=math.inf, lower=0),
    "capex_cny_per_kw": Column("CNY/kW", FAMILIES, lower=0),
    "capex_cny_per_kwh": Column("CNY/kWh", default=0.0, lower=0),
    "fixed_om_cny_per_kw_yr": Column("CNY/kW/yr", default=0.0, lower=0),
    "variable_om_cny_per_mwh": Column("CNY/MWh", default=0.0, lower=0),
    "lifetime_yr": Column("yr", FAMILIES, lower=0, lower_open=True),
    "efficiency": Column("fraction", ("thermal", "electrolyser", "heat_boiler"), lower=0, upper=1, lower_open=True),
    "availability": Column("fraction", default=1.0, lower=0, upper=1),
    "energy_to_power_h": Column("h", ("reservoir_hydro",), lower=0, lower_open=True),
    "charge_efficiency": Column("fraction", ("storage", "h2_storage"), lower=0, upper=1, lower_open=True),
    "discharge_efficiency": Column("fraction", ("storage", "h2_storage"), lower=0, upper=1, lower_open=True),
    "min_level_fraction": Column("fraction", default=0.0, lower=0, upper=1),
    "existing_retired_by_yr": Column("yr", default=math.nan, lower=1900, upper=2200),
    # NOx (technologies that burn fuel): kg per GJ of heat input, and its relative rise per unit of hydrogen energy share
    "nox_kg_per_gj": Column("kg/GJ", default=0.0, lower=0),
    "nox_h2_rise_per_energy_share": Column("1", default=0.0, lower=-1),
    # carbon capture (thermal)
    "capture_rate": Column("fraction", default=0.0, lower=0, upper=1),
    "co2_storage_cny_per_t": Column("CNY/tCO2", default=0.0, lower=0),
    "retrofit_of": Column("-", default="", kind="text"),
    # storage sized in power and energy separately
    "min_duration_h": Column("h", default=math.nan, lower=0),
    "max_duration_h": Column("h", default=math.nan, lower=0, lower_open=True),
    # flexible operation (thermal; switched on by the run file's ``operations``)
    "min_load_fraction": Column("fraction", default=0.0, lower=0, upper=1),
    "startup_cny_per_mw": Column("CNY/MW", default=0.0, lower=0),
    "ramp_fraction_per_h": Column("fraction/h", default=math.nan, lower=0, upper=1, lower_open=True),
    "must_run_fraction": Column("fraction", default=0.0, lower=0, upper=1),
    "must_run_months": Column("-", default="", kind="text"),
    # combined heat and power (thermal with power_to_heat), heat boilers and heat pumps, when the dataset has heat_demand.csv
    "power_to_heat": Column("MW/MW_th", default=math.nan, lower=0, lower_open=True),
    "heat_power_loss": Column("MW/MW_th", default=0.15, lower=0, upper=1),
    "heat_network": Column("-", ("heat_pump",), default="heat", kind="text"),
    # power-to-heat (heat_pump: electric boilers ~0.99, large heat pumps ~3): heat out per electricity in
    "cop": Column("MWh_th/MWh_e", ("heat_pump",), lower=0, upper=10, lower_open=True),
    # reserves (switched on by the run file's ``reserves``)
    "reserve_fraction": Column("fraction", default=0.0, lower=0, upper=1),
    "capacity_credit": Column("fraction", default=0.0, lower=0, upper=1),
}

FUEL_COLUMNS: dict[str, Column] = {
    "fuel": Column("-", ("all",), kind="text"),
    "price_cny_per_gj": Column("CNY/GJ", ("all",), lower=0),
    "co2_t_per_gj": Column("tCO2/GJ", ("all",), lower=0),
    "lhv_mj_per_nm3": Column("MJ/Nm3", default=math.nan, lower=0, lower_open=True),
    "lhv_mj_per_kg": Column("MJ/kg", default=math.nan, lower=0, lower_open=True),
}

LINE_COLUMNS: dict[str, Column] = {
    "name": Column("-", ("all",), kind="text"),
    "region_from": Column("-", ("all",), kind="text"),
    "region_to": Column("-", ("all",), kind="text"),
    "existing_mw": Column("MW", default=0.0, lower=0),
    "max_mw": Column("MW", default=math.inf, lower=0),
    "capex_cny_per_kw": Column("CNY/kW", default=0.0, lower=0),
    "fixed_om_cny_per_kw_yr": Column("CNY/kW/yr", default=0.0, lower=0),
    "lifetime_yr": Column("yr", default=40.0, lower=0, lower_open=True),
    "efficiency": Column("fraction", default=1.0, lower=0, upper=1, lower_open=True),
    "length_km": Column("km", default=math.nan, lower=0),
}

H2_KINDS = ("grey", "blue", "green")
"""Kinds of bought hydrogen (hydrogen_supply.csv ``kind``): from unabated fossil fuel, from fossil fuel with capture, from
renewable electricity."""
H2_KIND_AT_FUEL_PRICE = "bought"
"""The kind of the one hydrogen source per region a run has without hydrogen_supply.csv (at the fuel's price)."""

H2_SUPPLY_COLUMNS: dict[str, Column] = {
    "name": Column("-", ("all",), kind="text"),
    "region": Column("-", kind="text"),  # blank: the dataset's one region
    "kind": Column("-", ("all",), kind="text"),
    "price_cny_per_kg": Column("CNY/kg", ("all",), lower=0),  # delivered to the plant
    "co2_kg_per_kg": Column("kgCO2/kg", default=0.0, lower=0),  # CO2 of making it, charged on what is bought
    "max_t_per_yr": Column("t/yr", default=math.inf, lower=0),
    "max_t_per_h": Column("t/h", default=math.inf, lower=0),
}

REGION_COLUMNS: dict[str, Column] = {
    "region": Column("-", ("all",), kind="text"),
    "lat_deg": Column("degrees north", ("all",), lower=-90, upper=90),
    "lon_deg": Column("degrees east", ("all",), lower=-180, upper=180),
}
"""regions.csv (optional): where each region is drawn on a map (a province at its capital, say); the model does not use it."""

SETTINGS_KEYS: dict[str, tuple[str, float | None, float | None]] = {
    # key: (unit, lower, upper)
    "year": ("yr", 1900, 2200),
    "money_base_year": ("yr", 1900, 2200),
    "discount_rate": ("1/yr", 0.0, 1.0),
    "value_of_lost_load_cny_per_mwh": ("CNY/MWh", 0.0, None),
}
SETTINGS_TEXT_KEYS = ("name", "description", "region")
OPTIONAL_SETTINGS = ("value_of_lost_load_cny_per_mwh",)  # null: demand must always be met (no lost load)
DEFAULT_REGION = "system"


def _as_bool(value) -> bool | None:
    """True or False from a bool or a text such as 'yes' or '0'; None if it is neither."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "1.0"}:
        return True
    if text in {"false", "no", "0", "0.0", ""}:
        return False
    return None


def is_blank(value) -> bool:
    """True for None, NaN and empty or whitespace-only text."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def check_number(value, col: Column, file: str, where: str, problems: list[Problem], column: str):
    """Return value as float, or None after recording a problem."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(Problem(file, where, value, f"'{column}' must be a number ({col.unit})"))
        return None
    if math.isnan(number):
        problems.append(Problem(file, where, value, f"'{column}' must be a number ({col.unit}), not NaN"))
        return None
    if col.lower is not None and (number < col.lower or (col.lower_open and number == col.lower)):
        relation = ">" if col.lower_open else ">="
        problems.append(Problem(file, where, value, f"'{column}' must be {relation} {col.lower} {col.unit}"))
        return None
    if col.upper is not None and number > col.upper:
        problems.append(Problem(file, where, value, f"'{column}' must be <= {col.upper} {col.unit}"))
        return None
    return number


def parse_table(frame, columns: dict[str, Column], key: str, family_of, file: str, problems) -> pd.DataFrame:
    """Check columns and types row by row; return a typed frame indexed by ``key``."""
    unknown = [c for c in frame.columns if c not in columns]
    for c in unknown:
        problems.append(Problem(file, f"column '{c}'", None, f"unknown column (expected: {', '.join(columns)})"))
    missing = [c for c, spec in columns.items() if spec.required_for and c not in frame.columns]
    for c in missing:
        if "all" in columns[c].required_for or set(columns[c].required_for) == set(FAMILIES):
            problems.append(Problem(file, f"column '{c}'", None, "required column is missing"))
    if key in missing:
        return pd.DataFrame()

    records = []
    seen = set()
    for i, row in frame.iterrows():
        line = int(i) + 2  # header is line 1
        name = str(row[key]).strip()
        where = f"line {line} ({name or 'unnamed'})"
        if not name:
            problems.append(Problem(file, f"line {line}, column '{key}'", "", "must not be empty"))
            continue
        if name in seen:
            problems.append(Problem(file, where, name, f"duplicate {key}"))
            continue
        seen.add(name)
        family = family_of(row, where)
        record = {key: name}
        for column, spec in columns.items():
            if column == key:
                continue
            raw = row[column] if column in frame.columns else ""
            needed = "all" in spec.required_for or family in spec.required_for
            if is_blank(raw):
                if needed and column not in frame.columns and family in spec.required_for and set(spec.required_for) != set(FAMILIES):
                    problems.append(
                        Problem(
                            file,
                            f"{where}, column '{column}'",
                            None,
                            f"column is missing; required for {family} technologies ({spec.unit})",
                        )
                    )
                elif needed and column in frame.columns:
                    problems.append(Problem(file, f"{where}, column '{column}'", "", f"required ({spec.unit})"))
                record[column] = spec.default
            elif spec.kind == "text":
                record[column] = str(raw).strip()
            elif spec.kind == "bool":
                flag = _as_bool(raw)
                if flag is None:
                    problems.append(Problem(file, f"{where}, column '{column}'", raw, "must be true or false"))
                record[column] = bool(flag)
            else:
                record[column] = check_number(raw, spec, file, f"{where}, column '{column}'", problems, column)
        records.append(record)
    return pd.DataFrame.from_records(records).set_index(key) if records else pd.DataFrame()
