#!/usr/bin/env python3
"""Generate the single-region "China 2020" backcast dataset (data/china-2020).

Run from the repository root::

    python data/generate_china_2020.py            # writes data/china-2020/
    python data/generate_china_2020.py --out DIR  # writes somewhere else

The dataset describes China's power system as it stood in 2020: every
technology has ``existing_mw = max_mw`` = its installed capacity at the end
of 2020, so nothing can be built and the model only dispatches. Demand is
the 2020 consumption of 7,511 TWh; fuel prices are 2020 prices; the series
cover the leap year 2020 (8,784 hours, local time UTC+8, hour-beginning).
``runs/china-2020-backcast.yaml`` solves it and ``docs/validation.md``
compares the result with the 2020 statistics. ``README.md`` in the output
folder is maintained by hand; it gives the source of every number below and
marks our own assumptions as such.

Method
------
Everything is reused from ``generate_china_2030.py`` (imported, not copied):
the technology cost rows, the output helpers and the series functions for
demand, wind, solar and hydro inflow with their seasonal shapes. This script
sets only the 2020 values:

* capacities (facts 1.1), coal-fleet efficiency (facts 1.4), 2020 coal price
  (facts 3.3), nuclear availability from 2020 generation (facts 1.2);
* the annual means of the series, each derived from 2020 statistics *before*
  any model run, never tuned to the model's answer:

  - wind and solar: available energy = 2020 generation + reported
    curtailment (facts 1.2), spread over the year-end capacity;
  - hydro inflow: 2020 hydro generation minus an assumed pumped-storage
    output, spread over the year-end conventional capacity;
  - demand: 7,511 TWh (facts 1.3).

The 2030 series functions take their calendar from the hourly index they are
given, so with ``hourly_index(2020)`` leap day and weekdays are those of 2020.

Random numbers come from ``numpy.random.default_rng([SEED, stream])`` with
this dataset's own ``SEED`` and the national stream numbers, so the output
is deterministic and independent of the 2030 draws.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import generate_china_2030 as base
import numpy as np
import pandas as pd

SEED = 20200101
YEAR = 2020
N_HOURS = 8784  # leap year
OUT_DEFAULT = Path(__file__).resolve().parent / "china-2020"

# ---------------------------------------------------------------------------
# 2020 statistics (facts = ../shared/reference/china-power-facts.md)
# ---------------------------------------------------------------------------
DEMAND_TWH = 7511.0  # facts 1.3, NEA: total consumption

# Year-end installed capacity, GW (facts 1.1).
COAL_GW = 1095.0  # CEC-based, ~49.8 % of total
GAS_GW = 97.0  # OIES citing CEC (Oct 2020)
NUCLEAR_GW = 49.89  # NBS
WIND_GW = 281.5  # NBS, onshore + offshore
OFFSHORE_GW = 9.0  # GWEC, unverified in facts
SOLAR_GW = 253.4  # NBS
HYDRO_ALL_GW = 370.2  # NBS, including pumped storage
PUMPED_GW = 31.5  # NEA pumped-storage plan release

# Generation, TWh (facts 1.2).
NUCLEAR_TWH = 366.3  # NBS
WIND_TWH = 466.5  # CEC
WIND_CURTAILED_TWH = 16.6  # NEA via Xinhua
SOLAR_TWH = 261.1  # CEC
SOLAR_CURTAILED_TWH = 5.26  # NEA via Xinhua
HYDRO_TWH = 1355.2  # NBS, includes pumped-storage output

# Pumped-storage output included in HYDRO_TWH: not in the facts file.
# Assumption: 1,000 generating hours on the 31.5 GW fleet (README).
PUMPED_OUTPUT_H = 1000.0

# Coal fleet: ~305 gce/kWh of supplied electricity in 2020 (facts 1.4:
# 303 gce/kWh in Jan-Jul 2021, 1 g below a year earlier; ~305.5 for 2020
# unverified). 1 kWh = 3.6 MJ = 0.12284 kgce (29.3076 MJ/kgce).
COAL_GCE_PER_KWH = 305.0
TCE_GJ = 29.3076

# Fuel prices, 2020.
COAL_PRICE_CNY_PER_T = 574.0  # BSPI 5,500 kcal, Dec 2020 (facts 3.3)
# Gas: the 2030 dataset's 2.5 CNY/Nm3 (facts 3.3/7.1, unverified) is kept.

# Gas fleet efficiency: DEA CCGT 2020 value via PyPSA-China-PIK (facts 3.2).
GAS_EFFICIENCY = 0.56

# Offshore / onshore capacity-factor ratio: that of the 2030 dataset's
# full-load-hour assumptions (2,800 h / 2,200 h, facts 7.1).
OFFSHORE_TO_ONSHORE_CF = base.OFFSHORE_MEAN_CF / base.ONSHORE_MEAN_CF


# ---------------------------------------------------------------------------
# Derived inputs (computed from the statistics above, never from model output)
# ---------------------------------------------------------------------------
def derived_inputs() -> dict:
    """Annual means and availabilities derived from the 2020 statistics."""
    onshore_gw = WIND_GW - OFFSHORE_GW
    hydro_gw = HYDRO_ALL_GW - PUMPED_GW
    wind_gw_mean = (WIND_TWH + WIND_CURTAILED_TWH) * 1000.0 / N_HOURS
    onshore_cf = wind_gw_mean / (onshore_gw + OFFSHORE_TO_ONSHORE_CF * OFFSHORE_GW)
    pumped_twh = PUMPED_GW * PUMPED_OUTPUT_H / 1000.0
    return {
        "onshore_gw": onshore_gw,
        "hydro_gw": hydro_gw,
        "onshore_cf": onshore_cf,
        "offshore_cf": OFFSHORE_TO_ONSHORE_CF * onshore_cf,
        "solar_cf": ((SOLAR_TWH + SOLAR_CURTAILED_TWH) * 1000.0 / (SOLAR_GW * N_HOURS)),
        "pumped_twh": pumped_twh,
        "hydro_flh": (HYDRO_TWH - pumped_twh) * 1000.0 / hydro_gw,
        "nuclear_availability": round(NUCLEAR_TWH * 1000.0 / (NUCLEAR_GW * N_HOURS), 4),
        "coal_efficiency": round(3.6 / TCE_GJ / (COAL_GCE_PER_KWH / 1000.0), 4),
    }


# ---------------------------------------------------------------------------
# Scalar tables
# ---------------------------------------------------------------------------
def technologies() -> list[dict]:
    """The 2030 technology rows with 2020 capacities (no expansion) and the
    2020 fleet parameters; technologies absent in 2020 are left out."""
    d = derived_inputs()
    rows = {t["name"]: t for t in base.TECHNOLOGIES}
    changes = [
        ("coal", COAL_GW, {"efficiency": d["coal_efficiency"]}),
        ("gas_ccgt", GAS_GW, {"efficiency": GAS_EFFICIENCY, "h2_blending": False}),
        ("nuclear", NUCLEAR_GW, {"availability": d["nuclear_availability"]}),
        ("onshore_wind", d["onshore_gw"], {}),
        ("offshore_wind", OFFSHORE_GW, {}),
        ("solar_pv", SOLAR_GW, {}),
        ("hydro", d["hydro_gw"], {}),
        ("pumped_hydro", PUMPED_GW, {}),
    ]
    return [{**rows[name], "existing_gw": gw, "max_gw": gw, **extra} for name, gw, extra in changes]


def technologies_table() -> pd.DataFrame:
    table = base.technologies_table(technologies())
    # GW -> MW without floating-point residue (e.g. 49.89 x 1000).
    for col in ("existing_mw", "max_mw"):
        table[col] = table[col].map(lambda x: float(round(x, 3)))
    return table


def fuels_table() -> pd.DataFrame:
    """Fuel prices in CNY/GJ (LHV). No hydrogen: nothing blends in 2020."""
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
    """All hourly series of 2020 (unrounded, except demand)."""
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
    print("derived inputs (from 2020 statistics):")
    print(
        f"  onshore CF {d['onshore_cf']:.4f}, offshore CF "
        f"{d['offshore_cf']:.4f}, solar CF {d['solar_cf']:.4f}, hydro "
        f"{d['hydro_flh']:,.0f} full-load h (pumped output assumed "
        f"{d['pumped_twh']:.1f} TWh), nuclear availability "
        f"{d['nuclear_availability']}, coal efficiency "
        f"{d['coal_efficiency']}"
    )
    wind = (s["onshore"] * cap["onshore_wind"] + s["offshore"] * cap["offshore_wind"]).sum() / 1e6
    solar = (s["solar"] * cap["solar_pv"]).sum() / 1e6
    hydro = (s["hydro"] * cap["hydro"]).sum() / 1e6
    print(
        f"  available in the written series: wind {wind:,.1f} TWh "
        f"(target {WIND_TWH + WIND_CURTAILED_TWH:,.1f}), solar "
        f"{solar:,.1f} TWh (target "
        f"{SOLAR_TWH + SOLAR_CURTAILED_TWH:,.2f}), hydro inflow "
        f"{hydro:,.1f} TWh (target {HYDRO_TWH - d['pumped_twh']:,.1f})"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-2020)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    settings = base.settings_yaml(
        name="china-2020",
        description="China's 2020 power system for the backcast (installed capacities fixed, 2020 demand and fuel prices)",
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

    print(f"wrote {out}")
    print_derived(s)
    base.print_stats(idx, s["demand"], onshore, offshore, solar, hydro)


if __name__ == "__main__":
    main()
