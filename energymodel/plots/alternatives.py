"""Near-optimal alternatives (``energymodel alternatives``): the ``alternatives`` plot kind.

:func:`capacity_ranges` returns what the left panel draws (each technology's least, optimum and most capacity across
the alternatives, GW); :func:`scatter_axes` the right panel's: the first two named aggregates of each alternative
against each other, or (fewer than two named) its CO2 against its cost above the optimum. Tests check both."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from .draw import new_figure
from .errors import PlotError
from .style import families_of, series_styles


def _require_alternatives(ds: xr.Dataset) -> None:
    if "alternative" not in ds.dims:
        raise PlotError("the alternatives plot needs the results of `energymodel alternatives` (an 'alternative' dimension)")


def capacity_ranges(ds: xr.Dataset) -> pd.DataFrame:
    """Per technology with capacity in any alternative: ``least``, ``optimum`` and ``most`` capacity (GW, summed over
    regions and periods) across the alternatives, largest range first."""
    _require_alternatives(ds)
    capacity = ds["capacity_total_mw"].fillna(0)
    capacity = capacity.sum([d for d in capacity.dims if d not in ("alternative", "technology")]) / 1e3
    frame = pd.DataFrame(
        {
            "least": capacity.min("alternative").values,
            "optimum": capacity.isel(alternative=0).values,
            "most": capacity.max("alternative").values,
        },
        index=pd.Index([str(t) for t in ds["technology"].values], name="technology"),
    )
    frame = frame[frame["most"] > 1e-3]
    return frame.loc[(frame["most"] - frame["least"]).sort_values(ascending=False).index]


DISPLAY = {"MW": ("GW", 1e-3), "MWh/yr": ("TWh/yr", 1e-6), "tCO2/yr": ("Mt/yr", 1e-6)}
"""Units of the aggregates as drawn: unit -> (shown unit, factor)."""


def scatter_axes(ds: xr.Dataset) -> tuple[tuple[str, list], tuple[str, list]]:
    """(label, values) of the scatter's x and y: the first two named aggregates (``aggregate_value``) in display units,
    else the cost above the optimum (%) and CO2 (Mt/yr)."""
    from ..api import alternatives_table

    _require_alternatives(ds)
    if "aggregate" in ds.dims and ds.sizes["aggregate"] >= 2:
        axes = []
        for i in range(2):
            one = ds["aggregate_value"].isel(aggregate=i)
            unit, factor = DISPLAY[str(one["aggregate_unit"].values)]
            axes.append((f"{one['aggregate'].values} ({unit})", (one.values * factor).tolist()))
        return axes[0], axes[1]
    table = alternatives_table(ds)
    return ("cost above the optimum (%)", table["cost_above_optimum_pct"].tolist()), ("CO2 (Mt/yr)", table["co2_mt"].tolist())


def alternatives_figure(ds: xr.Dataset):
    from ..api import alternatives_table

    ranges = capacity_ranges(ds)
    table = alternatives_table(ds)
    fig, (ax_range, ax_scatter) = new_figure("alternatives", ncols=2, width_ratios=[3, 2])
    y = range(len(ranges))
    styles = series_styles(list(ranges.index), families_of(ds))
    for i, (tech, row) in enumerate(ranges.iterrows()):
        ax_range.plot([row["least"], row["most"]], [i, i], color=styles[tech]["color"], linewidth=8, solid_capstyle="butt", alpha=0.8)
        ax_range.plot(row["optimum"], i, marker="o", color="black", markersize=6)
    ax_range.set_yticks(list(y), list(ranges.index))
    ax_range.invert_yaxis()
    ax_range.set(xlabel="capacity (GW)", title="capacity across the alternatives (bar: least to most; dot: the optimum)")
    ax_range.grid(axis="x", alpha=0.3)
    (xlabel, xs), (ylabel, ys) = scatter_axes(ds)
    for (_, row), x, y in zip(table.iterrows(), xs, ys):
        label = f"{row['sense']} {row['aggregate']}".strip()
        ax_scatter.scatter(x, y, s=40, color="black" if row["sense"] == "optimum" else "tab:blue")
        ax_scatter.annotate(label, (x, y), fontsize=8, xytext=(4, 3), textcoords="offset points")
    ax_scatter.set(xlabel=xlabel, ylabel=ylabel, title="each alternative (black: the optimum)")
    ax_scatter.grid(alpha=0.3)
    slack = ds.attrs.get("alternatives_slack")
    fig.suptitle(
        f"{ds.attrs.get('run_name', '')}: near-optimal alternatives" + (f" within {100 * float(slack):g} %" if slack is not None else "")
    )
    return fig
