"""A readable text summary of a results Dataset (what ``energymodel summary`` prints)."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from .inputs.schema import H2_KIND_AT_FUEL_PRICE, HEAT_ONLY_FAMILIES


def _num(x: float, fmt: str = "{:,.1f}") -> str:
    if x is None or not np.isfinite(x):
        return "-"
    return fmt.format(0.0 if abs(x) < 1e-9 else x).replace("-0.0", "0.0")


def text_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def format_summary(ds: xr.Dataset) -> str:
    """Capacity mix, generation shares, emissions vs cap, costs, prices and hydrogen use."""
    if "period" in ds.dims:
        return format_pathway_summary(ds)
    weight = ds["weight_h"]
    demand_twh = float((ds["demand_mw"] * weight).sum()) / 1e6
    system = _over_regions(ds)
    energy_twh = system["energy_mwh"] / 1e6
    total_output = float(energy_twh.sum())
    curtailed = (system["curtailment_mw"] * weight).sum("time", min_count=1) / 1e6 if "curtailment_mw" in ds else None
    hours = f"{ds.attrs.get('hours_modelled', ds.sizes['time'])} modelled hours"
    if "representative_day" in ds:
        hours += f" = {ds.sizes['time'] // 24} typical days for {ds.sizes['day']} days"
    out = [
        f"energymodel results: {ds.attrs.get('run_name', '?')}  (year {ds.attrs.get('modelled_year', '?')}, "
        f"{hours}, {ds.attrs.get('currency', 'CNY')})",
        "",
    ]

    # heat output of CHP plants, boilers and heat pumps, TWh_th (a boiler's or heat pump's capacity and full-load hours are in heat)
    heat_twh = None
    if "heat_output_mw" in ds:
        heat_mw = ds["heat_output_mw"]
        heat_mw = heat_mw.sum("region", min_count=1) if "region" in heat_mw.dims else heat_mw
        heat_twh = (heat_mw * weight).sum("time", min_count=1) / 1e6
    rows = []
    for g in ds["technology"].values:
        cap = float(system["capacity_total_mw"].sel(technology=g))
        twh = float(energy_twh.sel(technology=g)) if np.isfinite(energy_twh.sel(technology=g)) else 0.0
        heat = float(heat_twh.sel(technology=g)) if heat_twh is not None and g in heat_twh["technology"] else np.nan
        boiler = str(ds["family"].sel(technology=g).values) in HEAT_ONLY_FAMILIES  # heat boilers and heat pumps: MW_th
        flh = (heat if boiler else twh) * 1e6 / cap if cap > 0 else np.nan
        cur = float(curtailed.sel(technology=g)) if curtailed is not None else np.nan
        row = [
            str(g),
            str(ds["family"].sel(technology=g).values),
            _num(float(system["capacity_existing_mw"].sel(technology=g)) / 1e3),
            _num(float(system["capacity_new_mw"].sel(technology=g)) / 1e3),
            _num(cap / 1e3),
            _num(np.nan if boiler else twh),
            _num(np.nan if boiler else 100 * twh / total_output if total_output else np.nan),
            _num(flh, "{:,.0f}"),
            _num(cur),
        ]
        rows.append(row + ([_num(heat)] if heat_twh is not None else []))
    out += ["Capacity and generation"]
    out += text_table(
        ["technology", "family", "existing GW", "new GW", "total GW", "output TWh", "share %", "FLH h", "curtailed TWh"]
        + (["heat TWh_th"] if heat_twh is not None else []),
        rows,
    )
    if heat_twh is not None:
        out.append("(heat boilers and heat pumps: capacity GW_th, full-load hours of heat)")
    if "storage_charge_mw" in ds:
        charged = float((ds["storage_charge_mw"] * weight).sum()) / 1e6
        out.append(f"(storage output counts in the total; storage charging {charged:,.1f} TWh)")
    out += _retrofit_lines(system)
    out += _capacity_service_lines(ds)
    if ds.sizes.get("region", 1) > 1:
        out += ["", "Regions"] + _region_table(ds)
    if "line" in ds.dims:
        out += ["", "Transmission"] + _line_table(ds)

    emissions = float(ds["emissions_total_t"])
    cap = float(ds["carbon_cap_t"])
    out += ["", "Carbon"]
    out.append(
        f"  CO2 emissions        {emissions / 1e6:,.1f} Mt/yr"
        + (f"   (cap {cap / 1e6:,.1f} Mt/yr, {100 * emissions / cap:.1f} % of cap)" if np.isfinite(cap) else "   (no cap)")
    )
    out.append(f"  CO2 intensity        {1e3 * emissions / (demand_twh * 1e6):,.1f} g/kWh of demand")
    out.append(
        f"  carbon shadow price  {_num(float(ds['carbon_shadow_price_cny_per_t']))} CNY/t   carbon price {_num(float(ds['carbon_price_cny_per_t']))} CNY/t"
    )
    if "co2_captured_total_t" in ds:
        captured = system["co2_captured_t"].fillna(0.0)
        by_plant = ", ".join(
            f"{g}: {float(captured.sel(technology=g)) / 1e6:,.1f}"
            for g in captured["technology"].values
            if float(captured.sel(technology=g)) > 0
        )
        out.append(
            f"  CO2 captured         {float(ds['co2_captured_total_t']) / 1e6:,.1f} Mt/yr (not emitted; sent to transport and storage)"
            + (f"  [{by_plant}]" if by_plant else "")
        )
    out += _nox_lines(ds)
    out += _reserve_lines(ds)

    total = float(ds["total_cost_cny"])
    out += ["", "Cost"]
    out.append(f"  total system cost    {total / 1e9:,.1f} bn CNY/yr   average {total / (demand_twh * 1e6):,.1f} CNY/MWh of demand")
    for c in ds["component"].values:
        out.append(f"    {str(c):<18} {float(ds['cost_by_component_cny'].sel(component=c)) / 1e9:>12,.1f} bn CNY/yr")
    price = ds["marginal_price_cny_per_mwh"]
    load_weighted = float((price * ds["demand_mw"] * weight).sum() / (ds["demand_mw"] * weight).sum())
    out.append(f"  marginal price       demand-weighted mean {_num(load_weighted)} CNY/MWh, max {_num(float(price.max()))} CNY/MWh")

    out += ["", "Demand and hydrogen"]
    lost = float((ds["lost_load_mw"] * weight).sum()) / 1e6
    out.append(
        f"  demand               {demand_twh:,.1f} TWh/yr, peak {float(ds['demand_mw'].sum('region').max()) / 1e3:,.1f} GW; lost load {lost:,.3f} TWh/yr"
    )
    out += _heat_lines(ds, weight)
    if "h2_use_t" in ds:
        # one region: the realised blend; several: the highest regional blend of each technology
        share = ds["h2_blend_energy_share"].max("region").dropna("technology")
        vol = ds["h2_blend_volume_share"].max("region").dropna("technology")
        blend = ", ".join(
            f"{g}: {100 * float(vol.sel(technology=g)):.1f} vol% / {100 * float(share.sel(technology=g)):.1f} energy%"
            for g in share["technology"].values
        )
        out.append(
            f"  hydrogen burnt       {float(ds['h2_use_t']) / 1e6:,.3f} Mt/yr ({float(ds['h2_use_nm3']) / 1e9:,.2f} bn Nm3/yr); realised blend {blend}"
        )
        if "h2_made_t" in ds:
            kinds = [k for k in dict.fromkeys(ds["h2_source_kind"].values.tolist()) if k != H2_KIND_AT_FUEL_PRICE]
            bought = ds["h2_bought_by_source_t"]
            by_kind = ", ".join(f"{k} {float(bought.where(ds['h2_source_kind'] == k).sum()) / 1e6:,.3f}" for k in kinds)
            out.append(
                f"  hydrogen supply      made by electrolysis {float(ds['h2_made_t']) / 1e6:,.3f} Mt/yr, bought {float(ds['h2_bought_t']) / 1e6:,.3f} Mt/yr"
                + (f" ({by_kind})" if kinds else "")
            )
    out += ["", *_solver_lines(ds)]
    return "\n".join(out)


def _heat_lines(ds: xr.Dataset, weight) -> list[str]:
    """Heat demand, who met it (CHP, boilers, heat pumps and their power) and the demand-weighted heat price."""
    if "heat_demand_mw" not in ds:
        return []
    heat = (ds["heat_output_mw"].fillna(0.0) * weight).sum([d for d in ("region", "time") if d in ds["heat_output_mw"].dims]) / 1e6
    chp, boilers, pumped = (float(heat.where(ds["family"] == f, 0.0).sum()) for f in ("thermal", "heat_boiler", "heat_pump"))
    demand = ds["heat_demand_mw"] * weight
    price = float((ds["heat_price_cny_per_mwh"] * demand).sum() / demand.sum()) if float(demand.sum()) > 0 else np.nan
    power = float((ds["heat_pump_power_mw"].fillna(0.0) * weight).sum()) / 1e6 if "heat_pump_power_mw" in ds else 0.0
    pumps = f", heat pumps {pumped:,.1f} (electricity {power:,.1f} TWh)" if "heat_pump_power_mw" in ds else ""
    return [
        f"  heat                 {float(demand.sum()) / 1e6:,.1f} TWh_th/yr: CHP {chp:,.1f}, boilers {boilers:,.1f}{pumps}; "
        f"demand-weighted heat price {_num(price)} CNY/MWh_th"
    ]


def _solver_lines(ds: xr.Dataset) -> list[str]:
    """The solver, its status and times; the solution's numerical health (health.py) when recorded."""
    out = [
        f"solver: {ds.attrs.get('solver', '?')} {ds.attrs.get('solver_version', '')} {ds.attrs.get('solver_termination', '')}; "
        f"build {_num(ds.attrs.get('build_time_s', np.nan))} s, solve {_num(ds.attrs.get('solve_time_s', np.nan))} s"
    ]
    if "max_row_violation_relative" in ds.attrs:
        out.append(
            f"numerical health: largest hourly balance violation {float(ds.attrs['max_balance_violation_mw']):.2g} MW; "
            f"largest row violation {float(ds.attrs['max_row_violation_relative']):.1e}, bound violation "
            f"{float(ds.attrs['max_bound_violation_relative']):.1e} (relative)"
        )
    return out


CAPACITY_VALUE = "capacity_value_cny_per_kw_yr"
SERVICE_NAMES = {
    "energy": "energy",
    "operating_reserve": "the operating reserve",
    "heat": "heat supply",
    "planning_margin": "the planning margin",
    "must_run": "must-run",
    "commitment": "unit commitment",
    "ramping": "ramping",
    "policy": "policy targets",
    "limit": "its build limit",
    "other": "other constraints",
    "unexplained": "nothing the duals show (unexplained)",
}


def _retrofit_lines(system: xr.Dataset) -> list[str]:
    """The existing plant converted by retrofits (carbon capture, H2-ready turbines), where any was; the
    retrofits themselves are the new GW of their rows."""
    if "capacity_retrofitted_mw" not in system:
        return []
    converted = system["capacity_retrofitted_mw"].fillna(0.0)
    parts = [f"{g} {_built(float(mw) / 1e3)}" for g, mw in zip(converted["technology"].values, converted.values) if mw > 1e-6]
    return [f"(existing plant converted by retrofits, counted in their new GW: {', '.join(parts)})"] if parts else []


def _built(gw: float) -> str:
    return f"{gw:,.1f} GW" if gw >= 1 else f"{gw * 1e3:,.0f} MW"


def _capacity_service_lines(ds: xr.Dataset) -> list[str]:
    """What the new capacity is paid for (from the duals, explain.py): a table by service, and a sentence for
    each build paid mostly by something other than energy or that hardly runs."""
    if CAPACITY_VALUE not in ds:
        return []
    value, services = ds[CAPACITY_VALUE], [str(s) for s in ds["service"].values]
    years = [None] if "period" not in value.dims else list(ds["period"].values)
    regions = list(ds["region"].values) if "region" in value.dims else [None]
    rows, sentences, shown = [], [], set()
    decomposed = "decomposition_gap" in ds.attrs
    for year in years:
        for region in regions:
            where = {k: v for k, v in (("period", year), ("region", region)) if v is not None}
            for g in ds["technology"].values:
                parts = value.sel(technology=g, **where)
                if not bool(parts.notnull().any()):
                    continue
                parts = {s: float(parts.sel(service=s)) for s in services}
                cost = sum(parts.values())
                new = float(ds["capacity_new_mw"].sel(technology=g, **where)) / 1e3
                if new < 1e-3:  # under 1 MW: solver noise (a decomposition's), not a build worth a line
                    continue
                total = float(ds["capacity_total_mw"].sel(technology=g, **where))
                energy = float(ds["energy_mwh"].sel(technology=g, **where)) if "energy_mwh" in ds else np.nan
                if str(ds["family"].sel(technology=g).values) in HEAT_ONLY_FAMILIES and "heat_output_mw" in ds:  # FLH of heat
                    weight = ds["weight_h"].sel({k: v for k, v in where.items() if k in ds["weight_h"].dims})
                    energy = float((ds["heat_output_mw"].sel(technology=g, **where).fillna(0.0) * weight).sum("time"))
                flh = (0.0 if not np.isfinite(energy) else energy) / total if total > 0 else np.nan
                label = ".".join(str(x) for x in (region if len(regions) > 1 else None, g, year) if x is not None)
                share = {s: v / cost for s, v in parts.items()} if cost else {}
                shown.update(s for s, v in share.items() if abs(v) >= 0.005)
                rows.append((label, new, flh, cost, parts))
                # a decomposition's duals leave an unexplained part: there only the builds that hardly run get a sentence
                if share and (flh < 500 or (not decomposed and share.get("energy", 0.0) < 0.5)):
                    paid = sorted(((v, s) for s, v in share.items() if v >= 0.05 and s != "unexplained"), reverse=True)
                    named = [f"{SERVICE_NAMES.get(s, s)} ({100 * v:.0f} %)" for v, s in paid]
                    by = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named) or (
                        "nothing the duals show" + (" at the decomposition's point" if decomposed else "")
                    )
                    sentences.append(
                        f"  {label}: {_built(new)} built, {_num(flh, '{:,.0f}')} full-load hours: its capacity is paid by {by}"
                    )
    if not rows:
        return []
    columns = [s for s in services if s in shown]
    table = [
        [label, _num(new), _num(flh, "{:,.0f}"), _num(cost, "{:,.0f}")] + [_num(parts[s], "{:,.0f}") for s in columns]
        for label, new, flh, cost, parts in rows
    ]
    out = ["", "What the new capacity is paid for (CNY/kW/yr, from the duals; the parts sum to the annualised cost)"]
    out += text_table(["technology", "new GW", "FLH h", "cost", *columns], table)
    other = value.attrs.get("other_families", "")
    if "other" in columns and other:
        out.append(f"(other: {other})")
    if "unexplained" in columns and decomposed:
        out.append(
            f"(solved by decomposition to a gap of {100 * float(ds.attrs['decomposition_gap']):.3g} %: the subproblems' duals price "
            "the master's point only approximately; 'unexplained' is what they leave. One LP or --representative-days gives an exact split)"
        )
    return out + sentences


def _has_nox(ds: xr.Dataset) -> bool:
    """Does the run emit NOx (some technology has a NOx factor) or cap it?"""
    return "nox_total_t" in ds and (float(ds["nox_total_t"].max()) > 0 or bool(ds["nox_cap_t"].notnull().any()))


def _nox_lines(ds: xr.Dataset) -> list[str]:
    """NOx against its cap, with the cap's shadow price; nothing when the run has neither NOx factors nor a cap."""
    if not _has_nox(ds):
        return []
    nox, cap = float(ds["nox_total_t"]), float(ds["nox_cap_t"])
    share = f", {100 * nox / cap:.1f} % of cap" if cap > 0 else ""
    against = f"   (cap {cap / 1e3:,.1f} kt/yr{share})" if np.isfinite(cap) else "   (no cap)"
    return [
        f"  NOx emissions        {nox / 1e3:,.1f} kt/yr" + against,
        f"  NOx shadow price     {_num(float(ds['nox_shadow_price_cny_per_t']))} CNY/t",
    ]


def _reserve_lines(ds: xr.Dataset) -> list[str]:
    """Operating-reserve and capacity prices, when the run had reserves."""
    out = []
    if "reserve_price_cny_per_mw_h" in ds:
        price = ds["reserve_price_cny_per_mw_h"]
        binding = int((price > 1e-6).any("region").sum()) if "region" in price.dims else int((price > 1e-6).sum())
        need = (ds["reserve_requirement_mw"] * ds["weight_h"]).sum("time") / ds["weight_h"].sum()
        out.append(
            f"  operating reserve    mean requirement {float(need.sum()) / 1e3:,.1f} GW; price mean {_num(float(price.mean()))}, "
            f"max {_num(float(price.max()))} CNY/MW/h; binding in {binding} of {ds.sizes['time']} modelled hours"
        )
    if "planning_binding" in ds:
        out.append(_hourly_planning_line(ds))
    elif "capacity_price_cny_per_mw_yr" in ds:
        firm, peak = float(ds["firm_capacity_mw"].sum()), float(ds["peak_demand_mw"].sum())
        price = ds["capacity_price_cny_per_mw_yr"]
        out.append(
            f"  planning reserve     firm capacity {firm / 1e3:,.1f} GW for a peak of {peak / 1e3:,.1f} GW ({100 * (firm / peak - 1):.1f} % margin); "
            f"capacity price {_num(float(price.max()) / 1e3)} CNY/kW/yr"
        )
    return ["", "Reserves"] + out if out else []


def _hourly_planning_line(ds: xr.Dataset) -> str:
    """The hourly planning margin: where it binds, what meets it there, and the capacity price."""
    regional = "region" in ds["planning_binding"].dims
    binding = ds["planning_binding"].max("region") if regional else ds["planning_binding"]
    price = ds["planning_reserve_price_cny_per_mw_h"].fillna(0)
    price = price.sum("region") if regional else price
    need, offered = ds["planning_requirement_mw"], ds["planning_available_mw"]
    need, offered = (need.sum("region"), offered.sum("region")) if regional else (need, offered)
    held = int(np.isfinite(ds["planning_requirement_mw"]).any("region").sum() if regional else np.isfinite(need).sum())
    line = f"  planning reserve     hourly margin binding in {int(binding.sum())} of {held} modelled hours"
    if float(price.max()) > 0:
        t = int(np.argmax(price.values))
        when = np.datetime_as_string(ds["time"].values[t], unit="m").replace("T", " ")
        firm = float(ds["firm_capacity_mw"].sum())
        line += (
            f" (tightest {when}: {float(need[t]) / 1e3:,.1f} GW needed, firm {firm / 1e3:,.1f} GW + wind and solar "
            f"{(float(offered[t]) - firm) / 1e3:,.1f} GW)"
        )
    return line + f"; capacity price {_num(float(ds['capacity_price_cny_per_mw_yr'].max()) / 1e3)} CNY/kW/yr"


def format_pathway_summary(ds: xr.Dataset) -> str:
    """A pathway, period by period: capacity and output by technology, CO2 against the caps, costs."""
    years = [int(y) for y in ds["period"].values]
    w = ds["weight_h"]
    head = [
        f"energymodel pathway: {ds.attrs.get('run_name', '?')}  (periods {', '.join(map(str, years))}; "
        f"{ds.sizes['time']} modelled hours per period; {ds.attrs.get('currency', 'CNY')})",
        "",
    ]
    if ds.attrs.get("pathway_foresight") == "myopic":
        horizon = ds.attrs.get("pathway_horizon_periods", "?")
        head[1:1] = [f"myopic foresight: {ds.sizes.get('window', '?')} windows seeing up to {horizon} period(s), one period kept at a time"]

    def by_technology(values, scale, fmt):
        rows = []
        for g in ds["technology"].values:
            row = values.sel(technology=g)
            if bool((abs(row.fillna(0)) > 1e-6).any()):
                rows.append([str(g)] + [_num(float(row.sel(period=y)) * scale, fmt) for y in years])
        return text_table(["technology"] + [str(y) for y in years], rows)

    system = _over_regions(ds)
    out = head + ["Installed capacity (GW)"] + by_technology(system["capacity_total_mw"], 1e-3, "{:,.0f}")
    if "capacity_retrofitted_mw" in system and float(system["capacity_retrofitted_mw"].fillna(0).max()) > 1e-6:
        out += ["", "Retrofitted: existing plant converted by retrofits (GW)"]
        out += by_technology(system["capacity_retrofitted_mw"], 1e-3, "{:,.1f}")
    out += ["", "Output (TWh/yr)"] + by_technology(system["energy_mwh"], 1e-6, "{:,.0f}")
    out += _capacity_service_lines(ds)
    demand = (ds["demand_mw"] * w).sum(["region", "time"]) / 1e6
    lost = (ds["lost_load_mw"] * w).sum(["region", "time"]) / 1e6
    emissions, cap = ds["emissions_total_t"] / 1e6, ds["carbon_cap_t"] / 1e6
    annual = ds["cost_by_component_cny"].sum("component") / 1e9
    lines = [
        ("demand TWh/yr", demand, "{:,.0f}"),
        ("lost load TWh/yr", lost, "{:,.2f}"),
        ("CO2 Mt/yr", emissions, "{:,.0f}"),
        ("CO2 cap Mt/yr", cap, "{:,.0f}"),
        ("CO2 price CNY/t", ds["carbon_shadow_price_cny_per_t"], "{:,.0f}"),
    ]
    if "non_fossil_share" in ds:
        lines.append(("non-fossil share %", 100 * ds["non_fossil_share"], "{:,.1f}"))
    if "h2_use_t" in ds:
        lines.append(("H2 burnt Mt/yr", ds["h2_use_t"] / 1e6, "{:,.2f}"))
    if "h2_made_t" in ds:
        lines.append(("H2 made Mt/yr", ds["h2_made_t"] / 1e6, "{:,.2f}"))
    if _has_nox(ds):
        lines += [("NOx kt/yr", ds["nox_total_t"] / 1e3, "{:,.1f}"), ("NOx price CNY/t", ds["nox_shadow_price_cny_per_t"], "{:,.0f}")]
    lines += [("cost bn CNY/yr", annual, "{:,.0f}"), ("average CNY/MWh", annual * 1e3 / demand, "{:,.1f}")]
    rows = [[name] + [_num(float(values.sel(period=y)), fmt) for y in years] for name, values, fmt in lines]
    out += ["", "System"] + text_table(["per period"] + [str(y) for y in years], rows)
    out += [
        "",
        f"present value of all costs: {float(ds['total_cost_cny']) / 1e12:,.2f} trillion CNY "
        f"(discounted at {100 * json.loads(ds.attrs.get('dataset_settings', '{}')).get('discount_rate', float('nan')):.0f} %/yr)",
    ]
    out += _solver_lines(ds)
    return "\n".join(out)


EXTENSIVE_BY_TECHNOLOGY = (
    "capacity_existing_mw",
    "capacity_new_mw",
    "capacity_total_mw",
    "capacity_retrofitted_mw",
    "energy_mwh",
    "curtailment_mw",
    "co2_captured_t",
)


def _over_regions(ds: xr.Dataset) -> xr.Dataset:
    """Capacities, energy and curtailment summed over regions (NaN where no region has the technology)."""
    return xr.Dataset({v: ds[v].sum("region", min_count=1) for v in EXTENSIVE_BY_TECHNOLOGY if v in ds})


def _region_table(ds: xr.Dataset) -> list[str]:
    """Demand, generation, net imports, lost load and demand-weighted price per region."""
    w = ds["weight_h"]
    demand = (ds["demand_mw"] * w).sum("time") / 1e6
    generation = ds["energy_mwh"].sum("technology") / 1e6
    lost = (ds["lost_load_mw"] * w).sum("time") / 1e6
    price = (ds["marginal_price_cny_per_mwh"] * ds["demand_mw"] * w).sum("time") / (ds["demand_mw"] * w).sum("time")
    capacity = ds["capacity_total_mw"].sum("technology") / 1e3
    withdrawn = sum((ds[v].fillna(0) * w).sum(["technology", "time"]) for v in ("storage_charge_mw", "electrolysis_mw") if v in ds) / 1e6
    imports = demand - lost + withdrawn - generation  # what the lines bring in, net of losses at the receiving end
    rows = [
        [
            str(r),
            _num(float(capacity.sel(region=r))),
            _num(float(demand.sel(region=r))),
            _num(float(generation.sel(region=r))),
            _num(float(imports.sel(region=r))),
            _num(float(lost.sel(region=r)), "{:,.3f}"),
            _num(float(price.sel(region=r))),
        ]
        for r in ds["region"].values
    ]
    return text_table(["region", "capacity GW", "demand TWh", "output TWh", "net import TWh", "lost TWh", "price CNY/MWh"], rows)


def _line_table(ds: xr.Dataset) -> list[str]:
    """Capacity, use and congestion rent per transmission line."""
    w = ds["weight_h"]
    forward = (ds["flow_mw"].clip(min=0) * w).sum("time") / 1e6
    backward = (-ds["flow_mw"].clip(max=0) * w).sum("time") / 1e6
    capacity = ds["line_capacity_total_mw"]
    congested = ((abs(ds["flow_mw"]) >= capacity * (1 - 1e-6)) & (capacity > 0)).mean("time") * 100
    rows = []
    for line in ds["line"].values:
        sel = dict(line=line)
        rows.append(
            [
                str(line),
                f"{ds['region_from'].sel(**sel).values} -> {ds['region_to'].sel(**sel).values}",
                _num(float(ds["line_capacity_existing_mw"].sel(**sel)) / 1e3),
                _num(float(ds["line_capacity_new_mw"].sel(**sel)) / 1e3),
                _num(float(forward.sel(**sel))),
                _num(float(backward.sel(**sel))),
                _num(float(congested.sel(**sel)), "{:,.0f}"),
                _num(float(ds["congestion_rent_cny"].sel(**sel)) / 1e9, "{:,.2f}"),
            ]
        )
    return text_table(["line", "from -> to", "existing GW", "new GW", "sent TWh", "returned TWh", "at limit %", "rent bn CNY"], rows)


SWEEP_COLUMNS = [
    # (variable, header, scale, format)
    ("total_cost_cny", "cost bn CNY/yr", 1e-9, "{:,.2f}"),
    ("emissions_total_t", "CO2 Mt/yr", 1e-6, "{:,.1f}"),
    ("carbon_shadow_price_cny_per_t", "CO2 price CNY/t", 1.0, "{:,.1f}"),
    ("h2_use_t", "H2 kt/yr", 1e-3, "{:,.1f}"),
    ("h2_made_t", "made kt/yr", 1e-3, "{:,.1f}"),
    ("h2_bought_t", "bought kt/yr", 1e-3, "{:,.1f}"),
    ("co2_abated_t", "abated Mt/yr", 1e-6, "{:,.2f}"),
    ("abatement_cost_cny_per_t", "abatement CNY/t", 1.0, "{:,.0f}"),
]


def format_sweep_summary(ds: xr.Dataset) -> str:
    """One row per sweep point: cost, emissions, carbon price, H2 use, abatement and status."""
    dims = json.loads(ds.attrs["sweep_dims"])
    stacked = ds[[v for v, *_ in SWEEP_COLUMNS if v in ds] + ["status"]].stack(point=dims)
    headers = dims + [h for v, h, *_ in SWEEP_COLUMNS if v in ds] + ["status"]
    rows = []
    for i in range(stacked.sizes["point"]):
        row = stacked.isel(point=i)
        cells = [format_coordinate(row[d].values) for d in dims]
        cells += [_num(float(row[v]) * scale, fmt) for v, _, scale, fmt in SWEEP_COLUMNS if v in ds]
        cells.append(str(row["status"].values))
        rows.append(cells)
    head = [
        f"energymodel sweep: {ds.attrs.get('run_name', '?')}  ({ds.attrs.get('points', len(rows))} points, "
        f"{ds.attrs.get('points_failed', 0)} failed; {ds.attrs.get('currency', 'CNY')})",
        "",
    ]
    return "\n".join(head + text_table(headers, rows))


def format_coordinate(value) -> str:
    """A sweep coordinate for display ('none' for an unlimited value)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "none" if np.isinf(x) else f"{x:g}"
