#!/usr/bin/env python3
"""Generate the stylised single-region "China 2030" default dataset.

Run from the repository root::

    python data/generate_china_2030.py            # writes data/china-2030/
    python data/generate_china_2030.py --out DIR  # writes somewhere else

The script writes ``settings.yaml``, ``fuels.csv``, ``technologies.csv`` and
the hourly series (``demand.csv``, ``capacity_factors.csv``,
``hydro_inflow.csv``, ``heat_demand.csv``) for the non-leap year 2030 (8,760 hours, local time
UTC+8, hour-beginning timestamps). It then prints summary statistics.
``README.md`` in the output folder is maintained by hand; it gives the source
of every number used below, and marks our own assumptions as such.

Method
------
* Scalar data (costs, efficiencies, capacities, fuel prices) are the central
  values of a literature compilation (see README), ``TECHNOLOGIES``; the
  capacities and the battery and solar costs of this dataset are rebased on
  2024-25 statistics and tenders (``rebase_2030``, ``TECHNOLOGIES_2030``). Fuel prices are given here
  in natural units (CNY/t, CNY/Nm3, CNY/kg) and converted to CNY/GJ; fixed O&M
  is given as % of capex per year and converted to CNY/kW/yr.
* Seasonal cycles are given as twelve monthly means. They are imposed
  without steps at month boundaries: a smooth periodic curve is built by
  piecewise-linear interpolation between mid-month knots whose heights are
  solved for so that every monthly mean is reproduced exactly
  (``monthly_smoother``); for noisy or non-linear series such a smooth
  correction is iterated until the monthly means match
  (``match_monthly_means``).
* Demand = smooth daily energy (monthly shares of a Chinese hourly demand
  dataset) x season-specific hour-of-day factors x persistent day-to-day
  noise (AR(1), interpolated between day centres) x a small weekend dip x
  small hourly noise; the monthly shares are then restored exactly and the
  year is rounded to 0.1 MW summing exactly to the annual total.
* Wind: a latent Gaussian process (sum of a synoptic, multi-day AR(1) and a
  faster AR(1)) drives a log-normal wind-speed index with a diurnal cycle; a
  smooth fleet power curve (cubic at low speed, saturating at 1) maps speed
  to capacity factor. A smooth seasonal speed scale is calibrated so that
  the monthly mean capacity factors equal the annual target times assumed
  monthly multipliers. Offshore shares part of the onshore latent signal.
* Solar: clear-sky plane-of-array irradiance from our own solar-geometry code
  (Spencer declination / equation of time, Kasten-Young air mass, a
  Meinel-type beam attenuation, fixed south-facing tilt), averaged over
  5-minute sub-steps, times a persistent daily clearness factor (calibrated to
  assumed monthly means) and mild hourly cloud noise; scaled, with clipping
  to 1, to the target annual mean by bisection. Exactly zero whenever the
  sun is below the horizon.
* District heat (``heat_demand.csv``) and the CHP plants and heat-only
  boilers that supply it: ``china_heat.py``, shared with the 2024 backcast
  (``technologies_with_heat``).
* Hydro inflow: persistent daily log-normal variability (AR(1)), linearly
  interpolated to hours (almost flat within a day), calibrated to an assumed
  flood-season monthly cycle scaled to the target full-load hours.

All random numbers come from ``numpy.random.default_rng`` seeded with
``SEED`` and a fixed per-series stream number, so output is deterministic and
each series can be changed without disturbing the others.

The series functions (``demand_series``, ``wind_series`` /
``onshore_wind_cf`` / ``offshore_wind_cf``, ``solar_series``,
``hydro_inflow_series``) take their parameters and random stream as
arguments, with this dataset's constants as defaults;
``generate_china_6grid.py`` imports them to build the six-region dataset.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import china_heat as heat
import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------
# Global constants
# ---------------------------------------------------------------------------
SEED = 20300101
YEAR = 2030
N_HOURS = 8760
OUT_DEFAULT = Path(__file__).resolve().parent / "china-2030"

# Independent random streams, one per series.
STREAM_DEMAND = 1
STREAM_WIND = 2
STREAM_SOLAR = 3
STREAM_HYDRO = 4
STREAM_HEAT = 5  # district heat (china_heat.py), as in generate_china_2024

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# ---------------------------------------------------------------------------
# Scalar inputs (sources: README.md)
# ---------------------------------------------------------------------------
SETTINGS = {
    "discount_rate": 0.08,
    "value_of_lost_load_cny_per_mwh": 30000,
    "money_base_year": 2020,
}

# Fuel prices in natural units and conversion factors.
COAL_PRICE_CNY_PER_T = 700.0  # 5,500 kcal/kg thermal coal
COAL_LHV_GJ_PER_T = 23.0  # 5,500 kcal/kg x 4.1868 kJ/kcal
GAS_PRICE_CNY_PER_NM3 = 2.5
GAS_LHV_MJ_PER_NM3 = 35.79  # methane, 802.3 kJ/mol / 22.414 L/mol
H2_PRICE_CNY_PER_KG = 20.0  # green hydrogen, purchased, 2030
GREY_H2_PRICE_CNY_PER_KG = 10.0  # grey hydrogen from coal gasification
GREY_H2_CO2_KG_PER_KG = 19.0  # CO2 of making it (assumption, see README)
ELECTROLYSIS_KWH_PER_KG = 52.0  # alkaline system incl. balance of plant
H2_TANK_CAPEX_CNY_PER_KG = 3000.0  # pressurised storage vessel (assumption)
H2_COMPRESSION_KWH_PER_KG = 3.0  # counted as a hydrogen loss on charging
H2_LHV_MJ_PER_KG = 119.96
H2_LHV_MJ_PER_NM3 = 10.79  # 241.8 kJ/mol / 22.414 L/mol
URANIUM_PRICE_CNY_PER_GJ = 6.0  # nuclear fuel per GJ thermal
CO2_COAL_T_PER_GJ = 0.0946  # 94.6 t/TJ
CO2_GAS_T_PER_GJ = 0.0561  # 56.1 t/TJ

GW = 1000.0  # MW per GW

# Carbon capture (assumptions unless noted; see README). New-build capex: facts 3.1 (Zhu et al.:
# coal + CCS 7,000, gas + CCS 6,250 CNY/kW). A retrofit pays the difference to the plain plant.
CCS_CAPTURE_RATE = 0.90  # share of the CO2 produced that is captured
CO2_TRANSPORT_STORAGE_CNY_PER_T = 100.0
CCS_EFFICIENCY_PENALTY = 0.09  # points of net efficiency lost to capture and compression
# Flexible operation (facts 3.2: SWITCH-China coal minimum load 0.4; the rest are assumptions).
# Only coal is committed: gas turbines start within the hour, and nuclear runs steadily, held by its
# ramp limit. Coal units ramp 1-2 %/min, more than any hourly swing their minimum load allows, so
# coal has no hourly ramp limit. (Committing gas and nuclear and ramp-limiting coal as well made a
# 4-week solve 2x slower and changed the cost by 0.01 %: benchmarks/bench_operations.py.)
COAL_FLEX = dict(min_load=0.40, startup=500.0, ramp=None)  # CNY/MW per start; fraction/h
GAS_CCGT_FLEX = None
NUCLEAR_FLEX = dict(ramp=0.10)  # facts 7.1: "ramp-limited"
HEATING_MONTHS = "11-3"  # northern heating season, November to March
COAL_CHP_MUST_RUN = 0.20  # national coal fleet's CHP share held on in the heating season

# Technology table (literature rows, facts 7.1; the 2020 and 2024 backcasts reuse them, and
# TECHNOLOGIES_2030 below rebases them for this dataset). Capacities in GW here (converted to MW
# on output); fixed O&M as % of capex per year (converted to CNY/kW/yr on output).
TECHNOLOGIES = [
    dict(
        name="coal",
        family="thermal",
        fuel="coal",
        h2_blending=False,
        existing_gw=1150,
        max_gw=1150,
        capex_kw=3500,
        fom_pct=2.5,
        vom=25,
        life=40,
        efficiency=0.41,
        availability=0.90,
        flex=COAL_FLEX,
        must_run=COAL_CHP_MUST_RUN,
        reserve=0.10,
        credit=0.90,
    ),
    dict(
        name="coal_usc",
        family="thermal",
        fuel="coal",
        h2_blending=False,
        existing_gw=0,
        max_gw=100,
        capex_kw=3500,
        fom_pct=2.5,
        vom=25,
        life=40,
        efficiency=0.45,
        availability=0.90,
        flex=COAL_FLEX,
        reserve=0.10,
        credit=0.90,
    ),
    dict(
        name="gas_ccgt",
        family="thermal",
        fuel="natural_gas",
        h2_blending=True,
        existing_gw=120,
        max_gw=None,
        capex_kw=2500,
        fom_pct=3.0,
        vom=30,
        life=30,
        efficiency=0.58,
        availability=0.92,
        flex=GAS_CCGT_FLEX,
        reserve=0.30,
        credit=0.92,
    ),
    dict(
        name="gas_ocgt",
        family="thermal",
        fuel="natural_gas",
        h2_blending=True,
        existing_gw=30,
        max_gw=None,
        capex_kw=2000,
        fom_pct=2.0,
        vom=35,
        life=25,
        efficiency=0.40,
        availability=0.92,
        reserve=1.0,
        credit=0.92,
    ),
    dict(
        name="nuclear",
        family="thermal",
        fuel="uranium",
        h2_blending=False,
        existing_gw=110,
        max_gw=130,
        capex_kw=19500,
        fom_pct=1.5,
        vom=30,
        life=60,
        efficiency=0.33,
        availability=0.86,
        flex=NUCLEAR_FLEX,
        credit=0.86,
    ),
    dict(
        name="onshore_wind",
        family="variable_renewable",
        existing_gw=900,
        max_gw=1300,
        capex_kw=4300,
        fom_pct=2.0,
        vom=0,
        life=25,
        credit=0.05,
    ),
    dict(
        name="offshore_wind",
        family="variable_renewable",
        existing_gw=100,
        max_gw=160,
        capex_kw=9000,
        fom_pct=2.5,
        vom=0,
        life=25,
        credit=0.10,
    ),
    dict(name="solar_pv", family="variable_renewable", existing_gw=1500, max_gw=2100, capex_kw=2400, fom_pct=1.5, vom=0, life=25),
    # carbon capture: new plants, and retrofits of the existing coal and CCGT fleets
    dict(
        name="coal_ccs",
        family="thermal",
        fuel="coal",
        h2_blending=False,
        existing_gw=0,
        max_gw=None,
        capex_kw=7000,
        fom_pct=2.5,
        vom=35,
        life=40,
        efficiency=round(0.45 - CCS_EFFICIENCY_PENALTY, 4),
        availability=0.90,
        ccs=True,
        flex=COAL_FLEX,
        reserve=0.10,
        credit=0.90,
    ),
    dict(
        name="coal_ccs_retrofit",
        family="thermal",
        fuel="coal",
        h2_blending=False,
        existing_gw=0,
        max_gw=None,
        capex_kw=7000 - 3500,
        fom_pct=2.5,
        vom=35,
        life=25,
        efficiency=round(0.41 - CCS_EFFICIENCY_PENALTY, 4),
        availability=0.90,
        ccs=True,
        retrofit_of="coal",
        flex=COAL_FLEX,
        reserve=0.10,
        credit=0.90,
    ),
    dict(
        name="gas_ccs",
        family="thermal",
        fuel="natural_gas",
        h2_blending=True,
        existing_gw=0,
        max_gw=None,
        capex_kw=6250,
        fom_pct=3.0,
        vom=40,
        life=30,
        efficiency=round(0.58 - CCS_EFFICIENCY_PENALTY, 4),
        availability=0.92,
        ccs=True,
        flex=GAS_CCGT_FLEX,
        reserve=0.30,
        credit=0.92,
    ),
    dict(
        name="gas_ccs_retrofit",
        family="thermal",
        fuel="natural_gas",
        h2_blending=True,
        existing_gw=0,
        max_gw=None,
        capex_kw=6250 - 2500,
        fom_pct=3.0,
        vom=40,
        life=25,
        efficiency=round(0.58 - CCS_EFFICIENCY_PENALTY, 4),
        availability=0.92,
        ccs=True,
        retrofit_of="gas_ccgt",
        flex=GAS_CCGT_FLEX,
        reserve=0.30,
        credit=0.92,
    ),
    dict(
        name="hydro",
        family="reservoir_hydro",
        existing_gw=420,
        max_gw=460,
        capex_kw=13000,
        fom_pct=1.0,
        vom=5,
        life=70,
        energy_to_power_h=500,
        min_level_fraction=0.1,
        reserve=0.50,
        credit=0.60,
    ),
    dict(
        name="pumped_hydro",
        family="storage",
        existing_gw=120,
        max_gw=200,
        capex_kw=5250,
        capex_kwh=0,
        fom_pct=1.0,
        vom=0,
        life=60,
        energy_to_power_h=6,
        round_trip=0.75,
        min_level_fraction=0.0,
        reserve=1.0,
        credit=0.90,
    ),
    # Li-ion, 2-4 h (facts 7.1): power and energy priced and sized apart
    dict(
        name="battery",
        family="storage",
        existing_gw=0,
        max_gw=None,
        capex_kw=300,
        capex_kwh=1000,
        fom_pct=22.0,
        vom=0,
        life=15,  # FOM: 2 % of 3,300 CNY/kW (2 h)
        round_trip=0.85,
        min_level_fraction=0.0,
        min_duration_h=2,
        max_duration_h=4,
        reserve=1.0,
        credit=0.50,
    ),
    # hydrogen supply: switched off (max 0) unless a run file lifts max_mw, because its hourly
    # variables double the solve time of a full year that has no use for them
    dict(
        name="electrolyser",
        family="electrolyser",
        existing_gw=0,
        max_gw=0,
        capex_kw=2500,
        fom_pct=2.0,
        vom=5,
        life=25,
        efficiency=round(H2_LHV_MJ_PER_KG / 3.6 / ELECTROLYSIS_KWH_PER_KG, 4),
    ),
    dict(
        name="h2_tank",
        family="h2_storage",
        existing_gw=0,
        max_gw=0,
        capex_kw=500,
        fom_pct=2.0,
        vom=0,
        life=30,
        capex_kwh=round(H2_TANK_CAPEX_CNY_PER_KG / (H2_LHV_MJ_PER_KG / 3.6), 2),
        charge_efficiency=round(1 - H2_COMPRESSION_KWH_PER_KG / (H2_LHV_MJ_PER_KG / 3.6), 4),
        discharge_efficiency=1.0,
        min_level_fraction=0.0,
    ),
]

# ---------------------------------------------------------------------------
# 2030 rebase on the latest statistics and 2024-25 tender prices (sources: README.md, "Rebase").
# TECHNOLOGIES above keeps the literature rows (facts 7.1) that the 2020 and 2024 backcasts
# reuse; TECHNOLOGIES_2030 below applies the rebased capacities and costs for this dataset and
# the six-grid split of it.
# ---------------------------------------------------------------------------
# Price level: nominal CNY of 2024 and 2025 to 2020 CNY with the national CPI (NBS, annual
# change 2021 +0.9 %, 2022 +2.0 %, 2023 +0.2 %, 2024 +0.2 %, 2025 0.0 %).
CPI_CHANGE_PCT = {2021: 0.9, 2022: 2.0, 2023: 0.2, 2024: 0.2, 2025: 0.0}


def cpi_since_2020(year: int) -> float:
    """CPI of ``year`` relative to 2020 (2020 = 1)."""
    return math.prod(1 + CPI_CHANGE_PCT[y] / 100 for y in range(2021, year + 1))


def cny_2020(nominal: float, year: int) -> float:
    """Nominal CNY of ``year`` at 2020 prices."""
    return nominal / cpi_since_2020(year)


# Capacities, GW. End-2024 fleet (as data/generate_china_2024.py) plus what was built in 2025 or is
# under construction and online by 2030.
COAL_END_2024_GW = 1190.0  # facts 1.1 (unverified there); china-2024 README
COAL_COMMISSIONED_2025_GW = 78.0  # CREA/GEM H2 2025 coal review
COAL_STARTS_2024_GW = 94.5 + 3.3  # CREA/GEM Feb 2025: construction starts + restarts of suspended units
COAL_STARTS_H1_2025_GW = 46.0  # CREA/GEM H1 2025 review: construction starts and restarts
COAL_PIPELINE_END_2025_GW = 291.0  # CREA/GEM H2 2025: permitted or under construction
GAS_END_2024_GW = 152.8  # Global Energy Monitor via Dialogue Earth (china-2024 README)
GAS_CCGT_SHARE = 0.8  # assumption (as before: 120 of 150 GW)
NUCLEAR_END_2024_GW = 60.8  # facts 1.1 (unverified there)
NUCLEAR_UNDER_CONSTRUCTION_GW = 33.65  # CNEA Blue Book 2025 (26 Apr 2025): 28 units
NUCLEAR_ALL_APPROVED_GW = 113.0  # same: 102 units in operation, under construction or approved
WIND_END_2024_GW = 521.0  # NEA (facts 1.1)
WIND_ADDED_2025_GW = 119.33  # NEA 2025 statistics (28 Jan 2026)
OFFSHORE_END_2024_GW = 41.0  # facts 1.1 (unverified there; GEM)
OFFSHORE_ADDED_2025_GW = round(16.0 * 2 / 3, 2)  # Rystad: ~16 GW worldwide in 2025, ~2/3 in China
OFFSHORE_UNDER_CONSTRUCTION_GW = 28.0  # GEM, Feb 2025
OFFSHORE_PIPELINE_GW = 67.0  # GEM, Feb 2025: in development, incl. the 28 GW under construction
SOLAR_END_2024_GW = 887.0  # NEA (facts 1.1)
SOLAR_ADDED_2025_GW = 315.07  # NEA 2025 statistics (28 Jan 2026)
BUILD_YEARS = 5  # 2026-2030 at most at the 2025 pace (ceilings)
PUMPED_2030_GW = 130.0  # IHA 2025 outlook: 58.69 GW end-2024, >200 GW under construction
BATTERY_END_2024_GW = 73.76  # NEA (china-2024 README)
BATTERY_GROWTH_2025 = 1.84  # NEA via CCTV: end-2025 new-type storage +84 % on end-2024
BATTERY_DURATION_2025_H = 2.58  # same: average duration at end-2025
# Battery system bids, 2025 (CEEC 25 GWh tender, June 2025: average of the 2-h and 4-h packages,
# CNY/Wh), scaled from equipment to an installed project by the EPC/equipment ratio of June 2023
# bids (1.49 / 1.04 CNY/Wh, TrendForce/EnergyTrend): assumption.
BATTERY_BID_2H_CNY_PER_WH = 0.4646
BATTERY_BID_4H_CNY_PER_WH = 0.4249
BATTERY_EPC_OVER_EQUIPMENT = 1.49 / 1.04
BATTERY_FOM_PCT_OF_2H = 2.0  # %/yr of a 2-h system (as before)
SOLAR_EPC_2024_CNY_PER_W = 3.304  # Polaris via SMM: average PV EPC winning bid, 2024
CARBON_PRICE_2024_CNY_PER_T = 95.96  # national ETS average, 2024 (facts 3.7)


def _gw(x: float) -> float:
    """GW to 0.1 GW (whole MW after any integer-percent regional split)."""
    return round(x, 1)


def rebase_2030() -> dict:
    """Rebased 2030 values, keyed by technology name (fields of a TECHNOLOGIES entry)."""
    coal = COAL_END_2024_GW + COAL_COMMISSIONED_2025_GW + COAL_STARTS_2024_GW + COAL_STARTS_H1_2025_GW
    offshore_end_2025 = OFFSHORE_END_2024_GW + OFFSHORE_ADDED_2025_GW
    onshore_end_2025 = WIND_END_2024_GW + WIND_ADDED_2025_GW - offshore_end_2025
    onshore_added_2025 = WIND_ADDED_2025_GW - OFFSHORE_ADDED_2025_GW
    solar_end_2025 = SOLAR_END_2024_GW + SOLAR_ADDED_2025_GW
    # battery: per-kWh and per-kW parts from the 2-h and 4-h bids (CNY/kW = h x CNY/kWh)
    per_kw_2h = 2 * 1000 * BATTERY_BID_2H_CNY_PER_WH * BATTERY_EPC_OVER_EQUIPMENT
    per_kw_4h = 4 * 1000 * BATTERY_BID_4H_CNY_PER_WH * BATTERY_EPC_OVER_EQUIPMENT
    kwh = cny_2020((per_kw_4h - per_kw_2h) / 2, 2025)
    kw = cny_2020(per_kw_2h, 2025) - 2 * kwh
    battery_kw, battery_kwh = round(kw, 1), round(kwh, 1)
    battery_fom_pct = round(BATTERY_FOM_PCT_OF_2H * (battery_kw + 2 * battery_kwh) / battery_kw, 3)
    return {
        "coal": dict(existing_gw=_gw(coal), max_gw=_gw(coal)),
        "coal_usc": dict(max_gw=_gw(COAL_PIPELINE_END_2025_GW - COAL_STARTS_2024_GW - COAL_STARTS_H1_2025_GW)),
        "gas_ccgt": dict(existing_gw=_gw(GAS_END_2024_GW * GAS_CCGT_SHARE)),
        "gas_ocgt": dict(existing_gw=_gw(GAS_END_2024_GW - _gw(GAS_END_2024_GW * GAS_CCGT_SHARE))),
        "nuclear": dict(existing_gw=_gw(NUCLEAR_END_2024_GW + NUCLEAR_UNDER_CONSTRUCTION_GW), max_gw=NUCLEAR_ALL_APPROVED_GW),
        "onshore_wind": dict(existing_gw=_gw(onshore_end_2025), max_gw=_gw(onshore_end_2025 + BUILD_YEARS * onshore_added_2025)),
        "offshore_wind": dict(
            existing_gw=_gw(OFFSHORE_END_2024_GW + OFFSHORE_UNDER_CONSTRUCTION_GW), max_gw=_gw(OFFSHORE_END_2024_GW + OFFSHORE_PIPELINE_GW)
        ),
        "solar_pv": dict(
            existing_gw=_gw(solar_end_2025),
            max_gw=_gw(solar_end_2025 + BUILD_YEARS * SOLAR_ADDED_2025_GW),
            capex_kw=round(cny_2020(1000 * SOLAR_EPC_2024_CNY_PER_W, 2024)),
        ),
        "pumped_hydro": dict(existing_gw=PUMPED_2030_GW),
        "battery": dict(capex_kw=battery_kw, capex_kwh=battery_kwh, fom_pct=battery_fom_pct),
        # the end-2025 fleet, with its reported average duration (existing energy cannot be sized)
        "battery_existing": dict(
            existing_gw=_gw(BATTERY_END_2024_GW * BATTERY_GROWTH_2025),
            max_gw=_gw(BATTERY_END_2024_GW * BATTERY_GROWTH_2025),
            capex_kw=battery_kw,
            capex_kwh=battery_kwh,
            fom_pct=battery_fom_pct,
            energy_to_power_h=BATTERY_DURATION_2025_H,
            min_duration_h=None,
            max_duration_h=None,
        ),
    }


def technologies_2030() -> list[dict]:
    """TECHNOLOGIES with the 2030 rebase applied; the existing battery fleet is a row of its own
    after ``battery`` (new batteries keep their free 2-4 h sizing)."""
    changes = rebase_2030()
    rows = []
    for t in TECHNOLOGIES:
        rows.append({**t, **changes.get(t["name"], {})})
        if t["name"] == "battery":
            rows.append({**t, "name": "battery_existing", **changes["battery_existing"]})
    return rows


TECHNOLOGIES_2030 = technologies_2030()
CARBON_PRICE_CNY_PER_T = round(cny_2020(CARBON_PRICE_2024_CNY_PER_T, 2024), 1)  # runs/china-2030.yaml


def heat_demand(idx: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Hourly district heat demand of the coal and gas networks in 2030, MW_th (china_heat.py: the 2024
    heat, held at its level; README, "Heat")."""
    return heat.heat_demand_mw(hourly_index() if idx is None else idx, rng_for(STREAM_HEAT))


def technologies_with_heat() -> tuple[list[dict], dict]:
    """TECHNOLOGIES_2030 with the coal and CCGT fleets split into condensing and CHP rows and heat-only
    boilers for the district heat (china_heat.split_fleet_for_heat), and an electric boiler and a large heat
    pump to build for each network (china_heat.power_to_heat_rows); the heat demand holds the CHP plants
    on in winter, so the coal row's fixed heating-season must-run share goes. The gas CHP plants keep
    the CCGT's hydrogen blending. Returns (rows, heat columns by row name)."""
    fleet = {t["name"]: {**t} for t in TECHNOLOGIES_2030}
    fleet["coal"]["must_run"] = None
    heat_columns, extra_rows = heat.split_fleet_for_heat(fleet, heat_demand().max())
    p2h_columns, p2h_rows = heat.power_to_heat_rows()  # electric boilers and heat pumps to build (README, "Heat")
    return [*fleet.values(), *extra_rows, *p2h_rows], heat_columns | p2h_columns


TECH_COLUMNS = [
    "name",
    "family",
    "fuel",
    "h2_blending",
    "existing_mw",
    "max_mw",
    "capex_cny_per_kw",
    "capex_cny_per_kwh",
    "fixed_om_cny_per_kw_yr",
    "variable_om_cny_per_mwh",
    "lifetime_yr",
    "efficiency",
    "availability",
    "energy_to_power_h",
    "charge_efficiency",
    "discharge_efficiency",
    "min_level_fraction",
    "capture_rate",
    "co2_storage_cny_per_t",
    "retrofit_of",
    "min_duration_h",
    "max_duration_h",
    "min_load_fraction",
    "startup_cny_per_mw",
    "ramp_fraction_per_h",
    "must_run_fraction",
    "must_run_months",
    "reserve_fraction",
    "capacity_credit",
]

# ---------------------------------------------------------------------------
# Time-series inputs (sources and assumptions: README.md)
# ---------------------------------------------------------------------------
ANNUAL_DEMAND_TWH = 12500.0

# Monthly energy share (%) of the China column of the PyPSA-China-PIK hourly
# provincial demand table.
DEMAND_MONTH_SHARE_PCT = [8.88, 6.62, 7.83, 7.51, 8.09, 8.15, 9.57, 9.62, 8.19, 8.05, 8.23, 9.26]

# Hour-of-day factor (hour mean / season mean), China, hours 0..23 local.
DEMAND_HOUR_FACTORS = {
    "DJF": [
        0.938,
        0.905,
        0.874,
        0.848,
        0.830,
        0.828,
        0.853,
        0.897,
        0.937,
        1.010,
        1.059,
        1.097,
        1.072,
        1.065,
        1.081,
        1.088,
        1.093,
        1.108,
        1.090,
        1.081,
        1.093,
        1.090,
        1.061,
        1.003,
    ],
    "MAM": [
        0.947,
        0.920,
        0.893,
        0.872,
        0.856,
        0.854,
        0.875,
        0.910,
        0.947,
        1.013,
        1.054,
        1.084,
        1.060,
        1.054,
        1.069,
        1.076,
        1.080,
        1.092,
        1.073,
        1.066,
        1.076,
        1.074,
        1.051,
        1.003,
    ],
    "JJA": [
        0.944,
        0.915,
        0.887,
        0.865,
        0.848,
        0.846,
        0.868,
        0.904,
        0.944,
        1.013,
        1.056,
        1.088,
        1.066,
        1.062,
        1.078,
        1.084,
        1.087,
        1.097,
        1.075,
        1.066,
        1.078,
        1.076,
        1.052,
        1.001,
    ],
    "SON": [
        0.946,
        0.918,
        0.890,
        0.869,
        0.853,
        0.851,
        0.873,
        0.910,
        0.947,
        1.012,
        1.053,
        1.085,
        1.061,
        1.054,
        1.069,
        1.075,
        1.080,
        1.094,
        1.077,
        1.070,
        1.079,
        1.076,
        1.052,
        1.002,
    ],
}
SEASON_OF_MONTH = {
    12: "DJF",
    1: "DJF",
    2: "DJF",
    3: "MAM",
    4: "MAM",
    5: "MAM",
    6: "JJA",
    7: "JJA",
    8: "JJA",
    9: "SON",
    10: "SON",
    11: "SON",
}

# Demand variability (assumptions, tuned to the source's ~5 % within-month
# coefficient of variation of daily energy).
DEMAND_DAILY_AR = 0.7  # lag-1 (day) autocorrelation
DEMAND_DAILY_SD = 0.045  # stationary s.d. of the daily factor
DEMAND_WEEKEND = {5: 0.98, 6: 0.97}  # Saturday, Sunday multipliers
DEMAND_HOURLY_AR = 0.8
DEMAND_HOURLY_SD = 0.008

# Wind (targets: facts 7.1; shapes: our assumptions following facts 5.2).
# Monthly capacity-factor multipliers (relative to the annual mean; they are
# renormalised so that the hour-weighted mean is exactly 1).
ONSHORE_MEAN_CF = 0.25
OFFSHORE_MEAN_CF = 0.32
ONSHORE_CF_MONTH = [1.10, 1.05, 1.20, 1.25, 1.15, 0.90, 0.75, 0.70, 0.80, 0.95, 1.08, 1.07]
OFFSHORE_CF_MONTH = [1.15, 1.08, 1.00, 0.90, 0.82, 0.80, 0.88, 0.92, 0.98, 1.08, 1.18, 1.20]
ONSHORE_DIURNAL_AMP = 0.05  # relative speed amplitude
ONSHORE_DIURNAL_PEAK_H = 22.0  # local hour of the diurnal speed maximum
OFFSHORE_DIURNAL_AMP = 0.015
OFFSHORE_DIURNAL_PEAK_H = 2.0
WIND_SLOW_TAU_H = 48.0  # synoptic component e-folding time (h)
WIND_FAST_TAU_H = 8.0  # faster (mesoscale) component
WIND_SLOW_VAR_SHARE = 0.85
ONSHORE_LOG_SPEED_SD = 0.25  # s.d. of log speed index (fleet average)
OFFSHORE_LOG_SPEED_SD = 0.27
OFFSHORE_LATENT_CORR = 0.5  # correlation of offshore with onshore latent

# Solar (targets: facts 7.1; geometry constants: our assumptions).
SOLAR_MEAN_CF = 0.14
SOLAR_LAT_DEG = 35.0
SOLAR_LON_DEG = 113.0
TIMEZONE_H = 8.0
SOLAR_TILT_DEG = 25.0
SOLAR_SUBSTEPS = 12  # 5-minute sub-steps per hour
# Monthly mean daily clearness factor (cloud/haze transmittance relative to
# the clear-sky model).
SOLAR_CLEARNESS_MONTH = [0.60, 0.63, 0.66, 0.70, 0.72, 0.68, 0.58, 0.60, 0.64, 0.66, 0.63, 0.59]
SOLAR_DAILY_AR = 0.5
SOLAR_DAILY_LOGIT_SD = 0.6
SOLAR_HOURLY_AR = 0.7
SOLAR_HOURLY_SD = 0.08

# Hydro inflow (target FLH: facts 7.1; seasonal shape: our assumption
# following facts 5.2). Monthly multipliers relative to the annual mean.
HYDRO_FLH = 3500.0
HYDRO_INFLOW_MONTH = [0.50, 0.47, 0.55, 0.75, 1.05, 1.45, 1.70, 1.62, 1.40, 1.05, 0.78, 0.58]
HYDRO_DAILY_AR = 0.9
HYDRO_DAILY_LOG_SD = 0.15


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def hourly_index(year: int = YEAR) -> pd.DatetimeIndex:
    """Hour-beginning local timestamps of a year (8,760 or 8,784 hours).

    The series functions below take their calendar from the index they are given.
    """
    idx = pd.date_range(f"{year}-01-01 00:00", f"{year}-12-31 23:00", freq="h")
    assert len(idx) in (8760, 8784)
    return idx


def rng_for(stream: int) -> np.random.Generator:
    return np.random.default_rng([SEED, stream])


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance."""
    eps = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = eps[0]
    scale = math.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + scale * eps[i]
    return out


def monthly_smoother(month_of_sample: np.ndarray, pos_days: np.ndarray, year: int = YEAR):
    """Return f(month_means) -> smooth periodic curve with those monthly means.

    The curve is piecewise linear between knots at the middle of each month.
    Knot heights v solve A v = month_means, where A[m, k] is the mean over the
    samples of month m of the interpolation weight of knot k.

    month_of_sample: month (1..12) of each sample; pos_days: sample position in
    days since 1 January 00:00 (e.g. hour centres / 24).
    """
    days_in_month = np.array([pd.Period(f"{year}-{m:02d}").days_in_month for m in range(1, 13)], dtype=float)
    start = np.concatenate([[0.0], np.cumsum(days_in_month)[:-1]])
    knots = start + days_in_month / 2.0
    year_len = days_in_month.sum()
    # Extend knots periodically: knot -1 = Dec of previous year, 12 = Jan next.
    ext = np.concatenate([[knots[-1] - year_len], knots, [knots[0] + year_len]])
    ext_id = np.concatenate([[11], np.arange(12), [0]])
    j = np.searchsorted(ext, pos_days, side="right") - 1
    frac = (pos_days - ext[j]) / (ext[j + 1] - ext[j])
    weights = np.zeros((len(pos_days), 12))
    rows = np.arange(len(pos_days))
    np.add.at(weights, (rows, ext_id[j]), 1.0 - frac)
    np.add.at(weights, (rows, ext_id[j + 1]), frac)
    a = np.vstack([weights[month_of_sample == m].mean(axis=0) for m in range(1, 13)])

    def smooth(month_means) -> np.ndarray:
        v = np.linalg.solve(a, np.asarray(month_means, dtype=float))
        return weights @ v

    return smooth


def smooth_monthly(month_means, month_of_sample: np.ndarray, pos_days: np.ndarray, year: int = YEAR) -> np.ndarray:
    """Smooth periodic curve whose mean over each month equals month_means."""
    return monthly_smoother(month_of_sample, pos_days, year)(month_means)


def monthly_means(x: np.ndarray, month_of_sample: np.ndarray) -> np.ndarray:
    return np.bincount(month_of_sample, weights=x, minlength=13)[1:] / np.bincount(month_of_sample, minlength=13)[1:]


def match_monthly_means(
    base: np.ndarray,
    month_targets,
    month_of_sample,
    pos_days,
    transform=None,
    gain: float = 1.0,
    tol: float = 1e-8,
    max_iter: int = 1000,
    year: int = YEAR,
):
    """Calibrate a series to prescribed monthly means without steps.

    Returns transform(base * c), where c is a smooth periodic correction
    (product of `monthly_smoother` curves) found by fixed-point iteration so
    that the monthly means of the result equal month_targets. `gain` damps
    the update for transforms that amplify changes (e.g. power curves).
    """
    transform = transform or (lambda x: x)
    smooth = monthly_smoother(month_of_sample, pos_days, year)
    targets = np.asarray(month_targets, dtype=float)
    corr = np.ones_like(base)
    for _ in range(max_iter):
        values = transform(base * corr)
        ratio = targets / monthly_means(values, month_of_sample)
        if np.max(np.abs(ratio - 1.0)) < tol:
            return values
        corr = corr * smooth(ratio**gain)
    raise RuntimeError("monthly calibration did not converge")


def hour_positions(n_hours: int = N_HOURS) -> np.ndarray:
    """Hour centres in days since 1 January 00:00."""
    return (np.arange(n_hours) + 0.5) / 24.0


def bisect_scale(func, target: float, lo: float, hi: float, iters: int = 100) -> float:
    """Find x in [lo, hi] with func(x) == target for increasing func."""
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if func(mid) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def round_to_total(values: np.ndarray, total: float, decimals: int) -> np.ndarray:
    """Round to `decimals` while keeping the sum exactly `total`.

    Largest-remainder rounding on the integer grid of 10**-decimals.
    """
    unit = 10.0**decimals
    scaled = values / values.sum() * total * unit
    base = np.floor(scaled)
    missing = int(round(total * unit - base.sum()))
    order = np.argsort(-(scaled - base), kind="stable")
    base[order[:missing]] += 1.0
    return base / unit


# ---------------------------------------------------------------------------
# Scalar tables
# ---------------------------------------------------------------------------
def settings_yaml(
    name: str = "china-2030",
    description: str = "Stylised single-region China power system in 2030 (default dataset of energymodel)",
    region: str | None = "china",
    year: int = YEAR,
) -> str:
    """settings.yaml text; ``region=None`` leaves the key out (datasets
    whose technologies.csv names the region of each row)."""
    region_line = "" if region is None else f"region: {region}              # the one region of this dataset\n"
    return (
        f"name: {name}\n"
        f"description: {description}\n" + region_line + f"year: {year}                 # modelled year; series timestamps are "
        "in this year, local time (UTC+8), hour-beginning\n"
        f"money_base_year: {SETTINGS['money_base_year']}      "
        "# CNY at 2020 price level\n"
        f"discount_rate: {SETTINGS['discount_rate']}        "
        "# real, fraction/yr\n"
        "value_of_lost_load_cny_per_mwh: "
        f"{SETTINGS['value_of_lost_load_cny_per_mwh']}\n"
    )


def fuels_table() -> pd.DataFrame:
    """Fuel prices converted from natural units to CNY/GJ (LHV)."""
    coal = COAL_PRICE_CNY_PER_T / COAL_LHV_GJ_PER_T
    gas = GAS_PRICE_CNY_PER_NM3 / (GAS_LHV_MJ_PER_NM3 / 1000.0)
    h2 = H2_PRICE_CNY_PER_KG / (H2_LHV_MJ_PER_KG / 1000.0)
    grey = GREY_H2_PRICE_CNY_PER_KG / (H2_LHV_MJ_PER_KG / 1000.0)
    rows = [
        ["coal", round(coal, 2), CO2_COAL_T_PER_GJ, None, COAL_LHV_GJ_PER_T],
        ["natural_gas", round(gas, 2), CO2_GAS_T_PER_GJ, GAS_LHV_MJ_PER_NM3, None],
        ["hydrogen", round(h2, 2), 0.0, H2_LHV_MJ_PER_NM3, H2_LHV_MJ_PER_KG],
        ["hydrogen_grey", round(grey, 2), round(GREY_H2_CO2_KG_PER_KG / H2_LHV_MJ_PER_KG, 4), H2_LHV_MJ_PER_NM3, H2_LHV_MJ_PER_KG],
        ["uranium", URANIUM_PRICE_CNY_PER_GJ, 0.0, None, None],
    ]
    return pd.DataFrame(rows, columns=["fuel", "price_cny_per_gj", "co2_t_per_gj", "lhv_mj_per_nm3", "lhv_mj_per_kg"])


def technology_row(t: dict) -> dict:
    """One row of technologies.csv (keys: TECH_COLUMNS) from a TECHNOLOGIES
    entry."""
    thermal = t["family"] == "thermal"
    storage = t["family"] == "storage"
    flex = t.get("flex") or {}
    eff_leg = round(math.sqrt(t["round_trip"]), 4) if storage else None
    charge_eff = t.get("charge_efficiency", eff_leg)
    discharge_eff = t.get("discharge_efficiency", eff_leg)
    return {
        "name": t["name"],
        "family": t["family"],
        "fuel": t.get("fuel"),
        "h2_blending": (str(t["h2_blending"]).lower() if thermal else None),
        "existing_mw": round(t["existing_gw"] * GW, 3),
        "max_mw": None if t["max_gw"] is None else round(t["max_gw"] * GW, 3),
        "capex_cny_per_kw": t["capex_kw"],
        "capex_cny_per_kwh": t.get("capex_kwh"),
        "fixed_om_cny_per_kw_yr": round(t["capex_kw"] * t["fom_pct"] / 100.0, 2),
        "variable_om_cny_per_mwh": t["vom"],
        "lifetime_yr": t["life"],
        "efficiency": t.get("efficiency"),
        "availability": t.get("availability"),
        "energy_to_power_h": t.get("energy_to_power_h"),
        "charge_efficiency": charge_eff,
        "discharge_efficiency": discharge_eff,
        "min_level_fraction": t.get("min_level_fraction"),
        "capture_rate": CCS_CAPTURE_RATE if t.get("ccs") else None,
        "co2_storage_cny_per_t": (CO2_TRANSPORT_STORAGE_CNY_PER_T if t.get("ccs") else None),
        "retrofit_of": t.get("retrofit_of"),
        "min_duration_h": t.get("min_duration_h"),
        "max_duration_h": t.get("max_duration_h"),
        "min_load_fraction": flex.get("min_load"),
        "startup_cny_per_mw": flex.get("startup"),
        "ramp_fraction_per_h": flex.get("ramp"),
        "must_run_fraction": t.get("must_run"),
        "must_run_months": HEATING_MONTHS if t.get("must_run") else None,
        "reserve_fraction": t.get("reserve"),
        "capacity_credit": t.get("credit"),
    }


def technologies_table(techs=None) -> pd.DataFrame:
    """The rows ``techs`` as technologies.csv; by default this dataset's, with its CHP columns."""
    if techs is not None:
        return pd.DataFrame([technology_row(t) for t in techs], columns=TECH_COLUMNS)
    rows, heat_columns = technologies_with_heat()
    table = pd.DataFrame([technology_row(t) for t in rows], columns=TECH_COLUMNS)
    return heat.add_heat_columns(table, heat_columns, (*heat.HEAT_COLUMNS, "cop"))


# ---------------------------------------------------------------------------
# Hourly series
# ---------------------------------------------------------------------------
def _day_months(idx: pd.DatetimeIndex) -> np.ndarray:
    return idx[::24].month.to_numpy()


def _relative_month_targets(multipliers, mean: float, month_of_hour: np.ndarray) -> np.ndarray:
    """Monthly means = mean x multiplier, renormalised to the annual mean."""
    mult = np.asarray(multipliers, dtype=float)
    hours = np.bincount(month_of_hour, minlength=13)[1:]
    return mean * mult / (np.sum(mult * hours) / hours.sum())


def demand_series(
    idx: pd.DatetimeIndex,
    annual_twh: float = ANNUAL_DEMAND_TWH,
    month_share_pct=DEMAND_MONTH_SHARE_PCT,
    hour_factors=DEMAND_HOUR_FACTORS,
    rng: np.random.Generator | None = None,
    daily_z: np.ndarray | None = None,
    daily_ar: float = DEMAND_DAILY_AR,
    daily_sd: float = DEMAND_DAILY_SD,
    weekend=DEMAND_WEEKEND,
    hourly_ar: float = DEMAND_HOURLY_AR,
    hourly_sd: float = DEMAND_HOURLY_SD,
) -> np.ndarray:
    """Hourly demand in MW, summing to `annual_twh` exactly.

    month_share_pct: twelve monthly energy shares (%); hour_factors: season
    (DJF, MAM, JJA, SON) -> 24 hour-of-day factors. Random numbers come from
    `rng` (default: the national demand stream). `daily_z`, if given, is the
    unit-variance AR(1) day-to-day signal (one value per day) to use instead
    of drawing one from `rng` (e.g. partly shared between regions).
    """
    rng = rng_for(STREAM_DEMAND) if rng is None else rng
    month = idx.month.to_numpy()
    hour = idx.hour.to_numpy()
    year, n_hours = idx[0].year, len(idx)
    n_days = n_hours // 24
    day_of_hour = np.arange(n_hours) // 24
    day_index = pd.date_range(f"{year}-01-01", periods=n_days, freq="D")
    day_month = day_index.month.to_numpy()

    # 1. Smooth mean daily energy reproducing the monthly shares.
    share = np.array(month_share_pct) / 100.0
    days_in_month = np.bincount(day_month, minlength=13)[1:]
    daily = smooth_monthly(share / days_in_month, day_month, np.arange(n_days) + 0.5, year)

    # 2. Day-to-day noise with persistence (interpolated linearly between
    #    day centres to avoid jumps at midnight), and a weekend dip.
    if daily_z is None:
        daily_z = ar1(rng, n_days, daily_ar)
    noise = 1.0 + daily_sd * daily_z
    noise = np.interp(hour_positions(n_hours), np.arange(n_days) + 0.5, noise, period=n_days)
    weekend_factor = np.array([weekend.get(d, 1.0) for d in day_index.day_of_week])

    # 3. Hour-of-day shape (normalised to mean 1 per season), hourly noise.
    shape = {s: np.array(f) / np.mean(f) for s, f in hour_factors.items()}
    hour_factor = np.array([shape[SEASON_OF_MONTH[m]][h] for m, h in zip(month, hour)])
    hourly_noise = 1.0 + hourly_sd * ar1(rng, n_hours, hourly_ar)
    load = (daily * weekend_factor)[day_of_hour] * noise * hour_factor * hourly_noise

    # 4. Restore the exact monthly shares with a smooth correction.
    hours_in_month = np.bincount(month, minlength=13)[1:]
    load = match_monthly_means(load, share / hours_in_month, month, hour_positions(n_hours), year=year)

    # 5. Scale to the annual total (MWh == MW for hourly steps), 0.1 MW.
    return round_to_total(load, annual_twh * 1e6, decimals=1)


def wind_latent(
    rng: np.random.Generator,
    slow_tau_h: float = WIND_SLOW_TAU_H,
    fast_tau_h: float = WIND_FAST_TAU_H,
    slow_var_share: float = WIND_SLOW_VAR_SHARE,
    n_hours: int = N_HOURS,
) -> np.ndarray:
    """Unit-variance latent signal: synoptic (days) plus faster component."""
    slow = ar1(rng, n_hours, math.exp(-1.0 / slow_tau_h))
    fast = ar1(rng, n_hours, math.exp(-1.0 / fast_tau_h))
    return math.sqrt(slow_var_share) * slow + math.sqrt(1.0 - slow_var_share) * fast


def _fleet_power_curve(speed_index: np.ndarray) -> np.ndarray:
    """Smoothed fleet power curve: ~v^3 at low speed, saturating to 1.

    speed_index is wind speed relative to the speed at which the fleet
    produces half of its capacity. Output is clipped to [0, 1].
    """
    v3 = speed_index**3
    return np.clip(v3 / (1.0 + v3), 0.0, 1.0)


def _wind_cf(latent, log_sd, month_mult, diurnal_amp, diurnal_peak_h, target_mean, idx) -> np.ndarray:
    """Latent Gaussian -> speed index -> capacity factor, calibrated."""
    month = idx.month.to_numpy()
    hour = idx.hour.to_numpy() + 0.5
    diurnal = 1.0 + diurnal_amp * np.cos(2 * np.pi * (hour - diurnal_peak_h) / 24.0)
    speed = diurnal * np.exp(log_sd * latent)
    # Annual calibration of the speed scale, then smooth monthly calibration
    # of the seasonal cycle (the scale varies smoothly through the year).
    scale = bisect_scale(lambda s: _fleet_power_curve(s * speed).mean(), target_mean, 0.01, 10.0)
    targets = _relative_month_targets(month_mult, target_mean, month)
    return match_monthly_means(
        scale * speed, targets, month, hour_positions(len(idx)), transform=_fleet_power_curve, gain=0.5, year=idx[0].year
    )


def onshore_wind_cf(
    latent: np.ndarray,
    idx: pd.DatetimeIndex,
    mean_cf: float = ONSHORE_MEAN_CF,
    month_mult=ONSHORE_CF_MONTH,
    log_sd: float = ONSHORE_LOG_SPEED_SD,
    diurnal_amp: float = ONSHORE_DIURNAL_AMP,
    diurnal_peak_h: float = ONSHORE_DIURNAL_PEAK_H,
) -> np.ndarray:
    """Onshore wind capacity factor (per unit) driven by a latent signal."""
    return _wind_cf(latent, log_sd, month_mult, diurnal_amp, diurnal_peak_h, mean_cf, idx)


def offshore_wind_cf(
    latent: np.ndarray,
    idx: pd.DatetimeIndex,
    mean_cf: float = OFFSHORE_MEAN_CF,
    month_mult=OFFSHORE_CF_MONTH,
    log_sd: float = OFFSHORE_LOG_SPEED_SD,
    diurnal_amp: float = OFFSHORE_DIURNAL_AMP,
    diurnal_peak_h: float = OFFSHORE_DIURNAL_PEAK_H,
) -> np.ndarray:
    """Offshore wind capacity factor (per unit) driven by a latent signal."""
    return _wind_cf(latent, log_sd, month_mult, diurnal_amp, diurnal_peak_h, mean_cf, idx)


def wind_series(
    idx: pd.DatetimeIndex,
    rng: np.random.Generator | None = None,
    onshore_mean_cf: float = ONSHORE_MEAN_CF,
    offshore_mean_cf: float = OFFSHORE_MEAN_CF,
    onshore_month=ONSHORE_CF_MONTH,
    offshore_month=OFFSHORE_CF_MONTH,
    offshore_latent_corr: float = OFFSHORE_LATENT_CORR,
) -> tuple[np.ndarray, np.ndarray]:
    """Onshore and offshore wind capacity factors (per unit) for one site."""
    rng = rng_for(STREAM_WIND) if rng is None else rng
    z_on = wind_latent(rng, n_hours=len(idx))
    z_own = wind_latent(rng, n_hours=len(idx))
    rho = offshore_latent_corr
    z_off = rho * z_on + math.sqrt(1.0 - rho * rho) * z_own
    onshore = onshore_wind_cf(z_on, idx, onshore_mean_cf, onshore_month)
    offshore = offshore_wind_cf(z_off, idx, offshore_mean_cf, offshore_month)
    return onshore, offshore


def clear_sky_poa(
    idx: pd.DatetimeIndex, lat_deg: float = SOLAR_LAT_DEG, lon_deg: float = SOLAR_LON_DEG, tilt_deg: float = SOLAR_TILT_DEG
) -> np.ndarray:
    """Hourly mean clear-sky plane-of-array irradiance (W/m2).

    Fixed south-facing panels tilted at `tilt_deg`, site `lat_deg` /
    `lon_deg`, clock time UTC+8. Each hour-beginning step is averaged over
    sub-steps.
    """
    lat = math.radians(lat_deg)
    tilt = math.radians(tilt_deg)
    sub = (np.arange(SOLAR_SUBSTEPS) + 0.5) / SOLAR_SUBSTEPS  # hour fraction
    doy = idx.day_of_year.to_numpy()[:, None].astype(float)  # 1..365
    clock_h = idx.hour.to_numpy()[:, None] + sub[None, :]

    # Spencer (1971) Fourier series: declination (rad), equation of time
    # (min) and eccentricity correction.
    b = 2 * np.pi * (doy - 1 + clock_h / 24.0) / 365.0
    decl = (
        0.006918
        - 0.399912 * np.cos(b)
        + 0.070257 * np.sin(b)
        - 0.006758 * np.cos(2 * b)
        + 0.000907 * np.sin(2 * b)
        - 0.002697 * np.cos(3 * b)
        + 0.00148 * np.sin(3 * b)
    )
    eot_min = 229.18 * (0.000075 + 0.001868 * np.cos(b) - 0.032077 * np.sin(b) - 0.014615 * np.cos(2 * b) - 0.040849 * np.sin(2 * b))
    ecc = 1.000110 + 0.034221 * np.cos(b) + 0.001280 * np.sin(b) + 0.000719 * np.cos(2 * b) + 0.000077 * np.sin(2 * b)

    # Apparent solar time: 4 minutes per degree from the zone meridian.
    solar_h = clock_h + (4.0 * (lon_deg - 15.0 * TIMEZONE_H) + eot_min) / 60.0
    omega = np.radians(15.0 * (solar_h - 12.0))
    cos_z = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(omega)
    up = cos_z > 0.0
    cz = np.where(up, cos_z, 1.0)
    zen_deg = np.degrees(np.arccos(np.clip(cz, -1.0, 1.0)))
    # Kasten-Young air mass; Meinel-type beam attenuation; diffuse taken as
    # 10 % of beam-on-horizontal, isotropic sky on the tilted plane.
    air_mass = 1.0 / (cz + 0.50572 * (96.07995 - zen_deg) ** -1.6364)
    dni = 1361.0 * ecc * 0.7 ** (air_mass**0.678)
    cos_inc = np.sin(decl) * np.sin(lat - tilt) + np.cos(decl) * np.cos(lat - tilt) * np.cos(omega)
    diffuse_h = 0.1 * dni * cz
    poa = dni * np.maximum(cos_inc, 0.0) + diffuse_h * (1 + math.cos(tilt)) / 2
    poa = np.where(up, poa, 0.0)
    return poa.mean(axis=1)


def solar_series(
    idx: pd.DatetimeIndex,
    rng: np.random.Generator | None = None,
    mean_cf: float = SOLAR_MEAN_CF,
    lat_deg: float = SOLAR_LAT_DEG,
    lon_deg: float = SOLAR_LON_DEG,
    tilt_deg: float = SOLAR_TILT_DEG,
    clearness_month=SOLAR_CLEARNESS_MONTH,
    daily_z: np.ndarray | None = None,
    daily_ar: float = SOLAR_DAILY_AR,
    daily_logit_sd: float = SOLAR_DAILY_LOGIT_SD,
    hourly_ar: float = SOLAR_HOURLY_AR,
    hourly_sd: float = SOLAR_HOURLY_SD,
) -> np.ndarray:
    """Solar PV capacity factor (per unit), exactly zero at night.

    `daily_z`, if given, is the unit-variance AR(1) daily clearness signal
    (one value per day) to use instead of drawing one from `rng`.
    """
    rng = rng_for(STREAM_SOLAR) if rng is None else rng
    poa = clear_sky_poa(idx, lat_deg, lon_deg, tilt_deg) / 1000.0
    n_hours = len(idx)
    n_days = n_hours // 24
    day_of_hour = np.arange(n_hours) // 24
    day_month = _day_months(idx)
    # Daily clearness: logistic of a persistent AR(1), calibrated smoothly
    # to the monthly mean clearness.
    k0 = np.mean(clearness_month)
    z = ar1(rng, n_days, daily_ar) if daily_z is None else daily_z
    clearness = 1.0 / (1.0 + np.exp(-(math.log(k0 / (1 - k0)) + daily_logit_sd * z)))
    clearness = match_monthly_means(clearness, clearness_month, day_month, np.arange(n_days) + 0.5, year=idx[0].year)
    intra = np.maximum(1.0 + hourly_sd * ar1(rng, n_hours, hourly_ar), 0.0)
    raw = poa * clearness[day_of_hour] * intra

    def mean_cf_at(scale):
        return np.clip(scale * raw, 0.0, 1.0).mean()

    scale = bisect_scale(mean_cf_at, mean_cf, 0.01, 20.0)
    return np.clip(scale * raw, 0.0, 1.0)


def hydro_inflow_series(
    idx: pd.DatetimeIndex,
    rng: np.random.Generator | None = None,
    flh: float = HYDRO_FLH,
    month_mult=HYDRO_INFLOW_MONTH,
    daily_z: np.ndarray | None = None,
    daily_ar: float = HYDRO_DAILY_AR,
    daily_log_sd: float = HYDRO_DAILY_LOG_SD,
) -> np.ndarray:
    """Inflow in MWh per hour per MW of turbine capacity.

    `daily_z`, if given, is the unit-variance AR(1) daily signal to use
    instead of drawing one from `rng`.
    """
    rng = rng_for(STREAM_HYDRO) if rng is None else rng
    n_hours = len(idx)
    n_days = n_hours // 24
    z = ar1(rng, n_days, daily_ar) if daily_z is None else daily_z
    daily = np.exp(daily_log_sd * z)
    # Linear interpolation between day centres (periodic) -> nearly flat days.
    centres = np.arange(n_days) + 0.5
    hourly = np.interp(hour_positions(n_hours), centres, daily, period=n_days)
    month = idx.month.to_numpy()
    targets = _relative_month_targets(month_mult, flh / n_hours, month)
    return match_monthly_means(hourly, targets, month, hour_positions(n_hours), year=idx[0].year)


# ---------------------------------------------------------------------------
# Output and statistics
# ---------------------------------------------------------------------------
def write_csv(df: pd.DataFrame, path: Path, float_format=None) -> None:
    df.to_csv(path, index=False, lineterminator="\n", float_format=float_format)


def _fmt_scalar(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        if x == int(x):
            return str(int(x))
        return repr(x)
    return str(x)


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Small tables: integers without '.0', blanks for missing values."""
    lines = [",".join(df.columns)]
    for row in df.itertuples(index=False):
        lines.append(",".join(_fmt_scalar(v) for v in row))
    path.write_text("\n".join(lines) + "\n")


def print_stats(idx, demand, onshore, offshore, solar, hydro) -> None:
    month = idx.month.to_numpy()
    months = pd.Series(month)

    def monthly_mean(x):
        return pd.Series(x).groupby(months).mean().to_numpy()

    total_twh = demand.sum() / 1e6
    peak = demand.max()
    print(
        f"demand: {total_twh:,.1f} TWh, peak {peak / 1000:,.1f} GW at "
        f"{idx[int(np.argmax(demand))]:%Y-%m-%d %H:%M}, "
        f"min {demand.min() / 1000:,.1f} GW, "
        f"load factor {demand.mean() / peak:.3f}"
    )
    share = np.bincount(month, weights=demand, minlength=13)[1:] / demand.sum()
    print("  monthly share %:", " ".join(f"{m} {100 * s:.2f}" for m, s in zip(MONTH_NAMES, share)))
    daily = demand.reshape(-1, 24).sum(axis=1)
    day_month = month[::24]
    cv = np.mean([daily[day_month == m].std() / daily[day_month == m].mean() for m in range(1, 13)])
    print(f"  mean within-month CV of daily energy: {cv:.3f}")
    for name, x in [("onshore_wind", onshore), ("offshore_wind", offshore), ("solar_pv", solar), ("hydro_inflow", hydro)]:
        lag1 = np.corrcoef(x[:-1], x[1:])[0, 1]
        print(
            f"{name}: mean {x.mean():.4f} ({x.sum():,.0f} full-load h), "
            f"min {x.min():.4f}, max {x.max():.4f}, sd {x.std():.4f}, "
            f"lag-1 autocorr {lag1:.3f}"
        )
        print("  monthly mean:", " ".join(f"{m} {v:.3f}" for m, v in zip(MONTH_NAMES, monthly_mean(x))))
    print(f"corr(onshore, offshore) hourly: {np.corrcoef(onshore, offshore)[0, 1]:.3f}")
    mm = monthly_mean(hydro)
    print(f"hydro peak-month / lowest-month inflow: {mm.max() / mm.min():.2f}")
    night = solar == 0.0
    print(f"solar: {night.mean() * 100:.1f}% of hours exactly zero")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-2030)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    (out / "settings.yaml").write_text(settings_yaml())
    write_table(fuels_table(), out / "fuels.csv")
    write_table(technologies_table(), out / "technologies.csv")

    idx = hourly_index()
    time = idx.strftime("%Y-%m-%d %H:%M")
    demand = demand_series(idx)
    onshore, offshore = wind_series(idx)
    solar = solar_series(idx)
    hydro = hydro_inflow_series(idx)

    # Round before writing and report statistics of the written values.
    onshore, offshore, solar = (np.round(x, 4) for x in (onshore, offshore, solar))
    hydro = np.round(hydro, 4)

    write_csv(pd.DataFrame({"time": time, "demand_mw": demand}), out / "demand.csv", float_format="%.1f")
    write_csv(
        pd.DataFrame({"time": time, "onshore_wind": onshore, "offshore_wind": offshore, "solar_pv": solar}),
        out / "capacity_factors.csv",
        float_format="%.4f",
    )
    write_csv(pd.DataFrame({"time": time, "hydro": hydro}), out / "hydro_inflow.csv", float_format="%.4f")
    heat_mw = heat_demand(idx)
    write_csv(heat.heat_demand_table(heat_mw, time), out / "heat_demand.csv", float_format="%.1f")

    print(f"wrote {out}")
    heat.print_heat(heat_mw, technologies_table().set_index("name"))
    print_stats(idx, demand, onshore, offshore, solar, hydro)


if __name__ == "__main__":
    main()
