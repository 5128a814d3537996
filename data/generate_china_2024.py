#!/usr/bin/env python3
"""Generate the single-region "China 2024" backcast dataset (data/china-2024).

Run from the repository root::

    python data/generate_china_2024.py            # writes data/china-2024/
    python data/generate_china_2024.py --out DIR  # writes somewhere else

The dataset describes China's power system as it stood in 2024: every
technology has ``existing_mw = max_mw`` = its installed capacity at the end
of 2024, so nothing can be built and the model only dispatches. Demand is
the 2024 consumption of 9,852 TWh; fuel prices are 2024 prices; the series
cover the leap year 2024 (8,784 hours, local time UTC+8, hour-beginning).
``runs/china-2024-backcast.yaml`` solves it and ``docs/validation.md``
compares the result with the 2024 statistics. ``README.md`` in the output
folder is maintained by hand; it gives the source of every number below and
marks our own assumptions as such.

Method
------
As ``generate_china_2020.py``: everything is reused from
``generate_china_2030.py`` (imported, not copied): the technology cost rows
and flexibility parameters, the output helpers and the series functions for
demand, wind, solar and hydro inflow with their seasonal shapes. This script
sets only the 2024 values:

* capacities at the end of 2024 (facts 1.1; gas: Global Energy Monitor),
  including the new-type storage fleet (73.76 GW / 168 GWh, NEA) as the
  ``battery`` row with its reported duration; coal-fleet efficiency (facts
  1.4), coal price (facts 3.3 / 7.1), nuclear availability from 2024
  generation (facts 1.2);
* the annual means of the series, each derived from 2024 statistics *before*
  any model run, never tuned to the model's answer:

  - wind and solar: available energy = 2024 generation + the curtailment
    implied by the reported utilisation rates, spread over the year-end
    capacity;
  - hydro inflow: 2024 hydro generation minus an assumed pumped-storage
    output, spread over the year-end conventional capacity;
  - demand: 9,852 TWh (facts 1.3, 5.1).

Random numbers come from ``numpy.random.default_rng([SEED, stream])`` with
this dataset's own ``SEED`` and the national stream numbers, so the output
is deterministic and independent of the 2020 and 2030 draws.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import china_heat as heat
import generate_china_2030 as base
import numpy as np
import pandas as pd

SEED = 20240101
YEAR = 2024
N_HOURS = 8784  # leap year
OUT_DEFAULT = Path(__file__).resolve().parent / "china-2024"
STREAM_HEAT = 5  # after the national streams 1-4 of generate_china_2030

# ---------------------------------------------------------------------------
# 2024 statistics (facts = ../shared/reference/china-power-facts.md; other
# public sources are named in ../data/china-2024/README.md)
# ---------------------------------------------------------------------------
DEMAND_TWH = 9852.0  # facts 1.3 (~9,850, NEA), 5.1 and 7.1 (9,852)

# Year-end installed capacity, GW (facts 1.1 unless noted).
COAL_GW = 1190.0  # unverified in facts
GAS_GW = 152.8  # Global Energy Monitor via Dialogue Earth (README)
NUCLEAR_GW = 60.8  # unverified in facts
WIND_GW = 521.0  # NEA, onshore + offshore
OFFSHORE_GW = 41.0  # unverified in facts (GEM: ~9 % of wind)
SOLAR_GW = 887.0  # NEA
HYDRO_ALL_GW = 436.0  # NEA, including pumped storage
PUMPED_GW = 58.69  # unverified in facts (CREEI/CSHE)
BATTERY_GW = 73.76  # new-type storage, NEA 23 Jan 2025 (README)
BATTERY_GWH = 168.0  # same release

# Generation, TWh (facts 1.2).
NUCLEAR_TWH = 451.0  # unverified in facts
WIND_TWH = 997.0  # unverified in facts (wind + solar 1,830, NEA)
SOLAR_TWH = 834.0  # unverified in facts
HYDRO_TWH = 1426.0  # unverified in facts; includes pumped-storage output

# Utilisation rates (share of the available energy that was used), NEA via
# Xinhua, January-July 2024: the latest rates published for 2024 in the
# sources read; NEA said both stayed above 95 % for the whole year (README).
WIND_UTILISATION = 0.963
SOLAR_UTILISATION = 0.971

# Pumped-storage output included in HYDRO_TWH: not in the facts file.
# Assumption as in the 2020 dataset: 1,000 generating hours (README).
PUMPED_OUTPUT_H = 1000.0

# Coal fleet: 303 gce/kWh of supplied electricity, the latest value in facts
# 1.4 (Jan-Jul 2021); assumption for 2024 (README).
COAL_GCE_PER_KWH = 303.0
TCE_GJ = 29.3076

# Fuel prices, 2024.
COAL_PRICE_CNY_PER_T = 700.0  # assumption inside the NDRC 570-770 contract band (facts 3.3, 7.1)
# Gas: the 2030 dataset's 2.5 CNY/Nm3 (facts 3.3/7.1, unverified) is kept.

# Gas fleet efficiency: DEA CCGT 2020 value via PyPSA-China-PIK (facts 3.2), as 2020.
GAS_EFFICIENCY = 0.56

# Offshore / onshore capacity-factor ratio: that of the 2030 dataset's
# full-load-hour assumptions (2,800 h / 2,200 h, facts 7.1), as 2020.
OFFSHORE_TO_ONSHORE_CF = base.OFFSHORE_MEAN_CF / base.ONSHORE_MEAN_CF


# ---------------------------------------------------------------------------
# Derived inputs (computed from the statistics above, never from model output)
# ---------------------------------------------------------------------------
def derived_inputs() -> dict:
    """Annual means and availabilities derived from the 2024 statistics."""
    onshore_gw = WIND_GW - OFFSHORE_GW
    hydro_gw = HYDRO_ALL_GW - PUMPED_GW
    wind_available_twh = WIND_TWH / WIND_UTILISATION
    solar_available_twh = SOLAR_TWH / SOLAR_UTILISATION
    wind_gw_mean = wind_available_twh * 1000.0 / N_HOURS
    onshore_cf = wind_gw_mean / (onshore_gw + OFFSHORE_TO_ONSHORE_CF * OFFSHORE_GW)
    pumped_twh = PUMPED_GW * PUMPED_OUTPUT_H / 1000.0
    return {
        "onshore_gw": onshore_gw,
        "hydro_gw": hydro_gw,
        "wind_available_twh": wind_available_twh,
        "solar_available_twh": solar_available_twh,
        "wind_curtailed_twh": wind_available_twh - WIND_TWH,
        "solar_curtailed_twh": solar_available_twh - SOLAR_TWH,
        "onshore_cf": onshore_cf,
        "offshore_cf": OFFSHORE_TO_ONSHORE_CF * onshore_cf,
        "solar_cf": solar_available_twh * 1000.0 / (SOLAR_GW * N_HOURS),
        "pumped_twh": pumped_twh,
        "hydro_flh": (HYDRO_TWH - pumped_twh) * 1000.0 / hydro_gw,
        "nuclear_availability": round(NUCLEAR_TWH * 1000.0 / (NUCLEAR_GW * N_HOURS), 4),
        "coal_efficiency": round(3.6 / TCE_GJ / (COAL_GCE_PER_KWH / 1000.0), 4),
        "battery_h": round(BATTERY_GWH / BATTERY_GW, 4),
    }


# ---------------------------------------------------------------------------
# Scalar tables
# ---------------------------------------------------------------------------
def heat_demand(idx: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Hourly district heat demand of the coal and gas networks, MW_th (china_heat.py)."""
    return heat.heat_demand_mw(base.hourly_index(YEAR) if idx is None else idx, rng_for(STREAM_HEAT))


def technologies() -> tuple[list[dict], dict]:
    """The 2030 technology rows with 2024 capacities (no expansion) and the 2024 fleet parameters;
    technologies absent in 2024 are left out; the coal and gas fleets split into condensing and CHP
    rows with heat-only boilers for the district heat. Returns (rows, heat columns by row name)."""
    d = derived_inputs()
    rows = {t["name"]: t for t in base.TECHNOLOGIES}
    # The existing battery fleet has a reported energy, so its duration is fixed (energy_to_power_h)
    # instead of the 2030 row's 2-4 h range for new energy (which starts at zero existing energy).
    battery = {"energy_to_power_h": d["battery_h"], "min_duration_h": None, "max_duration_h": None}
    # The heat demand holds the CHP plants on in winter: it replaces the 2030 rows' fixed must-run share.
    changes = [
        ("coal", COAL_GW, {"efficiency": d["coal_efficiency"], "must_run": None}),
        ("gas_ccgt", GAS_GW, {"efficiency": GAS_EFFICIENCY, "h2_blending": False}),
        ("nuclear", NUCLEAR_GW, {"availability": d["nuclear_availability"]}),
        ("onshore_wind", d["onshore_gw"], {}),
        ("offshore_wind", OFFSHORE_GW, {}),
        ("solar_pv", SOLAR_GW, {}),
        ("hydro", d["hydro_gw"], {}),
        ("pumped_hydro", PUMPED_GW, {}),
        ("battery", BATTERY_GW, battery),
    ]
    fleet = {name: {**rows[name], "existing_gw": gw, "max_gw": gw, **extra} for name, gw, extra in changes}
    heat_columns, extra_rows = heat.split_fleet_for_heat(fleet, heat_demand().max())
    return [*fleet.values(), *extra_rows], heat_columns


def technologies_table() -> pd.DataFrame:
    rows, heat_columns = technologies()
    table = base.technologies_table(rows)
    # GW -> MW without floating-point residue (e.g. 58.69 x 1000).
    for col in ("existing_mw", "max_mw"):
        table[col] = table[col].map(lambda x: float(round(x, 3)))
    return heat.add_heat_columns(table, heat_columns)


def fuels_table() -> pd.DataFrame:
    """Fuel prices in CNY/GJ (LHV). No hydrogen: nothing blends in 2024."""
    coal = COAL_PRICE_CNY_PER_T / base.COAL_LHV_GJ_PER_T
    gas = base.GAS_PRICE_CNY_PER_NM3 / (base.GAS_LHV_MJ_PER_NM3 / 1000.0)
    rows = [
        ["coal", round(coal, 2), base.CO2_COAL_T_PER_GJ, None, base.COAL_LHV_GJ_PER_T],
        ["natural_gas", round(gas, 2), base.CO2_GAS_T_PER_GJ, base.GAS_LHV_MJ_PER_NM3, None],
        ["uranium", base.URANIUM_PRICE_CNY_PER_GJ, 0.0, None, None],
    ]
    return pd.DataFrame(rows, columns=["fuel", "price_cny_per_gj", "co2_t_per_gj", "lhv_mj_per_nm3", "lhv_mj_per_kg"])


# ---------------------------------------------------------------------------
# Hourly series
# ---------------------------------------------------------------------------
def rng_for(stream: int) -> np.random.Generator:
    return np.random.default_rng([SEED, stream])


def series() -> dict:
    """All hourly series of 2024 (unrounded, except demand)."""
    d = derived_inputs()
    idx = base.hourly_index(YEAR)
    assert len(idx) == N_HOURS
    demand = base.demand_series(idx, annual_twh=DEMAND_TWH, rng=rng_for(base.STREAM_DEMAND))
    onshore, offshore = base.wind_series(
        idx, rng=rng_for(base.STREAM_WIND), onshore_mean_cf=d["onshore_cf"], offshore_mean_cf=d["offshore_cf"]
    )
    solar = base.solar_series(idx, rng=rng_for(base.STREAM_SOLAR), mean_cf=d["solar_cf"])
    hydro = base.hydro_inflow_series(idx, rng=rng_for(base.STREAM_HYDRO), flh=d["hydro_flh"])
    return dict(idx=idx, demand=demand, onshore=onshore, offshore=offshore, solar=solar, hydro=hydro)


def print_derived(s: dict) -> None:
    d = derived_inputs()
    techs = technologies_table().set_index("name")
    cap = techs["existing_mw"]
    print("derived inputs (from 2024 statistics):")
    print(
        f"  onshore CF {d['onshore_cf']:.4f}, offshore CF "
        f"{d['offshore_cf']:.4f}, solar CF {d['solar_cf']:.4f}, hydro "
        f"{d['hydro_flh']:,.0f} full-load h (pumped output assumed "
        f"{d['pumped_twh']:.1f} TWh), nuclear availability "
        f"{d['nuclear_availability']}, coal efficiency "
        f"{d['coal_efficiency']}, battery {d['battery_h']} h"
    )
    print(
        f"  curtailment implied by the utilisation rates: wind {d['wind_curtailed_twh']:.1f} TWh, solar {d['solar_curtailed_twh']:.1f} TWh"
    )
    wind = (s["onshore"] * cap["onshore_wind"] + s["offshore"] * cap["offshore_wind"]).sum() / 1e6
    solar = (s["solar"] * cap["solar_pv"]).sum() / 1e6
    hydro = (s["hydro"] * cap["hydro"]).sum() / 1e6
    print(
        f"  available in the written series: wind {wind:,.1f} TWh "
        f"(target {d['wind_available_twh']:,.1f}), solar "
        f"{solar:,.1f} TWh (target "
        f"{d['solar_available_twh']:,.1f}), hydro inflow "
        f"{hydro:,.1f} TWh (target {HYDRO_TWH - d['pumped_twh']:,.1f})"
    )


def print_heat() -> None:
    heat.print_heat(heat_demand(), technologies_table().set_index("name"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-2024)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    settings = base.settings_yaml(
        name="china-2024",
        description="China's 2024 power system for the backcast (installed capacities fixed, 2024 demand and fuel prices)",
        region="china",
        year=YEAR,
    )
    (out / "settings.yaml").write_text(settings)
    base.write_table(fuels_table(), out / "fuels.csv")
    base.write_table(technologies_table(), out / "technologies.csv")

    s = series()
    idx = s["idx"]
    time = idx.strftime("%Y-%m-%d %H:%M")
    onshore, offshore, solar, hydro = (np.round(s[k], 4) for k in ("onshore", "offshore", "solar", "hydro"))
    s.update(onshore=onshore, offshore=offshore, solar=solar, hydro=hydro)

    base.write_csv(pd.DataFrame({"time": time, "demand_mw": s["demand"]}), out / "demand.csv", float_format="%.1f")
    base.write_csv(
        pd.DataFrame({"time": time, "onshore_wind": onshore, "offshore_wind": offshore, "solar_pv": solar}),
        out / "capacity_factors.csv",
        float_format="%.4f",
    )
    base.write_csv(pd.DataFrame({"time": time, "hydro": hydro}), out / "hydro_inflow.csv", float_format="%.4f")
    heat_mw = heat_demand(idx)
    base.write_csv(heat.heat_demand_table(heat_mw, time), out / "heat_demand.csv", float_format="%.1f")

    print(f"wrote {out}")
    print_derived(s)
    print_heat()
    base.print_stats(idx, s["demand"], onshore, offshore, solar, hydro)


if __name__ == "__main__":
    main()
