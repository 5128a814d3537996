"""China's six regional grids: which provinces each holds, provincial tables summed by grid, and district heat by grid.

Imported by the six-grid generators (``generate_china_6grid.py`` for 2030, ``generate_china_6grid_2024.py`` for
the 2024 backcast); the sources are in their READMEs. Method of the district heat:

* the one-region dataset's hourly heat of each network (coal, gas) is split over the grids by the grids' shares
  of provincial district heat (space heat x district-heating share, PyPSA-China-PIK 2020, china_heat.py), the
  same shares for both networks, so the grids' heat sums to the national heat hour by hour;
* each grid's coal or gas fleet is split into condensing and CHP plants, and heat-only boilers are added, sized
  to the grid's peak heat as the one-region dataset sizes them (china_heat.chp_and_boiler_mw); where the grid's
  fleet is smaller than the heating coefficient asks, all of it is CHP and the boilers make up the peak.
"""

from __future__ import annotations

import math

import china_heat as heat
import numpy as np
import pandas as pd

REGIONS = ["north", "northeast", "east", "central", "northwest", "south"]

# Provinces of each grid (data/china-6grid/README.md, "Regions").
GRID_PROVINCES = {
    "north": ["Beijing", "Tianjin", "Hebei", "Shanxi", "InnerMongolia", "Shandong"],
    "northeast": ["Liaoning", "Jilin", "Heilongjiang"],
    "east": ["Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian"],
    "central": ["Hubei", "Henan", "Hunan", "Jiangxi", "Sichuan", "Chongqing", "Tibet"],
    "northwest": ["Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang"],
    "south": ["Guangdong", "Guangxi", "Yunnan", "Guizhou", "Hainan"],
}
GRID_OF = {p: g for g, provinces in GRID_PROVINCES.items() for p in provinces}

# Provincial capitals, degrees north and east (public gazetteer coordinates, rounded to 0.1 degree): where the
# provinces are drawn on a map (regions.csv), and the length of each provincial corridor is the great-circle
# distance between them (assumption: real routes are longer).
PROVINCE_CAPITAL = {
    "Beijing": (39.9, 116.4), "Tianjin": (39.1, 117.2), "Hebei": (38.0, 114.5), "Shanxi": (37.9, 112.5),
    "InnerMongolia": (40.8, 111.7), "Shandong": (36.7, 117.0), "Liaoning": (41.8, 123.4), "Jilin": (43.9, 125.3),
    "Heilongjiang": (45.8, 126.5), "Shanghai": (31.2, 121.5), "Jiangsu": (32.1, 118.8), "Zhejiang": (30.3, 120.2),
    "Anhui": (31.8, 117.2), "Fujian": (26.1, 119.3), "Hubei": (30.6, 114.3), "Henan": (34.8, 113.6),
    "Hunan": (28.2, 112.9), "Jiangxi": (28.7, 115.9), "Sichuan": (30.7, 104.1), "Chongqing": (29.6, 106.5),
    "Tibet": (29.7, 91.1), "Shaanxi": (34.3, 108.9), "Gansu": (36.1, 103.8), "Qinghai": (36.6, 101.8),
    "Ningxia": (38.5, 106.2), "Xinjiang": (43.8, 87.6), "Guangdong": (23.1, 113.3), "Guangxi": (22.8, 108.3),
    "Yunnan": (25.0, 102.7), "Guizhou": (26.6, 106.7), "Hainan": (20.0, 110.3),
}  # fmt: skip


def regions_table(names: list[str]) -> pd.DataFrame:
    """regions.csv: where each region is drawn on a map (degrees north, degrees east). A province at its capital;
    a grid at the mean of its provinces' capitals (assumption: a schematic position, not a load centre)."""
    rows = []
    for name in names:
        lat, lon = np.mean([PROVINCE_CAPITAL[p] for p in GRID_PROVINCES.get(name, [name])], axis=0)
        rows.append({"region": name, "lat_deg": round(float(lat), 1), "lon_deg": round(float(lon), 1)})
    return pd.DataFrame(rows, columns=["region", "lat_deg", "lon_deg"])


def by_grid(province_values: dict[str, float]) -> dict[str, float]:
    """Sum a provincial table into the six grids (every province must be known)."""
    out = dict.fromkeys(REGIONS, 0.0)
    for province, value in province_values.items():
        out[GRID_OF[province]] += value
    return out


def apportion(total_mw: float, weights: dict[str, float], names: list[str] = REGIONS) -> dict[str, int]:
    """Whole-MW shares of `total_mw` over ``names`` (the grids, or a grid's provinces) in proportion to `weights`
    (largest remainder, ties by the order of ``names``), so that they sum to the total exactly."""
    total = int(round(total_mw))
    assert total == total_mw, total_mw
    w = np.array([float(weights.get(r, 0.0)) for r in names])
    exact = total * w / w.sum()
    whole = np.floor(exact).astype(int)
    for i in sorted(range(len(names)), key=lambda i: (-(exact[i] - whole[i]), i))[: total - whole.sum()]:
        whole[i] += 1
    return {r: int(v) for r, v in zip(names, whole)}


def heat_demand_by_grid(national_mw: pd.DataFrame) -> dict[str, np.ndarray]:
    """Hourly district heat by grid and network (MW_th), columns ``grid.network``: each national network
    (a column of ``national_mw``) times the grid's share of district heat; grids without heat are left out.
    The grids sum to the national heat, every network and hour (asserted)."""
    twh = by_grid(heat.provincial_district_heat_twh_2020())
    total = sum(twh.values())
    out = {f"{r}.{n}": national_mw[n].to_numpy() * twh[r] / total for r in REGIONS if twh[r] > 0 for n in national_mw.columns}
    for n in national_mw.columns:
        summed = sum(v for k, v in out.items() if k.endswith(f".{n}"))
        assert np.allclose(summed, national_mw[n].to_numpy(), rtol=1e-12, atol=1e-6), n
    return out


def fleet_with_heat(fleet_mw: dict[str, float], heat_mw: dict[str, np.ndarray], chp: dict) -> tuple[dict, dict, dict]:
    """(condensing MW, CHP MW, heat-only boiler MW_th) by grid: each grid's coal or gas fleet (``fleet_mw``) split
    into condensing and CHP plants, and boilers added, sized to the grid's peak heat in the network of the CHP
    row ``chp`` (``heat_mw``: heat_demand_by_grid; china_heat.chp_and_boiler_mw with the row's coefficients and
    availability; where the fleet is smaller than that, all of it is CHP and the boilers make up the peak), CHP
    and boilers in whole MW rounded up."""
    coefficients = {k: chp[k] for k in ("power_to_heat", "heat_power_loss")}
    condensing, chp_out, boiler = {}, {}, {}
    for r in REGIONS:
        column = f"{r}.{chp['heat_network']}"
        peak = float(heat_mw[column].max()) if column in heat_mw else 0.0
        chp_mw, boiler_mw = heat.chp_and_boiler_mw(peak, coefficients, chp["availability"], max_chp_mw=fleet_mw[r])
        chp_mw, boiler_mw = min(math.ceil(chp_mw), fleet_mw[r]), math.ceil(boiler_mw)
        condensing[r], chp_out[r], boiler[r] = fleet_mw[r] - chp_mw, chp_mw, boiler_mw
    return condensing, chp_out, boiler
