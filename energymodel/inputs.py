"""Dataset loading and validation: files -> checked, indexed input data.

A dataset is a folder holding ``settings.yaml``, ``technologies.csv``, ``fuels.csv``, the hourly
series ``demand.csv``, ``capacity_factors.csv`` and ``hydro_inflow.csv`` and, for several regions,
``lines.csv`` (see docs/inputs.md).

Regions: a dataset without a ``region`` column in technologies.csv has one region (named by the
``region`` setting, default ``system``). With the column, each row is one technology in one region;
its id is ``region.name`` and series columns use that id; demand.csv has one column per region.
Every check runs and every problem is collected, so a user sees all of them at once
(file, row/column, value, why) in one :class:`~energymodel.errors.InputError`.
"""

from __future__ import annotations

import calendar
import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .config import RunConfig
from .errors import InputError, Problem
from .periods import PeriodPlan, single_year
from .periods import expand as expand_periods

FAMILIES = ("thermal", "variable_renewable", "reservoir_hydro", "storage", "electrolyser", "h2_storage")


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
    "fuel": Column("-", ("thermal",), kind="text"),
    "h2_blending": Column("-", default=False, kind="bool"),
    "existing_mw": Column("MW", default=0.0, lower=0),
    "max_mw": Column("MW", default=math.inf, lower=0),
    "capex_cny_per_kw": Column("CNY/kW", FAMILIES, lower=0),
    "capex_cny_per_kwh": Column("CNY/kWh", default=0.0, lower=0),
    "fixed_om_cny_per_kw_yr": Column("CNY/kW/yr", default=0.0, lower=0),
    "variable_om_cny_per_mwh": Column("CNY/MWh", default=0.0, lower=0),
    "lifetime_yr": Column("yr", FAMILIES, lower=0, lower_open=True),
    "efficiency": Column("fraction", ("thermal", "electrolyser"), lower=0, upper=1, lower_open=True),
    "availability": Column("fraction", default=1.0, lower=0, upper=1),
    "energy_to_power_h": Column("h", ("reservoir_hydro",), lower=0, lower_open=True),
    "charge_efficiency": Column("fraction", ("storage", "h2_storage"), lower=0, upper=1, lower_open=True),
    "discharge_efficiency": Column("fraction", ("storage", "h2_storage"), lower=0, upper=1, lower_open=True),
    "min_level_fraction": Column("fraction", default=0.0, lower=0, upper=1),
    "existing_retired_by_yr": Column("yr", default=math.nan, lower=1900, upper=2200),
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

SETTINGS_KEYS: dict[str, tuple[str, float | None, float | None]] = {
    # key: (unit, lower, upper)
    "year": ("yr", 1900, 2200),
    "money_base_year": ("yr", 1900, 2200),
    "discount_rate": ("1/yr", 0.0, 1.0),
    "value_of_lost_load_cny_per_mwh": ("CNY/MWh", 0.0, None),
}
SETTINGS_TEXT_KEYS = ("name", "description", "region")
DEFAULT_REGION = "system"

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
OPTIONAL_SETTINGS = ("value_of_lost_load_cny_per_mwh",)  # null: demand must always be met (no lost load)

SERIES_FILES = {
    "demand.csv": "demand",
    "capacity_factors.csv": "variable_renewable",
    "hydro_inflow.csv": "reservoir_hydro",
}


@dataclass
class InputData:
    """Validated inputs for one run, restricted to the selected hours.

    Arrays along time have one entry per modelled hour. ``weight_h`` is how many hours of the
    year each modelled hour stands for (they sum to the hours in the year). ``block`` numbers
    runs of consecutive hours; storage and reservoir levels are cyclic within each block.
    """

    config: RunConfig
    settings: dict[str, Any]
    technologies: pd.DataFrame  # index: technology id (name, or region.name with regions); columns incl. region, technology
    fuels: pd.DataFrame  # index: fuel name
    time: pd.DatetimeIndex
    weight_h: np.ndarray
    block: np.ndarray
    demand_mw: pd.DataFrame  # columns: regions (MW)
    capacity_factor: pd.DataFrame  # columns: variable_renewable technology ids
    inflow_per_mw: pd.DataFrame  # columns: reservoir_hydro technology ids (MWh/h per MW of turbine)
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)  # index: line name (transmission corridors)
    day_sequence: np.ndarray | None = None  # representative days: the typical day (block) of each day of the range
    day_dates: pd.DatetimeIndex | None = None  # representative days: the dates of the range, one per day_sequence entry
    day_period: np.ndarray | None = None  # representative days in a pathway: the period of each day_sequence entry
    periods: PeriodPlan | None = None  # a pathway's investment periods (None: one modelled year)
    sources: dict[str, str] = field(default_factory=dict)
    peak_demand_mw: pd.DataFrame | None = None  # the dataset's full-year peak per region (columns), one row per period; None: peak of the modelled hours

    def names(self, family: str) -> list[str]:
        """Technology ids of one family that can have capacity, in file order.

        A technology with no existing capacity and ``max_mw = 0`` is switched off: it stays in the
        results (with zero capacity) but adds nothing to the LP.
        """
        t = self.technologies
        usable = (t["max_mw"] > 0) | (t["existing_mw"] > 0)
        return list(t.index[(t["family"] == family) & usable])

    def period_plan(self) -> PeriodPlan:
        """The investment periods: the pathway's, or the one modelled year."""
        return self.periods or single_year(self.technologies, int(self.settings.get("year", 2030)), len(self.time))

    @property
    def regions(self) -> list[str]:
        """Region names, in the order of demand.csv's columns."""
        return list(self.demand_mw.columns)

    @property
    def blending_technologies(self) -> list[str]:
        """Thermal technologies that burn a hydrogen blend."""
        t = self.technologies
        return list(t.index[(t["family"] == "thermal") & t["h2_blending"].astype(bool)])


# --------------------------------------------------------------------------- helpers


def _as_bool(value) -> bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "1.0"}:
        return True
    if text in {"false", "no", "0", "0.0", ""}:
        return False
    return None


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _check_number(value, col: Column, file: str, where: str, problems: list[Problem], column: str):
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


def _read_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(Problem(str(path), "", None, "file not found"))
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), "", None, f"cannot be read as CSV: {exc}"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _apply_overrides(frame: pd.DataFrame, key: str, section: str, overrides: dict[str, dict], columns, run_file, problems, aliases=None):
    """Write the run's overrides into the raw table; ``aliases`` (per row) is a second name that matches."""
    for name, changes in overrides.items():
        match = frame[key] == name
        if aliases is not None:
            match |= aliases == name
        hits = frame.index[match]
        if len(hits) == 0:
            known = ", ".join(frame[key])
            problems.append(Problem(run_file, f"overrides.{section}.{name}", name, f"unknown {key} (known: {known})"))
            continue
        for column, value in changes.items():
            if column not in columns or column == key:
                problems.append(
                    Problem(run_file, f"overrides.{section}.{name}.{column}", value, "not an overridable column")
                )
                continue
            frame.loc[hits, column] = "" if value is None else str(value)


def _parse_table(frame, columns: dict[str, Column], key: str, family_of, file: str, problems) -> pd.DataFrame:
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
            if _is_blank(raw):
                if needed and column not in frame.columns and family in spec.required_for and set(spec.required_for) != set(FAMILIES):
                    problems.append(Problem(file, f"{where}, column '{column}'", None, f"column is missing; required for {family} technologies ({spec.unit})"))
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
                record[column] = _check_number(raw, spec, file, f"{where}, column '{column}'", problems, column)
        records.append(record)
    return pd.DataFrame.from_records(records).set_index(key) if records else pd.DataFrame()


# --------------------------------------------------------------------------- tables


def _load_settings(folder: Path, overrides: dict, run_file: str, problems) -> dict[str, Any]:
    path = folder / "settings.yaml"
    if not path.is_file():
        problems.append(Problem(str(path), "", None, "file not found"))
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(str(path), "", None, f"not valid YAML: {exc}"))
        return {}
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), f"byte {exc.start}", None, "not UTF-8 text"))
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), "", None, "must be a YAML mapping"))
        return {}
    settings = dict(raw)
    for key, value in overrides.items():
        if key not in SETTINGS_KEYS and key not in SETTINGS_TEXT_KEYS:
            problems.append(Problem(run_file, f"overrides.settings.{key}", value, "unknown setting"))
        settings[key] = value
    for key in settings:
        if key not in SETTINGS_KEYS and key not in SETTINGS_TEXT_KEYS:
            problems.append(Problem(str(path), key, settings[key], f"unknown setting (known: {', '.join(SETTINGS_KEYS)})"))
    for key, (unit, lower, upper) in SETTINGS_KEYS.items():
        if key not in settings:
            problems.append(Problem(str(path), key, None, f"required setting is missing ({unit})"))
            continue
        if key in OPTIONAL_SETTINGS and settings[key] is None:
            continue
        col = Column(unit, lower=lower, upper=upper)
        settings[key] = _check_number(settings[key], col, str(path), key, problems, key)
    return settings


def _load_table(path: Path, key: str, section: str, overrides: dict, columns, family_of, run_file, problems, prepare=None) -> pd.DataFrame:
    """Read a table, apply the run's overrides for it, then check and type every row.

    ``prepare(frame)`` may rewrite the raw table first and return per-row aliases for overrides.
    """
    frame = _read_csv(path, problems)
    if frame is None:
        return pd.DataFrame()
    aliases = prepare(frame) if prepare is not None else None
    if key in frame.columns:
        _apply_overrides(frame, key, section, overrides, columns, run_file, problems, aliases)
    return _parse_table(frame, columns, key, family_of, str(path), problems)


def _load_technologies(folder, config: RunConfig, default_region: str, run_file, problems) -> pd.DataFrame:
    """technologies.csv, indexed by id: the name, or ``region.name`` when the file has a region column."""
    path = folder / "technologies.csv"
    plain_names: dict[str, str] = {}

    def family_of(row, where):
        family = str(row.get("family", "")).strip()
        if family not in FAMILIES:
            problems.append(Problem(str(path), f"{where}, column 'family'", family, f"unknown family (use one of: {', '.join(FAMILIES)})"))
        return family

    def prepare(frame):
        if "name" not in frame.columns:
            return None
        plain = frame["name"].str.strip()
        if "region" in frame.columns:
            regions = frame["region"].str.strip()
            for i, region in regions.items():
                if not region or "." in region:
                    problems.append(Problem(str(path), f"line {int(i) + 2}, column 'region'", region, "must be a non-empty name without '.'"))
            frame["name"] = regions + "." + plain
        plain_names.update(zip(frame["name"].str.strip(), plain))
        return plain

    techs = _load_table(path, "name", "technologies", config.overrides.technologies, TECHNOLOGY_COLUMNS, family_of, run_file, problems, prepare)
    if techs.empty:
        if not problems:
            problems.append(Problem(str(path), "", None, "no technologies defined"))
        return techs
    techs["technology"] = [plain_names.get(g, g) for g in techs.index]
    techs["region"] = [r if r else default_region for r in techs["region"].fillna("")]
    for name, row in techs.iterrows():
        if row["max_mw"] is not None and row["existing_mw"] is not None and row["max_mw"] < row["existing_mw"]:
            problems.append(Problem(str(path), f"{name}, column 'max_mw'", row["max_mw"], f"below existing_mw ({row['existing_mw']})"))
        if row["h2_blending"] and row["family"] != "thermal":
            problems.append(Problem(str(path), f"{name}, column 'h2_blending'", True, "only thermal technologies can blend hydrogen"))
        if row["family"] in ("reservoir_hydro", "storage", "h2_storage") and row["min_level_fraction"] is not None and row["min_level_fraction"] >= 1:
            problems.append(Problem(str(path), f"{name}, column 'min_level_fraction'", row["min_level_fraction"], "must be < 1"))
        _check_operating_columns(techs, name, row, str(path), problems)
    for tech, group in techs.groupby("technology", sort=False):
        if group["family"].nunique() > 1:
            problems.append(Problem(str(path), f"{tech}, column 'family'", ", ".join(group["family"]), "one technology must have the same family in every region"))
    return techs


def retrofit_base(techs: pd.DataFrame, name: str) -> str | None:
    """Id of the plant that technology ``name`` retrofits (same region), or None."""
    base = techs.at[name, "retrofit_of"]
    if _is_blank(base):
        return None
    qualified = f"{techs.at[name, 'region']}.{base}"
    return qualified if qualified in techs.index else (base if base in techs.index else None)


def parse_months(text) -> list[int]:
    """Months named in ``must_run_months``: '11,12,1,2,3' or a range '11-3' (wrapping the year end)."""
    text = "" if _is_blank(text) else str(text).strip()
    months: list[int] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        first, _, last = part.partition("-")
        a, b = int(first), int(last or first)  # ValueError for anything but whole numbers
        if not (1 <= a <= 12 and 1 <= b <= 12):
            raise ValueError(part)
        months += list(range(a, b + 1)) if a <= b else list(range(a, 13)) + list(range(1, b + 1))
    return sorted(set(months))


def _check_operating_columns(techs: pd.DataFrame, name: str, row, file: str, problems) -> None:
    """Carbon capture, retrofits, storage durations and flexible-operation columns that need more than a range check."""
    family = row["family"]
    if (row["capture_rate"] or 0) > 0 and family != "thermal":
        problems.append(Problem(file, f"{name}, column 'capture_rate'", row["capture_rate"], "only thermal technologies can capture CO2"))
    if not _is_blank(row["retrofit_of"]):
        base = retrofit_base(techs, name)
        if base is None or base == name:
            problems.append(Problem(file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "must name another technology (in the same region)"))
        elif techs.at[base, "family"] != "thermal" or family != "thermal":
            problems.append(Problem(file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "only thermal plants can be retrofitted, into thermal plants"))
        elif not _is_blank(techs.at[base, "retrofit_of"]):
            problems.append(Problem(file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "cannot retrofit a retrofit"))
    lo, hi = row["min_duration_h"], row["max_duration_h"]
    if (not _is_blank(lo) or not _is_blank(hi)) and family not in ("storage", "h2_storage"):
        problems.append(Problem(file, f"{name}, column 'min_duration_h'/'max_duration_h'", lo if not _is_blank(lo) else hi, "only storage has durations"))
    elif not _is_blank(lo) and not _is_blank(hi) and lo > hi:
        problems.append(Problem(file, f"{name}, column 'max_duration_h'", hi, f"below min_duration_h ({lo})"))
    elif (not _is_blank(lo) or not _is_blank(hi)) and not _is_blank(row["energy_to_power_h"]):
        problems.append(Problem(file, f"{name}, column 'energy_to_power_h'", row["energy_to_power_h"], "give either a fixed energy_to_power_h or min/max_duration_h, not both"))
    for column in ("min_load_fraction", "startup_cny_per_mw", "ramp_fraction_per_h", "must_run_fraction"):
        value = row[column]
        if family != "thermal" and not _is_blank(value) and value != 0:
            problems.append(Problem(file, f"{name}, column '{column}'", value, "only thermal technologies have operating limits"))
    try:
        months = parse_months(row["must_run_months"])
    except ValueError:
        problems.append(Problem(file, f"{name}, column 'must_run_months'", row["must_run_months"], "months 1-12 as a list '11,12,1' or a range '11-3'"))
        return
    if (row["must_run_fraction"] or 0) > 0 and not months:
        problems.append(Problem(file, f"{name}, column 'must_run_months'", "", "must_run_fraction needs the months it applies in"))
    if (row["must_run_fraction"] or 0) > (row["availability"] if row["availability"] is not None else 1.0):
        problems.append(Problem(file, f"{name}, column 'must_run_fraction'", row["must_run_fraction"], f"above availability ({row['availability']})"))


def _load_lines(folder: Path, config: RunConfig, regions: list[str], run_file, problems) -> pd.DataFrame:
    """lines.csv (optional): transmission corridors between regions."""
    path = folder / "lines.csv"
    if not path.is_file():
        if config.overrides.lines:
            problems.append(Problem(run_file, "overrides.lines", None, f"the dataset has no lines.csv ({path})"))
        return pd.DataFrame()
    lines = _load_table(path, "name", "lines", config.overrides.lines, LINE_COLUMNS, lambda row, where: "all", run_file, problems)
    for name, row in lines.iterrows():
        for end in ("region_from", "region_to"):
            if row[end] not in regions:
                problems.append(Problem(str(path), f"{name}, column '{end}'", row[end], f"unknown region (demand.csv has: {', '.join(regions)})"))
        if row["region_from"] == row["region_to"]:
            problems.append(Problem(str(path), f"{name}, column 'region_to'", row["region_to"], "a line must join two different regions"))
        if row["max_mw"] is not None and row["existing_mw"] is not None and row["max_mw"] < row["existing_mw"]:
            problems.append(Problem(str(path), f"{name}, column 'max_mw'", row["max_mw"], f"below existing_mw ({row['existing_mw']})"))
    return lines


def _load_fuels(folder, config: RunConfig, run_file, problems) -> pd.DataFrame:
    return _load_table(folder / "fuels.csv", "fuel", "fuels", config.overrides.fuels, FUEL_COLUMNS, lambda row, where: "all", run_file, problems)


def _check_fuel_links(techs: pd.DataFrame, fuels: pd.DataFrame, config: RunConfig, folder: Path, problems):
    """Every thermal fuel exists; blending needs both fuels' heating values per Nm3."""
    if techs.empty or fuels.empty:
        return
    tech_file = str(folder / "technologies.csv")
    fuel_file = str(folder / "fuels.csv")
    for name, row in techs[techs["family"] == "thermal"].iterrows():
        if row["fuel"] and row["fuel"] not in fuels.index:
            problems.append(Problem(tech_file, f"{name}, column 'fuel'", row["fuel"], f"unknown fuel (fuels.csv has: {', '.join(fuels.index)})"))
    blending = techs[(techs["family"] == "thermal") & techs["h2_blending"].astype(bool)]
    if blending.empty and not techs["family"].isin(["electrolyser", "h2_storage"]).any():
        return
    h2 = config.hydrogen.fuel
    if h2 not in fuels.index:
        problems.append(Problem(fuel_file, f"fuel '{h2}'", None, "hydrogen fuel named by the run (hydrogen.fuel) is missing; "
                                "it is needed by blending gas turbines, electrolysers and hydrogen storage"))
    elif not (fuels.at[h2, "lhv_mj_per_nm3"] > 0 and fuels.at[h2, "lhv_mj_per_kg"] > 0):
        problems.append(Problem(fuel_file, f"{h2}, columns 'lhv_mj_per_nm3'/'lhv_mj_per_kg'", None, "hydrogen needs both heating values to convert volume blends and report tonnes"))
    for name, row in blending.iterrows():
        base = row["fuel"]
        if base in fuels.index and not fuels.at[base, "lhv_mj_per_nm3"] > 0:
            problems.append(Problem(fuel_file, f"{base}, column 'lhv_mj_per_nm3'", None, f"needed because {name} blends hydrogen into it"))
        if base == h2:
            problems.append(Problem(tech_file, f"{name}, column 'fuel'", base, "a blending technology's base fuel cannot be the hydrogen fuel"))


# --------------------------------------------------------------------------- series


def _year_index(year: int) -> pd.DatetimeIndex:
    hours = 8784 if calendar.isleap(year) else 8760
    return pd.date_range(f"{year}-01-01 00:00", periods=hours, freq="h")


def _load_series(path: Path, expected_columns: list[str] | None, year: int | None, lower: float, upper: float | None, problems):
    """Read one hourly series file; check time axis, columns and every value.

    ``expected_columns=None`` takes every column but ``time`` (demand.csv's regions).
    """
    frame = _read_csv(path, problems)
    if frame is None:
        return None
    file = str(path)
    if "time" not in frame.columns:
        problems.append(Problem(file, "column 'time'", None, "required column is missing"))
        return None
    if expected_columns is None:
        expected_columns = [c for c in frame.columns if c != "time"]
        if not expected_columns:
            problems.append(Problem(file, "columns", None, "needs one demand column per region (MW)"))
            return None
        for c in expected_columns:
            if not c or "." in c:
                problems.append(Problem(file, f"column '{c}'", c, "a region name must be non-empty and without '.'"))
    for c in frame.columns:
        if c != "time" and c not in expected_columns:
            problems.append(Problem(file, f"column '{c}'", None, f"unknown column (expected: {', '.join(['time'] + expected_columns)})"))
    for c in expected_columns:
        if c not in frame.columns:
            problems.append(Problem(file, f"column '{c}'", None, "required column is missing"))
    ok = True
    if year is not None:
        expected_index = _year_index(year)
        if len(frame) != len(expected_index):
            problems.append(Problem(file, "rows", len(frame), f"expected {len(expected_index)} hourly rows for year {year}"))
            ok = False
        else:
            parsed = pd.to_datetime(frame["time"], errors="coerce", format="mixed")
            bad = parsed.isna() | (parsed.values != expected_index.values)
            if bad.any():
                first = int(np.argmax(bad.values))
                problems.append(Problem(file, f"line {first + 2}, column 'time'", frame["time"].iloc[first],
                                        f"expected {expected_index[first]:%Y-%m-%d %H:%M} (hourly, from Jan 1 00:00 of {year})"))
                ok = False
    values = {}
    for c in expected_columns:
        if c not in frame.columns:
            ok = False
            continue
        numbers = pd.to_numeric(frame[c], errors="coerce")
        checks = [(numbers.isna(), "is not a number (blank, text or NaN)")]
        checks.append((numbers < lower, f"must be >= {lower}"))
        if upper is not None:
            checks.append((numbers > upper, f"must be <= {upper}"))
        for mask, why in checks:
            if mask.any():
                rows = np.flatnonzero(mask.values)
                more = f" ({len(rows)} rows in all)" if len(rows) > 1 else ""
                problems.append(Problem(file, f"line {rows[0] + 2}, column '{c}'", frame[c].iloc[rows[0]], why + more))
                ok = False
        values[c] = numbers.to_numpy(dtype=float)
    if not ok:
        return None
    return pd.DataFrame(values, index=_year_index(year) if year is not None else None)


def _select_hours(index: pd.DatetimeIndex, config: RunConfig, run_file: str, problems):
    """Boolean mask of modelled hours, per the run's ``hours`` section."""
    hours = config.hours
    days = index.normalize()
    mask = np.ones(len(index), dtype=bool)
    first, last = days[0].date(), days[-1].date()
    for label, day in (("start", hours.start), ("end", hours.end)):
        if day is not None and not (first <= day <= last):
            problems.append(Problem(run_file, f"hours.{label}", str(day), f"outside the dataset's year ({first} .. {last})"))
            return None
    if hours.start is not None:
        mask &= days >= pd.Timestamp(hours.start)
    if hours.end is not None:
        mask &= days <= pd.Timestamp(hours.end)
    if hours.every_nth_day > 1:
        day_number = (days - days[mask][0]).days
        mask &= (day_number % hours.every_nth_day) == 0
    if not mask.any():
        problems.append(Problem(run_file, "hours", None, "selects no hours"))
        return None
    return mask


def _blocks(index: pd.DatetimeIndex) -> np.ndarray:
    """Number runs of consecutive hours: 0, 0, ..., 1, 1, ... (a new block after each gap)."""
    gaps = np.diff(index.values).astype("timedelta64[m]").astype(int) != 60
    return np.concatenate([[0], np.cumsum(gaps)]).astype(int)


# --------------------------------------------------------------------------- entry point


def load_inputs(config: RunConfig, run_file: str = "run file") -> InputData:
    """Load and validate the dataset named by ``config``; raise InputError listing every problem."""
    problems: list[Problem] = []
    folder = Path(config.dataset)
    if not folder.is_dir():
        raise InputError([Problem(run_file, "dataset", str(folder), "dataset folder not found")])

    settings = _load_settings(folder, config.overrides.settings, run_file, problems)
    default_region = str(settings.get("region") or DEFAULT_REGION)
    techs = _load_technologies(folder, config, default_region, run_file, problems)
    fuels = _load_fuels(folder, config, run_file, problems)
    _check_fuel_links(techs, fuels, config, folder, problems)

    year = settings.get("year")
    if isinstance(year, float) and not year.is_integer():
        problems.append(Problem(str(folder / "settings.yaml"), "year", year, "must be a whole year"))
    year = int(year) if isinstance(year, float) and year.is_integer() else None
    names = (lambda fam: list(techs.index[techs["family"] == fam])) if not techs.empty else (lambda fam: [])
    regional = not techs.empty and bool((techs.index != techs["technology"]).any())
    demand = _load_series(folder / "demand.csv", None if regional else ["demand_mw"], year, 0.0, None, problems)
    if demand is not None and not regional:
        demand = demand.rename(columns={"demand_mw": default_region})
    regions = list(demand.columns) if demand is not None else []
    if demand is not None and not techs.empty:
        for g, region in techs["region"].items():
            if region not in regions:
                problems.append(Problem(str(folder / "technologies.csv"), f"{g}, column 'region'", region, f"region has no demand column in demand.csv (has: {', '.join(regions)})"))
    lines = _load_lines(folder, config, regions, run_file, problems) if regions else pd.DataFrame()
    cf = _load_series(folder / "capacity_factors.csv", names("variable_renewable"), year, 0.0, 1.0, problems)
    inflow = _load_series(folder / "hydro_inflow.csv", names("reservoir_hydro"), year, 0.0, None, problems)
    mask = _select_hours(_year_index(year), config, run_file, problems) if year is not None else None

    days = config.hours.representative_days
    if days is not None and mask is not None and days > mask.sum() // 24:
        problems.append(Problem(run_file, "hours.representative_days", days, f"more than the {mask.sum() // 24} days selected"))
    if problems:
        raise InputError(problems)

    index = _year_index(year)[mask]
    data = InputData(
        config=config,
        settings=settings,
        technologies=techs,
        fuels=fuels,
        lines=lines,
        sources={"dataset": str(folder), "run_file": run_file},
        time=index,
        weight_h=np.full(len(index), mask.size / mask.sum()),
        block=_blocks(index),
        demand_mw=demand[mask].reset_index(drop=True),
        peak_demand_mw=demand.max().to_frame().T.reset_index(drop=True),
        capacity_factor=cf[mask].reset_index(drop=True),
        inflow_per_mw=inflow[mask].reset_index(drop=True),
    )
    if days is not None:
        data = representative_days(data, days)
    return with_pathway(data)


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
        raise InputError([Problem("run file", "hours.representative_days", n_days,
                                  "needs the optional package tsam: pip install 'energymodel[aggregate]'")]) from exc
    n_hours = len(data.time)
    if n_hours % 24 or len(np.unique(data.block)) != 1 or n_days > n_hours // 24:
        raise InputError([Problem("run file", "hours.representative_days", n_days,
                                  f"needs at least that many whole consecutive days (have {n_hours} hours)")])
    parts = {"demand": data.demand_mw, "cf": data.capacity_factor, "inflow": data.inflow_per_mw}
    table = pd.concat([p.set_axis(data.time) for p in parts.values()], axis=1, keys=list(parts))
    table.columns = [f"{kind}|{name}" for kind, name in table.columns]
    result = tsam.aggregate(table, n_clusters=n_days, period_duration=24,
                            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"))
    assignments = np.asarray(result.clustering.cluster_assignments, dtype=int)
    centers = np.asarray(result.clustering.cluster_centers, dtype=int)
    order = np.argsort(centers, kind="stable")  # typical days in the calendar order of their medoid day
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    values = pd.DataFrame(np.concatenate([result.cluster_representatives.loc[k].to_numpy(dtype=float) for k in order]), columns=table.columns)
    counts = np.array([result.cluster_counts[k] for k in order], dtype=float)
    limits = {"demand": (0, None), "cf": (0, 1), "inflow": (0, None)}

    def part(kind):
        frame = pd.DataFrame({name: values[f"{kind}|{name}"].to_numpy() for name in parts[kind].columns}, index=range(len(values)))
        return frame.clip(*limits[kind])

    return dataclasses.replace(
        data,
        time=pd.DatetimeIndex(np.concatenate([data.time[centers[k] * 24:(centers[k] + 1) * 24] for k in order])),
        weight_h=np.repeat(counts * data.weight_h.sum() / (24 * counts.sum()), 24),
        block=np.repeat(np.arange(len(order)), 24),
        demand_mw=part("demand"),
        capacity_factor=part("cf"),
        inflow_per_mw=part("inflow"),
        day_sequence=rank[assignments],
        day_dates=pd.DatetimeIndex(data.time[::24].normalize()),
    )


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
) -> InputData:
    """Build inputs in memory (for small studies and tests): rows as dicts, columns as in the files.

    ``demand_mw`` is one series (one region, named by ``settings['region']`` or 'system') or a dict
    region -> series; technologies then name their ``region`` and are keyed ``region.name``, as are
    the series. Missing optional columns take their defaults; ``weight_h`` defaults to 1 h per
    modelled hour. Hours are consecutive from ``start`` (one block, so storage is cyclic over them).
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
    demand = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in demand_mw.items()}) if regional else pd.DataFrame({default_region: np.asarray(demand_mw, dtype=float)})
    n = len(demand)
    line_frame = pd.DataFrame([{c: row.get(c, spec.default) for c, spec in LINE_COLUMNS.items()} for row in lines]).set_index("name") if lines else pd.DataFrame()
    time = pd.date_range(start, periods=n, freq="h")
    weight = np.ones(n) if weight_h is None else np.broadcast_to(np.asarray(weight_h, dtype=float), (n,)).copy()
    return InputData(
        config=config,
        settings=settings,
        technologies=techs,
        fuels=fuel_frame,
        time=time,
        weight_h=weight,
        block=_blocks(time),
        demand_mw=demand,
        capacity_factor=pd.DataFrame(capacity_factor or {}, index=range(n)),
        inflow_per_mw=pd.DataFrame(inflow_per_mw or {}, index=range(n)),
        lines=line_frame,
    )
