"""The map (``kind="map"``): each region at its position, each line as a segment between its two regions.

No province outlines: no shapes under a clear licence ship with an installable package, so the map is a
node-and-line map in geographic coordinates (longitude on x, latitude on y; one degree of latitude drawn
1/cos(mean latitude) times as long as one of longitude, as on a map at that latitude). The positions are
the dataset's regions.csv, carried in the results as ``region_lat_deg`` and ``region_lon_deg``.

A region is a pie of its capacity (GW) or yearly output (TWh/yr) by map group (style.MAP_GROUPS), its area
proportional to the total, or a disc coloured by its demand-weighted mean price
p̄_r = Σ_t w_t d_rt p_rt / Σ_t w_t d_rt (CNY/MWh). A line's width is proportional to its capacity (GW);
an arrow at its middle points the way of its net yearly flow F_l = Σ_t w_t f_lt (TWh/yr, f > 0 from
region_from to region_to), labelled on the largest.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import ResultsError, option
from ..plot_kinds import MAP_QUANTITIES
from .draw import figure_title, new_figure, point_note
from .errors import PlotError
from .selection import one_period, require_hourly, require_one_point, select
from .style import MAP_GROUPS, families_of, map_group

LABELLED_FLOWS = 8  # the lines whose net flow is written on the map: the largest this many
LINE_WIDTH_PT = (0.8, 8.0)  # the thinnest line drawn, and the line of the most capacity (points)
UNITS = {"capacity": "GW", "generation": "TWh/yr", "prices": "CNY/MWh"}
WHAT = {
    "capacity": "installed capacity by region (GW) and lines (GW, net flow TWh/yr)",
    "generation": "yearly electricity output by region (TWh/yr) and lines (GW, net flow TWh/yr)",
    "prices": "demand-weighted mean price by region (CNY/MWh) and lines (GW, net flow TWh/yr)",
}
SHOWN = {"capacity": "pie area ∝ GW (by name)", "generation": "pie area ∝ TWh/yr (by name)", "prices": "price (CNY/MWh) by name"}


def map_selection(ds: xr.Dataset, region=None, period=None, point: dict | None = None) -> tuple[xr.Dataset, str]:
    """The one sweep point and one period the map draws (a pathway's last unless ``period`` is given), with a note."""
    if region is not None:
        raise PlotError(f"{option('kind', 'map')} draws every region: leave out {option('region')}")
    sel = select(ds, None, period, None, point)
    require_one_point(sel, "map")
    require_hourly(sel, "map")
    return one_period(sel)


def positions(ds: xr.Dataset) -> pd.DataFrame:
    """Each region's ``lon_deg`` and ``lat_deg`` (index: region); refuses results with one region or no positions."""
    if ds.sizes.get("region", 1) < 2:
        raise PlotError(f"{option('kind', 'map')} needs results with several regions; these have one")
    if "region_lat_deg" not in ds.coords or "region_lon_deg" not in ds.coords:
        raise ResultsError("the dataset gives no region positions (regions.csv); the map needs them")
    where = pd.DataFrame(
        {"lon_deg": ds["region_lon_deg"].values.astype(float), "lat_deg": ds["region_lat_deg"].values.astype(float)},
        index=pd.Index([str(r) for r in ds["region"].values], name="region"),
    )
    if not np.isfinite(where.to_numpy()).all():
        raise ResultsError("region_lat_deg/region_lon_deg has missing values; the map needs every region's position")
    return where


def by_group(ds: xr.Dataset, variable: str, scale: float) -> pd.DataFrame:
    """A (region, technology) variable summed by map group: one row per region, one column per group present
    (MAP_GROUPS order), times ``scale``; technologies NOT_ON_THE_MAP left out."""
    families = families_of(ds)
    da = ds[variable].fillna(0.0).transpose("region", "technology")
    frame = pd.DataFrame(da.values * scale, index=[str(r) for r in ds["region"].values], columns=[str(t) for t in ds["technology"].values])
    groups = {t: map_group(t, families.get(t, "")) for t in frame.columns}
    frame = frame[[t for t, g in groups.items() if g is not None]].T.groupby(groups).sum().T
    return frame[[g for g in MAP_GROUPS if g in frame.columns and (frame[g].abs() > 1e-9).any()]]


def node_values(ds: xr.Dataset, quantity: str) -> pd.DataFrame | pd.Series:
    """What each region shows: capacity (GW) or output (TWh/yr) by group, or the demand-weighted mean price (CNY/MWh)."""
    if quantity == "capacity":
        return by_group(ds, "capacity_total_mw", 1e-3)
    if quantity == "generation":
        return by_group(ds, "energy_mwh", 1e-6)
    weight = ds["demand_mw"] * ds["weight_h"]
    price = (ds["marginal_price_cny_per_mwh"] * weight).sum("time") / weight.sum("time")
    return pd.Series(price.values, index=[str(r) for r in ds["region"].values], name="price_cny_per_mwh")


def line_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per line: ``region_from``, ``region_to``, ``capacity_gw`` and ``net_twh`` (Σ_t w_t f_t / 1e6, > 0 from
    region_from to region_to); empty without lines."""
    if "line" not in ds.dims:
        return pd.DataFrame(columns=["region_from", "region_to", "capacity_gw", "net_twh"])
    return pd.DataFrame(
        {
            "region_from": ds["region_from"].values.astype(str),
            "region_to": ds["region_to"].values.astype(str),
            "capacity_gw": ds["line_capacity_total_mw"].fillna(0.0).values / 1e3,
            "net_twh": (ds["flow_mw"] * ds["weight_h"]).sum("time").values / 1e6,
        },
        index=pd.Index([str(n) for n in ds["line"].values], name="line"),
    )


def x_stretch(where: pd.DataFrame) -> float:
    """How much longer one degree of latitude is drawn than one of longitude: 1/cos(mean latitude)."""
    return 1.0 / max(math.cos(math.radians(float(where["lat_deg"].mean()))), 0.1)


def largest_radius_deg(where: pd.DataFrame) -> float:
    """The radius of the largest pie in degrees of latitude: a share of the map's span, smaller with more regions."""
    span = max(float(np.ptp(where["lat_deg"])), float(np.ptp(where["lon_deg"])) / x_stretch(where), 1.0)
    return span * min(0.1, 0.22 / math.sqrt(len(where)))


def line_widths_pt(capacity_gw: pd.Series, top_gw: float | None = None) -> pd.Series:
    """Line widths (points) proportional to capacity, LINE_WIDTH_PT[1] at ``top_gw`` (default: the largest),
    at least LINE_WIDTH_PT[0] so that a line without capacity still shows."""
    thin, thick = LINE_WIDTH_PT
    top = float(capacity_gw.max()) if top_gw is None and len(capacity_gw) else (top_gw or 0.0)
    return (thick * capacity_gw / top).clip(lower=thin) if top > 0 else capacity_gw * 0 + thin


def flow_arrow(start: np.ndarray, end: np.ndarray, net: float) -> tuple[np.ndarray, np.ndarray]:
    """Tail and head of the arrow at the middle of a line, pointing the way of the net flow (a fifth of its length)."""
    middle, step = (start + end) / 2, (end - start) * (0.1 if net >= 0 else -0.1)
    return middle - step, middle + step


def twh_text(value: float) -> str:
    """A flow label: whole TWh from 10 up, two significant digits below."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _draw_lines(ax, where: pd.DataFrame, lines: pd.DataFrame) -> None:
    widths = line_widths_pt(lines["capacity_gw"])
    labelled = set(lines["net_twh"].abs().sort_values(ascending=False).index[:LABELLED_FLOWS])
    for name, row in lines.iterrows():
        start = where.loc[row["region_from"], ["lon_deg", "lat_deg"]].to_numpy(dtype=float)
        end = where.loc[row["region_to"], ["lon_deg", "lat_deg"]].to_numpy(dtype=float)
        ax.plot(*zip(start, end), color="0.6", linewidth=widths[name], solid_capstyle="round", zorder=1, gid=f"line:{name}")
        if abs(row["net_twh"]) < 1e-6:
            continue
        tail, head = flow_arrow(start, end, row["net_twh"])
        arrow = dict(arrowstyle="-|>", color="#1f3f6e", linewidth=1.2, mutation_scale=12, shrinkA=0, shrinkB=0)
        ax.annotate("", xy=head, xytext=tail, arrowprops=arrow, zorder=4, gid=f"flow:{name}")
        if name in labelled:
            ax.annotate(
                twh_text(abs(row["net_twh"])),
                (tail + head) / 2,
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color="#1f3f6e",
                zorder=5,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.7),
                gid=f"flow label:{name}",
            )


def _draw_pies(ax, where: pd.DataFrame, frame: pd.DataFrame) -> pd.Series:
    """Pies with area ∝ each region's total; their radii (degrees of latitude)."""
    from matplotlib.patches import Wedge
    from matplotlib.transforms import Affine2D

    totals = frame.sum(axis=1).reindex(where.index).fillna(0.0)
    top = float(totals.max())
    radius = largest_radius_deg(where) * np.sqrt(totals / top) if top > 0 else totals * 0
    stretch = x_stretch(where)
    for region, (lon, lat) in where[["lon_deg", "lat_deg"]].iterrows():
        at = Affine2D().scale(stretch, 1.0).translate(lon, lat) + ax.transData  # circles on the stretched axes
        angle = 90.0
        for group, value in frame.loc[region].items():
            if value <= 0 or totals[region] <= 0:
                continue
            sweep = 360.0 * value / totals[region]
            wedge = Wedge((0, 0), radius[region], angle, angle + sweep, facecolor=MAP_GROUPS[group], edgecolor="white", linewidth=0.4)
            wedge.set_transform(at)
            wedge.set_gid(f"pie:{region}:{group}")
            wedge.set_zorder(3)
            ax.add_patch(wedge)
            angle += sweep
    return radius


def _draw_prices(fig, ax, where: pd.DataFrame, price: pd.Series) -> pd.Series:
    """Discs coloured by price, with a colour bar; their radii (degrees of latitude) for the labels."""
    size_pt = 16 if len(where) > 12 else 26
    dots = ax.scatter(
        where["lon_deg"],
        where["lat_deg"],
        c=price.reindex(where.index).to_numpy(),
        s=size_pt**2,
        cmap="viridis",
        edgecolors="black",
        linewidths=0.5,
        zorder=3,
        gid="prices",
    )
    fig.colorbar(dots, ax=ax, shrink=0.6, label="demand-weighted mean price (CNY/MWh)")
    return pd.Series(largest_radius_deg(where) * 0.5, index=where.index)


LABEL_PLACES = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))
"""Where a region's label may go, in order of preference: below its node, above, right, left, then the diagonals."""
LABEL_GAP_PT = 2.0  # between a node and its label, and the least space kept between two labels (points)


def _labels(ax, where: pd.DataFrame, radius: pd.Series, values: pd.Series) -> None:
    """Each region's name and value beside its node: the largest region first, each label in the first place of
    LABEL_PLACES where it overlaps no label placed before it and no other node (else where it overlaps least).
    Placed on the figure's final layout (the labels are kept out of the layout), so the check holds when drawn."""
    import matplotlib.patheffects as pe
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    renderer = (fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)).get_renderer()  # text sizes
    fig.draw_without_rendering()  # the constrained layout settles: data -> display as it will be drawn
    gap = LABEL_GAP_PT * fig.dpi / 72.0
    outline = [pe.withStroke(linewidth=2.5, foreground="white")]
    fontsize = 7 if len(where) > 12 else 9
    stretch = x_stretch(where)
    nodes = {region: _node_box(ax, lon, lat, radius[region], stretch) for region, (lon, lat) in where[["lon_deg", "lat_deg"]].iterrows()}
    frame_box = ax.get_window_extent(renderer)
    placed: list = []
    for region in values.reindex(where.index).fillna(0.0).sort_values(ascending=False, kind="stable").index:
        lon, lat = where.loc[region, ["lon_deg", "lat_deg"]]
        obstacles = placed + [box for other, box in nodes.items() if other != region]
        best = None
        for dx, dy in LABEL_PLACES:
            text = ax.annotate(
                f"{region} {values[region]:,.0f}",
                (lon + dx * radius[region] * stretch, lat + dy * radius[region]),
                xytext=(LABEL_GAP_PT * dx, LABEL_GAP_PT * dy),
                textcoords="offset points",
                ha={0: "center", 1: "left", -1: "right"}[dx],
                va={0: "center", 1: "bottom", -1: "top"}[dy],
                fontsize=fontsize,
                zorder=6,
                path_effects=outline,
                gid=f"label:{region}",
            )
            text.set_in_layout(False)
            box = text.get_window_extent(renderer)
            clash = sum(_overlap(box.padded(gap / 2), other) for other in obstacles)
            clash += box.width * box.height - _overlap(box, frame_box)  # the part outside the axes
            if best is None or clash < best[0]:
                if best is not None:
                    best[1].remove()
                best = (clash, text, box)
            else:
                text.remove()
            if best[0] == 0:
                break
        placed.append(best[2])


def _node_box(ax, lon: float, lat: float, radius_deg: float, stretch: float):
    """A node's disc (radius in degrees of latitude) as a box in display coordinates."""
    from matplotlib.transforms import Bbox

    corners = ax.transData.transform([(lon - radius_deg * stretch, lat - radius_deg), (lon + radius_deg * stretch, lat + radius_deg)])
    return Bbox(corners)


def _overlap(a, b) -> float:
    """The area two display boxes share (pixels²)."""
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(width, 0.0) * max(height, 0.0)


def _frame_axes(ax, where: pd.DataFrame) -> None:
    """Limits around every node (and its pie), the map's aspect, degree labels."""
    pad = 1.6 * largest_radius_deg(where)
    stretch = x_stretch(where)
    ax.set_xlim(where["lon_deg"].min() - pad * stretch, where["lon_deg"].max() + pad * stretch)
    ax.set_ylim(where["lat_deg"].min() - pad, where["lat_deg"].max() + pad)
    ax.set_aspect(stretch)
    ax.set(xlabel="longitude (°E)", ylabel="latitude (°N)")
    ax.grid(alpha=0.2)


def _legend_handles(frame: pd.DataFrame | None, lines: pd.DataFrame) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=MAP_GROUPS[g], label=g) for g in (frame.columns if frame is not None else [])]
    top = float(lines["capacity_gw"].max()) if len(lines) else 0.0
    if top > 0:
        sample = pd.Series(sorted({_round(top), _round(top / 3)}, reverse=True))
        widths = line_widths_pt(sample, top)
        handles += [Line2D([], [], color="0.6", linewidth=w, label=f"{gw:,.3g} GW") for gw, w in zip(sample, widths)]
    if len(lines):
        handles.append(Line2D([], [], color="#1f3f6e", marker=">", linestyle="-", label=f"TWh/yr (the largest {LABELLED_FLOWS})"))
    return handles


def _round(value: float) -> float:
    """A round number near ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    return min((1, 2, 5, 10), key=lambda m: abs(m * power - value)) * power


def map_figure(ds: xr.Dataset, quantity: str = "capacity", region=None, period=None, point: dict | None = None):
    """The map of one sweep point and one period (default: a pathway's last): regions, lines, net flows."""
    if quantity not in MAP_QUANTITIES:
        raise PlotError(f"{option('quantity', quantity)}: the map draws one of {', '.join(MAP_QUANTITIES)}")
    sel, period_note = map_selection(ds, region, period, point)
    where, lines = positions(sel), line_table(sel)
    values = node_values(sel, quantity)
    fig, axes = new_figure("map")
    ax = axes[0]
    _draw_lines(ax, where, lines)
    if quantity == "prices":
        radius, frame, shown = _draw_prices(fig, ax, where, values), None, values
    else:
        radius, frame, shown = _draw_pies(ax, where, values), values, values.sum(axis=1)
    _frame_axes(ax, where)
    ax.legend(
        handles=_legend_handles(frame, lines),
        loc="lower left",
        fontsize=8,
        framealpha=0.85,
        title=f"{SHOWN[quantity]}\nline width ∝ capacity\narrows: net yearly flow",
        title_fontsize=8,
    )
    figure_title(fig, sel, WHAT[quantity], [f"{len(where)} regions", period_note, point_note(sel)])
    _labels(ax, where, radius, shown)  # last: placed on the final layout
    return fig
