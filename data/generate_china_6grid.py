#!/usr/bin/env python3
"""Generate the stylised six-region "China 2030" dataset (data/china-6grid).

Run from the repository root::

    python data/generate_china_6grid.py            # writes data/china-6grid/
    python data/generate_china_6grid.py --out DIR  # writes somewhere else

The six regions are China's regional grids as grouped in the demand-shape
reference (north, northeast, east, central, northwest, south). The script
writes ``settings.yaml``, ``fuels.csv``, ``technologies.csv`` (with a
``region`` column), ``lines.csv`` and the hourly series ``demand.csv`` (one
column per region), ``capacity_factors.csv`` and ``hydro_inflow.csv`` (one
column per ``region.technology``) and ``heat_demand.csv`` (one column per
``region.heat_network``) for 2030, then prints summary statistics.
``README.md`` in the output folder is maintained by hand; it gives the source
of every number below and marks our own assumptions as such.

Method
------
Everything the single-region dataset has is reused from
``generate_china_2030.py`` (imported, not copied): technology costs and
efficiencies, fuels, settings, and the series functions for demand, wind,
solar and hydro inflow. This script adds only the regional parameters:

* Demand: each region's share of the national 12,500 TWh (facts 7.2), its
  own monthly energy shares and seasonal hour-of-day factors (shape file),
  with the national generator's noise model. The day-to-day noise of the
  regions is partly correlated (see ``correlation_matrix``).
* Capacities: the national existing capacities and build ceilings are split
  between regions by assumed shares (``CAPACITY_SHARE_PCT``). National totals
  are unchanged.
* Weather: per-region mean capacity factors, solar sites, hydro full-load
  hours and seasonal shapes. The random signals of the regions (wind latent
  speed, daily solar clearness, daily hydro inflow, daily demand noise) are
  correlated through a distance-based correlation matrix (Cholesky factor
  times independent unit-variance AR(1) signals, which keeps each region's
  persistence and variance unchanged).
* Lines: the main existing inter-grid corridors, with length-based losses
  and costs.
* District heat (``china_grids.py``, shared with the 2024 six-grid
  backcast): the national 2030 heat of each network split over the grids by
  their provinces' district heat; each grid's coal and CCGT fleet split into
  condensing and CHP rows, with heat-only boilers, sized to the grid's peak
  heat; an electric boiler and a heat pump to build per grid and network.
  The heat holds the CHP plants on in winter, so the national dataset's
  fixed heating-season must-run is gone here too.

Random numbers come from ``numpy.random.default_rng([SEED, stream, k])``
with the national ``SEED``, stream numbers distinct from the national ones,
and k = 0 for the shared signals and k = 1 + region index for each region's
own noise, so the output is deterministic.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import china_grids as grids
import china_heat as heat
import china_hydrogen
import generate_china_2030 as base
import numpy as np
import pandas as pd

OUT_DEFAULT = Path(__file__).resolve().parent / "china-6grid"

# Random streams of this dataset (distinct from the national ones 1..4).
STREAM_DEMAND = 11
STREAM_WIND = 12
STREAM_SOLAR = 13
STREAM_HYDRO = 14

REGIONS = grids.REGIONS

# ---------------------------------------------------------------------------
# Demand (facts 7.2 and the shape file; README.md)
# ---------------------------------------------------------------------------
# Share of the national annual demand, % (facts 7.2).
DEMAND_SHARE_PCT = {"north": 24.8, "northeast": 5.8, "east": 24.2, "central": 17.8, "northwest": 10.7, "south": 16.7}

# Monthly energy shares (%) by grid, Jan..Dec (shape file).
DEMAND_MONTH_SHARE_PCT = {
    "north": [8.93, 6.95, 8.03, 7.60, 7.90, 7.96, 9.21, 9.26, 7.90, 8.21, 8.51, 9.54],
    "northeast": [9.34, 7.74, 8.56, 7.81, 8.01, 7.65, 8.30, 8.26, 7.63, 8.34, 8.74, 9.62],
    "east": [9.00, 6.07, 7.76, 7.46, 8.11, 8.25, 10.10, 10.28, 8.53, 7.74, 7.75, 8.96],
    "central": [9.15, 6.94, 7.42, 7.08, 7.59, 8.02, 10.26, 10.22, 8.16, 7.73, 7.94, 9.48],
    "northwest": [8.80, 7.43, 8.17, 7.77, 7.95, 8.10, 8.78, 8.81, 7.73, 8.32, 8.78, 9.35],
    "south": [8.21, 5.67, 7.59, 7.65, 8.98, 8.65, 9.55, 9.52, 8.66, 8.35, 8.31, 8.86],
}

# Hour-of-day factors (hour mean / season mean), hours 0..23 local, by grid
# and season (shape file).
DEMAND_HOUR_FACTORS = {
    "north": {
        "DJF": [
            0.942,
            0.926,
            0.907,
            0.893,
            0.883,
            0.888,
            0.916,
            0.959,
            0.973,
            1.010,
            1.034,
            1.064,
            1.055,
            1.031,
            1.043,
            1.057,
            1.061,
            1.081,
            1.085,
            1.071,
            1.064,
            1.050,
            1.026,
            0.979,
        ],
        "MAM": [
            0.945,
            0.932,
            0.916,
            0.904,
            0.896,
            0.901,
            0.925,
            0.962,
            0.975,
            1.009,
            1.030,
            1.057,
            1.049,
            1.028,
            1.037,
            1.049,
            1.052,
            1.071,
            1.075,
            1.065,
            1.060,
            1.049,
            1.027,
            0.985,
        ],
        "JJA": [
            0.935,
            0.918,
            0.897,
            0.882,
            0.872,
            0.877,
            0.906,
            0.951,
            0.970,
            1.014,
            1.041,
            1.073,
            1.062,
            1.039,
            1.051,
            1.065,
            1.068,
            1.087,
            1.089,
            1.074,
            1.069,
            1.055,
            1.028,
            0.977,
        ],
        "SON": [
            0.943,
            0.929,
            0.911,
            0.899,
            0.890,
            0.895,
            0.921,
            0.962,
            0.974,
            1.009,
            1.031,
            1.059,
            1.051,
            1.028,
            1.038,
            1.051,
            1.055,
            1.076,
            1.081,
            1.070,
            1.064,
            1.052,
            1.028,
            0.983,
        ],
    },
    "northeast": {
        "DJF": [
            0.914,
            0.896,
            0.879,
            0.871,
            0.874,
            0.904,
            0.978,
            1.007,
            0.992,
            1.033,
            1.060,
            1.078,
            1.028,
            1.024,
            1.037,
            1.039,
            1.067,
            1.090,
            1.073,
            1.056,
            1.066,
            1.038,
            1.028,
            0.969,
        ],
        "MAM": [
            0.909,
            0.888,
            0.870,
            0.860,
            0.864,
            0.895,
            0.974,
            1.005,
            0.989,
            1.036,
            1.067,
            1.085,
            1.031,
            1.027,
            1.042,
            1.043,
            1.074,
            1.095,
            1.076,
            1.058,
            1.071,
            1.041,
            1.033,
            0.969,
        ],
        "JJA": [
            0.902,
            0.879,
            0.858,
            0.847,
            0.851,
            0.883,
            0.970,
            1.004,
            0.985,
            1.039,
            1.074,
            1.094,
            1.034,
            1.030,
            1.048,
            1.049,
            1.081,
            1.103,
            1.081,
            1.061,
            1.077,
            1.045,
            1.039,
            0.968,
        ],
        "SON": [
            0.905,
            0.885,
            0.867,
            0.857,
            0.861,
            0.894,
            0.976,
            1.008,
            0.992,
            1.037,
            1.066,
            1.086,
            1.031,
            1.026,
            1.041,
            1.042,
            1.074,
            1.100,
            1.081,
            1.062,
            1.073,
            1.042,
            1.029,
            0.965,
        ],
    },
    "east": {
        "DJF": [
            0.907,
            0.881,
            0.849,
            0.821,
            0.804,
            0.804,
            0.838,
            0.875,
            0.952,
            1.029,
            1.090,
            1.113,
            1.068,
            1.101,
            1.118,
            1.118,
            1.122,
            1.110,
            1.065,
            1.067,
            1.093,
            1.093,
            1.068,
            1.014,
        ],
        "MAM": [
            0.926,
            0.904,
            0.878,
            0.855,
            0.841,
            0.840,
            0.864,
            0.893,
            0.962,
            1.029,
            1.079,
            1.097,
            1.060,
            1.087,
            1.101,
            1.100,
            1.102,
            1.089,
            1.049,
            1.048,
            1.068,
            1.068,
            1.052,
            1.010,
        ],
        "JJA": [
            0.920,
            0.897,
            0.869,
            0.845,
            0.829,
            0.828,
            0.854,
            0.885,
            0.958,
            1.031,
            1.084,
            1.102,
            1.066,
            1.097,
            1.110,
            1.109,
            1.110,
            1.094,
            1.049,
            1.049,
            1.075,
            1.076,
            1.055,
            1.008,
        ],
        "SON": [
            0.925,
            0.903,
            0.877,
            0.855,
            0.841,
            0.840,
            0.865,
            0.896,
            0.963,
            1.029,
            1.078,
            1.095,
            1.058,
            1.085,
            1.099,
            1.099,
            1.101,
            1.090,
            1.051,
            1.050,
            1.069,
            1.069,
            1.052,
            1.010,
        ],
    },
    "central": {
        "DJF": [
            0.945,
            0.894,
            0.845,
            0.804,
            0.774,
            0.760,
            0.778,
            0.833,
            0.864,
            0.965,
            1.044,
            1.124,
            1.120,
            1.120,
            1.126,
            1.127,
            1.126,
            1.146,
            1.119,
            1.092,
            1.123,
            1.151,
            1.104,
            1.018,
        ],
        "MAM": [
            0.960,
            0.922,
            0.885,
            0.854,
            0.831,
            0.821,
            0.833,
            0.869,
            0.895,
            0.975,
            1.034,
            1.094,
            1.089,
            1.089,
            1.095,
            1.096,
            1.096,
            1.109,
            1.087,
            1.066,
            1.090,
            1.114,
            1.080,
            1.015,
        ],
        "JJA": [
            0.960,
            0.923,
            0.886,
            0.855,
            0.831,
            0.821,
            0.832,
            0.868,
            0.893,
            0.971,
            1.031,
            1.092,
            1.091,
            1.095,
            1.100,
            1.101,
            1.099,
            1.110,
            1.087,
            1.063,
            1.087,
            1.113,
            1.079,
            1.014,
        ],
        "SON": [
            0.957,
            0.919,
            0.882,
            0.852,
            0.829,
            0.819,
            0.832,
            0.871,
            0.896,
            0.975,
            1.035,
            1.095,
            1.090,
            1.089,
            1.095,
            1.096,
            1.096,
            1.111,
            1.090,
            1.069,
            1.092,
            1.115,
            1.079,
            1.014,
        ],
    },
    "northwest": {
        "DJF": [
            0.980,
            0.954,
            0.937,
            0.925,
            0.917,
            0.912,
            0.923,
            0.954,
            0.965,
            0.990,
            1.001,
            1.021,
            1.035,
            1.033,
            1.030,
            1.030,
            1.033,
            1.051,
            1.056,
            1.060,
            1.064,
            1.067,
            1.045,
            1.016,
        ],
        "MAM": [
            0.984,
            0.961,
            0.945,
            0.934,
            0.926,
            0.922,
            0.932,
            0.958,
            0.967,
            0.990,
            0.999,
            1.017,
            1.031,
            1.029,
            1.025,
            1.025,
            1.029,
            1.044,
            1.050,
            1.055,
            1.057,
            1.060,
            1.043,
            1.017,
        ],
        "JJA": [
            0.981,
            0.955,
            0.936,
            0.924,
            0.915,
            0.910,
            0.921,
            0.950,
            0.962,
            0.988,
            1.001,
            1.022,
            1.037,
            1.035,
            1.031,
            1.031,
            1.034,
            1.051,
            1.056,
            1.060,
            1.064,
            1.067,
            1.048,
            1.019,
        ],
        "SON": [
            0.982,
            0.956,
            0.939,
            0.928,
            0.920,
            0.915,
            0.926,
            0.956,
            0.966,
            0.990,
            1.000,
            1.019,
            1.034,
            1.031,
            1.027,
            1.027,
            1.031,
            1.048,
            1.055,
            1.060,
            1.063,
            1.065,
            1.045,
            1.018,
        ],
    },
    "south": {
        "DJF": [
            0.952,
            0.892,
            0.842,
            0.803,
            0.769,
            0.752,
            0.762,
            0.817,
            0.901,
            1.043,
            1.114,
            1.155,
            1.091,
            1.042,
            1.085,
            1.106,
            1.115,
            1.156,
            1.129,
            1.128,
            1.135,
            1.118,
            1.083,
            1.011,
        ],
        "MAM": [
            0.959,
            0.907,
            0.863,
            0.829,
            0.798,
            0.782,
            0.788,
            0.832,
            0.908,
            1.040,
            1.102,
            1.139,
            1.079,
            1.038,
            1.085,
            1.103,
            1.110,
            1.140,
            1.106,
            1.105,
            1.111,
            1.098,
            1.070,
            1.011,
        ],
        "JJA": [
            0.963,
            0.918,
            0.880,
            0.850,
            0.822,
            0.808,
            0.812,
            0.848,
            0.917,
            1.036,
            1.091,
            1.123,
            1.069,
            1.034,
            1.079,
            1.095,
            1.101,
            1.124,
            1.089,
            1.089,
            1.094,
            1.083,
            1.060,
            1.011,
        ],
        "SON": [
            0.961,
            0.908,
            0.864,
            0.829,
            0.798,
            0.782,
            0.788,
            0.833,
            0.908,
            1.037,
            1.101,
            1.138,
            1.079,
            1.037,
            1.081,
            1.099,
            1.107,
            1.139,
            1.109,
            1.109,
            1.114,
            1.100,
            1.071,
            1.010,
        ],
    },
}

# Correlation between regions of the shared random signals (assumptions):
# corr_ij = common + (1 - common) * exp(-distance_ij / length), distances
# between the region centres below. The exponential kernel of great-circle
# distance is positive definite, so the matrix has a Cholesky factor.
CORR_LENGTH_KM = 1200.0
DEMAND_CORR_COMMON = 0.3  # nation-wide part of day-to-day demand noise

# ---------------------------------------------------------------------------
# Regional geography and resource quality (assumptions; README.md)
# ---------------------------------------------------------------------------
# Approximate centre of each grid (deg N, deg E), used for the solar
# geometry and for the distances behind the correlation matrix.
REGION_CENTRE = {
    "north": (39.0, 114.0),
    "northeast": (43.5, 125.0),
    "east": (30.5, 119.0),
    "central": (30.0, 110.0),
    "northwest": (38.0, 100.0),
    "south": (23.5, 108.0),
}
SOLAR_TILT_BELOW_LAT_DEG = 10.0  # panel tilt = latitude - 10 deg (national: 35 -> 25)

ONSHORE_MEAN_CF = {"north": 0.27, "northeast": 0.27, "east": 0.21, "central": 0.20, "northwest": 0.28, "south": 0.21}
OFFSHORE_MEAN_CF = {"north": 0.30, "east": 0.32, "south": 0.33}
SOLAR_MEAN_CF = {"north": 0.155, "northeast": 0.14, "east": 0.12, "central": 0.115, "northwest": 0.17, "south": 0.125}

# Onshore seasonal shape: the national (northern, facts 5.2) multipliers in
# the three northern grids; half their amplitude in the east, central and
# south grids (assumption).
NORTHERN_WIND_REGIONS = ("north", "northeast", "northwest")
SOUTHERN_WIND_DAMPING = 0.5

# Hydro: full-load hours of inflow and seasonal shape. South: the national
# flood-season shape one month earlier (assumption).
HYDRO_FLH = {"north": 3000.0, "northeast": 3000.0, "east": 3000.0, "central": 3700.0, "northwest": 3300.0, "south": 3600.0}
HYDRO_EARLIER_MONTHS = {"south": 1}

# ---------------------------------------------------------------------------
# Capacity split (assumptions): % of the national existing capacity and of
# the national build ceiling in each region. Regions not listed get 0.
# ---------------------------------------------------------------------------
COAL_SHARE = {"north": 30, "northeast": 7, "east": 22, "central": 16, "northwest": 13, "south": 12}
GAS_SHARE = {"east": 45, "south": 30, "north": 15, "central": 10}
CAPACITY_SHARE_PCT = {
    "coal": COAL_SHARE,
    "coal_usc": COAL_SHARE,
    "gas_ccgt": GAS_SHARE,
    "gas_ocgt": GAS_SHARE,
    "nuclear": {"east": 45, "south": 35, "northeast": 10, "north": 10},
    "onshore_wind": {"north": 35, "northwest": 25, "northeast": 12, "east": 8, "central": 12, "south": 8},
    "offshore_wind": {"east": 55, "south": 35, "north": 10},
    "solar_pv": {"northwest": 25, "north": 28, "east": 15, "central": 14, "south": 10, "northeast": 8},
    "hydro": {"central": 45, "south": 30, "northwest": 10, "east": 6, "northeast": 5, "north": 4},
    "pumped_hydro": {"east": 30, "north": 20, "central": 20, "south": 20, "northeast": 10},
    # No existing capacity nationally: a row in every region (see technology_rows);
    # a retrofit only where the plant it converts stands.
    "coal_ccs": None,
    "coal_ccs_retrofit": None,
    "gas_ccs": None,
    "gas_ccs_retrofit": None,
    "battery": None,
    # the existing new-type storage fleet: NEA's regional shares at mid-2025 (North 29.7, Northwest
    # 25.7, East 16.6, South 15.4, Central 12.2, Northeast 0.4 %), rounded to whole percent
    "battery_existing": {"north": 30, "northwest": 26, "east": 17, "south": 15, "central": 12},
    "electrolyser": None,
    "h2_tank": None,
}

# District heat (china_grids.py): the condensing, CHP and heat-only boiler rows of each fuel, sized per grid.
HEAT_FLEETS = (("coal", "coal_chp", "coal_heat_boiler"), ("gas_ccgt", "gas_chp", "gas_heat_boiler"))

# ---------------------------------------------------------------------------
# Lines (assumptions): existing inter-grid corridors, MW, and length, km.
# ---------------------------------------------------------------------------
LINES = [
    # (region_from, region_to, existing GW, length km)
    ("northwest", "north", 20, 1300),
    ("northwest", "central", 30, 1800),
    ("northwest", "east", 25, 2200),
    ("north", "east", 25, 1100),
    ("north", "central", 15, 900),
    ("northeast", "north", 20, 1100),
    ("central", "east", 40, 1500),
    ("central", "south", 15, 1000),
]
LINE_LOSS_FIXED = 0.01  # converter stations, both ends
LINE_LOSS_PER_1000KM = 0.03  # UHV DC line losses
LINE_CAPEX_CONVERTERS = 800.0  # CNY/kW
LINE_CAPEX_PER_KM = 1.5  # CNY/kW/km
LINE_FOM_PCT = 1.5  # % of capex per year
LINE_LIFETIME_YR = 40

LINE_COLUMNS = [
    "name",
    "region_from",
    "region_to",
    "existing_mw",
    "max_mw",
    "capex_cny_per_kw",
    "fixed_om_cny_per_kw_yr",
    "lifetime_yr",
    "efficiency",
    "length_km",
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def rng_for(stream: int, k: int, seed: int = base.SEED) -> np.random.Generator:
    return np.random.default_rng([seed, stream, k])


def great_circle_km(a, b) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def correlation_matrix(regions, common: float = 0.0, length_km: float = CORR_LENGTH_KM) -> np.ndarray:
    d = np.array([[great_circle_km(REGION_CENTRE[a], REGION_CENTRE[b]) for b in regions] for a in regions])
    return common + (1.0 - common) * np.exp(-d / length_km)


def correlated(signals: np.ndarray, corr: np.ndarray) -> np.ndarray:
    """Mix independent unit-variance signals (rows) to correlation `corr`.

    Each output row is a combination with unit-norm weights of the input
    rows, so an AR(1) (or sum of AR(1)s) keeps its variance and
    autocorrelation.
    """
    return np.linalg.cholesky(corr) @ signals


def split_mw(national_mw: float, pct: float) -> float:
    """Regional share of a national MW figure, rounded to 0.1 MW."""
    return round(national_mw * pct / 100.0, 1)


def onshore_month_mult(region: str) -> list[float]:
    mult = base.ONSHORE_CF_MONTH
    if region in NORTHERN_WIND_REGIONS:
        return list(mult)
    return [1.0 + SOUTHERN_WIND_DAMPING * (m - 1.0) for m in mult]


def hydro_month_mult(region: str) -> list[float]:
    shift = HYDRO_EARLIER_MONTHS.get(region, 0)
    mult = list(base.HYDRO_INFLOW_MONTH)
    return mult[shift:] + mult[:shift]


def solar_site(region: str) -> tuple[float, float, float]:
    lat, lon = REGION_CENTRE[region]
    return lat, lon, lat - SOLAR_TILT_BELOW_LAT_DEG


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------
def settings_yaml() -> str:
    return base.settings_yaml(
        name="china-6grid",
        description="Stylised six-region China power system in 2030 (regional grids joined by inter-grid lines)",
        region=None,
    )


def heat_demand(idx: pd.DatetimeIndex | None = None) -> dict[str, np.ndarray]:
    """Hourly district heat by grid and network (MW_th), columns ``grid.network``: the one-region 2030 heat
    split by the grids' shares of provincial district heat (china_grids.heat_demand_by_grid)."""
    return grids.heat_demand_by_grid(base.heat_demand(idx))


def heat_sized_mw(national: dict[str, dict]) -> dict[str, dict[str, tuple[float, float | None]]]:
    """(existing MW, ceiling MW or None) by grid of the condensing, CHP and boiler rows (HEAT_FLEETS): each
    grid's fleet, the national condensing + CHP plants split by CAPACITY_SHARE_PCT, split again for the grid's
    peak heat (china_grids.fleet_with_heat); the CHP plants leave the condensing row's ceiling, an open ceiling
    stays open. ``national``: the national technologies.csv rows by name."""
    demand = heat_demand()
    out = {}
    for condensing, chp, boiler in HEAT_FLEETS:
        plant = national[condensing]
        pct = {r: CAPACITY_SHARE_PCT[condensing].get(r, 0) for r in REGIONS}
        fleet = {r: split_mw(plant["existing_mw"] + national[chp]["existing_mw"], pct[r]) for r in REGIONS}
        plants, chps, boilers = grids.fleet_with_heat(fleet, demand, national[chp])
        ceiling = {
            r: None if plant["max_mw"] is None else round(split_mw(plant["max_mw"] + national[chp]["max_mw"], pct[r]) - chps[r], 1)
            for r in REGIONS
        }
        out[condensing] = {r: (round(plants[r], 1), ceiling[r]) for r in REGIONS}
        out[chp] = {r: (float(chps[r]), float(chps[r])) for r in REGIONS}
        out[boiler] = {r: (float(boilers[r]), float(boilers[r])) for r in REGIONS}
    return out


HEAT_COLUMNS = (*heat.HEAT_COLUMNS, "cop")


def national_rows() -> list[dict]:
    """The one-region 2030 technologies.csv rows (with district heat), blanks as None."""
    techs, heat_columns = base.technologies_with_heat()
    return [{**base.technology_row(t), **{c: heat_columns.get(t["name"], {}).get(c) for c in HEAT_COLUMNS}} for t in techs]


def regional_technologies() -> list[dict]:
    """technologies.csv rows: each national technology split by region.

    A region gets a row unless both its existing capacity and its ceiling
    are zero; an unlimited national ceiling stays unlimited everywhere. The
    coal and CCGT fleets are split into condensing, CHP and boiler rows by
    each grid's heat (heat_sized_mw); the electric boilers and heat pumps are
    candidates in every grid with heat in their network; a retrofit only
    where the plant it converts has a row.
    """
    national = national_rows()
    sized = heat_sized_mw({t["name"]: t for t in national})
    heat_ids = set(heat_demand())
    rows, written = [], set()
    for t in national:
        shares = CAPACITY_SHARE_PCT.get(t["name"])
        if t["name"] in sized or t["family"] == "heat_pump":
            pass
        elif shares is None:
            # Nothing installed: a candidate in every region, with the national ceiling (the
            # hydrogen rows are switched off, max 0, until a run file lifts it).
            assert t["existing_mw"] == 0
        else:
            assert set(shares) <= set(REGIONS) and sum(shares.values()) == 100
        for region in REGIONS:
            if t["name"] in sized:
                existing, ceiling = sized[t["name"]][region]
            elif t["family"] == "heat_pump":
                if f"{region}.{t['heat_network']}" not in heat_ids:
                    continue
                existing, ceiling = 0, t["max_mw"]
            elif shares is None:
                existing, ceiling = 0, t["max_mw"]
            else:
                pct = shares.get(region, 0)
                existing = split_mw(t["existing_mw"], pct)
                ceiling = None if t["max_mw"] is None else split_mw(t["max_mw"], pct)
            if existing == 0 and ceiling == 0 and (shares is not None or t["name"] in sized):
                continue
            base_plant = t["retrofit_of"]
            if base_plant and (not CAPACITY_SHARE_PCT[base_plant].get(region) or (base_plant, region) not in written):
                continue
            rows.append(dict(t, region=region, existing_mw=existing, max_mw=ceiling))
            written.add((t["name"], region))
    return rows


def technologies_table() -> pd.DataFrame:
    columns = ["name", "region"] + base.TECH_COLUMNS[1:] + list(HEAT_COLUMNS)
    return pd.DataFrame(regional_technologies(), columns=columns)


def lines_table(lines=LINES) -> pd.DataFrame:
    """lines.csv from (region_from, region_to, existing GW, length km) tuples; max_mw blank (no limit)."""
    rows = []
    for a, b, gw, km in lines:
        capex = LINE_CAPEX_CONVERTERS + LINE_CAPEX_PER_KM * km
        rows.append(
            {
                "name": f"{a}-{b}",
                "region_from": a,
                "region_to": b,
                "existing_mw": gw * base.GW,
                "max_mw": None,
                "capex_cny_per_kw": capex,
                "fixed_om_cny_per_kw_yr": round(capex * LINE_FOM_PCT / 100.0, 2),
                "lifetime_yr": LINE_LIFETIME_YR,
                "efficiency": round(1.0 - (LINE_LOSS_FIXED + LINE_LOSS_PER_1000KM * km / 1000.0), 4),
                "length_km": km,
            }
        )
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


# ---------------------------------------------------------------------------
# Hourly series
# ---------------------------------------------------------------------------
def demand_frame(idx: pd.DatetimeIndex, annual_twh: dict[str, float] | None = None, seed: int = base.SEED) -> dict[str, np.ndarray]:
    """Hourly demand by region; `annual_twh` (default: the 2030 shares of 12,500 TWh) sets each year's total."""
    if annual_twh is None:
        annual_twh = {r: base.ANNUAL_DEMAND_TWH * DEMAND_SHARE_PCT[r] / 100 for r in REGIONS}
    n_days = len(idx) // 24
    shared = rng_for(STREAM_DEMAND, 0, seed)
    z = np.vstack([base.ar1(shared, n_days, base.DEMAND_DAILY_AR) for _ in REGIONS])
    z = correlated(z, correlation_matrix(REGIONS, DEMAND_CORR_COMMON))
    out = {}
    for k, region in enumerate(REGIONS):
        out[region] = base.demand_series(
            idx,
            annual_twh=annual_twh[region],
            month_share_pct=DEMAND_MONTH_SHARE_PCT[region],
            hour_factors=DEMAND_HOUR_FACTORS[region],
            rng=rng_for(STREAM_DEMAND, 1 + k, seed),
            daily_z=z[k],
        )
    return out


def variable_renewable_ids(techs: pd.DataFrame, family: str) -> list[str]:
    sel = techs[techs["family"] == family]
    return [f"{r}.{n}" for r, n in zip(sel["region"], sel["name"])]


def wind_frames(idx, onshore_cf=ONSHORE_MEAN_CF, offshore_cf=OFFSHORE_MEAN_CF, seed: int = base.SEED) -> tuple[dict, dict]:
    shared = rng_for(STREAM_WIND, 0, seed)
    z_on = correlated(np.vstack([base.wind_latent(shared, n_hours=len(idx)) for _ in REGIONS]), correlation_matrix(REGIONS))
    off_regions = [r for r in REGIONS if r in offshore_cf]
    own = rng_for(STREAM_WIND, 1, seed)
    z_own = correlated(np.vstack([base.wind_latent(own, n_hours=len(idx)) for _ in off_regions]), correlation_matrix(off_regions))
    onshore, offshore = {}, {}
    rho = base.OFFSHORE_LATENT_CORR
    for k, region in enumerate(REGIONS):
        onshore[region] = base.onshore_wind_cf(z_on[k], idx, onshore_cf[region], onshore_month_mult(region))
    for j, region in enumerate(off_regions):
        z_off = rho * z_on[REGIONS.index(region)] + math.sqrt(1.0 - rho * rho) * z_own[j]
        offshore[region] = base.offshore_wind_cf(z_off, idx, offshore_cf[region])
    return onshore, offshore


def solar_frame(idx, mean_cf=SOLAR_MEAN_CF, seed: int = base.SEED) -> dict[str, np.ndarray]:
    n_days = len(idx) // 24
    shared = rng_for(STREAM_SOLAR, 0, seed)
    z = correlated(np.vstack([base.ar1(shared, n_days, base.SOLAR_DAILY_AR) for _ in REGIONS]), correlation_matrix(REGIONS))
    out = {}
    for k, region in enumerate(REGIONS):
        lat, lon, tilt = solar_site(region)
        out[region] = base.solar_series(
            idx, rng=rng_for(STREAM_SOLAR, 1 + k, seed), mean_cf=mean_cf[region], lat_deg=lat, lon_deg=lon, tilt_deg=tilt, daily_z=z[k]
        )
    return out


def hydro_frame(idx, flh=HYDRO_FLH, seed: int = base.SEED) -> dict[str, np.ndarray]:
    n_days = len(idx) // 24
    shared = rng_for(STREAM_HYDRO, 0, seed)
    z = correlated(np.vstack([base.ar1(shared, n_days, base.HYDRO_DAILY_AR) for _ in REGIONS]), correlation_matrix(REGIONS))
    return {
        region: base.hydro_inflow_series(
            idx, rng=rng_for(STREAM_HYDRO, 1 + k, seed), flh=flh[region], month_mult=hydro_month_mult(region), daily_z=z[k]
        )
        for k, region in enumerate(REGIONS)
    }


# ---------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------
def print_stats(idx, techs, demand, cf, inflow) -> None:
    month = idx.month.to_numpy()
    total = sum(demand.values())
    print(
        f"national demand: {total.sum() / 1e6:,.1f} TWh, coincident peak "
        f"{total.max() / 1e3:,.1f} GW at "
        f"{idx[int(np.argmax(total))]:%Y-%m-%d %H:%M}, load factor "
        f"{total.mean() / total.max():.3f}"
    )
    daily = total.reshape(-1, 24).sum(axis=1)
    day_month = month[::24]
    cv = np.mean([daily[day_month == m].std() / daily[day_month == m].mean() for m in range(1, 13)])
    print(f"  national mean within-month CV of daily energy: {cv:.3f}")
    print(f"  sum of regional peaks: {sum(d.max() for d in demand.values()) / 1e3:,.1f} GW")

    print("\nregion      TWh    share%  peak GW  peak time         LF     CV(day)  monthly share % (Jan..Dec)")
    for region, d in demand.items():
        share = np.bincount(month, weights=d, minlength=13)[1:] / d.sum() * 100
        daily = d.reshape(-1, 24).sum(axis=1)
        cv = np.mean([daily[day_month == m].std() / daily[day_month == m].mean() for m in range(1, 13)])
        print(
            f"{region:10s} {d.sum() / 1e6:7.1f} {100 * d.sum() / total.sum():7.2f}"
            f" {d.max() / 1e3:8.1f}  {idx[int(np.argmax(d))]:%Y-%m-%d %H:%M}"
            f"  {d.mean() / d.max():.3f}  {cv:.3f}   " + " ".join(f"{s:.2f}" for s in share)
        )

    print("\ncapacity, GW existing / ceiling (- = unlimited)")
    names = list(dict.fromkeys(techs["name"]))
    print(f"{'':14s}" + "".join(f"{r:>16s}" for r in REGIONS) + f"{'total':>16s}")
    for name in names:
        cells = []
        tot_e, tot_m = 0.0, 0.0
        for r in REGIONS:
            row = techs[(techs["name"] == name) & (techs["region"] == r)]
            if row.empty:
                cells.append(f"{'':>16s}")
                continue
            e = row["existing_mw"].iloc[0] / 1e3
            m = row["max_mw"].iloc[0]
            tot_e += e
            tot_m = tot_m + (m / 1e3 if m is not None and m == m else math.inf)
            ms = "-" if m is None or m != m else f"{m / 1e3:.1f}"
            cells.append(f"{e:9.1f} /{ms:>5s}")
        tm = "-" if math.isinf(tot_m) else f"{tot_m:.0f}"
        print(f"{name:14s}" + "".join(cells) + f"{tot_e:9.0f} /{tm:>5s}")

    print("\ncapacity factors and inflow (mean, full-load h, monthly means)")
    weights = techs.set_index(techs["region"] + "." + techs["name"])["existing_mw"]
    for _family, series in (("variable_renewable", cf), ("reservoir_hydro", inflow)):
        for col, x in series.items():
            mm = base.monthly_means(x, month)
            print(f"  {col:24s} mean {x.mean():.4f} ({x.sum():5,.0f} h) max {x.max():.3f}  " + " ".join(f"{v:.3f}" for v in mm))
    for name in ("onshore_wind", "offshore_wind", "solar_pv", "hydro"):
        cols = [c for c in list(cf) + list(inflow) if c.endswith("." + name)]
        w = np.array([weights[c] for c in cols])
        means = np.array([(cf.get(c) if c in cf else inflow[c]).mean() for c in cols])
        print(
            f"  national capacity-weighted mean {name}: {np.sum(w * means) / w.sum():.4f} ({np.sum(w * means) / w.sum() * len(idx):,.0f} h)"
        )
    on = np.vstack([cf[f"{r}.onshore_wind"] for r in REGIONS])
    print("\nhourly correlation of onshore wind between regions:")
    c = np.corrcoef(on)
    for r, row in zip(REGIONS, c):
        print(f"  {r:10s} " + " ".join(f"{v:5.2f}" for v in row))
    d = np.vstack([demand[r] for r in REGIONS])
    dd = d.reshape(len(REGIONS), -1, 24).sum(axis=2)
    print("daily demand correlation (deseasonalised by 7-day ratio):")
    trend = np.array([np.convolve(x, np.ones(7) / 7, mode="same") for x in dd])
    c = np.corrcoef((dd / trend)[:, 3:-3])
    for r, row in zip(REGIONS, c):
        print(f"  {r:10s} " + " ".join(f"{v:5.2f}" for v in row))
    sol = {r: cf[f"{r}.solar_pv"] for r in REGIONS}
    hours = idx.hour.to_numpy()
    print(
        "solar: mean hour of output (centroid, local clock time): "
        + ", ".join(f"{r} {np.sum(x * (hours + 0.5)) / x.sum():.2f}" for r, x in sol.items())
    )


def print_heat(heat_mw: dict[str, np.ndarray], techs: pd.DataFrame) -> None:
    """Each grid's district heat, peak and suppliers (GW, boilers GW_th)."""
    print(f"\ndistrict heat by grid (china_grids.py), national {heat.district_heat_twh():,.1f} TWh_th/yr")
    for region in REGIONS:
        cols = {k.split(".")[1]: v for k, v in heat_mw.items() if k.startswith(f"{region}.")}
        sel = techs[(techs["region"] == region) & techs["heat_network"].notna()].set_index("name")
        for network, x in cols.items():
            suppliers = sel[sel["heat_network"] == network]["existing_mw"] / base.GW
            print(
                f"  {region}.{network}: {x.sum() / 1e6:,.1f} TWh_th, peak {x.max() / base.GW:,.1f} GW_th, "
                + ", ".join(f"{name} {gw:,.1f} GW" for name, gw in suppliers.items() if gw)
            )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-6grid)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    techs = technologies_table()
    (out / "settings.yaml").write_text(settings_yaml())
    base.write_table(base.fuels_table(), out / "fuels.csv")
    base.write_table(techs, out / "technologies.csv")
    base.write_table(lines_table(), out / "lines.csv")
    base.write_table(grids.regions_table(REGIONS), out / "regions.csv")
    base.write_table(china_hydrogen.hydrogen_supply_table(list(REGIONS)), out / "hydrogen_supply.csv")

    idx = base.hourly_index()
    time = idx.strftime("%Y-%m-%d %H:%M")
    demand = demand_frame(idx)
    onshore, offshore = wind_frames(idx)
    solar = solar_frame(idx)
    hydro = hydro_frame(idx)
    by_family = {"onshore_wind": onshore, "offshore_wind": offshore, "solar_pv": solar, "hydro": hydro}

    # Round before writing and report statistics of the written values.
    cf = {i: np.round(by_family[i.split(".")[1]][i.split(".")[0]], 4) for i in variable_renewable_ids(techs, "variable_renewable")}
    inflow = {i: np.round(by_family[i.split(".")[1]][i.split(".")[0]], 4) for i in variable_renewable_ids(techs, "reservoir_hydro")}

    base.write_csv(pd.DataFrame({"time": time, **demand}), out / "demand.csv", float_format="%.1f")
    base.write_csv(pd.DataFrame({"time": time, **cf}), out / "capacity_factors.csv", float_format="%.4f")
    base.write_csv(pd.DataFrame({"time": time, **inflow}), out / "hydro_inflow.csv", float_format="%.4f")
    heat_mw = heat_demand(idx)
    base.write_csv(pd.DataFrame({"time": time, **heat_mw}), out / "heat_demand.csv", float_format="%.1f")

    print(f"wrote {out}")
    print_stats(idx, techs, demand, cf, inflow)
    print_heat(heat_mw, techs)


if __name__ == "__main__":
    main()
