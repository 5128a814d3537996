"""The dataset's tables: settings.yaml, technologies.csv, fuels.csv, lines.csv, hydrogen_supply.csv and regions.csv, with the run's overrides."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import RunConfig
from ..errors import InputError, Problem
from ..limits import CSV_MAX_COLUMNS, TABLE_MAX_ROWS, read_yaml, size_problem
from .schema import (
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
    check_number,
    is_blank,
    parse_table,
)


def _shape_problem(path: Path) -> Problem | None:
    """A problem if the header row has too many columns or the first data row more fields than it
    (pandas would take the extra fields for index columns, minutes for a million). Read by the csv
    module, whose fields are at most 131,072 characters."""
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            reader = csv.reader(f, skipinitialspace=True)
            rows = (row for row in reader if row)  # pandas skips blank lines too
            header, first = next(rows, []), next(rows, [])
    except csv.Error as exc:
        return Problem(str(path), f"line {reader.line_num}", None, f"cannot be read as CSV: {exc}")
    if len(header) > CSV_MAX_COLUMNS:
        return Problem(str(path), "header row", None, f"refused: {len(header):,} columns, more than {CSV_MAX_COLUMNS:,}")
    if len(first) > len(header):
        return Problem(
            str(path), f"line {reader.line_num}", None, f"cannot be read as CSV: {len(first):,} fields, the header row has {len(header):,}"
        )
    return None


def read_csv(path: Path, problems: list[Problem], max_rows: int = TABLE_MAX_ROWS) -> pd.DataFrame | None:
    """Read a CSV file as text with stripped column names, or None after recording a problem.

    The work is bounded before pandas starts: the file's size (limits.SIZE_LIMITS) and its first
    rows' shape are checked, and at most ``max_rows`` rows (one more, to tell) are read.
    """
    if not path.is_file():
        problems.append(Problem(str(path), "", None, "file not found"))
        return None
    refused = size_problem(path, "csv") or _shape_problem(path)
    if refused is not None:
        problems.append(refused)
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, engine="c", index_col=False, nrows=max_rows + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), "", None, f"cannot be read as CSV: {exc}"))
        return None
    if len(frame) > max_rows:
        problems.append(Problem(str(path), "rows", None, f"refused: more than {max_rows:,} rows"))
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
                problems.append(Problem(run_file, f"overrides.{section}.{name}.{column}", value, "not an overridable column"))
                continue
            frame.loc[hits, column] = "" if value is None else str(value)


def load_settings(folder: Path, overrides: dict, run_file: str, problems) -> dict[str, Any]:
    """settings.yaml with the run's setting overrides; numbers range-checked (None where invalid)."""
    path = folder / "settings.yaml"
    if not path.is_file():
        problems.append(Problem(str(path), "", None, "file not found"))
        return {}
    try:
        raw = read_yaml(path) or {}
    except InputError as exc:
        problems.extend(exc.problems)
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
        settings[key] = check_number(settings[key], col, str(path), key, problems, key)
    return settings


def _load_table(path: Path, key: str, section: str, overrides: dict, columns, family_of, run_file, problems, prepare=None) -> pd.DataFrame:
    """Read a table, apply the run's overrides for it, then check and type every row.

    ``prepare(frame)`` may rewrite the raw table first and return per-row aliases for overrides.
    """
    frame = read_csv(path, problems)
    if frame is None:
        return pd.DataFrame()
    aliases = prepare(frame) if prepare is not None else None
    if key in frame.columns:
        _apply_overrides(frame, key, section, overrides, columns, run_file, problems, aliases)
    return parse_table(frame, columns, key, family_of, str(path), problems)


def load_technologies(folder, config: RunConfig, default_region: str, run_file, problems) -> pd.DataFrame:
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
                    problems.append(
                        Problem(str(path), f"line {int(i) + 2}, column 'region'", region, "must be a non-empty name without '.'")
                    )
            frame["name"] = regions + "." + plain
        plain_names.update(zip(frame["name"].str.strip(), plain))
        return plain

    techs = _load_table(
        path, "name", "technologies", config.overrides.technologies, TECHNOLOGY_COLUMNS, family_of, run_file, problems, prepare
    )
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
        if (
            row["family"] in ("reservoir_hydro", "storage", "h2_storage")
            and row["min_level_fraction"] is not None
            and row["min_level_fraction"] >= 1
        ):
            problems.append(Problem(str(path), f"{name}, column 'min_level_fraction'", row["min_level_fraction"], "must be < 1"))
        _check_operating_columns(techs, name, row, str(path), problems)
    for tech, group in techs.groupby("technology", sort=False):
        if group["family"].nunique() > 1:
            problems.append(
                Problem(
                    str(path),
                    f"{tech}, column 'family'",
                    ", ".join(group["family"]),
                    "one technology must have the same family in every region",
                )
            )
    return techs


def retrofit_base(techs: pd.DataFrame, name: str) -> str | None:
    """Id of the plant that technology ``name`` retrofits (same region), or None."""
    base = techs.at[name, "retrofit_of"]
    if is_blank(base):
        return None
    qualified = f"{techs.at[name, 'region']}.{base}"
    return qualified if qualified in techs.index else (base if base in techs.index else None)


def parse_months(text) -> list[int]:
    """Months named in ``must_run_months``: '11,12,1,2,3' or a range '11-3' (wrapping the year end)."""
    text = "" if is_blank(text) else str(text).strip()
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
    if not is_blank(row["retrofit_of"]):
        base = retrofit_base(techs, name)
        if base is None or base == name:
            problems.append(
                Problem(file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "must name another technology (in the same region)")
            )
        elif techs.at[base, "family"] != "thermal" or family != "thermal":
            problems.append(
                Problem(
                    file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "only thermal plants can be retrofitted, into thermal plants"
                )
            )
        elif not is_blank(techs.at[base, "retrofit_of"]):
            problems.append(Problem(file, f"{name}, column 'retrofit_of'", row["retrofit_of"], "cannot retrofit a retrofit"))
        elif row["h2_blending"] and techs.at[base, "fuel"] != row["fuel"]:
            problems.append(
                Problem(
                    file,
                    f"{name}, column 'retrofit_of'",
                    row["retrofit_of"],
                    f"a retrofit that blends hydrogen (h2_blending = true) upgrades a gas turbine burning its own fuel "
                    f"({row['fuel']}), not a plant burning {techs.at[base, 'fuel']}",
                )
            )
    lo, hi = row["min_duration_h"], row["max_duration_h"]
    if (not is_blank(lo) or not is_blank(hi)) and family not in ("storage", "h2_storage"):
        problems.append(
            Problem(file, f"{name}, column 'min_duration_h'/'max_duration_h'", lo if not is_blank(lo) else hi, "only storage has durations")
        )
    elif not is_blank(lo) and not is_blank(hi) and lo > hi:
        problems.append(Problem(file, f"{name}, column 'max_duration_h'", hi, f"below min_duration_h ({lo})"))
    elif (not is_blank(lo) or not is_blank(hi)) and not is_blank(row["energy_to_power_h"]):
        problems.append(
            Problem(
                file,
                f"{name}, column 'energy_to_power_h'",
                row["energy_to_power_h"],
                "give either a fixed energy_to_power_h or min/max_duration_h, not both",
            )
        )
    if not is_blank(row["power_to_heat"]) and family != "thermal":
        problems.append(Problem(file, f"{name}, column 'power_to_heat'", row["power_to_heat"], "only thermal plants can be CHP plants"))
    if not is_blank(row["cop"]) and family != "heat_pump":
        problems.append(Problem(file, f"{name}, column 'cop'", row["cop"], "only heat pumps (family heat_pump) have a cop"))
    for column in ("min_load_fraction", "startup_cny_per_mw", "ramp_fraction_per_h", "must_run_fraction"):
        value = row[column]
        if family != "thermal" and not is_blank(value) and value != 0:
            problems.append(Problem(file, f"{name}, column '{column}'", value, "only thermal technologies have operating limits"))
    try:
        months = parse_months(row["must_run_months"])
    except ValueError:
        problems.append(
            Problem(file, f"{name}, column 'must_run_months'", row["must_run_months"], "months 1-12 as a list '11,12,1' or a range '11-3'")
        )
        return
    if (row["must_run_fraction"] or 0) > 0 and not months:
        problems.append(Problem(file, f"{name}, column 'must_run_months'", "", "must_run_fraction needs the months it applies in"))
    if (row["must_run_fraction"] or 0) > (row["availability"] if row["availability"] is not None else 1.0):
        problems.append(
            Problem(file, f"{name}, column 'must_run_fraction'", row["must_run_fraction"], f"above availability ({row['availability']})")
        )


def load_lines(folder: Path, config: RunConfig, regions: list[str], run_file, problems) -> pd.DataFrame:
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
                problems.append(
                    Problem(str(path), f"{name}, column '{end}'", row[end], f"unknown region (demand.csv has: {', '.join(regions)})")
                )
        if row["region_from"] == row["region_to"]:
            problems.append(Problem(str(path), f"{name}, column 'region_to'", row["region_to"], "a line must join two different regions"))
        if row["max_mw"] is not None and row["existing_mw"] is not None and row["max_mw"] < row["existing_mw"]:
            problems.append(Problem(str(path), f"{name}, column 'max_mw'", row["max_mw"], f"below existing_mw ({row['existing_mw']})"))
    return lines


def load_hydrogen_supply(folder: Path, config: RunConfig, regions: list[str], default_region: str, run_file, problems) -> pd.DataFrame:
    """hydrogen_supply.csv (optional): hydrogen bought per region and kind, with its price, CO2 and limits."""
    path = folder / "hydrogen_supply.csv"
    if not path.is_file():
        if config.overrides.hydrogen_supply:
            problems.append(Problem(run_file, "overrides.hydrogen_supply", None, f"the dataset has no hydrogen_supply.csv ({path})"))
        return pd.DataFrame()
    columns, always = H2_SUPPLY_COLUMNS, lambda row, where: "all"
    supply = _load_table(path, "name", "hydrogen_supply", config.overrides.hydrogen_supply, columns, always, run_file, problems)
    if supply.empty:
        return supply
    supply["region"] = [r if r else default_region for r in supply["region"].fillna("")]
    for name, row in supply.iterrows():
        if row["region"] not in regions:
            problems.append(
                Problem(str(path), f"{name}, column 'region'", row["region"], f"unknown region (demand.csv has: {', '.join(regions)})")
            )
        if row["kind"] not in H2_KINDS:
            problems.append(Problem(str(path), f"{name}, column 'kind'", row["kind"], f"unknown kind (use one of: {', '.join(H2_KINDS)})"))
    return supply


def load_regions(folder: Path, regions: list[str], problems) -> pd.DataFrame:
    """regions.csv (optional): each region's position (``lat_deg``, ``lon_deg``), indexed by region; if the file is there,
    it names every region of the dataset and no other."""
    path = folder / "regions.csv"
    if not path.is_file():
        return pd.DataFrame()
    before = len(problems)
    positions = _load_table(path, "region", "regions", {}, REGION_COLUMNS, lambda row, where: "all", "", problems)
    for region in positions.index:
        if region not in regions:
            problems.append(Problem(str(path), f"region '{region}'", region, f"unknown region (demand.csv has: {', '.join(regions)})"))
    missing = [r for r in regions if r not in positions.index]
    if missing and len(problems) == before:
        problems.append(Problem(str(path), "column 'region'", None, f"no position for region(s) {', '.join(missing)} (give every region)"))
    return positions


def load_fuels(folder, config: RunConfig, run_file, problems) -> pd.DataFrame:
    """fuels.csv with the run's overrides, indexed by fuel name."""
    return _load_table(
        folder / "fuels.csv", "fuel", "fuels", config.overrides.fuels, FUEL_COLUMNS, lambda row, where: "all", run_file, problems
    )


def check_blend_limit_names(techs: pd.DataFrame, config: RunConfig, run_file, problems) -> None:
    """Every technology given a blend limit per year (``pathway.h2_max_vol_fraction``) is a blending turbine."""
    if config.pathway is None or techs.empty:
        return
    blending = set(techs.loc[(techs["family"] == "thermal") & techs["h2_blending"].astype(bool), "technology"])
    for name in config.pathway.h2_max_vol_fraction:
        if name not in blending:
            known = ", ".join(sorted(blending)) or "none"
            problems.append(
                Problem(run_file, f"pathway.h2_max_vol_fraction.{name}", name, f"not a blending technology (blending: {known})")
            )


def check_fuel_links(techs: pd.DataFrame, fuels: pd.DataFrame, config: RunConfig, folder: Path, problems):
    """Every thermal and heat-boiler fuel exists; blending needs both fuels' heating values per Nm3; blending,
    electrolysers, hydrogen storage and hydrogen_supply.csv need the hydrogen fuel's."""
    if techs.empty or fuels.empty:
        return
    tech_file = str(folder / "technologies.csv")
    fuel_file = str(folder / "fuels.csv")
    for name, row in techs[techs["family"].isin(["thermal", "heat_boiler"])].iterrows():
        if row["fuel"] and row["fuel"] not in fuels.index:
            problems.append(
                Problem(tech_file, f"{name}, column 'fuel'", row["fuel"], f"unknown fuel (fuels.csv has: {', '.join(fuels.index)})")
            )
    blending = techs[(techs["family"] == "thermal") & techs["h2_blending"].astype(bool)]
    if blending.empty and not techs["family"].isin(["electrolyser", "h2_storage"]).any() and not (folder / "hydrogen_supply.csv").is_file():
        return
    h2 = config.hydrogen.fuel
    if h2 not in fuels.index:
        problems.append(
            Problem(
                fuel_file,
                f"fuel '{h2}'",
                None,
                "hydrogen fuel named by the run (hydrogen.fuel) is missing; "
                "it is needed by blending gas turbines, electrolysers, hydrogen storage and hydrogen_supply.csv",
            )
        )
    elif not (fuels.at[h2, "lhv_mj_per_nm3"] > 0 and fuels.at[h2, "lhv_mj_per_kg"] > 0):
        problems.append(
            Problem(
                fuel_file,
                f"{h2}, columns 'lhv_mj_per_nm3'/'lhv_mj_per_kg'",
                None,
                "hydrogen needs both heating values to convert volume blends and report tonnes",
            )
        )
    for name, row in blending.iterrows():
        base = row["fuel"]
        if base in fuels.index and not fuels.at[base, "lhv_mj_per_nm3"] > 0:
            problems.append(Problem(fuel_file, f"{base}, column 'lhv_mj_per_nm3'", None, f"needed because {name} blends hydrogen into it"))
        if base == h2:
            problems.append(
                Problem(tech_file, f"{name}, column 'fuel'", base, "a blending technology's base fuel cannot be the hydrogen fuel")
            )
