"""Write the plant-study datasets of runs/plants/ (docs/plants.md): one tiny dataset per plant.

Each dataset is one plant (or a plant and the coal unit it replaces) meeting a demand equal to its
full output in the hours it runs, nothing otherwise: 12 h a day (08:00-20:00) on every day and a 13th
hour (20:00-21:00) on the 120 days from 1 January to 30 April, 4,500 h in 2030. A linear model with a
constant efficiency burns the same fuel whatever the hours' pattern; the pattern only makes "4,500
h/yr of operation" literal (full load when running). Lost load is not allowed, so the plant must meet
it. Run from the repository root: ``python runs/plants/generate_plants.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
YEAR = 2030  # the year of the default data (data/china-2030), whose fuel prices these datasets take
HOURS_PER_YEAR = 4500
GCE_MJ_PER_KG = 29.3076  # 1 kgce = 29.3076 MJ (facts, units)

# facts §3.2, §6: 600 MW supercritical coal at ~296 gce/kWh; GE 9HA.01 combined cycle at 63.36 %
COAL_GCE_PER_KWH = 296.0
COAL_EFFICIENCY = round(3.6 / (COAL_GCE_PER_KWH / 1000 * GCE_MJ_PER_KG), 6)  # 0.414991
GAS_EFFICIENCY = 0.6336

# the data's fuels (data/china-2030/fuels.csv, facts §7): prices CNY/GJ, CO2 t/GJ, heating values
FUELS = """fuel,price_cny_per_gj,co2_t_per_gj,lhv_mj_per_nm3,lhv_mj_per_kg
coal,30.43,0.0946,,29.3076
natural_gas,69.85,0.0561,35.79,
hydrogen,166.72,0,10.79,119.96
hydrogen_grey,83.36,0.1584,10.79,119.96
"""

COLUMNS = "name,family,fuel,h2_blending,existing_mw,max_mw,capex_cny_per_kw,lifetime_yr,efficiency,availability,energy_to_power_h,charge_efficiency,discharge_efficiency"

PLANTS = {
    "junliangcheng": {
        "title": "Tianjin Junliangcheng coal-to-gas: a GE 9HA.01 combined cycle (63.36 %) replacing a 600 MW supercritical coal unit (296 gce/kWh), 4,500 h/yr",
        "mw": 600.0,
        "technologies": [
            f"coal_600mw_supercritical,thermal,coal,false,600,600,0,40,{COAL_EFFICIENCY},1,,,",
            f"gas_9ha01,thermal,natural_gas,false,600,600,0,30,{GAS_EFFICIENCY},1,,,",
        ],
    },
    "huizhou": {
        "title": "Guangdong Huizhou Dayawan: 2 x GE 9HA.01 (1.34 GW, 63.36 %) blending hydrogen into their gas, 4,500 h/yr",
        "mw": 1340.0,
        "technologies": [f"gas_9ha01,thermal,natural_gas,true,1340,1340,0,30,{GAS_EFFICIENCY},1,,,"],
    },
}


def running_hours() -> pd.Series:
    """True in the hours the plant runs (4,500 of the year's 8,760)."""
    time = pd.date_range(f"{YEAR}-01-01", periods=8760, freq="h")
    hour = time.hour
    on = (hour >= 8) & ((hour < 20) | ((hour == 20) & (time.month <= 4)))
    series = pd.Series(on, index=time)
    assert int(series.sum()) == HOURS_PER_YEAR
    return series


def write(plant: str, folder: Path) -> None:
    spec = PLANTS[plant]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.yaml").write_text(
        f"name: {plant}\n"
        f'description: "{spec["title"]}"\n'
        f"year: {YEAR}                 # the default data's year (data/china-2030), whose fuel prices are used\n"
        "money_base_year: 2020\n"
        "discount_rate: 0.08\n"
        "value_of_lost_load_cny_per_mwh: null   # no lost load: the plant must meet the demand in full\n"
    )
    (folder / "README.md").write_text(f"# `{plant}`: {spec['title']}\n\nWritten by `runs/plants/generate_plants.py`; see docs/plants.md.\n")
    (folder / "fuels.csv").write_text(FUELS)
    (folder / "technologies.csv").write_text("\n".join([COLUMNS, *spec["technologies"]]) + "\n")
    on = running_hours()
    stamps = on.index.strftime("%Y-%m-%d %H:%M")
    demand = pd.DataFrame({"time": stamps, "demand_mw": on.to_numpy() * spec["mw"]})
    demand.to_csv(folder / "demand.csv", index=False, float_format="%.1f")
    for name in ("capacity_factors.csv", "hydro_inflow.csv"):  # no wind, solar or hydro: the time column only
        pd.DataFrame({"time": stamps}).to_csv(folder / name, index=False)


def main(root: Path = HERE) -> None:
    for plant in PLANTS:
        write(plant, root / plant / "data")


if __name__ == "__main__":
    main()
