#!/usr/bin/env python3
"""Generate the six-grid "China 2024" backcast dataset (data/china-6grid-2024).

Run from the repository root::

    python data/generate_china_6grid_2024.py            # writes data/china-6grid-2024/
    python data/generate_china_6grid_2024.py --out DIR  # writes somewhere else

The one-region 2024 backcast (``data/china-2024``) split into the six
regional grids of ``data/china-6grid`` and joined by the inter-grid lines as
they stood at the end of 2024. Every technology and every line has
``max_mw = existing_mw``, so the LP only dispatches. ``README.md`` in the
output folder is maintained by hand; it gives the source of every number
below and marks our own assumptions as such.

Method
------
Nothing is copied; both parents are imported:

* ``generate_china_2024.py`` gives the national 2024 rows (capacities,
  efficiencies, availabilities, battery duration), the fuels, the derived
  national energy targets of wind, solar and hydro inflow, the demand total
  and the calendar (leap year 2024);
* ``generate_china_6grid.py`` gives the regions, the regional demand shapes,
  the regional resource qualities and seasonal shapes, the correlation model
  of the regions' weather and demand noise and the line cost/loss rules;
* ``china_grids.py`` (shared with ``generate_china_6grid.py``) gives the
  provinces of each grid, the sums and whole-MW splits by grid, the
  district heat by grid and the CHP/boiler fleets sized for it.

This script adds only the 2024 regional figures:

* the share of each grid in each national capacity, from provincial
  statistics (see ``GRID_CAPACITY_MW`` and ``PROVINCE_*`` below; sources in
  the README), apportioned to whole MW so that national totals are exactly
  those of ``data/china-2024``;
* each grid's 2024 consumption (NBS provincial figures, scaled by 1.0003 to
  the national 9,852 TWh);
* the resource means: the ``china-6grid`` regional means times one national
  factor per resource, chosen so that the national available energy equals
  that of ``data/china-2024`` (derived from 2024 statistics, never from a
  model run);
* the inter-grid lines at their end-2024 transfer capacities (province-to-
  province corridors summed by grid pair).

Random numbers come from ``numpy.random.default_rng([SEED, stream, k])``
with the 2024 dataset's ``SEED`` and the six-grid stream numbers, so the
output is deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import china_grids as grids
import generate_china_6grid as grid6
import generate_china_2024 as y2024
import numpy as np
import pandas as pd

base = grid6.base
OUT_DEFAULT = Path(__file__).resolve().parent / "china-6grid-2024"
SEED = y2024.SEED
YEAR = y2024.YEAR
REGIONS = grids.REGIONS
GRID_OF, by_grid, apportion = grids.GRID_OF, grids.by_grid, grids.apportion

# ---------------------------------------------------------------------------
# Demand: 2024 consumption by province, 100 GWh (亿kWh). NBS, as carried by
# PyPSA-China-PIK resources/data/load/Provincial_Load_2020_2060_MWh.csv,
# column "2025" (README). Sum 98,489.65 = 9,849.0 TWh.
# ---------------------------------------------------------------------------
PROVINCE_CONSUMPTION_2024 = {
    "Anhui": 3598.0, "Beijing": 1389.4, "Chongqing": 1612.6, "Fujian": 3331.0, "Gansu": 1746.0,
    "Guangdong": 9121.0, "Guangxi": 2565.0, "Guizhou": 1902.0, "Hainan": 518.9, "Hebei": 4956.7,
    "Heilongjiang": 1208.0, "Henan": 4319.9, "Hubei": 2943.8, "Hunan": 2373.96, "Jiangsu": 8487.0,
    "Jiangxi": 2180.0, "Jilin": 950.0, "Liaoning": 2734.0, "InnerMongolia": 5193.0, "Ningxia": 1390.0,
    "Qinghai": 1054.0, "Shaanxi": 2600.0, "Shandong": 8319.7, "Shanghai": 1984.0, "Shanxi": 2971.7,
    "Sichuan": 3999.69, "Tianjin": 1085.3, "Xinjiang": 4233.0, "Tibet": 154.0, "Yunnan": 2788.0,
    "Zhejiang": 6780.0,
}  # fmt: skip

# ---------------------------------------------------------------------------
# Capacity: provincial statistics used as split keys (MW; README gives each source)
# ---------------------------------------------------------------------------
# Coal and gas, 2020 (PyPSA-China, Xiaowei-Z: China Electric Power Statistical Yearbook 2021 and the
# 2021 China gas power report). Used as shares of the 2024 national figures (assumption).
PROVINCE_COAL_2020 = {
    "Beijing": 1902, "Tianjin": 13353, "Hebei": 53110, "Shanxi": 68780, "InnerMongolia": 93440, "Liaoning": 36430,
    "Jilin": 18520, "Heilongjiang": 24230, "Shanghai": 12478, "Jiangsu": 94756, "Zhejiang": 59270, "Anhui": 55610,
    "Fujian": 31040, "Jiangxi": 24550, "Shandong": 111350, "Henan": 67620, "Hubei": 33160, "Hunan": 22690,
    "Guangdong": 67303, "Guangxi": 23440, "Hainan": 3096, "Chongqing": 14510, "Sichuan": 15260, "Guizhou": 3560,
    "Yunnan": 15170, "Tibet": 146, "Shaanxi": 49930, "Gansu": 23080, "Qinghai": 3630, "Ningxia": 33260,
    "Xinjiang": 63370,
}  # fmt: skip
PROVINCE_GAS_2020 = {
    "Beijing": 9458,
    "Tianjin": 3327,
    "Hebei": 800,
    "InnerMongolia": 300,
    "Shanghai": 11022,
    "Jiangsu": 6034,
    "Zhejiang": 4310,
    "Fujian": 3740,
    "Henan": 3060,
    "Guangdong": 28517,
    "Hainan": 2364,
    "Chongqing": 940,
    "Sichuan": 700,
    "Tibet": 284,
    "Qinghai": 300,
}  # fmt: skip (provinces not listed: 0)
# Onshore wind and solar PV, 2020 (same PyPSA-China source): split keys outside the south.
PROVINCE_ONSHORE_2020 = {
    "Beijing": 190, "Tianjin": 753, "Hebei": 20148, "Shanxi": 19740, "InnerMongolia": 37860, "Liaoning": 8692,
    "Jilin": 5770, "Heilongjiang": 6860, "Shanghai": 727, "Jiangsu": 13707, "Zhejiang": 1648, "Anhui": 4120,
    "Fujian": 4306, "Jiangxi": 5100, "Shandong": 15904, "Henan": 15180, "Hubei": 5020, "Hunan": 6690,
    "Guangdong": 5006, "Guangxi": 5786, "Hainan": 257, "Chongqing": 970, "Sichuan": 4260, "Guizhou": 5800,
    "Yunnan": 8810, "Tibet": 10, "Shaanxi": 8920, "Gansu": 13730, "Qinghai": 8430, "Ningxia": 13770,
    "Xinjiang": 23610,
}  # fmt: skip
PROVINCE_SOLAR_2020 = {
    "Beijing": 620, "Tianjin": 1640, "Hebei": 21900, "Shanxi": 13090, "InnerMongolia": 12370, "Liaoning": 4000,
    "Jilin": 3380, "Heilongjiang": 3180, "Shanghai": 1370, "Jiangsu": 16840, "Zhejiang": 15170, "Anhui": 13700,
    "Fujian": 2020, "Jiangxi": 7760, "Shandong": 22720, "Henan": 11750, "Hubei": 6980, "Hunan": 3910,
    "Guangdong": 7970, "Guangxi": 2050, "Hainan": 1430, "Chongqing": 670, "Sichuan": 1910, "Guizhou": 10570,
    "Yunnan": 3880, "Tibet": 1370, "Shaanxi": 10890, "Gansu": 9820, "Qinghai": 16010, "Ningxia": 11970,
    "Xinjiang": 12660,
}  # fmt: skip
# Nuclear and pumped storage by province (PyPSA-China-PIK resources/data/p_nom/nuclear_p_nom.csv,
# resources/data/hydro/PHS_p_nom.csv; the files give no year: 54.6 GW and 36.4 GW in total).
PROVINCE_NUCLEAR = {
    "Fujian": 11034, "Guangdong": 16136, "Guangxi": 2172, "Hainan": 1300, "Jiangsu": 6608, "Liaoning": 5594,
    "Shandong": 2717, "Zhejiang": 9086,
}  # fmt: skip
PROVINCE_PUMPED = {
    "Beijing": 800, "Hebei": 1870, "Shanxi": 1200, "InnerMongolia": 1200, "Liaoning": 1200, "Jilin": 1350,
    "Heilongjiang": 300, "Jiangsu": 2600, "Zhejiang": 5630, "Anhui": 3480, "Fujian": 1500, "Jiangxi": 1200,
    "Shandong": 1600, "Henan": 1320, "Hubei": 1270, "Hunan": 1200, "Guangdong": 7980, "Hainan": 600, "Tibet": 90,
}  # fmt: skip

# End-2024 figures at grid level.
# China Southern Power Grid's five provinces (= region "south"), end of 2024: wind 60.28 GW,
# centralised PV 78.72 GW + distributed PV 43.13 GW (Southern Power Grid News, README).
SOUTH_WIND_MW = 60_280
SOUTH_SOLAR_MW = 78_720 + 43_130
# New-type storage by NEA region, end of 2024, % of 73.76 GW (NEA, 23 Jan 2025, README).
BATTERY_SHARE_PCT = {"north": 30.1, "northwest": 25.4, "east": 16.9, "central": 14.7, "south": 12.4, "northeast": 0.5}
# Offshore wind: the china-6grid shares (assumption; no provincial 2024 split was found).
OFFSHORE_SHARE_PCT = {"north": 10, "east": 55, "south": 35}
# Conventional hydro: the china-6grid shares (assumption; no provincial 2024 split was found).
HYDRO_SHARE_PCT = grid6.CAPACITY_SHARE_PCT["hydro"]

# ---------------------------------------------------------------------------
# Lines: inter-grid province-to-province corridors, MW (PyPSA-China-PIK
# resources/data/grids/edges_current.csv, README); the corridors inside a grid are left out.
# ---------------------------------------------------------------------------
PROVINCE_EDGES = [
    ("Xinjiang", "Anhui", 12000),  # Changji-Guquan +-1100 kV
    ("Ningxia", "Zhejiang", 8000),  # Lingzhou-Shaoxing +-800 kV
    ("Gansu", "Hunan", 8000),  # Jiuquan-Hunan +-800 kV
    ("Qinghai", "Henan", 8000),  # Qinghai-Henan +-800 kV
    ("Shaanxi", "Henan", 7500),
    ("Xinjiang", "Henan", 8000),  # Hami-Zhengzhou +-800 kV
    ("Shaanxi", "Hubei", 8000),  # Shaanbei-Wuhan +-800 kV
    ("Qinghai", "Tibet", 600),  # Qinghai-Tibet +-400 kV
    ("Shaanxi", "Sichuan", 3000),
    ("Ningxia", "Shandong", 4000),  # Yinchuan-Qingdao +-660 kV
    ("Shaanxi", "Shanxi", 4000),
    ("InnerMongolia", "Jiangsu", 8000),
    ("Shanxi", "Jiangsu", 8000),  # Jinbei-Nanjing +-800 kV
    ("Shanxi", "Henan", 5000),  # 1000 kV AC Changzhi-Nanyang
    ("Liaoning", "Hebei", 3000),
    ("Liaoning", "InnerMongolia", 8000),
    ("Hubei", "Jiangsu", 3000),
    ("Hubei", "Shanghai", 6000),
    ("Sichuan", "Jiangsu", 15200),
    ("Sichuan", "Shanghai", 6400),
    ("Sichuan", "Zhejiang", 16000),
    ("Hubei", "Guangdong", 3000),  # the file's "Guangdong,Hebei": read as Three Gorges-Guangdong (README)
]


def national_mw() -> dict[str, float]:
    """existing_mw of every technology in data/china-2024."""
    table = y2024.technologies_table()
    return dict(zip(table["name"], table["existing_mw"]))


def grid_capacity_mw() -> dict[str, dict[str, int]]:
    """MW by technology and grid; every technology's grids sum to its national 2024 value."""
    nat = national_mw()
    offshore = apportion(nat["offshore_wind"], OFFSHORE_SHARE_PCT)
    # Onshore: the south from China Southern Power Grid's wind figure (minus its offshore share), the
    # other grids split the rest in proportion to their 2020 onshore capacity.
    south_onshore = SOUTH_WIND_MW - offshore["south"]
    rest = {r: v for r, v in by_grid(PROVINCE_ONSHORE_2020).items() if r != "south"}
    onshore = {**apportion(nat["onshore_wind"] - south_onshore, rest), "south": south_onshore}
    rest = {r: v for r, v in by_grid(PROVINCE_SOLAR_2020).items() if r != "south"}
    solar = {**apportion(nat["solar_pv"] - SOUTH_SOLAR_MW, rest), "south": SOUTH_SOLAR_MW}
    split = {
        **fleet_with_heat("coal", "coal_chp", "coal_heat_boiler", apportion(nat["coal"] + nat["coal_chp"], by_grid(PROVINCE_COAL_2020))),
        **fleet_with_heat(
            "gas_ccgt", "gas_chp", "gas_heat_boiler", apportion(nat["gas_ccgt"] + nat["gas_chp"], by_grid(PROVINCE_GAS_2020))
        ),
        "nuclear": apportion(nat["nuclear"], by_grid(PROVINCE_NUCLEAR)),
        "onshore_wind": onshore,
        "offshore_wind": offshore,
        "solar_pv": solar,
        "hydro": apportion(nat["hydro"], HYDRO_SHARE_PCT),
        "pumped_hydro": apportion(nat["pumped_hydro"], by_grid(PROVINCE_PUMPED)),
        "battery": apportion(nat["battery"], BATTERY_SHARE_PCT),
    }
    assert set(split) == set(nat), f"a 2024 technology has no regional split: {set(nat) ^ set(split)}"
    for name, regions in split.items():
        assert min(regions.values()) >= 0, name
        if name not in HEAT_ROWS:  # the CHP and boiler rows are sized to each grid's heat (fleet_with_heat)
            assert sum(regions.values()) == nat[name], name
    return {name: {r: split[name][r] for r in REGIONS} for name in nat}


HEAT_ROWS = ("coal", "coal_chp", "coal_heat_boiler", "gas_ccgt", "gas_chp", "gas_heat_boiler")


def heat_demand() -> dict[str, np.ndarray]:
    """Hourly district heat by grid and network (MW_th), columns ``grid.network``: the one-region dataset's
    networks split by the grids' shares of provincial district heat (china_grids.heat_demand_by_grid)."""
    return grids.heat_demand_by_grid(y2024.heat_demand())


def fleet_with_heat(condensing: str, chp: str, boiler: str, fleet_mw: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each grid's coal or gas fleet split into condensing and CHP plants, with heat-only boilers, sized to the
    grid's peak district heat (china_grids.fleet_with_heat), in whole MW."""
    rows = {r["name"]: r for r in y2024.technologies_table().to_dict("records")}
    split = grids.fleet_with_heat(fleet_mw, heat_demand(), rows[chp])
    return dict(zip((condensing, chp, boiler), split))


def technologies_table() -> pd.DataFrame:
    """The china-2024 rows, one per grid where the technology stands, with existing = max = its share."""
    split = grid_capacity_mw()
    rows = []
    for national in y2024.technologies_table().to_dict("records"):
        for region in REGIONS:
            mw = float(split[national["name"]][region])
            if mw == 0:
                continue
            rows.append(dict(national, region=region, existing_mw=mw, max_mw=mw))
    columns = ["name", "region"] + base.TECH_COLUMNS[1:] + ["power_to_heat", "heat_power_loss", "heat_network"]
    return pd.DataFrame(rows, columns=columns)


def annual_demand_twh() -> dict[str, float]:
    """2024 consumption by grid, TWh to 0.1 GWh, summing exactly to the national 9,852 TWh."""
    grid = by_grid(PROVINCE_CONSUMPTION_2024)
    units = apportion(y2024.DEMAND_TWH * 10_000, grid)  # 0.1 GWh units
    return {r: units[r] / 10_000 for r in REGIONS}


# ---------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------
def grid_lines_mw() -> dict[tuple[str, str], int]:
    """End-2024 transfer capacity by grid pair, in the orientation of china-6grid's LINES."""
    out = {(a, b): 0 for a, b, _gw, _km in grid6.LINES}
    pairs = set(out)
    for p, q, mw in PROVINCE_EDGES:
        a, b = GRID_OF[p], GRID_OF[q]
        assert a != b, (p, q)
        key = (a, b) if (a, b) in pairs else (b, a)
        assert key in pairs, f"no china-6grid line between {a} and {b}"
        out[key] += mw
    return out


def lines_table() -> pd.DataFrame:
    """china-6grid's lines (lengths, losses, costs) at their 2024 capacities, not expandable."""
    mw = grid_lines_mw()
    table = grid6.lines_table([(a, b, mw[(a, b)] / base.GW, km) for a, b, _gw, km in grid6.LINES])
    table["max_mw"] = table["existing_mw"]
    return table


# ---------------------------------------------------------------------------
# Resource means
# ---------------------------------------------------------------------------
def resource_means(techs: pd.DataFrame) -> dict:
    """The china-6grid regional means times one factor per resource, so that capacity x mean x hours
    equals the national available energy of data/china-2024 (derived from 2024 statistics)."""
    d = y2024.derived_inputs()
    cap = {(r, n): mw for r, n, mw in zip(techs["region"], techs["name"], techs["existing_mw"])}
    hours = y2024.N_HOURS

    def energy_twh(name, means):
        return sum(cap.get((r, name), 0.0) * m for r, m in means.items()) * hours / 1e6

    wind_2030 = energy_twh("onshore_wind", grid6.ONSHORE_MEAN_CF) + energy_twh("offshore_wind", grid6.OFFSHORE_MEAN_CF)
    k_wind = d["wind_available_twh"] / wind_2030
    k_solar = d["solar_available_twh"] / energy_twh("solar_pv", grid6.SOLAR_MEAN_CF)
    inflow_twh = y2024.HYDRO_TWH - d["pumped_twh"]
    k_hydro = inflow_twh / (energy_twh("hydro", grid6.HYDRO_FLH) / hours)
    return {
        "onshore": {r: grid6.ONSHORE_MEAN_CF[r] * k_wind for r in REGIONS},
        "offshore": {r: v * k_wind for r, v in grid6.OFFSHORE_MEAN_CF.items()},
        "solar": {r: grid6.SOLAR_MEAN_CF[r] * k_solar for r in REGIONS},
        "hydro_flh": {r: grid6.HYDRO_FLH[r] * k_hydro for r in REGIONS},
        "factors": {"wind": k_wind, "solar": k_solar, "hydro": k_hydro},
    }


def settings_yaml() -> str:
    return base.settings_yaml(
        name="china-6grid-2024",
        description="China's 2024 power system on the six regional grids, for the backcast (capacities and lines fixed at end-2024)",
        region=None,
        year=YEAR,
    )


def print_derived(techs, lines, means, demand_twh) -> None:
    print("2024 by grid: demand TWh, capacity GW")
    names = list(dict.fromkeys(techs["name"]))
    print(f"{'':14s}" + "".join(f"{r:>11s}" for r in REGIONS) + f"{'total':>11s}")
    print(f"{'demand TWh':14s}" + "".join(f"{demand_twh[r]:11.1f}" for r in REGIONS) + f"{sum(demand_twh.values()):11.1f}")
    for name in names:
        sel = techs[techs["name"] == name].set_index("region")["existing_mw"]
        print(f"{name:14s}" + "".join(f"{sel.get(r, 0) / 1e3:11.2f}" for r in REGIONS) + f"{sel.sum() / 1e3:11.2f}")
    print("lines, GW: " + ", ".join(f"{n} {mw / 1e3:g}" for n, mw in zip(lines["name"], lines["existing_mw"])))
    print(f"  total {lines['existing_mw'].sum() / 1e3:g} GW")
    print("resource factors on the china-6grid means: " + ", ".join(f"{k} {v:.4f}" for k, v in means["factors"].items()))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-6grid-2024)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    techs = technologies_table()
    lines = lines_table()
    means = resource_means(techs)
    demand_twh = annual_demand_twh()
    (out / "settings.yaml").write_text(settings_yaml())
    base.write_table(y2024.fuels_table(), out / "fuels.csv")
    base.write_table(techs, out / "technologies.csv")
    base.write_table(lines, out / "lines.csv")
    base.write_table(grids.regions_table(grid6.REGIONS), out / "regions.csv")

    idx = base.hourly_index(YEAR)
    time = idx.strftime("%Y-%m-%d %H:%M")
    demand = grid6.demand_frame(idx, annual_twh=demand_twh, seed=SEED)
    onshore, offshore = grid6.wind_frames(idx, onshore_cf=means["onshore"], offshore_cf=means["offshore"], seed=SEED)
    solar = grid6.solar_frame(idx, mean_cf=means["solar"], seed=SEED)
    hydro = grid6.hydro_frame(idx, flh=means["hydro_flh"], seed=SEED)
    by_family = {"onshore_wind": onshore, "offshore_wind": offshore, "solar_pv": solar, "hydro": hydro}

    def column(i):
        region, name = i.split(".")
        return np.round(by_family[name][region], 4)

    cf = {i: column(i) for i in grid6.variable_renewable_ids(techs, "variable_renewable")}
    inflow = {i: column(i) for i in grid6.variable_renewable_ids(techs, "reservoir_hydro")}
    base.write_csv(pd.DataFrame({"time": time, **demand}), out / "demand.csv", float_format="%.1f")
    base.write_csv(pd.DataFrame({"time": time, **cf}), out / "capacity_factors.csv", float_format="%.4f")
    base.write_csv(pd.DataFrame({"time": time, **inflow}), out / "hydro_inflow.csv", float_format="%.4f")
    base.write_csv(pd.DataFrame({"time": time, **heat_demand()}), out / "heat_demand.csv", float_format="%.1f")

    print(f"wrote {out}")
    print_derived(techs, lines, means, demand_twh)
    weights = dict(zip(techs["region"] + "." + techs["name"], techs["existing_mw"]))
    for name, target in (
        ("wind", y2024.derived_inputs()["wind_available_twh"]),
        ("solar_pv", y2024.derived_inputs()["solar_available_twh"]),
    ):
        cols = [c for c in cf if (c.endswith("_wind") if name == "wind" else c.endswith(name))]
        print(f"  available {name}: {sum(cf[c].sum() * weights[c] for c in cols) / 1e6:,.1f} TWh (target {target:,.1f})")
    inflow_twh = sum(inflow[c].sum() * weights[c] for c in inflow) / 1e6
    print(f"  hydro inflow: {inflow_twh:,.1f} TWh (target {y2024.HYDRO_TWH - y2024.derived_inputs()['pumped_twh']:,.1f})")
    grid6.print_stats(idx, techs, demand, cf, inflow)


if __name__ == "__main__":
    main()
