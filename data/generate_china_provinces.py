"""Generate data/china-provinces: China's 2024 power system by province, for the provincial backcast.

The 31 mainland provincial units (Inner Mongolia as one), each a region, joined by the
province-to-province corridors of PyPSA-China-PIK's "current" grid. Every number is a province's
share of its grid in ``data/china-6grid-2024`` (written by ``generate_china_6grid_2024.py``, imported,
not copied), so that the provinces of each grid sum to that grid and the six grids to the nation
(``data/china-2024``) — a test checks it. Inside a grid each quantity is split by the best
provincial key found (README, "Splitting"); a province's demand has its own monthly and daily shape
(raked so that the provinces still sum to their grid in every hour), its heat shape is its grid's and its weather its own,
drawn at its capital with its grid's means (china_province_weather.py).

    python data/generate_china_provinces.py            # rewrites data/china-provinces/
    python data/generate_china_provinces.py --out DIR  # writes the files elsewhere

Deterministic: it draws no random numbers of its own (the grid series are those of the six-grid
generator, seeded there), so two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import china_grids as grids
import china_heat as heat
import generate_china_6grid_2024 as grid2024
import numpy as np
import pandas as pd
from china_province_weather import province_weather

grid6, y2024, base = grid2024.grid6, grid2024.y2024, grid2024.base
OUT_DEFAULT = Path(__file__).resolve().parent / "china-provinces"
YEAR = grid2024.YEAR
GRID_PROVINCES = grids.GRID_PROVINCES
GRID_OF = grids.GRID_OF
PROVINCES = [p for grid in grid6.REGIONS for p in GRID_PROVINCES[grid]]


# Corridors inside the grids, MW: PyPSA-China-PIK resources/data/grids/edges_current.csv (commit 25c83bf), the
# rows whose two provinces are in the same grid; the rows between grids are generate_china_6grid_2024.PROVINCE_EDGES.
INTRA_GRID_EDGES = [
    ("Anhui", "Jiangsu", 10000), ("Anhui", "Zhejiang", 9500), ("Beijing", "Hebei", 25000),
    ("Beijing", "InnerMongolia", 9000), ("Beijing", "Shandong", 9000), ("Beijing", "Shanxi", 3950),
    ("Beijing", "Tianjin", 3950), ("Chongqing", "Hubei", 10000), ("Chongqing", "Sichuan", 6000),
    ("Fujian", "Zhejiang", 4500), ("Gansu", "Ningxia", 7000), ("Gansu", "Qinghai", 4300), ("Gansu", "Shaanxi", 7000),
    ("Gansu", "Xinjiang", 3000), ("Guangdong", "Guangxi", 41690), ("Guangdong", "Guizhou", 17500),
    ("Guangdong", "Hainan", 1200), ("Guangdong", "Yunnan", 31400), ("Guangxi", "Yunnan", 13120),
    ("Hebei", "InnerMongolia", 3950), ("Hebei", "Shandong", 6000), ("Hebei", "Shanxi", 25000),
    ("Hebei", "Tianjin", 25000), ("Heilongjiang", "Jilin", 3200), ("Henan", "Hubei", 10000), ("Hubei", "Hunan", 2600),
    ("Hubei", "Jiangxi", 3000), ("InnerMongolia", "Shandong", 20000), ("InnerMongolia", "Shanxi", 3950),
    ("Jiangsu", "Shanghai", 10000), ("Jiangxi", "Sichuan", 8000), ("Jilin", "Liaoning", 5000),
    ("Shanghai", "Zhejiang", 9500), ("Sichuan", "Tibet", 1000),
]  # fmt: skip

# Conventional hydro by province, MW, the split key inside each grid [derived]: PyPSA-China-PIK
# resources/data/p_nom/hydro_p_nom.h5 (hydro outside the large dams) plus the installed capacity of its
# resources/data/hydro/dams_large.csv (43 large dams, installed_capacity_10MW x 10) by province.
HYDRO_SMALL_MW = {
    "Anhui": 4740, "Beijing": 990, "Chongqing": 7790, "Fujian": 13310, "Gansu": 9570, "Guangdong": 16660,
    "Guangxi": 16960, "Guizhou": 11425, "Hainan": 1510, "Hebei": 1820, "Heilongjiang": 1090, "Henan": 4080,
    "Hubei": 10495, "Hunan": 14610, "InnerMongolia": 2420, "Jiangsu": 2650, "Jiangxi": 6600, "Jilin": 510,
    "Liaoning": 3050, "Ningxia": 430, "Qinghai": 3013, "Shaanxi": 3920, "Shandong": 1080, "Shanghai": 0,
    "Shanxi": 2230, "Sichuan": 11735, "Tianjin": 10, "Tibet": 2100, "Xinjiang": 8000, "Yunnan": 50870,
    "Zhejiang": 11710,
}  # fmt: skip

# Offshore wind: no provincial 2024 split in the sources read; each grid's offshore capacity is shared
# equally by its coastal provinces (assumption).
COASTAL = {
    "north": ["Tianjin", "Hebei", "Shandong"],
    "east": ["Shanghai", "Jiangsu", "Zhejiang", "Fujian"],
    "south": ["Guangdong", "Guangxi", "Hainan"],
}


# installed_capacity_10MW x 10 of the 43 rows of PyPSA-China-PIK resources/data/hydro/dams_large.csv summed by Province
LARGE_DAMS_MW = {"Guangxi": 630, "Guizhou": 11385, "Hubei": 27075, "Hunan": 1200, "Qinghai": 8917, "Sichuan": 67185, "Yunnan": 23930}


def split_keys() -> dict[str, dict[str, float]]:
    """The provincial key that splits each technology's grid capacity (README, "Splitting")."""
    hydro = {p: HYDRO_SMALL_MW[p] + LARGE_DAMS_MW.get(p, 0) for p in PROVINCES}
    wind_solar = {p: grid2024.PROVINCE_ONSHORE_2020.get(p, 0) + grid2024.PROVINCE_SOLAR_2020.get(p, 0) for p in PROVINCES}
    offshore = {p: 1.0 for ps in COASTAL.values() for p in ps}
    return {
        "coal": grid2024.PROVINCE_COAL_2020,  # condensing + CHP: split again by each province's heat (heat_split)
        "gas_ccgt": grid2024.PROVINCE_GAS_2020,
        "nuclear": grid2024.PROVINCE_NUCLEAR,
        "onshore_wind": grid2024.PROVINCE_ONSHORE_2020,
        "offshore_wind": offshore,
        "solar_pv": grid2024.PROVINCE_SOLAR_2020,
        "hydro": hydro,
        "pumped_hydro": grid2024.PROVINCE_PUMPED,
        "battery": wind_solar,
    }


KEY_OF = {"coal_usc": "coal", "gas_ocgt": "gas_ccgt", "battery_existing": "battery"}
"""Technologies split by another's key (new ultra-supercritical coal where the coal is, ...)."""


def apportion_in_grid(total_mw: float, grid: str, key: dict[str, float]) -> dict[str, int]:
    """Whole-MW shares of a grid's ``total_mw`` over its provinces in proportion to ``key`` (china_grids.apportion);
    a grid whose provinces all have a zero key shares it in proportion to their demand (assumption)."""
    provinces = GRID_PROVINCES[grid]
    if not any(key.get(p, 0.0) for p in provinces):
        key = grid2024.PROVINCE_CONSUMPTION_2024
    return grids.apportion(total_mw, key, provinces)


HEAT_FLEETS = (("coal", "coal_chp", "coal_heat_boiler"), ("gas_ccgt", "gas_chp", "gas_heat_boiler"))
"""(condensing row, CHP row, heat-only boiler row) of each heat network's fuel."""


def split_row(row: dict, key: dict[str, float] | None, networks: set[str]) -> dict:
    """One six-grid row over the grid's provinces: existing_mw, and max_mw where it is a number, each split by
    ``key``; where max_mw is blank (no build limit) every province of the grid may build it, as the grid could,
    except heat suppliers where the province has no such heat network (``networks``: 'province.network')."""
    grid, split = row["region"], {}
    assert key is not None or not (row["existing_mw"] or row["max_mw"] > 0), f"no provincial key for {row['name']}"
    existing = apportion_in_grid(row["existing_mw"], grid, key) if row["existing_mw"] else {}
    limited = not pd.isna(row["max_mw"])
    ceiling = apportion_in_grid(row["max_mw"], grid, key) if limited and row["max_mw"] else {}
    for province in GRID_PROVINCES[grid]:
        if not pd.isna(row["heat_network"]) and f"{province}.{row['heat_network']}" not in networks:
            continue
        mw = float(existing.get(province, 0))
        split[(province, row["name"])] = dict(
            row, region=province, existing_mw=mw, max_mw=float(ceiling.get(province, 0)) if limited else None
        )
    return split


def technologies_table(grid_techs: pd.DataFrame, heat_mw: dict[str, np.ndarray], absorb_mw: dict[str, np.ndarray]) -> pd.DataFrame:
    """Each six-grid row (``grid_techs``) split over the grid's provinces (split_row); rows that can hold nothing
    (no existing plant, a build limit of zero) are left out, as are retrofits of a plant the province lacks.

    The coal and gas fleets (condensing + CHP) are split by their provincial keys and then, in each province,
    into condensing plants, CHP and heat-only boilers sized to the province's own peak heat as the grids'
    are (china_heat.chp_and_boiler_mw), since heat does not cross provinces: the fleets sum to the grid's,
    the boilers to what the provinces' peaks need (heat_split; ``absorb_mw``: what each province can take of
    its CHP plants' power in each hour)."""
    keys, rows = split_keys(), {}
    grid_rows = grid_techs.to_dict("records")
    by_name = {}
    for row in grid_rows:
        by_name.setdefault(row["name"], {})[row["region"]] = row
    for row in grid_rows:
        if not any(row["name"] in fleet for fleet in HEAT_FLEETS):
            rows.update(split_row(row, keys.get(KEY_OF.get(row["name"], row["name"])), set(heat_mw)))
    for fleet in HEAT_FLEETS:  # a grid's condensing + CHP plants of one fuel (its condensing row may be empty)
        for grid in grid6.REGIONS:
            total = sum(by_name[n].get(grid, {}).get("existing_mw", 0.0) for n in fleet[:2])
            for province, mw in apportion_in_grid(total, grid, keys[fleet[0]]).items():
                rows.update(heat_split(fleet, province, mw, by_name, heat_mw, absorb_mw))
    order = {name: i for i, name in enumerate(by_name)}
    kept = [r for r in rows.values() if r["existing_mw"] > 0 or r["max_mw"] is None or r["max_mw"] > 0]
    held = {(r["region"], r["name"]) for r in kept}
    kept = [r for r in kept if pd.isna(r["retrofit_of"]) or (r["region"], r["retrofit_of"]) in held]
    out = sorted(kept, key=lambda r: (order[r["name"]], PROVINCES.index(r["region"])))
    return pd.DataFrame(out, columns=list(grid_techs.columns))


def heat_split(fleet: tuple[str, str, str], province: str, fleet_mw: int, by_name: dict, heat_mw: dict, absorb_mw: dict) -> dict:
    """A province's condensing, CHP and boiler rows of one fuel: CHP and boilers sized to the peak of its heat network.

    A boiler makes the heat its CHP plants cannot: in every hour t the CHP plants must give at least
    heat_t - boilers, and with it c_b x that much power. Where that power would exceed what the province can
    take (``absorb_mw[province]``: its demand plus its corridors' capacity, less the power already forced by
    the networks sized before), the boilers are made larger until it fits (an assumption: real plants have
    bypasses and heat stores; it matters in the northeast, whose CHP fleets are large for their demand).
    ``absorb_mw`` is reduced by the power this network forces. A row whose six-grid max_mw is blank (new
    condensing gas plants may be built) keeps it blank; the others are fixed at their split."""
    condensing, chp, boiler = fleet
    template = {n: next(iter(by_name[n].values())) for n in fleet}
    network = template[chp]["heat_network"]
    demand = heat_mw.get(f"{province}.{network}", np.zeros(1))
    coefficients = {k: template[chp][k] for k in ("power_to_heat", "heat_power_loss")}
    chp_mw, boiler_mw = heat.chp_and_boiler_mw(float(demand.max()), coefficients, template[chp]["availability"], max_chp_mw=fleet_mw)
    c_b = coefficients["power_to_heat"]
    boiler_mw = max(boiler_mw, float((demand - absorb_mw[province] / c_b).max()))
    chp_mw, boiler_mw = min(math.ceil(chp_mw), fleet_mw), math.ceil(boiler_mw)
    absorb_mw[province] = absorb_mw[province] - c_b * np.clip(demand - boiler_mw, 0, None)
    values = {condensing: fleet_mw - chp_mw, chp: chp_mw, boiler: boiler_mw}
    return {
        (province, n): dict(
            template[n], region=province, existing_mw=float(mw), max_mw=None if pd.isna(template[n]["max_mw"]) else float(mw)
        )
        for n, mw in values.items()
    }


def absorbable_mw(demand_mw: dict[str, np.ndarray], lines: pd.DataFrame) -> dict[str, np.ndarray]:
    """What each province can take of forced power in each hour (MW): its demand plus the capacity of its corridors."""
    out = {}
    for p in PROVINCES:
        mine = lines[(lines["region_from"] == p) | (lines["region_to"] == p)]
        out[p] = demand_mw[p] + float(mine["existing_mw"].sum())
    return out


def province_shares(values: dict[str, float]) -> dict[str, float]:
    """Each province's share of its grid's total of ``values`` (a provincial table)."""
    grid_total = grids.by_grid(values)
    return {p: values.get(p, 0.0) / grid_total[GRID_OF[p]] if grid_total[GRID_OF[p]] else 0.0 for p in PROVINCES}


LOAD_FACTORS = Path(__file__).resolve().parent / "sources" / "provincial_load_factors.csv"
"""Each province's monthly load (month_MM, relative to its year's mean) and hourly load (winter_hHH for
November-March, other_hHH for April-October, relative to that season's mean), derived from PyPSA-China-PIK
resources/data/load/Hourly_demand_of_31_province_China_modified_V2.1.csv (README, "Demand")."""
WINTER_MONTHS = (11, 12, 1, 2, 3)


def province_demand_mw(
    grid_demand_mw: dict[str, np.ndarray], idx: pd.DatetimeIndex, targets_twh: dict[str, float], iterations: int = 200
) -> dict[str, np.ndarray]:
    """Hourly demand by province (MW): each grid's hour shared by its provinces in proportion to w_p f_p(t), where
    f_p(t) = month factor x season's hour factor (LOAD_FACTORS) and the weights w_p are raked (iterative
    proportional fitting) until every province's year is its ``targets_twh`` (demand_twh). So the provinces
    sum to their grid in every hour and to their own consumption over the year."""
    factors = pd.read_csv(LOAD_FACTORS).set_index("province")
    winter = np.isin(idx.month, WINTER_MONTHS)
    month_cols = [f"month_{m:02d}" for m in idx.month]
    hour_cols = [f"{'winter' if w else 'other'}_h{h:02d}" for w, h in zip(winter, idx.hour)]
    out = {}
    for grid, provinces in GRID_PROVINCES.items():
        f = np.array([factors.loc[p, month_cols].to_numpy() * factors.loc[p, hour_cols].to_numpy() for p in provinces], dtype=float)
        total = grid_demand_mw[grid]
        target = np.array([targets_twh[p] for p in provinces]) * 1e6  # MWh
        w = target / target.sum()
        for _ in range(iterations):
            split = total * (w[:, None] * f) / (w[:, None] * f).sum(axis=0)
            w = w * target / split.sum(axis=1)
        assert np.allclose(split.sum(axis=1), target, rtol=1e-9), grid
        out.update(zip(provinces, split))
    return {p: out[p] for p in PROVINCES}


def demand_twh(grid: dict[str, float]) -> dict[str, float]:
    """Consumption by province (TWh): each grid's (``grid``, TWh) split by NBS 2024 provincial consumption."""
    share = province_shares(grid2024.PROVINCE_CONSUMPTION_2024)
    return {p: grid[GRID_OF[p]] * share[p] for p in PROVINCES}


def lines_table(grid_lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every corridor between two provinces, inside the grids and between them; length between the capitals,
    losses and costs as china-6grid's lines. Without ``grid_lines``: at its end-2024 capacity, not expandable.
    With the six grids' lines of another year (``grid_lines``): the corridors between two grids scaled so that
    they sum to that year's grid line (whole MW, in proportion to 2024), and every corridor expandable."""
    edges = INTRA_GRID_EDGES + (grid2024.PROVINCE_EDGES if grid_lines is None else scaled_edges(grid_lines))
    table = grid6.lines_table(
        [(a, b, mw / base.GW, round(grid6.great_circle_km(grids.PROVINCE_CAPITAL[a], grids.PROVINCE_CAPITAL[b]))) for a, b, mw in edges]
    )
    table["max_mw"] = table["existing_mw"] if grid_lines is None else None
    return table


def scaled_edges(grid_lines: pd.DataFrame) -> list[tuple[str, str, int]]:
    """generate_china_6grid_2024.PROVINCE_EDGES with each grid pair's corridors scaled to its line in ``grid_lines``."""
    edges = list(grid2024.PROVINCE_EDGES)
    out = []
    for line in grid_lines.itertuples():
        pair = {line.region_from, line.region_to}
        mine = [i for i, (a, b, _) in enumerate(edges) if {GRID_OF[a], GRID_OF[b]} == pair]
        assert mine, f"no provincial corridor between {pair}"
        shares = grids.apportion(line.existing_mw, {str(i): edges[i][2] for i in mine}, [str(i) for i in mine])
        out += [(edges[i][0], edges[i][1], shares[str(i)]) for i in mine]
    return out


def settings_yaml() -> str:
    return base.settings_yaml(
        name="china-provinces-2024",
        description="China's 2024 power system by province (31 regions), for the provincial backcast (fleet and lines fixed at end-2024)",
        region=None,
        year=YEAR,
    )


def grid_series(idx: pd.DatetimeIndex, techs: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """The six-grid 2024 hourly series (demand MW, capacity factors and inflow per MW by grid.technology, heat MW_th by
    grid.network), as generate_china_6grid_2024 writes them."""
    means = grid2024.resource_means(techs)
    onshore, offshore = grid6.wind_frames(idx, onshore_cf=means["onshore"], offshore_cf=means["offshore"], seed=grid2024.SEED)
    return {
        "demand": grid6.demand_frame(idx, annual_twh=grid2024.annual_demand_twh(), seed=grid2024.SEED),
        "onshore_wind": onshore,
        "offshore_wind": offshore,
        "solar_pv": grid6.solar_frame(idx, mean_cf=means["solar"], seed=grid2024.SEED),
        "hydro": grid6.hydro_frame(idx, flh=means["hydro_flh"], seed=grid2024.SEED),
        "heat": grid2024.heat_demand(),
    }


def province_heat_mw(grid_heat_mw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """District heat by province and network (MW_th, columns ``province.network``): each grid's split by its provinces'
    shares of provincial district heat (china_heat.py, the key that split the nation over the grids)."""
    share = province_shares(heat.provincial_district_heat_twh_2020())
    out = {}
    for column, mw in grid_heat_mw.items():
        grid, network = column.split(".")
        out.update({f"{p}.{network}": mw * share[p] for p in GRID_PROVINCES[grid] if share[p] > 0})
    return out


def write_provinces(
    out: Path, *, idx: pd.DatetimeIndex, grid_techs: pd.DataFrame, series: dict, grid_twh: dict[str, float], seed: int, **tables
) -> None:
    """Write a provincial dataset into ``out``: the six grids' rows (``grid_techs``) and hourly series (``series``,
    grid_series' keys; ``grid_twh``: each grid's yearly demand) split over the provinces, their weather drawn at
    their capitals with the grid's means (``seed``: china_province_weather.province_weather), with ``tables``:
    ``settings`` (settings.yaml text), ``fuels``, ``lines`` and optionally ``hydrogen_supply`` (DataFrames)."""
    out.mkdir(parents=True, exist_ok=True)
    time = idx.strftime("%Y-%m-%d %H:%M")
    heat_mw = province_heat_mw(series["heat"])
    demand = province_demand_mw(series["demand"], idx, demand_twh(grid_twh))
    techs = technologies_table(grid_techs, heat_mw, absorbable_mw(demand, tables["lines"]))
    (out / "settings.yaml").write_text(tables["settings"])
    base.write_table(tables["fuels"], out / "fuels.csv")
    base.write_table(techs, out / "technologies.csv")
    base.write_table(tables["lines"], out / "lines.csv")
    base.write_table(grids.regions_table(PROVINCES), out / "regions.csv")
    if "hydrogen_supply" in tables:
        base.write_table(tables["hydrogen_supply"], out / "hydrogen_supply.csv")

    coastal = [p for provinces in COASTAL.values() for p in provinces]
    weather = province_weather(idx, series, coastal, seed)

    def column(i):  # a province's own weather, with its grid's mean (china_province_weather.py)
        province, name = i.split(".")
        return np.round(weather[name][province], 4)

    cf = {i: column(i) for i in grid6.variable_renewable_ids(techs, "variable_renewable")}
    inflow = {i: column(i) for i in grid6.variable_renewable_ids(techs, "reservoir_hydro")}
    base.write_csv(pd.DataFrame({"time": time, **demand}), out / "demand.csv", float_format="%.1f")
    base.write_csv(pd.DataFrame({"time": time, **cf}), out / "capacity_factors.csv", float_format="%.4f")
    base.write_csv(pd.DataFrame({"time": time, **inflow}), out / "hydro_inflow.csv", float_format="%.4f")
    base.write_csv(pd.DataFrame({"time": time, **heat_mw}), out / "heat_demand.csv", float_format="%.1f")
    print(f"wrote {out}: {len(PROVINCES)} provinces, {len(techs)} technology rows, {len(tables['lines'])} corridors")
    for p in PROVINCES:
        mine = techs[techs["region"] == p].set_index("name")["existing_mw"] / base.GW
        print(f"  {p:14s} {GRID_OF[p]:10s} {demand[p].sum() / 1e6:8.1f} TWh  " + ", ".join(f"{n} {gw:.1f}" for n, gw in mine.items() if gw))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-provinces)")
    args = parser.parse_args(argv)
    idx = base.hourly_index(YEAR)
    grid_techs = grid2024.technologies_table()  # the six grids' rows, split below
    series = grid_series(idx, grid_techs)
    tables = {"settings": settings_yaml(), "fuels": y2024.fuels_table(), "lines": lines_table()}
    write_provinces(
        args.out, idx=idx, grid_techs=grid_techs, series=series, grid_twh=grid2024.annual_demand_twh(), seed=grid2024.SEED, **tables
    )


if __name__ == "__main__":
    main()
