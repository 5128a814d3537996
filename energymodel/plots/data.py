"""Results reduced to what a plot draws: DataFrames with one column per technology or series, in stacking order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..inputs.schema import H2_KIND_AT_FUEL_PRICE
from ..summary import format_coordinate
from .selection import sum_regions, sweep_dims
from .style import CHARGING, NEW, families_of, stacking_order


def group_dims(ds: xr.Dataset) -> list[str]:
    """Dimensions that become groups (bars) in annual plots: sweep dimensions and periods, else regions."""
    dims = [d for d in sweep_dims(ds) if d in ds.dims] + (["period"] if "period" in ds.dims else [])
    if not dims and ds.sizes.get("region", 1) > 1:
        dims = ["region"]
    return dims


def group_axis_label(ds: xr.Dataset, groups: list[str]) -> str:
    """The axis label of the groups, e.g. ``h2_blend / investment period``."""
    return " / ".join("investment period" if g == "period" else g for g in groups)


def _group_labels(da: xr.DataArray, groups: list[str]) -> pd.Index:
    if not groups:
        return pd.Index(["total"])
    index = da.stack(group=groups).indexes["group"] if len(groups) > 1 else da.indexes[groups[0]]
    if len(groups) > 1:
        return pd.Index([" / ".join(format_coordinate(v) for v in values) for values in index])
    return pd.Index([format_coordinate(v) if groups[0] != "period" else str(v) for v in index])


def group_values(ds: xr.Dataset, da: xr.DataArray, groups: list[str]) -> np.ndarray:
    """A variable without region/technology as one value per group (broadcast when it does not vary)."""
    groups = [g for g in groups if g != "region"]
    da = da.broadcast_like(xr.Dataset(coords={g: ds[g] for g in groups})) if groups else da
    values = (da.stack(group=groups) if len(groups) > 1 else da).values
    return np.atleast_1d(values).astype(float)


def annual_frame(ds: xr.Dataset, variable: str | xr.DataArray, groups: list[str] | None = None, scale: float = 1.0) -> pd.DataFrame:
    """A (group, technology) variable as a DataFrame: one row per group, one column per technology, regions summed
    unless regions are the groups. Columns with nothing in them are dropped; order is the stacking order."""
    da = ds[variable] if isinstance(variable, str) else variable
    groups = group_dims(ds) if groups is None else groups
    if "region" not in groups:
        da = sum_regions(da)
    if groups:
        da = da.stack(group=groups) if len(groups) > 1 else da.rename({groups[0]: "group"})
        values = da.transpose("group", "technology").values
    else:
        values = da.transpose("technology").values[None, :]
    frame = pd.DataFrame(
        values * scale,
        index=_group_labels(ds[variable] if isinstance(variable, str) else variable, groups),
        columns=[str(t) for t in da["technology"].values],
    )
    frame = frame.loc[:, (frame.fillna(0).abs() > 1e-9).any()]
    return frame[stacking_order(frame.columns, families_of(ds))].fillna(0.0)


def capacity_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """Installed capacity (GW): columns ``X`` (existing fleet still standing, less what retrofits converted) and
    ``X new`` (built by the model and still standing: in a pathway, everything built up to that period)."""
    existing = ds["capacity_existing_mw"]
    if "capacity_retrofitted_mw" in ds:
        existing = existing - ds["capacity_retrofitted_mw"].fillna(0)
    new = ds["capacity_total_mw"] - existing
    frame = pd.concat([annual_frame(ds, existing, groups, 1e-3), annual_frame(ds, new, groups, 1e-3).add_suffix(NEW)], axis=1).fillna(0.0)
    return frame[stacking_order(frame.columns, families_of(ds))]


def generation_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """Yearly output (TWh/yr) by technology, plus unserved demand ("lost load") where there is any."""
    frame = annual_frame(ds, "energy_mwh", groups, 1e-6)
    lost = annual_frame(ds, (ds["lost_load_mw"] * ds["weight_h"]).sum("time").expand_dims(technology=["lost load"]), groups, 1e-6)
    return pd.concat([frame, lost], axis=1) if not lost.empty else frame


def emissions_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """CO2 (Mt/yr) by technology, plus bought hydrogen's CO2 if reported."""
    frame = annual_frame(ds, "emissions_t", groups, 1e-6)
    if "emissions_h2_bought_t" in ds and float(abs(ds["emissions_h2_bought_t"]).sum()) > 0:
        frame["bought hydrogen"] = group_values(ds, ds["emissions_h2_bought_t"], groups) * 1e-6
    return frame


def captured_total_mt(ds: xr.Dataset) -> float:
    """CO2 captured by carbon-capture plants (Mt/yr), summed over every other dimension; 0 without capture."""
    return float(ds["co2_captured_total_t"].sum()) / 1e6 if "co2_captured_total_t" in ds else 0.0


def blend_share_frame(ds: xr.Dataset, groups: list[str], variable: str = "h2_blend_energy_share") -> pd.DataFrame:
    """Hydrogen share of the heat input (%) by blending technology, heat-weighted over regions unless regions are the groups."""
    share = ds[variable]
    if "region" in share.dims and "region" not in groups and ds.sizes["region"] > 1:
        heat = ds["fuel_use_gj"].sum("fuel").where(share.notnull())
        share = (share * heat).sum("region") / heat.sum("region")
        share = share.where(np.isfinite(share), ds[variable].max("region"))
    frame = annual_frame(ds, share.where(share.notnull(), 0.0), groups, 100)
    techs = [str(t) for t in ds["technology"].values if bool(ds[variable].sel(technology=t).notnull().any())]
    return frame.reindex(columns=stacking_order(techs, families_of(ds)), fill_value=0.0)


def dispatch_frame(ds: xr.Dataset) -> tuple[pd.DataFrame, pd.Series]:
    """Hourly supply stack (GW, signed) and demand (GW) of a one-point, one-period selection.

    Columns: generation by technology and lost load (>= 0), storage charging, electrolysis and the power of
    heat pumps and electric boilers (<= 0); for one region of several, net imports (received net of line losses,
    minus sent); for all regions of a system with lines, line losses (<= 0); flexible demand moved out of the
    hour (> 0, as a supply) or into it (< 0). The columns sum to the demand (before shifting).
    """
    parts: dict[str, xr.DataArray] = {}
    for tech in ds["technology"].values:
        parts[str(tech)] = sum_regions(ds["generation_mw"].sel(technology=tech)).fillna(0)
    for variable, suffix in (("storage_charge_mw", CHARGING), ("electrolysis_mw", ""), ("heat_pump_power_mw", "")):
        if variable in ds:
            for tech in ds["technology"].values:
                parts[f"{tech}{suffix}"] = parts.get(f"{tech}{suffix}", 0) - sum_regions(ds[variable].sel(technology=tech)).fillna(0)
    parts["lost load"] = sum_regions(ds["lost_load_mw"])
    if "demand_shift_mw" in ds:
        parts["demand shifted"] = -sum_regions(ds["demand_shift_mw"])
    if "flow_mw" in ds:
        regions = [str(r) for r in ds["region"].values]
        if len(regions) == 1:
            parts["net imports"] = _net_imports(ds, regions[0])
        else:
            parts["line losses"] = -ds["line_losses_mw"].sum("line")
    index = pd.DatetimeIndex(ds["time"].values)
    frame = pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=float), len(index)) / 1e3 for k, v in parts.items()}, index=index)
    frame = frame.loc[:, (frame.fillna(0).abs() > 1e-9).any()].fillna(0.0)
    frame = frame[stacking_order(frame.columns, families_of(ds))]
    demand = pd.Series(sum_regions(ds["demand_mw"]).values / 1e3, index=index, name="demand")
    return frame, demand


def _net_imports(ds: xr.Dataset, region: str) -> xr.DataArray:
    """Power into ``region`` over its lines (MW): what arrives (sent less line losses) minus what it sends."""
    flow, losses = ds["flow_mw"], ds["line_losses_mw"]
    into_to = xr.where(flow > 0, flow - losses, flow)  # seen from region_to
    into_from = xr.where(flow < 0, -flow - losses, -flow)  # seen from region_from
    total = (into_to * (ds["region_to"] == region)).sum("line") + (into_from * (ds["region_from"] == region)).sum("line")
    return total


def price_curves(ds: xr.Dataset) -> dict[str, pd.Series]:
    """Price-duration curves: for each region (and sweep point or period left), prices sorted high to low (CNY/MWh)
    against the hours of the year they stand for (cumulative ``weight_h``)."""
    others = [d for d in sweep_dims(ds) if d in ds.dims] + (["period"] if "period" in ds.dims else [])
    curves = {}
    price = ds["marginal_price_cny_per_mwh"]
    stacked = price.stack(line=["region"] + others)
    weight = ds["weight_h"]
    for i in range(stacked.sizes["line"]):
        one = stacked.isel(line=i)
        keys = {d: one[d].values for d in ["region"] + others}
        w = weight.sel({d: keys[d] for d in others if d in weight.dims}) if others else weight
        order = np.argsort(-one.values, kind="stable")
        hours = np.cumsum(np.asarray(w.values)[order])
        label = ", ".join(
            ([str(keys["region"])] if ds.sizes["region"] > 1 or not others else []) + [f"{d}={format_coordinate(keys[d])}" for d in others]
        )
        curves[label] = pd.Series(one.values[order], index=hours, name=label)
    return curves


def storage_levels(ds: xr.Dataset, daily: bool = True) -> tuple[dict[str, pd.DataFrame], str]:
    """Levels (GWh) of storage, reservoirs and hydrogen storage: technology -> frame (one column per sweep point).

    With representative days and ``daily``, the level at the start of every day of the year
    (``day_start_level_mwh``); otherwise the level at the end of every modelled hour. Returns the
    frames and which of the two it is ("day" or "time").
    """
    families = families_of(ds)
    techs = [t for t, f in families.items() if f in ("storage", "reservoir_hydro", "h2_storage")]
    daily = daily and "day_start_level_mwh" in ds and "day" in ds.dims
    variable, axis = ("day_start_level_mwh", "day") if daily else ("storage_level_mwh", "time")
    points = [d for d in sweep_dims(ds) if d in ds.dims]
    frames = {}
    for tech in stacking_order(techs, families):
        level = sum_regions(ds[variable].sel(technology=tech)) / 1e3
        if points:
            level = level.stack(point=points)
            columns = [" / ".join(format_coordinate(v) for v in (p if isinstance(p, tuple) else (p,))) for p in level.indexes["point"]]
            frame = pd.DataFrame(level.transpose(axis, "point").values, index=pd.DatetimeIndex(ds[axis].values), columns=columns)
        else:
            frame = pd.DataFrame({tech: level.values}, index=pd.DatetimeIndex(ds[axis].values))
        if bool((frame.fillna(0).abs() > 1e-9).any().any()):
            frames[tech] = frame
    return frames, axis


def hydrogen_supply_frame(ds: xr.Dataset, groups: list[str], index) -> pd.DataFrame:
    """Hydrogen made by electrolysis and bought, by kind (kt/yr): one row per group (per region where regions are
    the groups), one column per source: 'electrolyser', then 'bought hydrogen' (at the fuel price, without
    hydrogen_supply.csv) or 'bought grey', 'bought blue', 'bought green'."""
    by_region = groups == ["region"]
    made = ds["h2_made_by_technology_t"].sum("technology") if "h2_made_by_technology_t" in ds else ds["h2_made_t"]
    if not by_region and "region" in made.dims:
        made = made.sum("region")
    bought, kinds = ds["h2_bought_by_source_t"], ds["h2_source_kind"]

    def of_kind(kind: str) -> xr.DataArray:
        if not by_region:
            return bought.where(kinds == kind).sum("h2_source")
        regions = ds["region"]
        return xr.concat([bought.where((kinds == kind) & (ds["h2_source_region"] == r)).sum("h2_source") for r in regions.values], regions)

    columns = {"electrolyser": group_values(ds, made, groups) / 1e3}
    for kind in dict.fromkeys(kinds.values.tolist()):
        columns["bought hydrogen" if kind == H2_KIND_AT_FUEL_PRICE else f"bought {kind}"] = group_values(ds, of_kind(kind), groups) / 1e3
    return pd.DataFrame(columns, index=index)
