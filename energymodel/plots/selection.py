"""The part of a results Dataset a plot draws: region, period, time window, sweep point."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import option
from ..summary import format_coordinate
from .errors import PlotError, TimeWindowError

WEEK_H = 168
_STAMP = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}){0,2})?"


def sweep_dims(ds: xr.Dataset) -> list[str]:
    """The swept dimensions of a sweep's Dataset (empty for a single run)."""
    return json.loads(ds.attrs.get("sweep_dims", "[]"))


def sum_regions(da: xr.DataArray) -> xr.DataArray:
    """``da`` summed over regions (unchanged without a region dimension)."""
    return da.sum("region", min_count=1) if "region" in da.dims else da


def _pick(ds: xr.Dataset, dim: str, value, what: str, keep: bool = False) -> xr.Dataset:
    """``ds.sel({dim: value})`` matching the value as text or number (``keep``: as a length-1 dimension);
    a clear error listing the values otherwise (``what``: the option and value, as the message names them)."""
    labels = ds[dim].values
    for i, label in enumerate(labels):
        if str(value) in (str(label), format_coordinate(label)) or _same_number(value, label):
            return ds.isel({dim: [i] if keep else i})
    shown = ", ".join(format_coordinate(v) for v in labels)
    raise PlotError(f"{what} is not in the results ({dim}: {shown})")


def _same_number(a, b) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=0))
    except (TypeError, ValueError):
        return False


def parse_time(text: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``START:END`` (dates or date-times, either may be empty) -> (start, end exclusive); a date-only end includes its day."""
    found = re.fullmatch(rf"\s*({_STAMP})?\s*:\s*({_STAMP})?\s*", text)
    if not found:
        raise TimeWindowError(
            text,
            "expected START:END with dates or date-times such as 2030-07-15:2030-07-18 "
            "or 2030-07-15T06:00:2030-07-15T18:00 (either side may be empty)",
        )
    try:
        start = pd.Timestamp(found[1]) if found[1] else None
        end = pd.Timestamp(found[2]) if found[2] else None
    except ValueError as exc:
        raise TimeWindowError(text, str(exc)) from exc
    if end is not None:
        end += pd.Timedelta(days=1) if len(found[2]) == 10 else pd.Timedelta(hours=1)
    return start, end


def select(ds: xr.Dataset, region: str | None = None, period=None, time: str | None = None, point: dict | None = None) -> xr.Dataset:
    """The part of ``ds`` to plot: one region (kept as a length-1 dimension), one period, a time window, a sweep point.

    ``point`` maps sweep dimensions to values (``{"h2_blend": 0.3}``). Raises PlotError when a
    value is not in the results or the selection does not apply (a period of a one-year run),
    TimeWindowError when the time window cannot be read or used.
    """
    dims = sweep_dims(ds)
    for dim, value in (point or {}).items():
        if dim not in dims:
            raise PlotError(
                f"{option('point', {dim: value})}: not a sweep dimension of these results"
                + (f" (sweep dimensions: {', '.join(dims)})" if dims else " (they are not a sweep)")
            )
        ds = _pick(ds, dim, value, option("point", {dim: value}))
    if region is not None:
        if "region" not in ds.dims:
            raise PlotError(f"{option('region')}: these results have no regions")
        ds = _pick(ds, "region", region, f"{option('region')} {region!r}", keep=True)
    if period is not None:
        if "period" not in ds.dims:
            raise PlotError(f"{option('period')}: these results are one modelled year, not a pathway (no periods)")
        ds = _pick(ds, "period", period, f"{option('period')} {period!r}")
    if time is not None:
        if "time" not in ds.dims:
            raise TimeWindowError(time, f"these results have no hourly series (a sweep saved with {option('annual_only', True)}?)")
        start, end = parse_time(time)
        t = ds["time"]
        keep = xr.ones_like(t, dtype=bool)
        if start is not None:
            keep &= t >= start.to_datetime64()
        if end is not None:
            keep &= t < end.to_datetime64()
        if not bool(keep.any()):
            raise TimeWindowError(time, f"no modelled hour in that window (modelled: {_span(ds)})")
        ds = ds.isel(time=np.flatnonzero(keep.values))
    return ds


def _span(ds: xr.Dataset) -> str:
    t = pd.DatetimeIndex(ds["time"].values)
    return f"{t.min():%Y-%m-%d %H:%M} to {t.max():%Y-%m-%d %H:%M}, {len(t)} hours"


def require_one_point(ds: xr.Dataset, kind: str) -> None:
    """Refuse a kind that needs one sweep point when several are left."""
    left = [d for d in sweep_dims(ds) if d in ds.dims and ds.sizes[d] > 1]
    if left:
        example = option("point", {d: format_coordinate(ds[d].values[0]) for d in left})
        values = "; ".join(f"{d}: {', '.join(format_coordinate(v) for v in ds[d].values)}" for d in left)
        raise PlotError(f"{option('kind', kind)} draws one sweep point: add e.g. {example} ({values})")


def require_hourly(ds: xr.Dataset, kind: str) -> None:
    """Refuse a kind that needs hourly results when there are none."""
    if "time" not in ds.dims or "generation_mw" not in ds:
        raise PlotError(f"{option('kind', kind)} needs hourly results; these have none (a sweep saved with {option('annual_only', True)}?)")


def one_period(ds: xr.Dataset) -> tuple[xr.Dataset, str]:
    """A pathway's last period unless one was chosen (with a note for the title)."""
    if "period" in ds.dims:
        year = ds["period"].values[-1]
        return ds.sel(period=year), f"period {year} (the last; choose a period for another)"
    return ds, ""


def peak_week(ds: xr.Dataset) -> tuple[xr.Dataset, str]:
    """A week around the hour of peak demand when the modelled hours are longer than 8 days (with a note for the title)."""
    n = ds.sizes["time"]
    if n <= 8 * 24:
        return ds, ""
    demand = sum_regions(ds["demand_mw"])
    peak_day = int(demand.argmax("time")) // 24
    start = max(0, min(n - WEEK_H, (peak_day - 3) * 24))
    return ds.isel(time=slice(start, start + WEEK_H)), "week around peak demand (other hours: choose a time window)"
