"""Results: one labelled ``xarray.Dataset`` per run, written to NetCDF atomically.

Every variable carries ``units`` and ``long_name``; dataset attributes hold the resolved run
configuration (JSON), software versions, solver status and timings.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from . import __version__, explain
from .errors import EnergyModelError
from .files import replaced_atomically
from .model import COST_COMPONENTS, ModelFrame, hydrogen_supply, report
from .reading import read_results


def build_dataset(frame: ModelFrame, metadata: dict | None = None, config=None) -> xr.Dataset:
    """Collect every module's outputs into one Dataset (NaN where a variable does not apply).

    ``config`` is the run configuration recorded with the results (default: the one the model was
    built from; a sweep point passes its own).

    Modules report per technology id (``region.name``); here the ``technology`` dimension of every
    output becomes two, ``region`` and ``technology`` (the plain name), NaN where a region lacks it.
    With one modelled year the ``period`` dimension is dropped; in a pathway the modelled hours
    (and days) of all periods are split into ``period`` x ``time`` (x ``day``).
    """
    data = frame.data
    config = frame.config if config is None else config
    periods = frame.plan.count
    n_hours = len(data.time) // periods
    techs = data.technologies
    units = list(techs.index)
    regions = data.regions
    tech_names = list(dict.fromkeys(techs["technology"]))
    position = {g: (regions.index(techs.at[g, "region"]), tech_names.index(techs.at[g, "technology"])) for g in units}
    family = techs.drop_duplicates("technology").set_index("technology")["family"]
    coords = {
        "time": ("time", data.time.values[:n_hours], {"long_name": "start of the modelled hour (local time)"}),
        "region": ("region", np.array(regions, dtype=str)),
        "technology": ("technology", np.array(tech_names, dtype=str)),
        "fuel": ("fuel", np.array(data.fuels.index, dtype=str)),
        "co2_t_per_gj": (
            "fuel",
            data.fuels["co2_t_per_gj"].to_numpy(dtype=float),
            {"units": "tCO2/GJ", "long_name": "CO2 per GJ of fuel burnt (LHV)"},
        ),
        "lhv_mj_per_kg": (
            "fuel",
            data.fuels["lhv_mj_per_kg"].to_numpy(dtype=float),
            {"units": "MJ/kg", "long_name": "lower heating value per kg (NaN: not given)"},
        ),
        "component": ("component", np.array(COST_COMPONENTS, dtype=str)),
        "family": ("technology", family.loc[tech_names].to_numpy(dtype=str)),
    }
    if not data.region_positions.empty:
        where = data.region_positions.loc[regions]
        coords["region_lat_deg"] = (
            "region",
            where["lat_deg"].to_numpy(dtype=float),
            {"units": "degrees_north", "long_name": "latitude of the region (for maps)"},
        )
        coords["region_lon_deg"] = (
            "region",
            where["lon_deg"].to_numpy(dtype=float),
            {"units": "degrees_east", "long_name": "longitude of the region (for maps)"},
        )
    if not data.lines.empty:
        coords["line"] = ("line", np.array(data.lines.index, dtype=str))
        coords["region_from"] = ("line", data.lines["region_from"].to_numpy(dtype=str))
        coords["region_to"] = ("line", data.lines["region_to"].to_numpy(dtype=str))
    if not data.heat_demand_mw.empty:
        coords["heat_network"] = ("heat_network", np.array(data.heat_demand_mw.columns, dtype=str))
    if hydrogen_supply.active(frame):
        sources = hydrogen_supply.sources(frame)
        coords["h2_source"] = ("h2_source", np.array(sources.index, dtype=str))
        coords["h2_source_region"] = ("h2_source", sources["region"].to_numpy(dtype=str), {"long_name": "region a source supplies"})
        coords["h2_source_kind"] = ("h2_source", sources["kind"].to_numpy(dtype=str), {"long_name": "kind of hydrogen (grey, blue, green)"})
    if data.day_sequence is not None:
        n_days = len(data.day_sequence) // periods
        coords["day"] = ("day", data.day_dates.values[:n_days], {"long_name": "day of the modelled range (representative days)"})
    if periods > 1:
        coords["period"] = ("period", np.array(frame.plan.years), {"long_name": "investment period (year)"})
        coords["represented_yr"] = ("period", frame.plan.represented_yr, {"units": "yr", "long_name": "years each period stands for"})
        coords["objective_factor"] = (
            "period",
            frame.plan.objective_factor,
            {"units": "1", "long_name": "discounted years: weight of the period's yearly costs in the objective"},
        )
    arrays: dict[str, np.ndarray] = {}
    attrs: dict[str, dict] = {}
    dims: dict[str, tuple] = {}
    for name, out in [*report(frame), *explain.report(frame).items()]:
        values, out_dims = out.data, out.dims
        if "technology" in out_dims:
            axis = out_dims.index("technology")
            shape = list(values.shape)
            shape[axis : axis + 1] = [len(regions), len(tech_names)]
            if name not in arrays:
                arrays[name] = np.full(shape, np.nan)
            target = np.moveaxis(arrays[name], (axis, axis + 1), (0, 1))  # a view: writes go through
            source = np.moveaxis(values, axis, 0)
            for i, g in enumerate(out.technologies if out.technologies is not None else units):
                target[position[g]] = source[i]
            out_dims = out_dims[:axis] + ("region", "technology") + out_dims[axis + 1 :]
        else:
            arrays[name] = values
        dims[name] = out_dims
        attrs[name] = {"units": out.units, "long_name": out.long_name}
    variables = {name: (*_by_period(arrays[name], dims[name], periods)[::-1], attrs[name]) for name in arrays}
    weight, weight_dims = _by_period(data.weight_h, ("time",), periods)
    variables["weight_h"] = (weight_dims, weight, {"units": "h", "long_name": "hours of the year each modelled hour stands for"})
    if data.day_sequence is not None:
        typical = data.day_sequence % (n_hours // 24)  # typical day within its period
        typical, typical_dims = _by_period(typical.astype("int32"), ("day",), periods)
        variables["representative_day"] = (
            typical_dims,
            typical,
            {"units": "1", "long_name": "typical day k standing for each day (its hours are time[24k:24k+24])"},
        )
    if explain.VARIABLE in variables:
        coords["service"] = ("service", np.array(explain.SERVICES, dtype=str), {"long_name": "what new capacity is paid for"})
        variables[explain.VARIABLE][2]["other_families"] = ", ".join(explain.other_families(frame))
    ds = xr.Dataset(variables, coords=coords)
    ds["energy_mwh"] = (ds["generation_mw"] * ds["weight_h"]).sum("time", min_count=1)
    ds["energy_mwh"].attrs = {"units": "MWh/yr", "long_name": "yearly electricity output"}
    ds.attrs.update(
        {
            "title": f"energymodel results: {config.name}",
            "run_name": config.name,
            "energymodel_version": __version__,
            "run_config": config.model_dump_json(),
            "dataset_settings": json.dumps(data.settings, default=str),
            "currency": f"CNY at {int(data.settings['money_base_year'])} prices",
            "modelled_year": int(data.settings["year"]),
            "hours_modelled": len(data.time),
            "regions": len(regions),
            "Conventions": "CF-1.8",
        }
    )
    ds.attrs.update(metadata or {})
    return ds


def _by_period(values: np.ndarray, dims: tuple, periods: int) -> tuple[np.ndarray, tuple]:
    """Drop the period axis of a one-year run; split the time (or day) axis of a pathway into period x time."""
    values = np.asarray(values)
    if periods == 1:
        if "period" in dims:
            values = np.take(values, 0, axis=dims.index("period"))
            dims = tuple(d for d in dims if d != "period")
        return values, dims
    for axis_name in ("time", "day"):
        if axis_name in dims:
            axis = dims.index(axis_name)
            shape = values.shape[:axis] + (periods, values.shape[axis] // periods) + values.shape[axis + 1 :]
            values = values.reshape(shape)
            dims = dims[:axis] + ("period", axis_name) + dims[axis + 1 :]
    return values, dims


def write_netcdf(ds: xr.Dataset, path: str | Path) -> Path:
    """Write to a temporary file beside ``path``, then rename: a failure never leaves a partial file."""
    encoding = {name: {"zlib": True, "complevel": 4} for name in ds.data_vars if ds[name].ndim > 0}
    try:
        with replaced_atomically(path) as tmp:
            ds.to_netcdf(tmp, engine="netcdf4", encoding=encoding)
    except (OSError, RuntimeError) as exc:  # disk full, quota, permissions; netCDF4's HDF errors are RuntimeErrors
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise EnergyModelError(f"{path}: the results could not be written ({why}); nothing was written there") from exc
    return Path(path)


def open_results(path: str | Path, expect: str = "any") -> xr.Dataset:
    """Open a results file (loaded into memory, file closed), checked: a file that is not energymodel
    results of the kind ``expect`` ("run", "sweep" or "any") raises ResultsError (see ``reading.py``)."""
    return read_results(path, expect)
