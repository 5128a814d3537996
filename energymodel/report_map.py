"""The HTML report's map: regions and lines at their positions as a plain plotly scatter (longitude on x, latitude
on y), with no world shapes (plotly's geo charts fetch them from a CDN when the page is viewed).

The numbers are those of the static map (``plots/map.py``): nodes sized by capacity (area ∝ GW) and coloured by the
demand-weighted mean price, hover text with capacity by map group; lines as segments of width ∝ capacity (GW), an
arrow at the middle pointing the way of the net yearly flow (TWh/yr).
"""

from __future__ import annotations

import html

import numpy as np
import xarray as xr

from .plots import line_table, map_selection, node_values, positions
from .plots.map import flow_arrow, line_widths_pt, x_stretch

LARGEST_MARKER_PX = 44
MAP_HEIGHT = 680  # px (the report's other charts: report.HEIGHT)


def has_map(ds: xr.Dataset) -> bool:
    """Whether the report draws a map: several regions with positions, hourly results, one run (not a sweep)."""
    return (
        ds.sizes.get("region", 1) > 1
        and "region_lat_deg" in ds.coords
        and "region_lon_deg" in ds.coords
        and "sweep_dims" not in ds.attrs
        and "time" in ds.dims
        and "generation_mw" in ds
    )


def map_chart(ds: xr.Dataset):
    """The plotly Figure of the map (a pathway's last period) and a note saying what it shows."""
    import plotly.graph_objects as go

    sel, period_note = map_selection(ds)
    where, lines = positions(sel), line_table(sel)
    capacity, price = node_values(sel, "capacity"), node_values(sel, "prices")
    total = capacity.sum(axis=1).reindex(where.index).fillna(0.0)
    fig = go.Figure()
    widths = line_widths_pt(lines["capacity_gw"])
    for name, row in lines.iterrows():
        ends = where.loc[[row["region_from"], row["region_to"]]]
        way = f"{row['region_from']} → {row['region_to']}" if row["net_twh"] >= 0 else f"{row['region_to']} → {row['region_from']}"
        fig.add_scatter(
            x=ends["lon_deg"],
            y=ends["lat_deg"],
            mode="lines",
            line=dict(color="#9a9a9a", width=float(widths[name])),
            showlegend=False,
            hoverinfo="text",
            text=f"{html.escape(name)}: {row['capacity_gw']:,.1f} GW; net {abs(row['net_twh']):,.1f} TWh/yr {html.escape(way)}",
        )
        if abs(row["net_twh"]) >= 1e-6:
            tail, head = flow_arrow(*(ends[["lon_deg", "lat_deg"]].to_numpy(dtype=float)), row["net_twh"])
            fig.add_annotation(
                x=head[0], y=head[1], ax=tail[0], ay=tail[1], xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2
            )
    hover = [
        f"<b>{html.escape(r)}</b><br>capacity {total[r]:,.1f} GW: "
        + ", ".join(f"{g} {v:,.1f}" for g, v in capacity.loc[r].items() if v > 0.05)
        + f"<br>mean price {price[r]:,.1f} CNY/MWh"
        for r in where.index
    ]
    top = float(total.max()) if len(total) else 0.0
    fig.add_scatter(
        x=where["lon_deg"],
        y=where["lat_deg"],
        mode="markers+text",
        text=list(where.index),
        textposition="bottom center",
        hovertext=hover,
        hoverinfo="text",
        marker=dict(
            size=LARGEST_MARKER_PX * np.sqrt(total / top) if top > 0 else 10,
            color=price.reindex(where.index),
            colorscale="Viridis",
            colorbar=dict(title="CNY/MWh"),
            line=dict(color="black", width=0.5),
        ),
        showlegend=False,
    )
    fig.update_layout(
        height=MAP_HEIGHT,
        title="regions (area ∝ GW, colour: demand-weighted mean price) and lines (width ∝ GW, arrows: net yearly flow)",
        xaxis=dict(title="longitude (°E)", constrain="domain"),
        yaxis=dict(title="latitude (°N)", scaleanchor="x", scaleratio=x_stretch(where)),
    )
    note = "No outlines: a node-and-line map in degrees of longitude and latitude (docs/plots.md); hover for the numbers."
    return fig, (f"Shown for {period_note}. " if period_note else "") + note
