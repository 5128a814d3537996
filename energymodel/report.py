"""One self-contained HTML page of a results file: interactive plotly charts, key tables and the run's configuration.

plotly.js is embedded inline, so the page works offline. Charts use the frames and colours of
``energymodel.plots`` (the same numbers and colours as the static plots).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import plots
from .api import CAPACITY_VALUE, capacity_services
from .errors import ResultsError
from .files import write_text
from .report_map import has_map, map_chart
from .summary import format_coordinate, format_pathway_summary, format_summary, format_sweep_summary

HEIGHT = 460
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 0 24px 48px; color: #222; }
h1 { font-size: 1.6em; margin: 24px 0 4px; } h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; margin: 0 0 16px; } .note { color: #666; font-size: 0.9em; }
nav a { margin-right: 14px; } .chart { width: 100%; min-height: 300px; }
table { border-collapse: collapse; font-size: 0.88em; margin: 8px 0 16px; } caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 10px; text-align: right; } th:first-child, td:first-child { text-align: left; }
thead th { background: #f4f4f4; } .tables { display: flex; flex-wrap: wrap; gap: 0 40px; align-items: flex-start; }
pre { background: #f7f7f7; padding: 12px; overflow-x: auto; font-size: 0.82em; }
"""


def _bars(frame: pd.DataFrame, ds: xr.Dataset, title: str, unit: str, xtitle: str, cap: np.ndarray | None = None, empty: str = "none"):
    """Stacked bars of a (group x series) frame in the registry's colours; ``X new`` hatched. A single group
    (one run, one region) gets one bar per technology unless ``cap`` is drawn against the total."""
    import plotly.graph_objects as go

    styles = plots.series_styles(frame.columns, plots.families_of(ds))
    per_technology = len(frame) == 1 and cap is None
    fig = go.Figure()
    x = [str(i) for i in frame.index]
    for column in frame.columns:
        base = column.removesuffix(plots.NEW)
        new = column != base
        fig.add_bar(
            x=[base] if per_technology else x,
            y=frame[column].round(6),
            name=base,
            marker_color=styles[column]["color"],
            marker_pattern_shape="/" if new else "",
            legendgroup=base,
            showlegend=not per_technology and (not new or base not in frame.columns),
            hovertemplate=f"{column}: %{{y:,.1f}} {unit}<extra>%{{x}}</extra>",
        )
    if any(c.endswith(plots.NEW) for c in frame.columns):
        fig.add_bar(
            x=[None], y=[None], name="new build (hatched)", marker=dict(color="white", line_color="#555", line_width=1, pattern_shape="/")
        )
    if cap is not None and np.isfinite(cap).any():
        fig.add_scatter(
            x=x,
            y=cap,
            mode="markers",
            name="CO2 cap",
            marker=dict(symbol="line-ew-open", size=40, color="black", line_width=2),
            hovertemplate=f"cap: %{{y:,.0f}} {unit}<extra>%{{x}}</extra>",
        )
    if frame.empty or not (frame.abs().to_numpy() > 1e-9).any():
        fig.add_annotation(text=empty, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=16, color="#777"))
    fig.update_layout(
        barmode="relative",
        title=title,
        yaxis_title=unit,
        xaxis_title="technology" if per_technology else xtitle,
        xaxis_type="category",
        showlegend=not per_technology or bool(cap is not None),
    )
    return fig


def _dispatch(ds: xr.Dataset):
    """Stacked supply above zero, withdrawals below, demand as a line; zoomable with a range slider."""
    import plotly.graph_objects as go

    frame, demand = plots.dispatch_frame(ds)
    times = demand.index
    contiguous = len(times) < 2 or bool((np.diff(times.values) == np.timedelta64(1, "h")).all())
    x = times if contiguous else np.arange(len(times))
    hover = [f"{t:%Y-%m-%d %H:%M}" for t in times]
    styles = plots.series_styles(frame.columns, plots.families_of(ds))
    fig = go.Figure()
    for column in frame.columns:
        values = frame[column].to_numpy()
        for part, group in ((values.clip(0, None), "supply"), (values.clip(None, 0), "withdrawals")):
            if not (np.abs(part) > 1e-9).any():
                continue
            fig.add_scatter(
                x=x,
                y=part.round(4),
                name=column,
                stackgroup=group,
                mode="none",
                fillcolor=styles[column]["color"],
                line_shape="hv",
                legendgroup=column,
                showlegend=group == "supply" or not (values > 1e-9).any(),
                customdata=hover,
                hovertemplate=f"{column}: %{{y:,.1f}} GW<extra>%{{customdata}}</extra>",
            )
    fig.add_scatter(
        x=x,
        y=demand.round(4),
        name="demand",
        mode="lines",
        line=dict(color="black", width=1.5, shape="hv"),
        customdata=hover,
        hovertemplate="demand: %{y:,.1f} GW<extra>%{customdata}</extra>",
    )
    fig.update_layout(
        title="hourly dispatch (withdrawals below zero)",
        yaxis_title="power (GW)",
        xaxis=dict(rangeslider=dict(visible=True), title="hour" if contiguous else "modelled hour (not consecutive: hover for the date)"),
    )
    return fig


def _prices(ds: xr.Dataset):
    import plotly.graph_objects as go

    fig = go.Figure()
    for label, curve in plots.price_curves(ds).items():
        fig.add_scatter(
            x=np.append(0.0, curve.index),
            y=np.append(curve.to_numpy()[:1], curve.to_numpy()),
            name=label,
            mode="lines",
            line_shape="vh",
            hovertemplate="%{y:,.1f} CNY/MWh for %{x:,.0f} h<extra>" + html.escape(label) + "</extra>",
        )
    fig.update_layout(
        title="price-duration curves", xaxis_title="hours of the year with at least this price (h)", yaxis_title="marginal price (CNY/MWh)"
    )
    return fig


def _abatement(ds: xr.Dataset):
    from plotly.subplots import make_subplots

    others = [d for d in plots.sweep_dims(ds) if d != "h2_blend"]
    lines = ds[["co2_abated_t", "abatement_cost_cny_per_t"]]
    lines = lines.stack(case=others) if others else lines.expand_dims(case=[0])
    fig = make_subplots(rows=1, cols=2, subplot_titles=("CO2 abated vs 0 vol% (Mt/yr)", "abatement cost (CNY/tCO2)"))
    blend = 100 * ds["h2_blend"].values
    for i in range(lines.sizes["case"]):
        case = lines.isel(case=i)
        label = ", ".join(f"{d}={format_coordinate(case[d].values)}" for d in others) or ds.attrs.get("run_name", "")
        colour = f"hsl({(i * 67) % 360}, 60%, 40%)"
        fig.add_scatter(
            x=blend,
            y=case["co2_abated_t"].values / 1e6,
            name=label,
            legendgroup=label,
            mode="lines+markers",
            line_color=colour,
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=blend,
            y=case["abatement_cost_cny_per_t"].values,
            name=label,
            legendgroup=label,
            showlegend=False,
            mode="lines+markers",
            line_color=colour,
            row=1,
            col=2,
        )
    fig.update_xaxes(title_text="hydrogen in gas-turbine fuel (vol %)")
    fig.update_yaxes(title_text="Mt/yr", row=1, col=1)
    fig.update_yaxes(title_text="CNY/tCO2", row=1, col=2)
    fig.update_layout(title="hydrogen blending: CO2 abated and cost per tonne")
    return fig


def _alternatives(ds: xr.Dataset):
    """Each technology's capacity from least to most across the alternatives (the optimum marked), and each
    alternative on the scatter of the static plot (plots/alternatives.py)."""
    from plotly.subplots import make_subplots

    from .api import alternatives_table
    from .plots.alternatives import capacity_ranges, scatter_axes

    ranges, table = capacity_ranges(ds), alternatives_table(ds)
    (xlabel, xs), (ylabel, ys) = scatter_axes(ds)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], subplot_titles=("capacity: least to most (GW)", "each alternative"))
    styles = plots.series_styles(list(ranges.index), plots.families_of(ds))
    for tech, row in ranges.iterrows():
        fig.add_bar(
            y=[tech],
            x=[row["most"] - row["least"]],
            base=[row["least"]],
            orientation="h",
            marker_color=styles[tech]["color"],
            name=tech,
            showlegend=False,
            hovertemplate=f"{tech}: %{{base:,.1f}} to {row['most']:,.1f} GW (optimum {row['optimum']:,.1f})<extra></extra>",
            row=1,
            col=1,
        )
    fig.add_scatter(y=list(ranges.index), x=ranges["optimum"], mode="markers", marker=dict(color="black"), name="optimum", row=1, col=1)
    labels = [f"{sense} {aggregate}".strip() for sense, aggregate in zip(table["sense"], table["aggregate"])]
    fig.add_scatter(x=xs, y=ys, mode="markers+text", text=labels, textposition="top right", name="alternatives", row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(title_text="GW", row=1, col=1)
    fig.update_xaxes(title_text=xlabel, row=1, col=2)
    fig.update_yaxes(title_text=ylabel, row=1, col=2)
    fig.update_layout(
        title=f"near-optimal alternatives within {100 * float(ds.attrs.get('alternatives_slack', 0)):g} % of the optimum's cost"
    )
    return fig


def _table(frame: pd.DataFrame, caption: str, fmt: str = "{:,.1f}") -> str:
    """An HTML table of a frame (rows: index), numbers formatted."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [frame.index.name or ""] + list(frame.columns))
    rows = []
    for name, row in frame.iterrows():
        cells = "".join(f"<td>{_cell(v, fmt)}</td>" for v in row)
        rows.append(f"<tr><td>{html.escape(str(name))}</td>{cells}</tr>")
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value, fmt: str) -> str:
    if isinstance(value, str):
        return html.escape(value)
    if value is None or not np.isfinite(value):
        return "-"
    return fmt.format(0.0 if abs(value) < 1e-9 else value)


def tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Key tables: capacity (GW), output (TWh/yr), CO2 (Mt/yr) by technology and cost by component (bn CNY/yr), one column per group."""
    groups = plots.group_dims(ds)

    def by_technology(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.T
        out.index.name = "technology"
        if len(out.columns) > 1:
            out.loc["total"] = out.sum()
        else:
            out.columns = ["value"]
            out.loc["total"] = out["value"].sum()
        return out

    capacity = plots.capacity_frame(ds, groups)
    existing = capacity[[c for c in capacity.columns if not c.endswith(plots.NEW)]]
    new = capacity[[c for c in capacity.columns if c.endswith(plots.NEW)]].rename(columns=lambda c: c.removesuffix(plots.NEW))
    total = existing.add(new, fill_value=0.0)
    total = total[plots.stacking_order(total.columns, plots.families_of(ds))]
    out = {}
    if groups:
        out["installed capacity (GW)"] = by_technology(total)
    else:
        out["installed capacity (GW)"] = pd.concat(
            {"existing": existing.iloc[0], "new": new.iloc[0], "total": total.iloc[0]}, axis=1
        ).fillna(0.0)
        out["installed capacity (GW)"].index.name = "technology"
        out["installed capacity (GW)"].loc["total"] = out["installed capacity (GW)"].sum()
    output = by_technology(plots.generation_frame(ds, groups))
    out["electricity output (TWh/yr)"] = output
    if not groups:
        output.columns = ["TWh/yr"]
        output["share %"] = 100 * output["TWh/yr"] / output.loc["total", "TWh/yr"]
    out["CO2 emissions (Mt/yr)"] = by_technology(plots.emissions_frame(ds, groups))
    costs = ds["cost_by_component_cny"] / 1e9
    cost_groups = [g for g in groups if g != "region"]
    if cost_groups:
        stacked = costs.stack(group=cost_groups) if len(cost_groups) > 1 else costs.rename({cost_groups[0]: "group"})
        cost = pd.DataFrame(
            stacked.transpose("component", "group").values,
            index=[str(c) for c in ds["component"].values],
            columns=plots.annual_frame(ds, "energy_mwh", cost_groups).index,
        )
    else:
        cost = pd.DataFrame({"bn CNY/yr": costs.values}, index=[str(c) for c in ds["component"].values])
    cost.index.name = "component"
    cost.loc["total"] = cost.sum()
    out["yearly cost by component (bn CNY/yr)"] = cost
    if "alternative" in ds.dims:
        from .api import alternatives_table

        listed = alternatives_table(ds)
        listed.insert(0, "what", [f"{sense} {aggregate}".strip() for sense, aggregate in zip(listed.pop("sense"), listed.pop("aggregate"))])
        listed["cost_cny"] = listed["cost_cny"] / 1e9
        out["near-optimal alternatives (cost bn CNY, capacity GW)"] = listed.rename(columns={"cost_cny": "cost_bn_cny"})
    if CAPACITY_VALUE in ds and not (set(groups) - {"region"}):
        paid = capacity_services(ds, by_region=False).pivot(index="technology", columns="service", values="value_cny_per_kw_yr")
        paid = paid.loc[:, (paid.abs() > 0.5).any()]
        if len(paid):
            out["what the new capacity is paid for (CNY/kW/yr, from the duals)"] = paid
    return out


def _config(ds: xr.Dataset) -> str:
    """The run configuration as YAML (a sweep: its base run file and the swept values)."""
    import yaml

    raw = ds.attrs.get("run_config") or ds.attrs.get("base_run_config") or "{}"
    try:
        config = json.loads(raw)
    except ValueError:
        return str(raw)
    if "sweep_dims" in ds.attrs:
        config = {
            **config,
            "swept": {
                d: {"path": json.loads(ds.attrs.get("sweep_paths", "{}")).get(d, d), "values": [format_coordinate(v) for v in ds[d].values]}
                for d in plots.sweep_dims(ds)
            },
        }
    return yaml.safe_dump(config, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)


def charts(ds: xr.Dataset) -> dict[str, tuple[str, object, str]]:
    """The report's charts: id -> (heading, plotly Figure, note)."""
    groups = plots.group_dims(ds)
    xtitle = plots.group_axis_label(ds, groups) if groups else ""
    out = {}
    out["capacity"] = (
        "Installed capacity",
        _bars(plots.capacity_frame(ds, groups), ds, "installed capacity (new build hatched)", "GW", xtitle),
        "",
    )
    out["generation"] = (
        "Electricity output",
        _bars(plots.generation_frame(ds, groups), ds, "yearly output by technology", "TWh/yr", xtitle),
        "",
    )
    if has_map(ds):
        fig, note = map_chart(ds)
        out["map"] = ("Map", fig, note)
    if "time" in ds.dims and "generation_mw" in ds:
        one, notes = ds, []
        point = {d: ds[d].values[0] for d in plots.sweep_dims(ds) if d in ds.dims}
        if point:
            one = ds.isel(dict.fromkeys(point, 0))
            notes.append("sweep point " + ", ".join(f"{d}={format_coordinate(v)}" for d, v in point.items()))
        if "period" in one.dims:
            notes.append(f"period {one['period'].values[-1]}")
            one = one.isel(period=-1)
        note = ("Shown for " + "; ".join(notes) + "; the dispatch plot draws any other point or period. ") if notes else ""
        out["dispatch"] = ("Hourly dispatch", _dispatch(one), note + "Drag the range slider or zoom to look at any hours.")
        prices_ds = ds.isel(period=-1) if "period" in ds.dims else ds
        if len(plots.price_curves(prices_ds)) <= 24:
            out["prices"] = ("Marginal prices", _prices(prices_ds), "last period of the pathway" if "period" in ds.dims else "")
    cap = None if "region" in groups else plots.group_values(ds, ds["carbon_cap_t"], groups) / 1e6
    out["emissions"] = (
        "CO2 emissions",
        _bars(plots.emissions_frame(ds, groups), ds, "CO2 emissions by technology", "Mt/yr", xtitle, cap),
        "",
    )
    if "h2_use_t" in ds:
        h2 = plots.annual_frame(ds, "h2_use_by_technology_t", groups, 1e-3)
        if "h2_made_t" in ds:
            supply = plots.hydrogen_supply_frame(ds, groups, plots.annual_frame(ds, "capacity_total_mw", groups).index)
            out["hydrogen-supply"] = (
                "Hydrogen made and bought",
                _bars(supply, ds, "hydrogen made by electrolysis vs bought", "kt/yr", xtitle, empty="no hydrogen made or bought"),
                "",
            )
        out["hydrogen"] = (
            "Hydrogen burnt",
            _bars(h2, ds, "hydrogen burnt in gas turbines", "kt/yr", xtitle, empty="no hydrogen burnt"),
            "",
        )
    if "alternative" in ds.dims:
        out["alternatives"] = (
            "Near-optimal alternatives",
            _alternatives(ds),
            "energymodel alternatives: the optimum, then systems within the slack of its cost that minimise or maximise an "
            "aggregate (docs/alternatives.md); the table below lists them.",
        )
    if "h2_blend" in plots.sweep_dims(ds) and "co2_abated_t" in ds:
        out["abatement"] = ("Abatement curve", _abatement(ds), "against the zero-blend point with the same other values")
    return out


def _summary_text(ds: xr.Dataset) -> str:
    try:
        if "sweep_dims" in ds.attrs:
            return format_sweep_summary(ds)
        return format_pathway_summary(ds) if "period" in ds.dims else format_summary(ds)
    except (KeyError, ValueError) as exc:  # a summary that cannot be made does not stop the report
        return f"(no text summary: {exc})"


def build_report(ds: xr.Dataset) -> str:
    """The whole page as one HTML string (plotly.js inline)."""
    from plotly.offline import get_plotlyjs

    if "capacity_total_mw" not in ds or "technology" not in ds.dims:
        raise ResultsError("not an energymodel results file (no capacity_total_mw by technology)")
    name = html.escape(str(ds.attrs.get("run_name", "energymodel results")))
    found = charts(ds)
    nav = " ".join(f'<a href="#{key}">{html.escape(title)}</a>' for key, (title, _, _) in found.items())
    nav += ' <a href="#tables">Tables</a> <a href="#config">Run configuration</a>'
    sections = []
    for key, (title, fig, note) in found.items():
        fig.update_layout(
            height=fig.layout.height or HEIGHT,
            template="plotly_white",
            margin=dict(t=60, r=20, b=40, l=60),
            legend=dict(traceorder="normal"),
        )
        div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{key}", config={"responsive": True, "displaylogo": False})
        sections.append(
            f'<section id="{key}"><h2>{html.escape(title)}</h2>'
            + (f'<p class="note">{html.escape(note)}</p>' if note else "")
            + f'<div class="chart">{div}</div></section>'
        )
    table_html = "".join(_table(frame, caption) for caption, frame in tables(ds).items())
    meta = [
        f"{ds.sizes['time'] if 'time' in ds.dims else ds.attrs.get('hours_modelled', '?')} modelled hours"
        + (" per period" if "period" in ds.dims else f" of {ds.attrs.get('modelled_year', '?')}"),
        str(ds.attrs.get("currency", "CNY")),
    ]
    if "period" in ds.dims:
        meta.insert(0, "periods " + ", ".join(str(p) for p in ds["period"].values))
    if ds.sizes.get("region", 1) > 1:
        meta.insert(0, f"{ds.sizes['region']} regions")
    if "sweep_dims" in ds.attrs:
        meta.insert(0, f"sweep over {', '.join(plots.sweep_dims(ds))} ({ds.attrs.get('points', '?')} points)")
    meta.append(
        f"solver {ds.attrs.get('solver', '?')} {ds.attrs.get('solver_version', '')}, energymodel {ds.attrs.get('energymodel_version', '?')}"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}: energymodel report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>{name}</h1>
<p class="meta">{html.escape(" · ".join(meta))}</p>
<nav>{nav}</nav>
{"".join(sections)}
<section id="tables"><h2>Tables</h2><div class="tables">{table_html}</div>
<details><summary>Text summary (energymodel summary)</summary><pre>{html.escape(_summary_text(ds))}</pre></details></section>
<section id="config"><h2>Run configuration</h2><pre>{html.escape(_config(ds))}</pre></section>
</body></html>
"""


def write_report(ds: xr.Dataset, path: str | Path) -> Path:
    """Write the report to a temporary file beside ``path``, then rename (a failure leaves no file and keeps an old one)."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise plots.PlotError(f"{path}: the report must end in .html")
    return write_text(path, build_report(ds))
