"""Hourly series (demand, capacity factors, hydro inflow, heat demand) over the dataset's year, and the modelled hours."""

from __future__ import annotations

import calendar
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import RunConfig
from ..errors import Problem
from .data import heat_network_id, heat_suppliers
from .tables import read_csv


def year_index(year: int) -> pd.DatetimeIndex:
    """Hourly time stamps of ``year`` from Jan 1 00:00 (8760, or 8784 in a leap year)."""
    hours = 8784 if calendar.isleap(year) else 8760
    return pd.date_range(f"{year}-01-01 00:00", periods=hours, freq="h")


def load_series(path: Path, expected_columns: list[str] | None, year: int | None, lower: float, upper: float | None, problems):
    """Read one hourly series file; check time axis, columns and every value.

    ``expected_columns=None`` takes every column but ``time`` (demand.csv's regions).
    """
    frame = read_csv(path, problems, max_rows=8784)  # a leap year's hours
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
        expected_index = year_index(year)
        if len(frame) != len(expected_index):
            problems.append(Problem(file, "rows", len(frame), f"expected {len(expected_index)} hourly rows for year {year}"))
            ok = False
        else:
            parsed = pd.to_datetime(frame["time"], errors="coerce", format="mixed")
            bad = parsed.isna() | (parsed.values != expected_index.values)
            if bad.any():
                first = int(np.argmax(bad.values))
                problems.append(
                    Problem(
                        file,
                        f"line {first + 2}, column 'time'",
                        frame["time"].iloc[first],
                        f"expected {expected_index[first]:%Y-%m-%d %H:%M} (hourly, from Jan 1 00:00 of {year})",
                    )
                )
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
    return pd.DataFrame(values, index=year_index(year) if year is not None else None)


def load_heat_demand(folder: Path, techs: pd.DataFrame, year: int | None, problems) -> pd.DataFrame:
    """heat_demand.csv (optional): MW_th per hour, one column per heat network that a heat supplier names.

    Without the file no heat is modelled: CHP plants run as power plants and heat boilers and heat pumps are an error.
    A supplier naming a network that is not a column of the file is reported on its row of technologies.csv.
    """
    path = folder / "heat_demand.csv"
    tech_file = str(folder / "technologies.csv")
    suppliers = heat_suppliers(techs) if not techs.empty else []
    if not path.is_file():
        for family, label in HEAT_ONLY_LABELS.items():
            rows = [g for g in suppliers if techs.at[g, "family"] == family]
            if rows:
                problems.append(Problem(tech_file, f"{rows[0]}, column 'family'", family, f"{label} need {path}"))
        return pd.DataFrame()
    networks = list(dict.fromkeys(heat_network_id(techs, g) for g in suppliers))
    if not networks:
        problems.append(
            Problem(str(path), "", None, "no technology supplies heat (heat_boiler or heat_pump rows, or thermal rows with power_to_heat)")
        )
        return pd.DataFrame()
    _check_heat_networks(path, tech_file, techs, suppliers, problems)
    heat = load_series(path, networks, year, 0.0, None, problems)
    return pd.DataFrame() if heat is None else heat


HEAT_ONLY_LABELS = {"heat_boiler": "heat boilers", "heat_pump": "heat pumps"}


def _check_heat_networks(path: Path, tech_file: str, techs: pd.DataFrame, suppliers: list[str], problems) -> None:
    """Each heat supplier's network is a column of heat_demand.csv (else: its row, column and value)."""
    try:
        columns = [c for c in pd.read_csv(path, nrows=0).columns if c != "time"]
    except (OSError, ValueError, pd.errors.ParserError):
        return  # load_series reports the file itself
    for g in suppliers:
        if heat_network_id(techs, g) not in columns:
            problems.append(
                Problem(
                    tech_file,
                    f"{g}, column 'heat_network'",
                    techs.at[g, "heat_network"],
                    f"unknown heat network (heat_demand.csv has: {', '.join(columns) or 'no columns'})",
                )
            )


def select_hours(index: pd.DatetimeIndex, config: RunConfig, run_file: str, problems):
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


def blocks(index: pd.DatetimeIndex) -> np.ndarray:
    """Number runs of consecutive hours: 0, 0, ..., 1, 1, ... (a new block after each gap)."""
    gaps = np.diff(index.values).astype("timedelta64[m]").astype(int) != 60
    return np.concatenate([[0], np.cumsum(gaps)]).astype(int)
