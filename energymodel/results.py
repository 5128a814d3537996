"""Results: one labelled ``xarray.Dataset`` per run, written to NetCDF atomically.

Every variable carries ``units`` and ``long_name``; dataset attributes hold the resolved run
configuration (JSON), software versions, solver status and timings.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import xarray as xr

from . import __version__
from .model import COST_COMPONENTS, ModelFrame, report


def build_dataset(frame: ModelFrame, metadata: dict | None = None) -> xr.Dataset:
    """Collect every module's outputs into one Dataset (NaN where a variable does not apply)."""
    data = frame.data
    coords = {
        "time": ("time", data.time.values, {"long_name": "start of the modelled hour (local time)"}),
        "technology": ("technology", np.array(data.technologies.index, dtype=str)),
        "fuel": ("fuel", np.array(data.fuels.index, dtype=str)),
        "component": ("component", np.array(COST_COMPONENTS, dtype=str)),
        "family": ("technology", data.technologies["family"].to_numpy(dtype=str)),
    }
    techs = list(data.technologies.index)
    arrays: dict[str, np.ndarray] = {}
    attrs: dict[str, dict] = {}
    dims: dict[str, tuple] = {}
    for name, out in report(frame):
        values = out.data
        if out.technologies is not None:
            axis = out.dims.index("technology")
            shape = list(values.shape)
            shape[axis] = len(techs)
            if name not in arrays:
                arrays[name] = np.full(shape, np.nan)
            index = [techs.index(g) for g in out.technologies]
            np.moveaxis(arrays[name], axis, 0)[index] = np.moveaxis(values, axis, 0)
        else:
            arrays[name] = values
        dims[name] = out.dims
        attrs[name] = {"units": out.units, "long_name": out.long_name}
    variables = {name: (dims[name], arrays[name], attrs[name]) for name in arrays}
    variables["weight_h"] = (("time",), data.weight_h, {"units": "h", "long_name": "hours of the year each modelled hour stands for"})
    ds = xr.Dataset(variables, coords=coords)
    ds["energy_mwh"] = (ds["generation_mw"] * ds["weight_h"]).sum("time", min_count=1)
    ds["energy_mwh"].attrs = {"units": "MWh/yr", "long_name": "yearly electricity output"}
    ds.attrs.update(
        {
            "title": f"energymodel results: {data.config.name}",
            "run_name": data.config.name,
            "energymodel_version": __version__,
            "run_config": data.config.model_dump_json(),
            "dataset_settings": json.dumps(data.settings, default=str),
            "currency": f"CNY at {int(data.settings['money_base_year'])} prices",
            "modelled_year": int(data.settings["year"]),
            "hours_modelled": len(data.time),
            "Conventions": "CF-1.8",
        }
    )
    ds.attrs.update(metadata or {})
    return ds


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write to a temporary file beside ``path``, then rename: a failure never leaves a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars if ds[name].ndim > 0}
        ds.to_netcdf(tmp, engine="netcdf4", encoding=encoding)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def open_results(path: str | Path) -> xr.Dataset:
    """Open a results file (loaded into memory, file closed)."""
    with xr.open_dataset(path, engine="netcdf4") as ds:
        return ds.load()
