"""Synthetic benchmark cases of any size, written in energymodel's own input format.

    python benchmarks/synthetic.py --regions 4 --out /tmp/case4      # dataset folder + run.yaml

Each region has coal, gas (CCGT), onshore wind, solar, reservoir hydro and pumped storage, all
expandable; regions form a chain joined by expandable lossless lines; one CO2 cap (binding) for
the whole system. The year is 2030 (8,760 hours); the run file's ``hours`` picks the first H hours
as one block. Series are seeded sine-plus-noise shapes: realistic enough to give a non-trivial LP,
simple enough to rebuild identically in PyPSA (see ``bench_pypsa.py``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

YEAR = 2030
HOURS_IN_YEAR = 8760
TECHNOLOGIES = [
    # name, family, fuel, capex CNY/kW, FOM CNY/kW/yr, VOM CNY/MWh, life yr, efficiency, extra
    dict(
        name="coal",
        family="thermal",
        fuel="coal",
        capex_cny_per_kw=3500,
        fixed_om_cny_per_kw_yr=87.5,
        variable_om_cny_per_mwh=25,
        lifetime_yr=40,
        efficiency=0.41,
    ),
    dict(
        name="gas",
        family="thermal",
        fuel="natural_gas",
        capex_cny_per_kw=2500,
        fixed_om_cny_per_kw_yr=75,
        variable_om_cny_per_mwh=30,
        lifetime_yr=30,
        efficiency=0.58,
    ),
    dict(name="wind", family="variable_renewable", capex_cny_per_kw=4300, fixed_om_cny_per_kw_yr=86, lifetime_yr=25),
    dict(name="solar", family="variable_renewable", capex_cny_per_kw=2400, fixed_om_cny_per_kw_yr=36, lifetime_yr=25),
    # hydro is an existing fleet (not expandable, no fixed cost, no minimum level) so that the same
    # case can be written for PyPSA, whose reservoir inflow does not scale with capacity
    dict(
        name="hydro",
        family="reservoir_hydro",
        capex_cny_per_kw=13000,
        variable_om_cny_per_mwh=5,
        lifetime_yr=70,
        energy_to_power_h=500,
        existing_mw=20000,
        max_mw=20000,
    ),
    dict(
        name="pumped",
        family="storage",
        capex_cny_per_kw=5250,
        fixed_om_cny_per_kw_yr=52.5,
        lifetime_yr=60,
        energy_to_power_h=6,
        charge_efficiency=0.866,
        discharge_efficiency=0.866,
    ),
]
FUELS = [
    dict(fuel="coal", price_cny_per_gj=30.43, co2_t_per_gj=0.0946),
    dict(fuel="natural_gas", price_cny_per_gj=69.85, co2_t_per_gj=0.0561),
]
DEMAND_MEAN_MW = 100000.0
CAP_T_PER_MWH = 0.15  # system CO2 cap per MWh of demand (binds: the uncapped optimum emits ~0.2)
LINE_CAPEX_CNY_PER_KW = 1500.0


def series(regions: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Hourly demand (MW), wind and solar capacity factors and hydro inflow per MW for every region."""
    rng = np.random.default_rng(seed)
    hours = np.arange(HOURS_IN_YEAR)
    day, season = 2 * np.pi * hours / 24, 2 * np.pi * hours / HOURS_IN_YEAR
    time = pd.date_range(f"{YEAR}-01-01", periods=HOURS_IN_YEAR, freq="h").strftime("%Y-%m-%d %H:%M")
    demand, cf, inflow = {}, {}, {}
    for r in range(regions):
        name = f"r{r}"
        phase = rng.uniform(0, 2 * np.pi)
        noise = np.convolve(rng.normal(0, 1, HOURS_IN_YEAR + 47), np.ones(48) / 48, mode="valid")
        demand[name] = DEMAND_MEAN_MW * (1 + 0.15 * np.sin(day - 2.0) + 0.10 * np.cos(season) + 0.03 * noise)
        wind = (
            0.30
            + 0.10 * np.cos(season + phase)
            + 0.25 * np.convolve(rng.normal(0, 1, HOURS_IN_YEAR + 23), np.ones(24) / 24 * 4, mode="valid")
        )
        cf[f"{name}.wind"] = np.clip(wind, 0, 1)
        cf[f"{name}.solar"] = np.clip(np.sin(day - np.pi / 2) * (0.75 + 0.15 * np.sin(season - np.pi / 2)), 0, 1) * rng.uniform(
            0.7, 1.0, HOURS_IN_YEAR
        )
        inflow[f"{name}.hydro"] = np.clip(0.40 + 0.25 * np.sin(season - np.pi / 2) + 0.05 * noise, 0.05, None)
    frame = lambda columns: pd.DataFrame({"time": time, **{k: np.round(v, 4) for k, v in columns.items()}})
    return {"demand.csv": frame(demand), "capacity_factors.csv": frame(cf), "hydro_inflow.csv": frame(inflow)}


def write_case(out: Path, regions: int, hours: int, threads: int = 2, solver: str = "ipm", options: dict | None = None) -> Path:
    """Write the dataset and a run file for the first ``hours`` hours; returns the run file path."""
    out.mkdir(parents=True, exist_ok=True)
    data = out / "data"
    data.mkdir(exist_ok=True)
    (data / "settings.yaml").write_text(
        yaml.safe_dump(
            {
                "name": f"synthetic-{regions}r",
                "year": YEAR,
                "money_base_year": 2020,
                "discount_rate": 0.08,
                "value_of_lost_load_cny_per_mwh": 30000,
            }
        )
    )
    rows = [dict(t, region=f"r{r}") for r in range(regions) for t in TECHNOLOGIES]
    pd.DataFrame(rows).to_csv(data / "technologies.csv", index=False)
    pd.DataFrame(FUELS).to_csv(data / "fuels.csv", index=False)
    for name, frame in series(regions).items():
        frame.to_csv(data / name, index=False)
    lines = [
        dict(
            name=f"r{r}-r{r + 1}",
            region_from=f"r{r}",
            region_to=f"r{r + 1}",
            existing_mw=0,
            capex_cny_per_kw=LINE_CAPEX_CNY_PER_KW,
            lifetime_yr=40,
        )
        for r in range(regions - 1)
    ]
    if lines:
        pd.DataFrame(lines).to_csv(data / "lines.csv", index=False)
    end = (pd.Timestamp(f"{YEAR}-01-01") + pd.Timedelta(hours=hours - 1)).strftime("%Y-%m-%d")
    if hours % 24:
        raise ValueError("hours must be whole days")
    cap = CAP_T_PER_MWH * DEMAND_MEAN_MW * regions * HOURS_IN_YEAR
    run = {
        "name": f"synthetic-{hours}h-{regions}r",
        "dataset": "data",
        "output": "result.nc",
        "carbon": {"cap_t_per_yr": cap},
        "hours": {"start": f"{YEAR}-01-01", "end": end},
        "solver": {"options": {"solver": solver, "threads": threads, **(options or {})}},
    }
    path = out / "run.yaml"
    path.write_text(yaml.safe_dump(run, sort_keys=False))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=1)
    parser.add_argument("--hours", type=int, default=HOURS_IN_YEAR)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_case(args.out, args.regions, args.hours))


if __name__ == "__main__":
    main()
