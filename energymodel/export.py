"""Export a results Dataset as tidy tables: CSV, Parquet or Excel.

Variables with the same dimensions form one table: one column per dimension (plus labels such as
``family`` or a line's ``region_from``), one column per variable, one row per combination. Column
names are the variable names, which end in their unit (``capacity_total_mw``); ``variables`` lists
every variable's table, dimensions, units and description, and the README (a ``README`` sheet in
Excel) holds the run's attributes, its configuration among them.

The tables are written into a temporary folder beside the target and renamed into place at the
end, so a failed export leaves nothing half-written; an existing non-empty folder is replaced only
with ``overwrite``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import ARGUMENTS, EnergyModelError, InputError, Problem, option

FORMATS = ("csv", "parquet", "xlsx")
NEEDS = {"parquet": "pyarrow", "xlsx": "openpyxl"}
EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet holds the header
SCALARS = "scalars"


def _require(fmt: str) -> None:
    """Fail with a clear message if the format's writer is not installed."""
    module = NEEDS.get(fmt)
    if module is None:
        return
    try:
        __import__(module)
    except ImportError:
        raise EnergyModelError(f"{fmt} export needs {module}: pip install 'energymodel[export]'") from None


def tables(ds: xr.Dataset) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The tidy tables by name (dimensions joined by '_', or 'scalars') and the ``variables`` table."""
    groups: dict[tuple, list[str]] = {}
    for name, var in ds.data_vars.items():
        groups.setdefault(var.dims, []).append(name)
    out, rows = {}, []
    for dims, names in groups.items():
        table = "_".join(dims) if dims else SCALARS
        if dims:
            frame = ds[names].to_dataframe().reset_index()
            labels = [c for c in frame.columns if c not in dims and c not in names]
            frame = frame[list(dims) + labels + names]
        else:
            frame = pd.DataFrame({name: [ds[name].values.item()] for name in names})
        out[table] = frame
        rows += [
            {
                "variable": n,
                "table": table,
                "dims": ", ".join(dims),
                "units": ds[n].attrs.get("units", ""),
                "long_name": ds[n].attrs.get("long_name", ""),
            }
            for n in names
        ]
    for name, coord in ds.coords.items():
        rows.append(
            {
                "variable": name,
                "table": "(coordinate)",
                "dims": ", ".join(coord.dims),
                "units": coord.attrs.get("units", ""),
                "long_name": coord.attrs.get("long_name", ""),
            }
        )
    return out, pd.DataFrame(rows)


def _attributes(ds: xr.Dataset) -> pd.DataFrame:
    return pd.DataFrame({"attribute": list(ds.attrs), "value": [str(v) for v in ds.attrs.values()]})


def _readme(ds: xr.Dataset, names: dict[str, str], variables: pd.DataFrame, fmt: str) -> str:
    lines = [
        f"# {ds.attrs.get('title', 'energymodel results')}",
        "",
        f"Tidy tables ({fmt}): one per group of variables with the same dimensions; one column per dimension",
        "(plus labels such as `family`), one column per variable (the name ends in its unit). Units and",
        f"descriptions of every variable: `variables.{'csv' if fmt == 'csv' else fmt}` and the table below.",
        "",
        "## Tables",
        "",
    ]
    for table, file in names.items():
        dims = variables.loc[variables["table"] == table, "dims"].iloc[0] or "none"
        members = ", ".join(variables.loc[variables["table"] == table, "variable"])
        lines.append(f"- `{file}` (dimensions: {dims}): {members}")
    lines += ["", "## Variables", "", "| variable | table | dims | units | long_name |", "|---|---|---|---|---|"]
    lines += [f"| {r.variable} | {r.table} | {r.dims} | {r.units} | {r.long_name} |" for r in variables.itertuples()]
    lines += ["", "## Attributes", ""]
    for key, value in ds.attrs.items():
        if key in ("run_config", "base_run_config", "dataset_settings") and isinstance(value, str):
            try:
                value = json.dumps(json.loads(value), indent=2)
                lines += [f"- `{key}`:", "", "```json", value, "```", ""]
                continue
            except ValueError:
                pass
        lines.append(f"- `{key}`: {value}")
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _exact_floats():
    """openpyxl writes floats with 16 significant digits ("%.16g"), which can lose the last bit;
    while writing, use the shortest text that reads back as the same float (``repr``)."""
    try:
        from openpyxl.cell import _writer
    except ImportError:  # pragma: no cover - another openpyxl layout: keep its own formatting
        yield
        return
    original = _writer.safe_string

    def exact(value):
        if isinstance(value, (float, np.floating)) and np.isfinite(value):
            return repr(float(value))
        return original(value)

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def _sheet_names(names: list[str]) -> dict[str, str]:
    """Excel sheet names: at most 31 characters, unique."""
    out: dict[str, str] = {}
    for name in names:
        sheet = name[:31]
        i = 2
        while sheet in out.values():
            suffix = f"~{i}"
            sheet, i = name[: 31 - len(suffix)] + suffix, i + 1
        out[name] = sheet
    return out


def _write(ds: xr.Dataset, folder: Path, fmt: str) -> list[Path]:
    found, variables = tables(ds)
    written = []
    if fmt == "xlsx":
        too_long = [f"{name} ({len(frame):,} rows)" for name, frame in found.items() if len(frame) > EXCEL_MAX_ROWS]
        if too_long:
            raise EnergyModelError(f"too many rows for an Excel sheet: {', '.join(too_long)}; export as csv or parquet instead")
        sheets = _sheet_names(list(found))
        variables["table"] = variables["table"].map(lambda t: sheets.get(t, t))
        path = folder / "results.xlsx"
        with _exact_floats(), pd.ExcelWriter(path, engine="openpyxl") as writer:
            readme = pd.concat(
                [
                    pd.DataFrame(
                        {
                            "attribute": ["about"],
                            "value": [
                                "energymodel results as tidy tables: one sheet per group of variables with the same dimensions; "
                                "units of every variable in the 'variables' sheet"
                            ],
                        }
                    ),
                    _attributes(ds),
                ]
            )
            readme.to_excel(writer, sheet_name="README", index=False)
            variables.to_excel(writer, sheet_name="variables", index=False)
            for name, frame in found.items():
                frame.to_excel(writer, sheet_name=sheets[name], index=False)
        return [path]
    files = {name: f"{name}.{fmt}" for name in found}
    for name, frame in found.items():
        path = folder / files[name]
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        written.append(path)
    if fmt == "csv":
        variables.to_csv(folder / "variables.csv", index=False)
    else:
        variables.to_parquet(folder / "variables.parquet", index=False)
    (folder / "README.md").write_text(_readme(ds, files, variables, fmt))
    return written


def export(ds: xr.Dataset, folder: str | Path, fmt: str = "csv", overwrite: bool = False) -> list[Path]:
    """Write ``ds`` as tidy tables into ``folder`` (csv, parquet or xlsx); returns the table files written.

    Refuses an existing non-empty ``folder`` unless ``overwrite``. Writes to a temporary folder
    beside it and renames it into place, so a failure leaves the old folder (or none) as it was.
    """
    if fmt not in FORMATS:
        raise EnergyModelError(f"unknown export format '{fmt}' (choose {', '.join(FORMATS)})")
    _require(fmt)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EnergyModelError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise InputError(
            [
                Problem(
                    ARGUMENTS,
                    option("folder"),
                    str(folder),
                    f"exists already and is not empty; pass {option('overwrite', True)} to replace it, or choose another folder",
                )
            ]
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        written = _write(ds, tmp, fmt)
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [folder / p.name for p in written]
