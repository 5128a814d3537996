"""Compare results files: key totals of each file and their differences from the first file.

Every quantity is a system total: hourly values weighted by ``weight_h`` over the year, summed over
regions. Sweep points and pathway periods are not summed: each gets its own rows (column ``where``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import api
from .summary import text_table

KEYS = ["quantity", "item", "unit", "where"]


def _rows(quantity: str, values: xr.DataArray, item_dim: str | None, unit: str) -> pd.DataFrame:
    """One row per item (and per sweep point / period), ``where`` naming the point (empty for a single run)."""
    if item_dim is None:
        values = values.expand_dims(item=[""])
        item_dim = "item"
    values = values.drop_vars([c for c in values.coords if c not in values.dims])
    others = [d for d in values.dims if d != item_dim]
    series = values.transpose(item_dim, *others).to_series()
    frame = series.rename("value").reset_index()
    frame["where"] = frame[others].apply(lambda r: ", ".join(f"{d}={_label(r[d])}" for d in others), axis=1) if others else ""
    frame["item"] = frame[item_dim].astype(str)
    frame["quantity"], frame["unit"] = quantity, unit
    return frame[KEYS + ["value"]]


def _label(value) -> str:
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "none" if math.isinf(x) else f"{x:g}"


def totals(ds: xr.Dataset) -> pd.DataFrame:
    """Capacity, output, emissions, costs, prices and hydrogen of one results Dataset, as long rows."""
    system = lambda name: api._regions(ds[name], by_region=False)  # noqa: E731
    parts = [
        _rows("capacity", system("capacity_total_mw"), "technology", "MW"),
        _rows("generation", system("energy_mwh"), "technology", "MWh/yr"),
        _rows("emissions", api.emissions(ds), "source", "tCO2/yr"),
        _rows("emissions", ds["emissions_total_t"], None, "tCO2/yr").assign(item="total"),
        _rows("cost", ds["cost_by_component_cny"], "component", "CNY/yr"),
        _rows("cost", ds["total_cost_cny"], None, ds["total_cost_cny"].attrs.get("units", "CNY/yr")).assign(item="total"),
        _rows("price", ds["carbon_shadow_price_cny_per_t"], None, "CNY/tCO2").assign(item="carbon shadow price"),
    ]
    if "time" in ds.dims:
        parts.append(_rows("price", api.average_price(ds, by_region=False), None, "CNY/MWh").assign(item="electricity, demand-weighted"))
    if any(name in ds for name in ("h2_use_t", "h2_made_t")):
        parts.append(_rows("hydrogen", api.hydrogen_balance(ds), "flow", "t/yr"))
    return pd.concat(parts, ignore_index=True)


def compare(datasets: dict[str, xr.Dataset]) -> pd.DataFrame:
    """Totals of every Dataset side by side; for each after the first, its difference (and %) from the first.

    Columns: quantity, item, unit, where, then ``<label>`` values, ``<label> - <first>`` and
    ``<label> - <first> %`` (NaN when a row is missing in a file or the first value is 0).
    """
    return side_by_side({label: totals(ds) for label, ds in datasets.items()})


def side_by_side(found: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The :func:`totals` of each file (by label) side by side, with the differences: see :func:`compare`."""
    labels = list(found)
    first = labels[0]
    columns = [frame.set_index(KEYS)["value"].rename(label) for label, frame in found.items()]
    table = pd.concat(columns, axis=1, join="outer", sort=False).reset_index()
    for label in labels[1:]:
        table[f"{label} - {first}"] = table[label] - table[first]
        table[f"{label} - {first} %"] = 100 * table[f"{label} - {first}"] / table[first].where(table[first] != 0)
    if (table["where"] == "").all():
        table = table.drop(columns="where")
    return table


def labels_for(paths: list[Path]) -> list[str]:
    """Short, unique column labels: the file names' stems (numbered when they repeat)."""
    stems = [p.stem for p in paths]
    out = []
    for i, stem in enumerate(stems):
        out.append(stem if stems.count(stem) == 1 else f"{stem} ({stems[: i + 1].count(stem)})")
    return out


def render(table: pd.DataFrame, fmt: str) -> str:
    """The comparison as an aligned text table, CSV or JSON (records; NaN as null; full precision)."""
    if fmt == "csv":
        return table.to_csv(index=False)
    if fmt == "json":
        records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()} for row in table.to_dict("records")]
        return json.dumps(records, indent=1)

    def cell(value) -> str:
        if isinstance(value, float):
            if math.isnan(value):
                return "-"
            value += 0.0  # -0.0 -> 0.0
            text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.4g}"
            return "0" if text.lstrip("-") in ("0", "0.0") else text
        return str(value)

    rows = [[cell(v) for v in row] for row in table.itertuples(index=False)]
    return "\n".join(text_table(list(table.columns), rows))
