"""Reading results files: every command that reads a NetCDF opens it here, checked, before any output.

:func:`read_results` opens a results file (loaded into memory, file closed) and raises a
:class:`~energymodel.errors.ResultsError` (exit code 2) naming the file and what is wrong:

* not NetCDF, or a damaged or truncated one (any error of netCDF4, HDF5 or xarray's decoding);
* not written by energymodel: no ``energymodel_version`` attribute (another tool's NetCDF);
* a damaged attribute: the run configuration and the other JSON attributes must parse;
* another (e.g. older) layout: a variable or coordinate every results file has (:data:`VARIABLES`,
  :data:`COORDINATES`, with an hourly series :data:`HOURLY`) missing, not numbers, or over other
  dimensions than a run's (a sweep's data without its ``sweep_dims`` attribute, say);
* a sweep's results where one run's are expected (``expect="run"``) or the reverse (``expect="sweep"``);
* a total cost or hour weight that is not a finite number where the run (or sweep point) was solved.

NaN is the results' own "does not apply" (a technology a region lacks, no CO2 cap, a failed sweep
point), so other values are not checked: instead a command uses the data inside :func:`used`, which
turns an error raised by bad content (a value a plot cannot draw, a variable of the wrong type)
into a ResultsError naming the file, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import xarray as xr

from .errors import EnergyModelError, ResultsError

VARIABLES = {
    "capacity_total_mw": {"technology"},
    "energy_mwh": {"technology"},
    "emissions_total_t": set(),
    "carbon_cap_t": set(),
    "carbon_price_cny_per_t": set(),
    "carbon_shadow_price_cny_per_t": set(),
    "cost_by_component_cny": {"component"},
    "total_cost_cny": set(),
}
"""Variables every results file has -> their dimensions, besides those that may be there or not:
:data:`OPTIONAL_DIMS` and a sweep's dimensions."""

HOURLY = {
    "weight_h": {"time"},
    "demand_mw": {"time"},
    "generation_mw": {"technology", "time"},
    "marginal_price_cny_per_mwh": {"time"},
    "lost_load_mw": {"time"},
}
"""Variables every results file with hourly series has (one run's always; a sweep's unless ``--annual-only``)."""

OPTIONAL_DIMS = {"period", "region"}
"""A pathway's periods; the regions (a Dataset squeezed to its one region, as the analysis functions accept)."""

COORDINATES = ("technology", "family", "component", "fuel", "co2_t_per_gj")
"""Coordinates every results file has (and ``time`` with hourly series)."""

JSON_ATTRIBUTES = {"run_config": dict, "base_run_config": dict, "dataset_settings": dict, "sweep_paths": dict, "sweep_dims": list}
"""Attributes holding JSON -> the type they hold."""

FINITE = ("total_cost_cny", "weight_h")
"""Variables that must be finite numbers wherever the run (or sweep point) was solved."""

LAYOUT = "another layout of results (older, or changed)"
EXPECTED = {"run": "one run's results", "sweep": "a sweep's results", "any": "results"}


def load_netcdf(path: str | Path) -> xr.Dataset:
    """A NetCDF file, loaded into memory and closed; a file that cannot be read raises ResultsError."""
    path = Path(path)
    if path.is_dir():
        raise ResultsError("is a folder, not a results file", path)
    if not path.is_file():
        raise ResultsError("no such results file", path)
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            return ds.load()
    except Exception as exc:  # noqa: BLE001 - netCDF4, HDF5 and xarray's decoding all fail in their own ways
        raise ResultsError(f"cannot be read as energymodel results: not NetCDF, or damaged or truncated ({describe(exc)})", path) from None


def read_results(path: str | Path, expect: str = "any") -> xr.Dataset:
    """Open a results file of energymodel, checked (see the module's doc): ``expect`` one run's
    results (``"run"``), a sweep's (``"sweep"``) or either (``"any"``). Raises ResultsError."""
    ds = load_netcdf(path)
    problem = layout_problem(ds, expect)
    if problem:
        raise ResultsError(problem, path)
    return ds


def sweep_dimensions(ds: xr.Dataset) -> list[str] | None:
    """The sweep dimensions named by the ``sweep_dims`` attribute (None: one run's results)."""
    return json.loads(ds.attrs["sweep_dims"]) if "sweep_dims" in ds.attrs else None


def layout_problem(ds: xr.Dataset, expect: str = "any") -> str | None:
    """What makes ``ds`` not energymodel results of the kind ``expect``, or None."""
    if expect not in EXPECTED:
        raise ValueError(f"expect must be one of {', '.join(EXPECTED)}, not {expect!r}")
    if "energymodel_version" not in ds.attrs:
        return "not an energymodel results file (no 'energymodel_version' attribute: another tool's NetCDF?)"
    for name, kind in JSON_ATTRIBUTES.items():
        if name in ds.attrs and not _json_of(ds.attrs[name], kind):
            return f"the attribute {name!r} is damaged (not the JSON energymodel writes there): the file was changed after it was written"
    sweep = sweep_dimensions(ds)
    if sweep is not None:
        if not sweep or not all(isinstance(d, str) for d in sweep):
            return f"the attribute 'sweep_dims' is damaged (value: {ds.attrs['sweep_dims']!r})"
        if missing := [d for d in sweep if d not in ds.dims]:
            return f"the attribute 'sweep_dims' names {', '.join(missing)}, which the data lack: a damaged sweep file"
        if expect == "run":
            return f"a sweep's results (over {', '.join(sweep)}): {EXPECTED[expect]} are needed here"
    elif expect == "sweep":
        return "one run's results: a sweep's results are needed here (energymodel sweep)"
    return _variable_problem(ds, sweep)


def _json_of(value, kind: type) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return isinstance(json.loads(value), kind)
    except (ValueError, RecursionError):
        return False


def _variable_problem(ds: xr.Dataset, sweep: list[str] | None) -> str | None:
    """Missing or malformed variables and coordinates, or non-finite totals (see the module's doc)."""
    wanted = dict(VARIABLES)
    if sweep is None or "time" in ds.dims:
        wanted.update(HOURLY)
    coordinates = list(COORDINATES) + (["time"] if "weight_h" in wanted else [])
    missing = [n for n in wanted if n not in ds.data_vars] + (["status"] if sweep and "status" not in ds.data_vars else [])
    missing_coords = [c for c in coordinates if c not in ds.coords]
    if missing or missing_coords:
        what = [f"the variables {', '.join(missing)}"] if missing else []
        what += [f"the coordinates {', '.join(missing_coords)}"] if missing_coords else []
        return f"{LAYOUT}: missing {' and '.join(what)}"
    free = OPTIONAL_DIMS | set(sweep or [])
    for name, dims in wanted.items():
        var = ds[name]
        if not (np.issubdtype(var.dtype, np.number) or var.dtype == bool):
            return f"{LAYOUT}: {name} holds {var.dtype} values, not numbers"
        if set(var.dims) - free != dims:
            hint = " (a sweep's data without its 'sweep_dims' attribute?)" if set(var.dims) - free > dims else ""
            return f"{LAYOUT}: {name} has the dimensions ({', '.join(var.dims)}), not ({', '.join(sorted(dims))}){hint}"
    if sweep and ds["status"].dtype.kind not in "USO":
        return f"{LAYOUT}: status holds {ds['status'].dtype} values, not text"
    for name in [n for n in FINITE if n in ds]:
        values = ds[name].where(ds["status"] == "optimal", 0.0) if sweep else ds[name]
        if not bool(np.isfinite(values).all()):
            return f"{name} is not a finite number (NaN or inf){' at a solved point' if sweep else ''}: damaged results"
    return None


@contextmanager
def used(paths: str | Path | Sequence[str | Path], what: str) -> Iterator[None]:
    """Use results read from ``paths`` for ``what`` (e.g. "the summary"): an error raised inside the
    block that stems from their content becomes a ResultsError naming the file(s).

    Errors of energymodel pass through (a ResultsError about a Dataset gets the file's name); so do
    OSErrors, which come from writing the output, not from the results (already in memory).
    """
    files = ", ".join(str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths))
    try:
        yield
    except ResultsError as exc:
        if exc.file is None:
            raise exc.naming(files) from exc
        raise
    except (EnergyModelError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - the data are at fault: a good results file does not fail here
        raise ResultsError(f"cannot be used for {what} ({describe(exc)}): damaged, or a layout this version cannot use", files) from exc


def describe(exc: BaseException, limit: int = 200) -> str:
    """An exception in one short line: its type and message (a missing variable named as such)."""
    text = " ".join(str(exc).split())
    if isinstance(exc, KeyError):
        found = re.search(r"No variable named '([^']*)'", text)
        text = f"no variable {found[1]!r}" if found else f"missing {text}"
    return f"{type(exc).__name__}: {text[:limit]}{'…' if len(text) > limit else ''}"
