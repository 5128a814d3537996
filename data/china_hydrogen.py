"""Hydrogen a power plant can buy, per regional grid and kind: ``hydrogen_supply.csv`` of the six-grid dataset.

Imported by ``generate_china_6grid.py``; the sources are in data/china-6grid/README.md ("Hydrogen supply"). Method:

* **grey**: the production cost of the grid's usual route, from SMM's daily hydrogen cost review of
  24 Nov 2025 (CNY per Nm3, by province): coal gasification where SMM lists the grid's coal provinces
  (north: the mean of Shanxi, Hebei and Shandong; central: Henan), natural-gas reforming (SMR) where it
  lists only gas (east: Zhejiang; south: the Pearl River Delta); the northeast and northwest, not in the list,
  take CICC's national coal-gasification cost (10.02 CNY/kg, 2023). CNY/Nm3 x 11.118 Nm3/kg = CNY/kg
  (119.96 MJ/kg / 10.79 MJ/Nm3). CO2 of making it: 19 kg/kg for coal gasification (the datasets' assumption,
  published estimates 18-26) and 9.5 kg/kg for SMR (assumption);
* **blue**: the same route with 90 % of that CO2 captured and stored at 250 CNY/t (assumption: 150 CNY/t to
  capture and compress a concentrated process stream plus the datasets' 100 CNY/t of transport and storage);
* **green**: 20 CNY/kg made where wind and solar are strong (north, northwest; the datasets' 2030 price,
  CICC 2023: 20.53), limited to the green capacity standing in 2025 (Inner Mongolia 60,000 t/yr; Ningxia
  26,600 t/yr plus Sinopec Kuqa 20,000 t/yr); the other grids buy it delivered by tube trailer at the 28 CNY/kg
  chain cost of a 500 km truck route (in-en.com), unlimited (new capacity).
No hourly limits are set: the data gives none for deliveries to power plants.
"""

from __future__ import annotations

import china_grids as grids
import pandas as pd

NM3_PER_KG = 119.96 / 10.79  # Nm3 of hydrogen per kg (LHV per kg / LHV per Nm3)

# SMM hydrogen cost daily review, 24 Nov 2025 (news.metal.com, newscontent 103639005), CNY per Nm3
SMM_COAL_CNY_PER_NM3 = {"Shanxi": 0.98, "Hebei": 1.42, "Shandong": 1.61, "Henan": 1.10}
SMM_SMR_CNY_PER_NM3 = {"Zhejiang": 1.98, "Pearl River Delta": 1.89}
CICC_COAL_CNY_PER_KG = 10.02  # coal gasification, China, 2023 (CICC; facts §3.3)

COAL_CO2_KG_PER_KG = 19.0  # coal gasification without capture (assumption; 18-26 published)
SMR_CO2_KG_PER_KG = 9.5  # natural-gas reforming without capture (assumption)
CAPTURED_FRACTION = 0.9  # blue: share of the production CO2 captured (assumption)
CAPTURE_AND_STORAGE_CNY_PER_T = 250.0  # blue: capture and compression 150 + transport and storage 100 (assumption)

GREEN_MADE_CNY_PER_KG = 20.0  # 2030, where it is made (facts §7.1; CICC 2023: 20.53)
GREEN_DELIVERED_CNY_PER_KG = 28.0  # by tube trailer, 500 km chain (in-en.com)
GREEN_CAPACITY_BY_PROVINCE_T_PER_YR = {"InnerMongolia": 60_000.0, "Ningxia": 26_600.0, "Xinjiang": 20_000.0}  # standing in 2025
GREEN_CAPACITY_T_PER_YR = {g: t for g, t in grids.by_grid(GREEN_CAPACITY_BY_PROVINCE_T_PER_YR).items() if t}  # by grid


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


# grid -> (route, grey production cost CNY/kg)
GREY_ROUTE = {
    "north": ("coal", _mean(SMM_COAL_CNY_PER_NM3[p] for p in ("Shanxi", "Hebei", "Shandong")) * NM3_PER_KG),
    "northeast": ("coal", CICC_COAL_CNY_PER_KG),
    "east": ("smr", SMM_SMR_CNY_PER_NM3["Zhejiang"] * NM3_PER_KG),
    "central": ("coal", SMM_COAL_CNY_PER_NM3["Henan"] * NM3_PER_KG),
    "northwest": ("coal", CICC_COAL_CNY_PER_KG),
    "south": ("smr", SMM_SMR_CNY_PER_NM3["Pearl River Delta"] * NM3_PER_KG),
}


def hydrogen_supply_table(regions: list[str], grid_of: dict[str, str] | None = None, green_t_per_yr: dict | None = None) -> pd.DataFrame:
    """Rows of hydrogen_supply.csv: grey, blue and green per region (prices CNY/kg, CO2 kg/kg, limits t/yr).

    The regions are the grids, or provinces with ``grid_of`` (a province buys grey and blue at its grid's cost)
    and ``green_t_per_yr`` (green made in the provinces that have the capacity, delivered to the others)."""
    grid_of = grid_of or {r: r for r in regions}
    green_t_per_yr = GREEN_CAPACITY_T_PER_YR if green_t_per_yr is None else green_t_per_yr
    rows = []
    for region in regions:
        route, grey = GREY_ROUTE[grid_of[region]]
        co2 = COAL_CO2_KG_PER_KG if route == "coal" else SMR_CO2_KG_PER_KG
        blue = grey + CAPTURED_FRACTION * co2 / 1000.0 * CAPTURE_AND_STORAGE_CNY_PER_T
        made_here = region in green_t_per_yr
        rows += [
            (f"{region}.grey", region, "grey", round(grey, 2), co2, None),
            (f"{region}.blue", region, "blue", round(blue, 2), round((1 - CAPTURED_FRACTION) * co2, 2), None),
            (
                f"{region}.green",
                region,
                "green",
                GREEN_MADE_CNY_PER_KG if made_here else GREEN_DELIVERED_CNY_PER_KG,
                0.0,
                green_t_per_yr.get(region),
            ),
        ]
    return pd.DataFrame(rows, columns=["name", "region", "kind", "price_cny_per_kg", "co2_kg_per_kg", "max_t_per_yr"])
