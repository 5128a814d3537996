"""Hydrogen by turbine class: the ``fleet`` kind (hydrogen burnt and the blend reached by volume, per class) and the
``macc`` kind (the marginal abatement cost curve of a blend or fleet-mandate sweep, each step split by class).

The data functions (:func:`fleet_frames`, :func:`abatement_steps`) return what the figures draw; tests check them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import option
from ..summary import format_coordinate
from .data import annual_frame, blend_share_frame, group_axis_label, group_values
from .draw import annual_panel, new_figure
from .errors import PlotError
from .selection import sum_regions, sweep_dims
from .style import families_of, series_styles

ABATEMENT_DIMS = ("h2_blend", "h2_fleet_min")
"""Sweep dimensions whose zero point is the reference of ``co2_abated_t`` (energymodel.sweep.ABATEMENT_PATHS)."""


def _require_blending(ds: xr.Dataset, kind: str) -> None:
    if "h2_use_by_technology_t" not in ds:
        raise PlotError(f"{option('kind', kind)}: no technology in these results blends hydrogen (h2_blending = true in technologies.csv)")


def fleet_classes(ds: xr.Dataset) -> list[str]:
    """The blending technologies (turbine classes) with capacity in any region, period or point, in stacking order."""
    blending = ds["h2_blend_energy_share_limit"].notnull()
    blending = blending.any([d for d in blending.dims if d != "technology"])
    capacity = ds["capacity_total_mw"].fillna(0)
    built = (capacity > 1e-6).any([d for d in capacity.dims if d != "technology"])
    return [str(t) for t in ds["technology"].values if bool(blending.sel(technology=t)) and bool(built.sel(technology=t))]


def hydrogen_fuel(ds: xr.Dataset) -> str:
    """The fuel blended (the run's ``hydrogen.fuel``)."""
    return json.loads(ds.attrs.get("run_config", "{}")).get("hydrogen", {}).get("fuel", "hydrogen")


def fleet_frames(ds: xr.Dataset, groups: list[str]) -> dict:
    """Per group (rows) and turbine class (columns): ``hydrogen_t`` (t/yr), ``blend_vol_pct`` (the blend reached, % of
    fuel volume), ``limit_vol_pct`` (each class's limit, vol%); per group: ``fleet_energy_pct`` (hydrogen's share of the
    whole blending fleet's heat input, % LHV) and ``mandate_pct`` (the fleet mandate, % of heat; NaN without one)."""
    classes = fleet_classes(ds)
    hydrogen = annual_frame(ds, "h2_use_by_technology_t", groups).reindex(columns=classes, fill_value=0.0)
    reached = blend_share_frame(ds, groups, "h2_blend_volume_share").reindex(columns=classes, fill_value=0.0)
    limit_da = ds["h2_blend_volume_share_limit"]
    limit_da = limit_da.max("region") if "region" in limit_da.dims and "region" not in groups else limit_da
    limit = annual_frame(ds, limit_da.fillna(0.0), groups, 100).reindex(columns=classes, fill_value=0.0)
    blending = [str(t) for t in ds["technology"].values if bool(ds["h2_blend_energy_share_limit"].sel(technology=t).notnull().any())]
    fuel = ds["fuel_use_gj"].sel(technology=blending).sum("technology").expand_dims(technology=["fleet"])
    h2 = annual_frame(ds, fuel.sel(fuel=hydrogen_fuel(ds)), groups).reindex(columns=["fleet"], fill_value=0.0)["fleet"]
    heat = annual_frame(ds, fuel.sum("fuel"), groups).reindex(columns=["fleet"], fill_value=0.0)["fleet"]
    share = (100 * h2 / heat.where(heat > 0)).fillna(0.0)
    if "h2_fleet_min" in ds.coords:
        mandate = np.resize(100 * group_values(ds, ds["h2_fleet_min"], groups), len(share))
    else:
        fleet = json.loads(ds.attrs.get("run_config", "{}")).get("hydrogen", {}).get("fleet") or {}
        mandate = np.full(len(share), 100 * fleet["min_energy_share"] if fleet.get("min_energy_share") is not None else np.nan)
    return {
        "hydrogen_t": hydrogen,
        "blend_vol_pct": reached,
        "limit_vol_pct": limit,
        "fleet_energy_pct": share.set_axis(hydrogen.index),
        "mandate_pct": pd.Series(mandate, index=hydrogen.index),
    }


def bars_with_limits(ax, ds: xr.Dataset, share: pd.DataFrame, limit: pd.DataFrame, groups: list[str], limit_label: str) -> None:
    """One bar per technology and group (the share reached), with each technology's limit as a dashed line over its bar."""
    n, k = len(share), max(1, len(share.columns))
    width = 0.8 / k
    styles = series_styles(share.columns, families_of(ds))
    for j, tech in enumerate(share.columns):
        x = np.arange(n) - 0.4 + width * (j + 0.5)
        ax.bar(x, share[tech], width, color=styles[tech]["color"], label=tech)
        if tech in limit:
            ax.hlines(
                limit[tech],
                x - width / 2,
                x + width / 2,
                colors="black",
                linestyles="--",
                linewidth=1.2,
                label=limit_label if j == 0 else None,
            )
    ax.set_xticks(np.arange(n), share.index if groups else [ds.attrs.get("run_name", "total")])
    ax.grid(axis="y", alpha=0.3)


def fleet_figure(fig, axes, ds: xr.Dataset, groups: list[str]) -> list:
    """Hydrogen burnt by class (kt/yr), the blend reached by class against its limit (vol%) and the fleet's share (% LHV)."""
    _require_blending(ds, "fleet")
    frames = fleet_frames(ds, groups)
    annual_panel(
        axes[0], ds, frames["hydrogen_t"] / 1e3, groups, "hydrogen burnt (kt/yr)", "hydrogen burnt by turbine class", "no hydrogen burnt"
    )
    bars_with_limits(axes[1], ds, frames["blend_vol_pct"], frames["limit_vol_pct"], groups, "class limit (vol%)")
    axes[1].set(ylabel="hydrogen share of fuel volume (vol%)", title="blend reached by turbine class", xlabel=group_axis_label(ds, groups))
    ax, x = axes[2], np.arange(len(frames["fleet_energy_pct"]))
    ax.bar(x, frames["fleet_energy_pct"], 0.5, color="0.45", label="fleet hydrogen share (% LHV)")
    mandate = frames["mandate_pct"]
    if mandate.notna().any():
        ax.hlines(mandate, x - 0.3, x + 0.3, colors="tab:red", linewidth=2, label="fleet mandate (% of heat)")
    ax.set_xticks(x, mandate.index if groups else [ds.attrs.get("run_name", "total")])
    ax.set(
        ylabel="hydrogen share of the blending fleet's heat (% LHV)", title="fleet-wide hydrogen share", xlabel=group_axis_label(ds, groups)
    )
    ax.grid(axis="y", alpha=0.3)
    return []


# ------------------------------------------------------------------------------------------- abatement cost curve


def abatement_dim(ds: xr.Dataset) -> str:
    """The sweep dimension the abatement is measured along, or a PlotError saying what sweep is needed."""
    dim = next((d for d in ABATEMENT_DIMS if d in sweep_dims(ds) and d in ds.dims), None)
    if dim is None or "co2_abated_t" not in ds:
        raise PlotError(
            f"{option('kind', 'macc')} needs a sweep over h2_blend or h2_fleet_min that includes 0 "
            f"(e.g. {option('sets', ['h2_fleet_min=0,0.02,0.05'])})"
        )
    return dim


def _one_line(ds: xr.Dataset) -> tuple[xr.Dataset, str]:
    """The sweep reduced to one line along its abatement dimension (other swept values and periods must be one)."""
    dim = abatement_dim(ds)
    other = [d for d in sweep_dims(ds) if d in ds.dims and d != dim] + (["period"] if "period" in ds.dims else [])
    left = [d for d in other if ds.sizes[d] > 1]
    if left:
        raise PlotError(f"{option('kind', 'macc')} draws one line: choose one value of {', '.join(left)} (--select, --period)")
    return ds.sortby(dim).squeeze(other), dim


def abatement_steps(ds: xr.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The abatement cost curve of one line of a blend or mandate sweep, step by step from one swept value to the next.

    ``steps`` (one row per step): ``from``, ``to`` (the swept values), ``co2_abated_mt`` (the CO2 the step avoids,
    Mt/yr, from the sweep's ``co2_abated_t``), ``extra_cost_bn`` (its cost, bn CNY/yr, from ``extra_cost_cny``) and
    ``cost_cny_per_t`` (CNY per tonne avoided, NaN when the step avoids nothing). ``by_class`` (same rows, one
    column per turbine class): the step's CO2 split in proportion to the extra hydrogen each class burns in it (Mt/yr).
    """
    ds, dim = _one_line(ds)
    other = [d for d in ds["co2_abated_t"].dims if d != dim]
    co2, cost = ds["co2_abated_t"].squeeze(other).values, ds["extra_cost_cny"].squeeze(other).values
    classes = fleet_classes(ds)
    h2 = sum_regions(ds["h2_use_by_technology_t"].sel(technology=classes)).fillna(0.0)
    h2 = h2.squeeze([d for d in h2.dims if d not in (dim, "technology")]).transpose(dim, "technology").values
    levels = ds[dim].values
    rows, split = [], []
    for i in range(1, len(levels)):
        d_co2, d_cost = co2[i] - co2[i - 1], cost[i] - cost[i - 1]
        avoided = d_co2 > 1e-9 * max(1.0, float(abs(ds["emissions_total_t"]).max()))
        rows.append(
            {
                "from": levels[i - 1],
                "to": levels[i],
                "co2_abated_mt": d_co2 / 1e6,
                "extra_cost_bn": d_cost / 1e9,
                "cost_cny_per_t": d_cost / d_co2 if avoided else np.nan,
            }
        )
        added = np.clip(h2[i] - h2[i - 1], 0, None)
        split.append(added / added.sum() * d_co2 / 1e6 if added.sum() > 0 else np.zeros(len(classes)))
    index = pd.Index([f"{format_coordinate(r['from'])} → {format_coordinate(r['to'])}" for r in rows], name=dim)
    return pd.DataFrame(rows, index=index), pd.DataFrame(np.array(split).reshape(len(rows), len(classes)), index=index, columns=classes)


def abatement_curve_figure(ds: xr.Dataset):
    """The abatement cost curve: each step of the sweep a bar as wide as the CO2 it avoids and as high as its cost per
    tonne, coloured by the classes whose hydrogen avoids it; beside it, hydrogen burnt by class at each swept value."""
    _require_blending(ds, "macc")
    steps, by_class = abatement_steps(ds)
    ds, dim = _one_line(ds)
    fig, (ax, ax_h2) = new_figure("macc", ncols=2, width_ratios=[3, 2])
    styles = series_styles(by_class.columns, families_of(ds))
    start = 0.0
    for step, row in steps.iterrows():
        if not np.isfinite(row["cost_cny_per_t"]) or row["co2_abated_mt"] <= 0:
            continue
        x = start
        for tech in by_class.columns:
            width = by_class.at[step, tech]
            if width > 0:
                ax.bar(
                    x, row["cost_cny_per_t"], width, align="edge", color=styles[tech]["color"], edgecolor="white", linewidth=0.5, label=tech
                )
                x += width
        ax.annotate(
            f"{dim} {step}",
            (start + row["co2_abated_mt"] / 2, row["cost_cny_per_t"]),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
        start += row["co2_abated_mt"]
    if start == 0:
        ax.text(0.5, 0.5, "no step of the sweep avoids CO2 (a binding cap?)", transform=ax.transAxes, ha="center", va="center", color="0.4")
    ax.set(xlabel=f"CO2 avoided against {dim} = 0 (Mt/yr, cumulative)", ylabel="cost per tonne avoided in the step (CNY/tCO2)")
    ax.set_title("abatement cost curve, by turbine class", loc="left")
    ax.grid(alpha=0.3)
    burnt = annual_frame(ds, "h2_use_by_technology_t", [dim], 1e-3).reindex(columns=by_class.columns, fill_value=0.0)
    annual_panel(ax_h2, ds, burnt, [dim], "hydrogen burnt (kt/yr)", "hydrogen by turbine class", "no hydrogen burnt")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if unique:
        ax.legend(unique.values(), unique.keys(), fontsize=8, loc="upper left")
    fig.suptitle(f"{ds.attrs.get('run_name', '')}: hydrogen abatement cost by turbine class ({ds.attrs.get('currency', 'CNY')})")
    return fig
