"""The figure of each kind: :func:`figure` selects, reduces and draws; :func:`abatement_figure` for blend sweeps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import ResultsError, option
from ..plot_kinds import HOURLY_KINDS, KINDS
from ..summary import format_coordinate
from .alternatives import alternatives_figure
from .data import (
    annual_frame,
    blend_share_frame,
    capacity_frame,
    captured_total_mt,
    dispatch_frame,
    emissions_frame,
    generation_frame,
    group_axis_label,
    group_dims,
    group_values,
    hydrogen_supply_frame,
    price_curves,
    storage_levels,
)
from .draw import (
    annual_panel,
    figure_title,
    legend,
    new_figure,
    new_hatch_handle,
    point_note,
    stack,
    technology_bars,
    time_axis,
    where_note,
)
from .errors import PlotError, TimeWindowError
from .fleet import abatement_curve_figure, bars_with_limits, fleet_figure
from .map import map_figure
from .selection import one_period, peak_week, require_hourly, require_one_point, select, sum_regions, sweep_dims
from .style import NEW, families_of, series_styles


def _capacity(fig, axes, ds, groups) -> list:
    frame = capacity_frame(ds, groups)
    if groups:
        annual_panel(axes[0], ds, frame, groups, "capacity (GW)", "installed capacity: existing and new")
    else:
        technology_bars(axes[0], ds, frame, "capacity (GW)", "installed capacity by technology: existing and new")
    return [new_hatch_handle()] if any(c.endswith(NEW) for c in frame.columns) else []


def _generation(fig, axes, ds, groups) -> list:
    twh = generation_frame(ds, groups)
    share = 100 * twh.div(twh.sum(axis=1), axis=0)
    if groups:
        annual_panel(axes[0], ds, twh, groups, "electricity output (TWh/yr)", "yearly output by technology")
        annual_panel(axes[1], ds, share, groups, "share of output (%)", "shares of output")
    else:
        labels = pd.Series({t: f"{twh.iloc[0][t]:,.0f} TWh\n{share.iloc[0][t]:.1f} %" for t in twh.columns})
        technology_bars(axes[0], ds, twh, "electricity output (TWh/yr)", "yearly output by technology (TWh and share)", labels)
    return []


def _emissions(fig, axes, ds, groups) -> list:
    from matplotlib.lines import Line2D

    frame = emissions_frame(ds, groups)
    annual_panel(axes[0], ds, frame, groups, "CO2 emissions (Mt/yr)", "CO2 emissions by technology")
    extra = []
    if "region" in groups:
        cap = float(ds["carbon_cap_t"]) / 1e6
        axes[0].annotate(
            f"all regions: {frame.to_numpy().sum():,.0f} Mt/yr" + (f", national cap {cap:,.0f} Mt/yr" if np.isfinite(cap) else ", no cap"),
            (0.99, 0.98),
            xycoords="axes fraction",
            ha="right",
            va="top",
            fontsize=9,
        )
    else:
        cap = group_values(ds, ds["carbon_cap_t"], groups) / 1e6
        x = np.arange(len(cap)) if groups else np.array([0.0])
        if len(cap) != len(x):
            cap = np.resize(cap, len(x))
        if np.isfinite(cap).any():
            half = 0.45 if groups else 0.35
            axes[0].hlines(cap, x - half, x + half, colors="black", linestyles="--", linewidth=1.5)
            extra.append(Line2D([], [], color="black", linestyle="--", label="CO2 cap"))
            top = np.nanmax(np.concatenate([cap, frame.clip(lower=0).sum(axis=1).to_numpy()]))
            axes[0].set_ylim(top=top * 1.08 if top > 0 else 1)
    captured = captured_total_mt(ds)
    if captured > 0:
        axes[0].annotate(
            f"captured, not emitted: {captured:,.0f} Mt/yr" + (" (all points)" if groups and "region" not in groups else ""),
            (0.01, 0.98),
            xycoords="axes fraction",
            ha="left",
            va="top",
            fontsize=9,
        )
    if len(axes) > 1:  # one system, one point: CO2 hour by hour
        hourly = ds["emissions_t_per_h"] / 1e3
        axes[1].step(np.arange(ds.sizes["time"] + 1), np.append(hourly.values, hourly.values[-1]), where="post", color="0.2", linewidth=1)
        time_axis(axes[1], pd.DatetimeIndex(ds["time"].values))
        axes[1].set(ylabel="CO2 emissions (kt/h)", title="hourly CO2 emissions (all sources)")
        axes[1].set_ylim(bottom=0)
        axes[1].grid(alpha=0.3)
    return extra


def _hydrogen(fig, axes, ds, groups) -> list:
    if "h2_use_t" not in ds:
        raise PlotError(
            f"{option('kind', 'hydrogen')}: no technology in these results blends hydrogen (h2_blending = true in technologies.csv)"
        )
    burnt = annual_frame(ds, "h2_use_by_technology_t", groups, 1e-3)
    annual_panel(axes[0], ds, burnt, groups, "hydrogen burnt (kt/yr)", "hydrogen burnt in gas turbines", "no hydrogen burnt")
    share = blend_share_frame(ds, groups)
    limit = blend_share_frame(ds, groups, "h2_blend_energy_share_limit")
    ax = axes[1]
    bars_with_limits(ax, ds, share, limit, groups, "blend limit (run)")
    ax.set(ylabel="hydrogen share of heat input (% LHV)", title="realised hydrogen blend", xlabel=group_axis_label(ds, groups))
    if "h2_made_t" in ds:
        supply = hydrogen_supply_frame(ds, groups, share.index)
        annual_panel(
            axes[2],
            ds,
            supply.loc[:, (supply.abs() > 1e-9).any()],
            groups,
            "hydrogen (kt/yr)",
            "hydrogen made by electrolysis vs bought",
            "no hydrogen made or bought",
        )
    return []


def _dispatch(fig, axes, ds) -> None:
    frame, demand = dispatch_frame(ds)
    ax = axes[0]
    stack(ax, frame, series_styles(frame.columns, families_of(ds)))
    x = np.arange(len(demand) + 1)
    ax.step(x, np.append(demand.values, demand.values[-1]), where="post", color="black", linewidth=1.4, label="demand")
    time_axis(ax, demand.index)
    ax.set(ylabel="power (GW)", title="hourly supply (above 0) and withdrawals (below 0)")
    ax.grid(axis="y", alpha=0.3)


def _prices(fig, axes, ds) -> None:
    curves = price_curves(ds)
    if len(curves) > 14:
        raise PlotError(
            f"{option('kind', 'prices')} would draw {len(curves)} curves: "
            f"choose fewer with {option('region')}, {option('period')} or {option('point')}"
        )
    ax = axes[0]
    top = 0.0
    for label, curve in curves.items():
        ax.step(np.append(0.0, curve.index), np.append(curve.values[:1], curve.values), where="pre", label=label, linewidth=1.3)
        top = max(top, float(np.nanmax(curve.values)) if len(curve) else 0.0)
    p99 = max(float(np.nanpercentile(np.concatenate([c.values for c in curves.values()]), 99)), 1.0)
    if top > 5 * p99:
        ax.set_ylim(top=p99 * 1.5)
        ax.annotate(
            f"peaks up to {top:,.0f} CNY/MWh are cut off",
            (0.99, 0.97),
            xycoords="axes fraction",
            ha="right",
            va="top",
            fontsize=9,
            color="0.3",
        )
    if min(float(np.nanmin(c.values)) for c in curves.values()) >= 0:
        ax.set_ylim(bottom=0)
    ax.set(xlabel="hours of the year with at least this price (h)", ylabel="marginal price (CNY/MWh)", title="price-duration curves")
    ax.set_xlim(0, max(float(c.index.max()) for c in curves.values()))
    ax.grid(alpha=0.3)


def _storage(fig, axes, ds, frames: dict[str, pd.DataFrame], axis: str) -> None:
    for ax, (tech, frame) in zip(axes, frames.items()):
        unit = "GWh of H2 (LHV)" if families_of(ds).get(tech) == "h2_storage" else "GWh"
        for column in frame.columns:
            label = column if column != tech else None
            if axis == "day":
                ax.plot(
                    frame.index,
                    frame[column],
                    label=label,
                    linewidth=1.2,
                    color=series_styles([tech], families_of(ds))[tech]["color"] if label is None else None,
                )
            else:
                ax.plot(
                    np.arange(len(frame)) + 1,
                    frame[column],
                    label=label,
                    linewidth=1.2,
                    color=series_styles([tech], families_of(ds))[tech]["color"] if label is None else None,
                )
        capacity = sum_regions(ds["energy_capacity_mwh"].sel(technology=tech)) / 1e3
        cap = float(np.nanmax(np.atleast_1d(capacity.values)))
        if np.isfinite(cap) and cap > 0:
            ax.axhline(cap, color="0.4", linestyle="--", linewidth=0.8)
            ax.annotate(
                f"energy capacity {cap:,.0f} {unit}",
                (0.995, cap),
                xycoords=("axes fraction", "data"),
                ha="right",
                va="bottom",
                fontsize=8,
                color="0.3",
            )
            ax.set_ylim(0, cap * 1.15)
        ax.set_ylabel(f"level ({unit})")
        ax.set_title(tech, loc="left", fontsize=10)
        ax.grid(alpha=0.3)
    last = axes[len(frames) - 1]
    if axis == "time":
        time_axis(last, next(iter(frames.values())).index)
    else:
        last.set_xlabel("day of the year (level at the start of each day, from the representative days)")
    for ax in axes[len(frames) :]:
        ax.set_visible(False)


def figure(
    ds: xr.Dataset,
    kind: str,
    region: str | None = None,
    period=None,
    time: str | None = None,
    point: dict | None = None,
    quantity: str | None = None,
):
    """The matplotlib Figure of one kind (no pyplot state); raises PlotError when the kind or selection does not apply.
    ``quantity`` is what the map shows per region (capacity, generation or prices; default capacity)."""
    if kind not in KINDS:
        raise PlotError(f"unknown plot kind {kind!r} (kinds: {', '.join(KINDS)})")
    if quantity is not None and kind != "map":
        raise PlotError(f"{option('quantity')} applies to {option('kind', 'map')}, not to {option('kind', kind)}")
    if kind == "abatement":
        return abatement_figure(ds)
    if kind == "macc":
        return abatement_curve_figure(select(ds, region, period, None, point))
    if kind == "alternatives":
        return alternatives_figure(ds)
    if time is not None and kind not in HOURLY_KINDS:
        raise TimeWindowError(time, f"only the hourly kinds ({', '.join(HOURLY_KINDS)}) take a time window, not {kind}")
    if kind == "map":
        return map_figure(ds, quantity or "capacity", region, period, point)
    sel = select(ds, region, period, time, point)
    where = where_note(sel, region)
    if kind == "dispatch":
        require_hourly(sel, kind)
        require_one_point(sel, kind)
        sel, period_note = one_period(sel)
        window = ""
        if time is None:
            sel, window = peak_week(sel)
        fig, axes = new_figure(kind)
        _dispatch(fig, axes, sel)
        figure_title(fig, sel, "hourly dispatch", [where, point_note(sel), period_note, window])
    elif kind == "prices":
        require_hourly(sel, kind)
        fig, axes = new_figure(kind)
        _prices(fig, axes, sel)
        figure_title(fig, sel, "marginal price of electricity", [where if region else "", point_note(sel)])
    elif kind == "storage":
        require_hourly(sel, kind)
        sel, period_note = one_period(sel)
        frames, axis = storage_levels(sel, daily=time is None)
        if not frames:
            raise PlotError(f"{option('kind', 'storage')}: no storage, reservoir or hydrogen storage with a level in these results")
        fig, axes = new_figure(kind, nrows=len(frames), sharex=True)
        _storage(fig, axes, sel, frames, axis)
        figure_title(fig, sel, "storage and reservoir levels", [where, point_note(sel), period_note])
        points = [d for d in sweep_dims(sel) if d in sel.dims]
        legend(fig, axes, title=" / ".join(points) or None)
        return fig
    elif kind in ("capacity", "generation", "emissions", "hydrogen", "fleet"):
        groups = group_dims(sel)
        hourly_co2 = kind == "emissions" and region is None and "emissions_t_per_h" in sel and not [g for g in groups if g != "region"]
        ncols = {
            "capacity": 1,
            "generation": 2 if groups else 1,
            "emissions": 1 + hourly_co2,
            "hydrogen": 2 + ("h2_made_t" in sel),
            "fleet": 3,
        }[kind]
        fig, axes = new_figure(kind, ncols=ncols, width_ratios=[1, 2] if hourly_co2 and not groups else None)
        draw = {"capacity": _capacity, "generation": _generation, "emissions": _emissions, "hydrogen": _hydrogen, "fleet": fleet_figure}[
            kind
        ]
        extra = draw(fig, axes, sel, groups)
        what = {
            "capacity": "installed capacity",
            "generation": "electricity output",
            "emissions": "CO2 emissions",
            "hydrogen": "hydrogen",
            "fleet": "hydrogen by turbine class",
        }[kind]
        figure_title(fig, sel, what, [where if "region" not in groups else "", point_note(sel)])
        legend(fig, axes, extra)
        return fig
    elif kind == "pathway":
        if "period" not in sel.dims:
            raise PlotError(
                f"{option('kind', 'pathway')} needs a pathway run (a run file with a 'pathway' section); these results are one modelled year"
                + (f" (or a single {option('period')} was chosen)" if period is not None else "")
            )
        require_one_point(sel, kind)
        groups = group_dims(sel)
        fig, axes = new_figure(kind, ncols=3)
        extra = _capacity(fig, axes[:1], sel, groups) + _generation_by_period(axes[1], sel, groups) + _emissions(fig, axes[2:], sel, groups)
        figure_title(fig, sel, "pathway by investment period", [where, point_note(sel)])
        legend(fig, axes, extra)
        return fig
    legend(fig, axes)
    return fig


def _generation_by_period(ax, ds, groups) -> list:
    annual_panel(ax, ds, generation_frame(ds, groups), groups, "electricity output (TWh/yr)", "yearly output by technology")
    return []


def abatement_figure(ds: xr.Dataset):
    """CO2 abated and abatement cost against the hydrogen blend, one line per value of the other axes."""
    dims = sweep_dims(ds)
    if "h2_blend" in dims and "co2_abated_t" not in ds and 0 in ds["h2_blend"].values:
        raise ResultsError("no co2_abated_t in this sweep over h2_blend with 0 (a damaged file, or another layout)")
    if "h2_blend" not in dims or "co2_abated_t" not in ds:
        raise PlotError(
            f"the abatement plot needs a sweep over h2_blend that includes 0 (a sweep with {option('sets', ['h2_blend=0,...'])})"
        )
    others = [d for d in dims if d != "h2_blend"]
    lines = ds[["co2_abated_t", "abatement_cost_cny_per_t", "extra_cost_cny"]]
    lines = lines.stack(case=others) if others else lines.expand_dims(case=[0])
    fig, (ax_co2, ax_cost) = new_figure("abatement", ncols=2)
    blend = 100 * ds["h2_blend"].values
    for i in range(lines.sizes["case"]):
        case = lines.isel(case=i)
        label = ", ".join(f"{d}={format_coordinate(case[d].values)}" for d in others) or ds.attrs.get("run_name", "")
        ax_co2.plot(blend, case["co2_abated_t"].values / 1e6, marker="o", label=label)
        ax_cost.plot(blend, case["abatement_cost_cny_per_t"].values, marker="o", label=label)
    ax_co2.set(xlabel="hydrogen in gas-turbine fuel (vol %)", ylabel="CO2 abated vs 0 vol% (Mt/yr)", title="CO2 abated")
    ax_cost.set(xlabel="hydrogen in gas-turbine fuel (vol %)", ylabel="abatement cost (CNY/tCO2)", title="Cost per tonne avoided")
    for ax in (ax_co2, ax_cost):
        ax.grid(alpha=0.3)
    ax_cost.legend(fontsize=8)
    fig.suptitle(f"{ds.attrs.get('run_name', '')}: hydrogen blending ({ds.attrs.get('currency', 'CNY')})")
    return fig
