"""Hourly wind, solar and hydro inflow by province: the six-grid weather model at the provinces' capitals.

Imported by the provincial generators (``generate_china_provinces.py`` for 2024, ``generate_china_provinces_2030.py``);
the method is in data/china-provinces/README.md ("Weather"). Each province gets the series the six-grid generator
would draw for a grid centred on its capital (``china_grids.PROVINCE_CAPITAL``):

* **solar**: clear-sky irradiance on panels tilted at latitude - 10 degrees at the capital, on clock time UTC+8,
  so the sun rises and sets later in the west (Urumqi's solar noon is ~2 h after Shanghai's), times a daily
  clearness that is correlated between provinces by distance (exp(-d / 1,200 km), as between the grids);
* **wind**: a latent wind-speed signal per province, correlated the same way, with its grid's monthly pattern;
  offshore wind with half its province's onshore signal, as for the grids;
* **hydro inflow**: a daily signal correlated by distance, with its grid's monthly pattern.

Each province's mean capacity factor (wind, solar) and full-load hours of inflow (hydro) are its grid's, so a
grid's provinces make available the grid's energy per MW, within the 4-decimal rounding of the files (a test
checks it). Seeded (streams 21-24 of the six-grid seed): two runs give the same series.
"""

from __future__ import annotations

import math

import china_grids as grids
import generate_china_6grid as grid6
import generate_china_2030 as base
import numpy as np
import pandas as pd

STREAM_WIND, STREAM_SOLAR, STREAM_HYDRO = 21, 22, 23  # the six-grid generator uses 11-14
STREAM_OFFSHORE = 24


def correlation(provinces: list[str]) -> np.ndarray:
    """exp(-d / CORR_LENGTH_KM) between the provinces' capitals, d the great-circle distance (as between the grids)."""
    d = np.array([[grid6.great_circle_km(grids.PROVINCE_CAPITAL[a], grids.PROVINCE_CAPITAL[b]) for b in provinces] for a in provinces])
    return np.exp(-d / grid6.CORR_LENGTH_KM)


def province_weather(idx: pd.DatetimeIndex, grid_series: dict, offshore: list[str], seed: int) -> dict[str, dict[str, np.ndarray]]:
    """{'onshore_wind' | 'offshore_wind' | 'solar_pv' | 'hydro': {province: hourly series}}, each province's mean that of
    its grid's series in ``grid_series`` (same keys, by grid); offshore wind only for the ``offshore`` provinces."""
    provinces = list(grids.GRID_OF)
    n_days = len(idx) // 24
    corr = correlation(provinces)
    wind, sun, water = (grid6.rng_for(stream, 0, seed) for stream in (STREAM_WIND, STREAM_SOLAR, STREAM_HYDRO))
    z_on = grid6.correlated(np.vstack([base.wind_latent(wind, n_hours=len(idx)) for _ in provinces]), corr)
    z_sun = grid6.correlated(np.vstack([base.ar1(sun, n_days, base.SOLAR_DAILY_AR) for _ in provinces]), corr)
    z_water = grid6.correlated(np.vstack([base.ar1(water, n_days, base.HYDRO_DAILY_AR) for _ in provinces]), corr)
    own = grid6.rng_for(STREAM_OFFSHORE, 0, seed)
    rho = base.OFFSHORE_LATENT_CORR
    out = {name: {} for name in ("onshore_wind", "offshore_wind", "solar_pv", "hydro")}
    for k, p in enumerate(provinces):
        grid = grids.GRID_OF[p]
        lat, lon = grids.PROVINCE_CAPITAL[p]
        out["onshore_wind"][p] = base.onshore_wind_cf(
            z_on[k], idx, float(grid_series["onshore_wind"][grid].mean()), grid6.onshore_month_mult(grid)
        )
        if p in offshore:
            z_off = rho * z_on[k] + math.sqrt(1.0 - rho * rho) * base.wind_latent(own, n_hours=len(idx))
            out["offshore_wind"][p] = base.offshore_wind_cf(z_off, idx, float(grid_series["offshore_wind"][grid].mean()))
        out["solar_pv"][p] = base.solar_series(
            idx,
            rng=grid6.rng_for(STREAM_SOLAR, 1 + k, seed),
            mean_cf=float(grid_series["solar_pv"][grid].mean()),
            lat_deg=lat,
            lon_deg=lon,
            tilt_deg=lat - grid6.SOLAR_TILT_BELOW_LAT_DEG,
            daily_z=z_sun[k],
        )
        out["hydro"][p] = base.hydro_inflow_series(
            idx,
            rng=grid6.rng_for(STREAM_HYDRO, 1 + k, seed),
            flh=float(grid_series["hydro"][grid].sum()),
            month_mult=grid6.hydro_month_mult(grid),
            daily_z=z_water[k],
        )
    return out
