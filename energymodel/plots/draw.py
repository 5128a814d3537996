"""Matplotlib building blocks shared by the kinds: figures of a kind's size, stacks, bars, axes, titles, legends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..summary import format_coordinate
from .data import group_axis_label
from .selection import sweep_dims
from .style import NEW, families_of, series_styles

DPI = 100
SIZES = {  # figure size of each kind, inches (pixels = inches x DPI)
    "dispatch": (13, 6),
    "capacity": (12, 6),
    "generation": (14, 6),
    "prices": (12, 6),
    "storage": (13, 7),
    "emissions": (12, 6),
    "hydrogen": (15, 6),
    "fleet": (17, 6),
    "abatement": (11, 4.2),
    "macc": (15, 6),
    "pathway": (17, 6),
    "alternatives": (15, 6),
    "map": (14, 9.5),
}


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
                ax.fill_between(
                    np.append(x, x[-1] + 1), np.append(base, base[-1]), np.append(base + part, base[-1] + part[-1]), step="post", **kwargs
                )
            base += part
            label = None
    if (down < 0).any():
        ax.axhline(0, color="black", linewidth=0.6)


def time_axis(ax, times: pd.DatetimeIndex) -> None:
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


def legend(fig, axes, extra=(), title: str | None = None) -> None:
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


def new_figure(kind: str, ncols: int = 1, nrows: int = 1, **kwargs):
    """A Figure of the kind's size (no pyplot state) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZES[kind], dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs).ravel()
    return fig, list(axes)


def figure_title(fig, ds: xr.Dataset, what: str, notes=()) -> None:
    """The figure's title: run name, what is drawn and the non-empty notes."""
    notes = [n for n in notes if n]
    fig.suptitle(f"{ds.attrs.get('run_name', 'energymodel')}: {what}" + (f"  [{'; '.join(notes)}]" if notes else ""), fontsize=12)


def where_note(ds: xr.Dataset, region: str | None) -> str:
    """Title note of the region chosen, or of all regions when there are several."""
    if region is not None:
        return f"region {region}"
    n = ds.sizes.get("region", 1)
    return f"all {n} regions" if n > 1 else ""


def point_note(ds: xr.Dataset) -> str:
    """Title note of the sweep point chosen (``h2_blend=0.3``)."""
    return ", ".join(f"{d}={format_coordinate(ds[d].values)}" for d in sweep_dims(ds) if d in ds.coords and d not in ds.dims)


def annual_panel(ax, ds: xr.Dataset, frame: pd.DataFrame, groups: list[str], ylabel: str, title: str, empty: str = "none") -> None:
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
        ax.set_xlabel(group_axis_label(ds, groups))
    else:
        stack(ax, frame, styles, bars=True, width=0.5)
        ax.set_xticks([0], [ds.attrs.get("run_name", "total")])
        ax.set_xlim(-1.5, 1.5)


def technology_bars(ax, ds: xr.Dataset, frame: pd.DataFrame, ylabel: str, title: str, labels: pd.Series | None = None) -> None:
    """One row of a frame as bars per technology; ``X new`` columns hatched on top of ``X``."""
    techs = [c for c in frame.columns if not c.endswith(NEW)]
    styles = series_styles(frame.columns, families_of(ds))
    row = frame.iloc[0]
    x = np.arange(len(techs))
    ax.bar(x, [row[t] for t in techs], color=[styles[t]["color"] for t in techs], linewidth=0)
    new = [row.get(t + NEW, 0.0) for t in techs]
    if any(v > 0 for v in new):
        ax.bar(
            x, new, bottom=[row[t] for t in techs], color=[styles[t]["color"] for t in techs], hatch="//", edgecolor="white", linewidth=0
        )
    if labels is not None:
        top = np.array([row[t] for t in techs]) + np.array(new)
        for i, t in enumerate(techs):
            ax.annotate(labels[t], (i, top[i]), ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        ax.set_ylim(top=max(top.max() * 1.12, 1e-9))
    ax.set_xticks(x, techs, rotation=30, ha="right")
    ax.set(ylabel=ylabel, title=title)
    ax.grid(axis="y", alpha=0.3)


def new_hatch_handle():
    """A legend entry saying that hatched bars are new capacity."""
    from matplotlib.patches import Patch

    return Patch(facecolor="white", edgecolor="0.3", hatch="//", label="new capacity (hatched)")
