"""Static plots of results files (matplotlib, drawn off-screen and written atomically).

Every kind starts from :func:`select` (region, period, time window, sweep point), reduces the
Dataset to a ``pandas.DataFrame`` (one column per technology or series, e.g. :func:`dispatch_frame`,
:func:`annual_frame`) and draws it with one of two stacking helpers, in the colours and order of
:data:`TECHNOLOGY_COLOURS`. The HTML report (``report.py``) reuses the same frames and colours.
"""

from __future__ import annotations

import colorsys
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import EnergyModelError
from .files import replaced_atomically
from .summary import format_coordinate

KINDS = ("dispatch", "capacity", "generation", "prices", "storage", "emissions", "hydrogen", "abatement", "pathway")
FORMATS = (".png", ".svg", ".pdf")
DPI = 100
SIZES = {  # figure size of each kind, inches (pixels = inches x DPI)
    "dispatch": (13, 6), "capacity": (12, 6), "generation": (14, 6), "prices": (12, 6), "storage": (13, 7),
    "emissions": (12, 6), "hydrogen": (15, 6), "abatement": (11, 4.2), "pathway": (17, 6),
}
WEEK_H = 168

# Colours of known technologies, in stacking order (first at the bottom of a stack).
TECHNOLOGY_COLOURS = {
    "nuclear": "#7b3294",
    "coal": "#333333",
    "coal_usc": "#555555",
    "coal_ccs": "#8c8c8c",
    "coal_ccs_retrofit": "#a6a6a6",
    "hydro": "#1f5fa8",
    "onshore_wind": "#3a9d5d",
    "offshore_wind": "#176a43",
    "wind": "#3a9d5d",
    "solar_pv": "#f4c20d",
    "solar": "#f4c20d",
    "gas_ccgt": "#e07b28",
    "gas_ccs": "#b5651d",
    "gas_ccs_retrofit": "#cf8f55",
    "gas_h2": "#49b6a6",
    "gas_ocgt": "#f4a95c",
    "pumped_hydro": "#6f9fd8",
    "battery": "#d45fa6",
    "h2_tank": "#8fd3c8",
    "electrolyser": "#2a9d8f",
    "net imports": "#b39b7c",
    "line losses": "#bdbdbd",
    "bought hydrogen": "#7fc8e8",
    "lost load": "#d62728",
}
# Colours for technologies not named above, by family (shades of the first for several in one family).
FAMILY_COLOURS = {
    "thermal": "#8a6d3b", "variable_renewable": "#7fbf4d", "reservoir_hydro": "#1f5fa8", "storage": "#9467bd",
    "electrolyser": "#2a9d8f", "h2_storage": "#8fd3c8",
}
# where a family's unknown technologies go in the stacking order: after this known one
FAMILY_AFTER = {"thermal": "gas_ocgt", "variable_renewable": "solar", "reservoir_hydro": "hydro", "storage": "battery",
                "electrolyser": "electrolyser", "h2_storage": "h2_tank"}
CHARGING = " charging"  # suffix of a storage technology's withdrawals in the dispatch frame
NEW = " new"            # suffix of new capacity in the capacity frame


class PlotError(EnergyModelError):
    """A plot that does not apply to these results (e.g. a pathway plot of one year); exit code 2."""

    exit_code = 2


# ---------------------------------------------------------------------------------------------
# colours and order


def _base(name: str) -> str:
    """A technology's plain name: ``north.coal`` -> ``coal``; series suffixes removed."""
    for suffix in (CHARGING, NEW):
        name = name.removesuffix(suffix)
    return name.rsplit(".", 1)[-1]


def _shade(colour: str, k: int) -> str:
    """The k-th shade of a colour (k = 0: itself), alternately lighter and darker."""
    import matplotlib.colors as mc

    if k == 0:
        return colour
    h, l, s = colorsys.rgb_to_hls(*mc.to_rgb(colour))
    step = 0.12 * ((k + 1) // 2) * (1 if k % 2 else -1)
    return mc.to_hex(colorsys.hls_to_rgb(h, min(0.9, max(0.1, l + step)), s))


def series_styles(names, families: dict[str, str] | None = None) -> dict[str, dict]:
    """Colour, hatch and legend label of each series name (technologies and pseudo-series), one registry for all plots.

    Unknown technologies take their family's colour (from ``families``, e.g. the ``family``
    coordinate), in distinct shades; ``X charging`` is a lighter X, ``X new`` a hatched X.
    """
    families = families or {}
    styles, seen = {}, {}
    for name in names:
        base = _base(name)
        if base in TECHNOLOGY_COLOURS:
            colour = TECHNOLOGY_COLOURS[base]
        else:
            family = families.get(name, families.get(base, ""))
            k = seen.setdefault(family, {}).setdefault(base, len(seen[family]))
            colour = _shade(FAMILY_COLOURS.get(family, "#17becf"), k)
        style = {"color": colour, "hatch": None, "label": name}
        if name.endswith(CHARGING):
            style["color"] = _shade(colour, 1)
        if name.endswith(NEW):
            style.update(hatch="//", label=name.removesuffix(NEW))  # one legend entry with the existing part
        styles[name] = style
    return styles


def stacking_order(names, families: dict[str, str] | None = None) -> list[str]:
    """Series names in stacking order (registry order; unknown technologies after their family's last known one)."""
    families = families or {}
    known = list(TECHNOLOGY_COLOURS)

    def key(name):
        base = _base(name)
        if base in TECHNOLOGY_COLOURS:
            rank = known.index(base)
        else:
            family = families.get(name, families.get(base, ""))
            rank = known.index(FAMILY_AFTER[family]) + 0.5 if family in FAMILY_AFTER else len(known) - 1.5
        return rank, name.endswith(NEW), name

    return sorted(names, key=key)


def families_of(ds: xr.Dataset) -> dict[str, str]:
    """Technology -> family, from the ``family`` coordinate."""
    if "family" not in ds.coords:
        return {}
    return dict(zip(map(str, ds["technology"].values), map(str, ds["family"].values)))


# ---------------------------------------------------------------------------------------------
# selecting and reducing


def sweep_dims(ds: xr.Dataset) -> list[str]:
    """The swept dimensions of a sweep's Dataset (empty for a single run)."""
    return json.loads(ds.attrs.get("sweep_dims", "[]"))


def _pick(ds: xr.Dataset, dim: str, value, what: str, keep: bool = False) -> xr.Dataset:
    """``ds.sel({dim: value})`` matching the value as text or number (``keep``: as a length-1 dimension);
    a clear error listing the values otherwise."""
    labels = ds[dim].values
    for i, label in enumerate(labels):
        if str(value) in (str(label), format_coordinate(label)) or _same_number(value, label):
            return ds.isel({dim: [i] if keep else i})
    shown = ", ".join(format_coordinate(v) for v in labels)
    raise PlotError(f"{what} {value!r} is not in the results ({dim}: {shown})")


def _same_number(a, b) -> bool:
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=0))
    except (TypeError, ValueError):
        return False


_STAMP = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}){0,2})?"


def parse_time(text: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``START:END`` (dates or date-times, either may be empty) -> (start, end exclusive); a date-only end includes its day."""
    import re

    found = re.fullmatch(rf"\s*({_STAMP})?\s*:\s*({_STAMP})?\s*", text)
    if not found:
        raise PlotError(f"--time {text!r}: expected START:END with dates or date-times such as 2030-07-15:2030-07-18 "
                        "or 2030-07-15T06:00:2030-07-15T18:00 (either side may be empty)")
    try:
        start = pd.Timestamp(found[1]) if found[1] else None
        end = pd.Timestamp(found[2]) if found[2] else None
    except ValueError as exc:
        raise PlotError(f"--time {text!r}: {exc}") from exc
    if end is not None:
        end += pd.Timedelta(days=1) if len(found[2]) == 10 else pd.Timedelta(hours=1)
    return start, end


def select(ds: xr.Dataset, region: str | None = None, period=None, time: str | None = None, point: dict | None = None) -> xr.Dataset:
    """The part of ``ds`` to plot: one region (kept as a length-1 dimension), one period, a time window, a sweep point.

    ``point`` maps sweep dimensions to values (``{"h2_blend": 0.3}``). Raises PlotError when a
    value is not in the results or the selection does not apply (a period of a one-year run).
    """
    dims = sweep_dims(ds)
    for dim, value in (point or {}).items():
        if dim not in dims:
            raise PlotError(f"--select {dim}=...: not a sweep dimension of these results"
                            + (f" (sweep dimensions: {', '.join(dims)})" if dims else " (they are not a sweep)"))
        ds = _pick(ds, dim, value, f"--select {dim}=")
    if region is not None:
        if "region" not in ds.dims:
            raise PlotError("--region: these results have no regions")
        ds = _pick(ds, "region", region, "--region", keep=True)
    if period is not None:
        if "period" not in ds.dims:
            raise PlotError("--period: these results are one modelled year, not a pathway (no periods)")
        ds = _pick(ds, "period", period, "--period")
    if time is not None:
        if "time" not in ds.dims:
            raise PlotError("--time: these results have no hourly series (a sweep saved with --annual-only?)")
        start, end = parse_time(time)
        t = ds["time"]
        keep = xr.ones_like(t, dtype=bool)
        if start is not None:
            keep &= t >= start.to_datetime64()
        if end is not None:
            keep &= t < end.to_datetime64()
        if not bool(keep.any()):
            raise PlotError(f"--time {time}: no modelled hour in that window (modelled: {_span(ds)})")
        ds = ds.isel(time=np.flatnonzero(keep.values))
    return ds


def _span(ds: xr.Dataset) -> str:
    t = pd.DatetimeIndex(ds["time"].values)
    return f"{t.min():%Y-%m-%d %H:%M} to {t.max():%Y-%m-%d %H:%M}, {len(t)} hours"


def _one_point(ds: xr.Dataset, kind: str) -> None:
    """Refuse a kind that needs one sweep point when several are left."""
    left = [d for d in sweep_dims(ds) if d in ds.dims and ds.sizes[d] > 1]
    if left:
        options = " ".join(f"--select {d}={format_coordinate(ds[d].values[0])}" for d in left)
        values = "; ".join(f"{d}: {', '.join(format_coordinate(v) for v in ds[d].values)}" for d in left)
        raise PlotError(f"--kind {kind} draws one sweep point: add e.g. {options} ({values})")


def _one_period(ds: xr.Dataset, kind: str) -> tuple[xr.Dataset, str]:
    """A pathway's last period unless one was chosen (with a note for the title)."""
    if "period" in ds.dims:
        year = ds["period"].values[-1]
        return ds.sel(period=year), f"period {year} (choose with --period)"
    return ds, ""


def _hourly(ds: xr.Dataset, kind: str) -> None:
    if "time" not in ds.dims or "generation_mw" not in ds:
        raise PlotError(f"--kind {kind} needs hourly results; these have none (a sweep saved with --annual-only?)")


def _sum_regions(da: xr.DataArray) -> xr.DataArray:
    return da.sum("region", min_count=1) if "region" in da.dims else da


def group_dims(ds: xr.Dataset) -> list[str]:
    """Dimensions that become groups (bars) in annual plots: sweep dimensions and periods, else regions."""
    dims = [d for d in sweep_dims(ds) if d in ds.dims] + (["period"] if "period" in ds.dims else [])
    if not dims and ds.sizes.get("region", 1) > 1:
        dims = ["region"]
    return dims


def _group_labels(da: xr.DataArray, groups: list[str]) -> pd.Index:
    if not groups:
        return pd.Index(["total"])
    index = da.stack(group=groups).indexes["group"] if len(groups) > 1 else da.indexes[groups[0]]
    if len(groups) > 1:
        return pd.Index([" / ".join(format_coordinate(v) for v in values) for values in index])
    return pd.Index([format_coordinate(v) if groups[0] != "period" else str(v) for v in index])


def annual_frame(ds: xr.Dataset, variable: str | xr.DataArray, groups: list[str] | None = None, scale: float = 1.0) -> pd.DataFrame:
    """A (group, technology) variable as a DataFrame: one row per group, one column per technology, regions summed
    unless regions are the groups. Columns with nothing in them are dropped; order is the stacking order."""
    da = ds[variable] if isinstance(variable, str) else variable
    groups = group_dims(ds) if groups is None else groups
    if "region" not in groups:
        da = _sum_regions(da)
    if groups:
        da = da.stack(group=groups) if len(groups) > 1 else da.rename({groups[0]: "group"})
        values = da.transpose("group", "technology").values
    else:
        values = da.transpose("technology").values[None, :]
    frame = pd.DataFrame(values * scale, index=_group_labels(ds[variable] if isinstance(variable, str) else variable, groups),
                         columns=[str(t) for t in da["technology"].values])
    frame = frame.loc[:, (frame.fillna(0).abs() > 1e-9).any()]
    return frame[stacking_order(frame.columns, families_of(ds))].fillna(0.0)


def _group_axis_label(ds: xr.Dataset, groups: list[str]) -> str:
    return " / ".join("investment period" if g == "period" else g for g in groups)


def _window(ds: xr.Dataset) -> tuple[xr.Dataset, str]:
    """A week around the hour of peak demand when the modelled hours are longer than 8 days."""
    n = ds.sizes["time"]
    if n <= 8 * 24:
        return ds, ""
    demand = _sum_regions(ds["demand_mw"])
    peak_day = int(demand.argmax("time")) // 24
    start = max(0, min(n - WEEK_H, (peak_day - 3) * 24))
    return ds.isel(time=slice(start, start + WEEK_H)), "week around peak demand (choose with --time)"


def dispatch_frame(ds: xr.Dataset) -> tuple[pd.DataFrame, pd.Series]:
    """Hourly supply stack (GW, signed) and demand (GW) of a one-point, one-period selection.

    Columns: generation by technology and lost load (>= 0), storage charging and electrolysis
    (<= 0); for one region of several, net imports (received net of line losses, minus sent); for
    all regions of a system with lines, line losses (<= 0). The columns sum to the demand.
    """
    parts: dict[str, xr.DataArray] = {}
    for tech in ds["technology"].values:
        parts[str(tech)] = _sum_regions(ds["generation_mw"].sel(technology=tech)).fillna(0)
    for variable, suffix in (("storage_charge_mw", CHARGING), ("electrolysis_mw", "")):
        if variable in ds:
            for tech in ds["technology"].values:
                parts[f"{tech}{suffix}"] = parts.get(f"{tech}{suffix}", 0) - _sum_regions(ds[variable].sel(technology=tech)).fillna(0)
    parts["lost load"] = _sum_regions(ds["lost_load_mw"])
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
    demand = pd.Series(_sum_regions(ds["demand_mw"]).values / 1e3, index=index, name="demand")
    return frame, demand


def _net_imports(ds: xr.Dataset, region: str) -> xr.DataArray:
    """Power into ``region`` over its lines (MW): what arrives (sent less line losses) minus what it sends."""
    flow, losses = ds["flow_mw"], ds["line_losses_mw"]
    into_to = xr.where(flow > 0, flow - losses, flow)      # seen from region_to
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
        label = ", ".join(([str(keys["region"])] if ds.sizes["region"] > 1 or not others else [])
                          + [f"{d}={format_coordinate(keys[d])}" for d in others])
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
        level = _sum_regions(ds[variable].sel(technology=tech)) / 1e3
        if points:
            level = level.stack(point=points)
            columns = [" / ".join(format_coordinate(v) for v in (p if isinstance(p, tuple) else (p,))) for p in level.indexes["point"]]
            frame = pd.DataFrame(level.transpose(axis, "point").values, index=pd.DatetimeIndex(ds[axis].values), columns=columns)
        else:
            frame = pd.DataFrame({tech: level.values}, index=pd.DatetimeIndex(ds[axis].values))
        if bool((frame.fillna(0).abs() > 1e-9).any().any()):
            frames[tech] = frame
    return frames, axis


# ---------------------------------------------------------------------------------------------
# drawing


def stack(ax, frame: pd.DataFrame, styles: dict[str, dict], x=None, bars: bool = False, width: float = 0.7) -> None:
    """Draw the columns of ``frame`` stacked, positive parts upwards from 0 and negative parts downwards,
    as areas over ``x`` (default: 0, 1, ...) or as bars."""
    x = np.arange(len(frame)) if x is None else np.asarray(x)
    up, down = np.zeros(len(frame)), np.zeros(len(frame))
    scale = float(frame.abs().sum(axis=1).max()) if len(frame) else 0.0
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=float)
        if not (np.abs(values) > 1e-4 * scale).any():
            continue  # invisible at this scale: no legend entry either
        style = styles[column]
        label = style["label"]  # once per column, on its first drawn part
        for part, base in ((np.clip(values, 0, None), up), (np.clip(values, None, 0), down)):
            if not (np.abs(part) > 1e-12).any():
                continue
            kwargs = dict(color=style["color"], label=label, hatch=style["hatch"], linewidth=0)
            if style["hatch"]:
                kwargs.update(edgecolor="white")
            if bars:
                ax.bar(x, part, width, bottom=base.copy(), **kwargs)
            else:
                ax.fill_between(np.append(x, x[-1] + 1), np.append(base, base[-1]), np.append(base + part, base[-1] + part[-1]), step="post", **kwargs)
            base += part
            label = None
    if (down < 0).any():
        ax.axhline(0, color="black", linewidth=0.6)


def _time_axis(ax, times: pd.DatetimeIndex) -> None:
    """Positional hour axis with day ticks; dotted lines where modelled hours are not consecutive."""
    n = len(times)
    days = np.flatnonzero(times.hour == 0) if n else []
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    step = max(1, int(np.ceil(len(days) / max(2, int(width_in / 0.8)))))  # a date label per 0.8 inch at most
    ax.set_xticks(days[::step], [f"{t:%d %b}" for t in times[days[::step]]])
    gaps = np.flatnonzero(np.diff(times.values) != np.timedelta64(1, "h")) + 1
    for g in gaps:
        ax.axvline(g, color="0.5", linewidth=0.6, linestyle=":")
    ax.set_xlim(0, n)
    if len(gaps):
        ax.set_xlabel("modelled hours (dotted lines: hours not consecutive)")
    else:
        ax.set_xlabel(f"hour ({times[0]:%Y})" if n else "hour")


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.4")


def _legend(fig, axes, extra=(), title: str | None = None) -> None:
    """One legend for the figure, outside the axes on the right, each label once."""
    handles, labels = [], []
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab and not lab.startswith("_") and lab not in labels:
                handles.append(h)
                labels.append(lab)
    for h in extra:
        handles.append(h)
        labels.append(h.get_label())
    if handles:
        fig.legend(handles, labels, loc="outside right upper", fontsize=9, frameon=False, title=title, title_fontsize=9)


def _new_figure(kind: str, ncols: int = 1, nrows: int = 1, **kwargs):
    """A Figure of the kind's size (no pyplot state) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZES[kind], dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs).ravel()
    return fig, list(axes)


def _title(fig, ds: xr.Dataset, what: str, notes=()) -> None:
    notes = [n for n in notes if n]
    fig.suptitle(f"{ds.attrs.get('run_name', 'energymodel')}: {what}" + (f"  [{'; '.join(notes)}]" if notes else ""), fontsize=12)


def _where(ds: xr.Dataset, region: str | None) -> str:
    if region is not None:
        return f"region {region}"
    n = ds.sizes.get("region", 1)
    return f"all {n} regions" if n > 1 else ""


def _point_note(ds: xr.Dataset) -> str:
    return ", ".join(f"{d}={format_coordinate(ds[d].values)}" for d in sweep_dims(ds) if d in ds.coords and d not in ds.dims)


def _annual_panel(ax, ds: xr.Dataset, frame: pd.DataFrame, groups: list[str], ylabel: str, title: str, empty: str = "none") -> None:
    """Stacked bars, one per group (sweep point, period or region), or a single bar."""
    styles = series_styles(frame.columns, families_of(ds))
    ax.set(ylabel=ylabel, title=title)
    ax.grid(axis="y", alpha=0.3)
    if frame.empty or not (frame.abs().to_numpy() > 1e-9).any():
        _empty(ax, empty)
        ax.set_xticks([])
        return
    if groups:
        stack(ax, frame, styles, bars=True)
        ax.set_xticks(np.arange(len(frame)), frame.index, rotation=30 if len(frame) > 6 else 0, ha="right" if len(frame) > 6 else "center")
        ax.set_xlabel(_group_axis_label(ds, groups))
    else:
        stack(ax, frame, styles, bars=True, width=0.5)
        ax.set_xticks([0], [ds.attrs.get("run_name", "total")])
        ax.set_xlim(-1.5, 1.5)


def _technology_bars(ax, ds: xr.Dataset, frame: pd.DataFrame, ylabel: str, title: str, labels: pd.Series | None = None) -> None:
    """One row of a frame as bars per technology; ``X new`` columns hatched on top of ``X``."""
    techs = [c for c in frame.columns if not c.endswith(NEW)]
    styles = series_styles(frame.columns, families_of(ds))
    row = frame.iloc[0]
    x = np.arange(len(techs))
    ax.bar(x, [row[t] for t in techs], color=[styles[t]["color"] for t in techs], linewidth=0)
    new = [row.get(t + NEW, 0.0) for t in techs]
    if any(v > 0 for v in new):
        ax.bar(x, new, bottom=[row[t] for t in techs], color=[styles[t]["color"] for t in techs], hatch="//", edgecolor="white", linewidth=0)
    if labels is not None:
        top = np.array([row[t] for t in techs]) + np.array(new)
        for i, t in enumerate(techs):
            ax.annotate(labels[t], (i, top[i]), ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        ax.set_ylim(top=max(top.max() * 1.12, 1e-9))
    ax.set_xticks(x, techs, rotation=30, ha="right")
    ax.set(ylabel=ylabel, title=title)
    ax.grid(axis="y", alpha=0.3)


def _new_hatch_handle():
    from matplotlib.patches import Patch

    return Patch(facecolor="white", edgecolor="0.3", hatch="//", label="new capacity (hatched)")


# ---------------------------------------------------------------------------------------------
# the kinds


def capacity_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """Installed capacity (GW): columns ``X`` (existing fleet still standing, less what retrofits converted) and
    ``X new`` (built by the model and still standing: in a pathway, everything built up to that period)."""
    existing = ds["capacity_existing_mw"]
    if "capacity_retrofitted_mw" in ds:
        existing = existing - ds["capacity_retrofitted_mw"].fillna(0)
    new = ds["capacity_total_mw"] - existing
    frame = pd.concat([annual_frame(ds, existing, groups, 1e-3), annual_frame(ds, new, groups, 1e-3).add_suffix(NEW)], axis=1).fillna(0.0)
    return frame[stacking_order(frame.columns, families_of(ds))]


def _capacity(fig, axes, ds, groups) -> list:
    frame = capacity_frame(ds, groups)
    if groups:
        _annual_panel(axes[0], ds, frame, groups, "capacity (GW)", "installed capacity: existing and new")
    else:
        _technology_bars(axes[0], ds, frame, "capacity (GW)", "installed capacity by technology: existing and new")
    return [_new_hatch_handle()] if any(c.endswith(NEW) for c in frame.columns) else []


def generation_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """Yearly output (TWh/yr) by technology, plus unserved demand ("lost load") where there is any."""
    frame = annual_frame(ds, "energy_mwh", groups, 1e-6)
    lost = annual_frame(ds, (ds["lost_load_mw"] * ds["weight_h"]).sum("time").expand_dims(technology=["lost load"]), groups, 1e-6)
    return pd.concat([frame, lost], axis=1) if not lost.empty else frame


def _generation(fig, axes, ds, groups) -> list:
    twh = generation_frame(ds, groups)
    share = 100 * twh.div(twh.sum(axis=1), axis=0)
    if groups:
        _annual_panel(axes[0], ds, twh, groups, "electricity output (TWh/yr)", "yearly output by technology")
        _annual_panel(axes[1], ds, share, groups, "share of output (%)", "shares of output")
    else:
        labels = pd.Series({t: f"{twh.iloc[0][t]:,.0f} TWh\n{share.iloc[0][t]:.1f} %" for t in twh.columns})
        _technology_bars(axes[0], ds, twh, "electricity output (TWh/yr)", "yearly output by technology (TWh and share)", labels)
    return []


def emissions_frame(ds: xr.Dataset, groups: list[str]) -> pd.DataFrame:
    """CO2 (Mt/yr) by technology, plus bought hydrogen's CO2 if reported."""
    frame = annual_frame(ds, "emissions_t", groups, 1e-6)
    if "emissions_h2_bought_t" in ds and float(abs(ds["emissions_h2_bought_t"]).sum()) > 0:
        frame["bought hydrogen"] = _group_values(ds, ds["emissions_h2_bought_t"], groups) * 1e-6
    return frame


def captured_total_mt(ds: xr.Dataset) -> float:
    """CO2 captured by carbon-capture plants (Mt/yr), summed over every other dimension; 0 without capture."""
    return float(ds["co2_captured_total_t"].sum()) / 1e6 if "co2_captured_total_t" in ds else 0.0


def _group_values(ds: xr.Dataset, da: xr.DataArray, groups: list[str]) -> np.ndarray:
    """A variable without region/technology as one value per group (broadcast when it does not vary)."""
    groups = [g for g in groups if g != "region"]
    da = da.broadcast_like(xr.Dataset(coords={g: ds[g] for g in groups})) if groups else da
    values = (da.stack(group=groups) if len(groups) > 1 else da).values
    return np.atleast_1d(values).astype(float)


def _emissions(fig, axes, ds, groups) -> list:
    from matplotlib.lines import Line2D

    frame = emissions_frame(ds, groups)
    _annual_panel(axes[0], ds, frame, groups, "CO2 emissions (Mt/yr)", "CO2 emissions by technology")
    extra = []
    if "region" in groups:
        cap = float(ds["carbon_cap_t"]) / 1e6
        axes[0].annotate(f"all regions: {frame.to_numpy().sum():,.0f} Mt/yr" + (f", national cap {cap:,.0f} Mt/yr" if np.isfinite(cap) else ", no cap"),
                         (0.99, 0.98), xycoords="axes fraction", ha="right", va="top", fontsize=9)
    else:
        cap = _group_values(ds, ds["carbon_cap_t"], groups) / 1e6
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
        axes[0].annotate(f"captured, not emitted: {captured:,.0f} Mt/yr" + (" (all points)" if groups and "region" not in groups else ""),
                         (0.01, 0.98), xycoords="axes fraction", ha="left", va="top", fontsize=9)
    if len(axes) > 1:  # one system, one point: CO2 hour by hour
        hourly = ds["emissions_t_per_h"] / 1e3
        axes[1].step(np.arange(ds.sizes["time"] + 1), np.append(hourly.values, hourly.values[-1]), where="post", color="0.2", linewidth=1)
        _time_axis(axes[1], pd.DatetimeIndex(ds["time"].values))
        axes[1].set(ylabel="CO2 emissions (kt/h)", title="hourly CO2 emissions (all sources)")
        axes[1].set_ylim(bottom=0)
        axes[1].grid(alpha=0.3)
    return extra


def _hydrogen(fig, axes, ds, groups) -> list:
    if "h2_use_t" not in ds:
        raise PlotError("--kind hydrogen: no technology in these results blends hydrogen (h2_blending = true in technologies.csv)")
    burnt = annual_frame(ds, "h2_use_by_technology_t", groups, 1e-3)
    _annual_panel(axes[0], ds, burnt, groups, "hydrogen burnt (kt/yr)", "hydrogen burnt in gas turbines", "no hydrogen burnt")
    share = blend_share_frame(ds, groups)
    limit = blend_share_frame(ds, groups, "h2_blend_energy_share_limit")
    ax = axes[1]
    n, k = len(share), max(1, len(share.columns))
    width = 0.8 / k
    styles = series_styles(share.columns, families_of(ds))
    for j, tech in enumerate(share.columns):
        x = np.arange(n) - 0.4 + width * (j + 0.5)
        ax.bar(x, share[tech], width, color=styles[tech]["color"], label=tech)
        if tech in limit:
            ax.hlines(limit[tech], x - width / 2, x + width / 2, colors="black", linestyles="--", linewidth=1.2,
                      label="blend limit (run)" if j == 0 else None)
    ax.set_xticks(np.arange(n), share.index if groups else [ds.attrs.get("run_name", "total")])
    ax.set(ylabel="hydrogen share of heat input (% LHV)", title="realised hydrogen blend", xlabel=_group_axis_label(ds, groups))
    ax.grid(axis="y", alpha=0.3)
    if "h2_made_t" in ds:
        supply = pd.DataFrame({"electrolyser": _group_values(ds, ds["h2_made_t"], groups) / 1e3,
                               "bought hydrogen": _group_values(ds, ds["h2_bought_t"], groups) / 1e3}, index=share.index)
        _annual_panel(axes[2], ds, supply.loc[:, (supply.abs() > 1e-9).any()], groups, "hydrogen (kt/yr)",
                      "hydrogen made by electrolysis vs bought", "no hydrogen made or bought")
    return []


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


def _dispatch(fig, axes, ds) -> None:
    frame, demand = dispatch_frame(ds)
    ax = axes[0]
    stack(ax, frame, series_styles(frame.columns, families_of(ds)))
    x = np.arange(len(demand) + 1)
    ax.step(x, np.append(demand.values, demand.values[-1]), where="post", color="black", linewidth=1.4, label="demand")
    _time_axis(ax, demand.index)
    ax.set(ylabel="power (GW)", title="hourly supply (above 0) and withdrawals (below 0)")
    ax.grid(axis="y", alpha=0.3)


def _prices(fig, axes, ds) -> None:
    curves = price_curves(ds)
    if len(curves) > 14:
        raise PlotError(f"--kind prices would draw {len(curves)} curves: choose fewer with --region, --period or --select")
    ax = axes[0]
    top = 0.0
    for label, curve in curves.items():
        ax.step(np.append(0.0, curve.index), np.append(curve.values[:1], curve.values), where="pre", label=label, linewidth=1.3)
        top = max(top, float(np.nanmax(curve.values)) if len(curve) else 0.0)
    p99 = max(float(np.nanpercentile(np.concatenate([c.values for c in curves.values()]), 99)), 1.0)
    if top > 5 * p99:
        ax.set_ylim(top=p99 * 1.5)
        ax.annotate(f"peaks up to {top:,.0f} CNY/MWh are cut off", (0.99, 0.97), xycoords="axes fraction", ha="right", va="top", fontsize=9, color="0.3")
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
                ax.plot(frame.index, frame[column], label=label, linewidth=1.2,
                        color=series_styles([tech], families_of(ds))[tech]["color"] if label is None else None)
            else:
                ax.plot(np.arange(len(frame)) + 1, frame[column], label=label, linewidth=1.2,
                        color=series_styles([tech], families_of(ds))[tech]["color"] if label is None else None)
        capacity = _sum_regions(ds["energy_capacity_mwh"].sel(technology=tech)) / 1e3
        cap = float(np.nanmax(np.atleast_1d(capacity.values)))
        if np.isfinite(cap) and cap > 0:
            ax.axhline(cap, color="0.4", linestyle="--", linewidth=0.8)
            ax.annotate(f"energy capacity {cap:,.0f} {unit}", (0.995, cap), xycoords=("axes fraction", "data"), ha="right", va="bottom", fontsize=8, color="0.3")
            ax.set_ylim(0, cap * 1.15)
        ax.set_ylabel(f"level ({unit})")
        ax.set_title(tech, loc="left", fontsize=10)
        ax.grid(alpha=0.3)
    last = axes[len(frames) - 1]
    if axis == "time":
        _time_axis(last, next(iter(frames.values())).index)
    else:
        last.set_xlabel("day of the year (level at the start of each day, from the representative days)")
    for ax in axes[len(frames):]:
        ax.set_visible(False)


def figure(ds: xr.Dataset, kind: str, region: str | None = None, period=None, time: str | None = None, point: dict | None = None):
    """The matplotlib Figure of one kind (no pyplot state); raises PlotError when the kind does not apply."""
    if kind not in KINDS:
        raise PlotError(f"unknown plot kind {kind!r} (kinds: {', '.join(KINDS)})")
    if kind == "abatement":
        return abatement_figure(ds)
    if time is not None and kind not in ("dispatch", "prices", "storage"):
        raise PlotError(f"--time applies to the hourly kinds (dispatch, prices, storage), not to --kind {kind}")
    sel = select(ds, region, period, time, point)
    where = _where(sel, region)
    if kind == "dispatch":
        _hourly(sel, kind)
        _one_point(sel, kind)
        sel, period_note = _one_period(sel, kind)
        window = ""
        if time is None:
            sel, window = _window(sel)
        fig, axes = _new_figure(kind)
        _dispatch(fig, axes, sel)
        _title(fig, sel, "hourly dispatch", [where, _point_note(sel), period_note, window])
    elif kind == "prices":
        _hourly(sel, kind)
        fig, axes = _new_figure(kind)
        _prices(fig, axes, sel)
        _title(fig, sel, "marginal price of electricity", [where if region else "", _point_note(sel)])
    elif kind == "storage":
        _hourly(sel, kind)
        sel, period_note = _one_period(sel, kind)
        frames, axis = storage_levels(sel, daily=time is None)
        if not frames:
            raise PlotError("--kind storage: no storage, reservoir or hydrogen storage with a level in these results")
        fig, axes = _new_figure(kind, nrows=len(frames), sharex=True)
        _storage(fig, axes, sel, frames, axis)
        _title(fig, sel, "storage and reservoir levels", [where, _point_note(sel), period_note])
        points = [d for d in sweep_dims(sel) if d in sel.dims]
        _legend(fig, axes, title=" / ".join(points) or None)
        return fig
    elif kind in ("capacity", "generation", "emissions", "hydrogen"):
        groups = group_dims(sel)
        hourly_co2 = kind == "emissions" and region is None and "emissions_t_per_h" in sel and not [g for g in groups if g != "region"]
        ncols = {"capacity": 1, "generation": 2 if groups else 1, "emissions": 1 + hourly_co2, "hydrogen": 2 + ("h2_made_t" in sel)}[kind]
        fig, axes = _new_figure(kind, ncols=ncols, width_ratios=[1, 2] if hourly_co2 and not groups else None)
        draw = {"capacity": _capacity, "generation": _generation, "emissions": _emissions, "hydrogen": _hydrogen}[kind]
        extra = draw(fig, axes, sel, groups)
        what = {"capacity": "installed capacity", "generation": "electricity output", "emissions": "CO2 emissions", "hydrogen": "hydrogen"}[kind]
        _title(fig, sel, what, [where if "region" not in groups else "", _point_note(sel)])
        _legend(fig, axes, extra)
        return fig
    elif kind == "pathway":
        if "period" not in sel.dims:
            raise PlotError("--kind pathway needs a pathway run (a run file with a 'pathway' section); these results are one modelled year"
                            + (" (or a single --period was chosen)" if period is not None else ""))
        _one_point(sel, kind)
        groups = group_dims(sel)
        fig, axes = _new_figure(kind, ncols=3)
        extra = _capacity(fig, axes[:1], sel, groups) + _generation_by_period(axes[1], sel, groups) + _emissions(fig, axes[2:], sel, groups)
        _title(fig, sel, "pathway by investment period", [where, _point_note(sel)])
        _legend(fig, axes, extra)
        return fig
    _legend(fig, axes)
    return fig


def _generation_by_period(ax, ds, groups) -> list:
    _annual_panel(ax, ds, generation_frame(ds, groups), groups, "electricity output (TWh/yr)", "yearly output by technology")
    return []


def abatement_figure(ds: xr.Dataset):
    """CO2 abated and abatement cost against the hydrogen blend, one line per value of the other axes."""
    dims = sweep_dims(ds)
    if "h2_blend" not in dims or "co2_abated_t" not in ds:
        raise EnergyModelError("the abatement plot needs a sweep over h2_blend that includes 0 (energymodel sweep --set h2_blend=0,...)")
    others = [d for d in dims if d != "h2_blend"]
    lines = ds[["co2_abated_t", "abatement_cost_cny_per_t", "extra_cost_cny"]]
    lines = lines.stack(case=others) if others else lines.expand_dims(case=[0])
    fig, (ax_co2, ax_cost) = _new_figure("abatement", ncols=2)
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


def save(fig, path: str | Path) -> Path:
    """Write the figure to a temporary file beside ``path``, then rename: a failure leaves no file and keeps an old one."""
    path = Path(path)
    check_output(path)
    with replaced_atomically(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lower()[1:], dpi=DPI)
    return path


def check_output(path: Path) -> None:
    """Refuse an image format we do not write (before any work is done)."""
    if Path(path).suffix.lower() not in FORMATS:
        raise PlotError(f"{path}: the image must end in {', '.join(FORMATS)}")


def plot(ds: xr.Dataset, kind: str, path: str | Path, region: str | None = None, period=None, time: str | None = None,
         point: dict | None = None) -> Path:
    """Draw one kind of plot of a results Dataset to ``path`` (.png, .svg or .pdf)."""
    check_output(Path(path))
    return save(figure(ds, kind, region, period, time, point), path)


def plot_abatement(ds: xr.Dataset, path: str | Path) -> Path:
    """CO2 abated and abatement cost against the hydrogen blend (kept for existing callers)."""
    return plot(ds, "abatement", path)
