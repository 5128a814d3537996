"""2020 and 2024 backcasts: the shipped data/china-2020 is what its seeded generator writes, and the
dispatch of China's 2020 fleet reproduces the 2020 generation statistics by technology group within
±10 % (docs/validation.md, "2020 backcast"); the dispatch of the 2024 fleet reproduces 2024 coal,
thermal, hydro, nuclear, wind and solar within ±10 % ("2024 backcast"; its generator is checked in
test_data_generator.py) with district heat driving the CHP plants. Gas (district heat explains under half
of it), curtailment and pumped storage are not reproduced (one copper-plate region, no process
steam, no provincial gas dispatch): docs/validation.md gives the numbers and the reasons, no test
pretends otherwise.
On the six grids with the end-2024 inter-grid lines ("2024 backcast on the six grids") the national sums
of coal, thermal, hydro, nuclear, wind and solar are within ±10 % and every grid balances hour by hour."""

import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT
from helpers import assert_heat_met_on_the_back_pressure_line, assert_regions_balance

from energymodel.config import parse_run, read_run_yaml
from energymodel.runner import run_config

DATASET_2020 = ROOT / "data" / "china-2020"
RUN_2020 = ROOT / "runs" / "china-2020-backcast.yaml"
FILES = ("settings.yaml", "technologies.csv", "fuels.csv", "demand.csv", "capacity_factors.csv", "hydro_inflow.csv")

# 2020 generation, TWh (../shared/reference/china-power-facts.md §1.2). Thermal: NBS thermal 5,330
# includes biomass (CEC 132.6), which the dataset leaves out, so coal + gas are compared with the
# rest. Hydro: NBS 1,355.2 includes pumped-storage output, so the model's pumped_hydro counts too.
STATISTIC_TWH = {"thermal": 5330.0 - 132.6, "hydro": 1355.2, "nuclear": 366.3, "wind": 466.5, "solar": 261.1}
GROUPS = {
    "thermal": ("coal", "gas_ccgt"),  # 2020; 2024 adds the CHP rows (GROUPS_2024)
    "hydro": ("hydro", "pumped_hydro"),
    "nuclear": ("nuclear",),
    "wind": ("onshore_wind", "offshore_wind"),
    "solar": ("solar_pv",),
}
TOLERANCE = 0.10


def group_twh(ds, groups=GROUPS) -> dict[str, float]:
    """Yearly output by technology group, TWh, from a results Dataset."""
    energy = ds.energy_mwh
    energy = energy.sum([d for d in energy.dims if d != "technology"])
    return {group: float(energy.sel(technology=list(techs)).sum()) / 1e6 for group, techs in groups.items()}


def test_generator_reproduces_shipped_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "data" / "generate_china_2020.py"), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATASET_2020 / name).read_bytes(), name


def test_dataset_is_2020_with_fixed_capacities():
    techs = pd.read_csv(DATASET_2020 / "technologies.csv")
    assert (techs["existing_mw"] == techs["max_mw"]).all()
    demand = pd.read_csv(DATASET_2020 / "demand.csv")
    assert len(demand) == 8784 and demand["time"].iloc[0] == "2020-01-01 00:00"
    assert demand["demand_mw"].sum() / 1e6 == pytest.approx(7511.0, abs=1e-6)


@pytest.fixture(scope="module")
def sample_results():
    """The backcast run file on every 7th day (53 days, 1,272 hours), one thread."""
    raw = read_run_yaml(RUN_2020)
    raw["hours"] = {"every_nth_day": 7}
    raw["solver"] = {"options": {"solver": "ipm", "threads": 1}}
    return run_config(parse_run(raw, str(RUN_2020), RUN_2020.parent))


@pytest.mark.parametrize("group", list(STATISTIC_TWH))
def test_sample_backcast_matches_2020_statistics(sample_results, group):
    model = group_twh(sample_results)[group]
    statistic = STATISTIC_TWH[group]
    assert abs(model / statistic - 1) <= TOLERANCE, f"{group}: model {model:,.1f} TWh, statistic {statistic:,.1f} TWh"


def test_sample_backcast_serves_all_demand_without_a_cap(sample_results):
    assert float((sample_results.lost_load_mw * sample_results.weight_h).sum()) == pytest.approx(0.0, abs=1.0)
    assert sample_results.attrs["solver_status"] == "optimal"


# ---------------------------------------------------------------------------------------------------
# 2024
# ---------------------------------------------------------------------------------------------------
DATASET_2024 = ROOT / "data" / "china-2024"
RUN_2024 = ROOT / "runs" / "china-2024-backcast.yaml"

# 2024 generation, TWh (data/china-2024/README.md). Coal: ~58 % (Ember) of ~10,090 TWh total generation
# (facts §1.2); gas: 3.2 % of it (Dialogue Earth, GEM); thermal: their sum (NBS thermal 6,340 also holds
# biomass and oil). Hydro: ~1,426 includes pumped-storage output, so the model's pumped_hydro counts.
TOTAL_2024_TWH = 10090.0
STATISTIC_2024_TWH = {
    "coal": 0.58 * TOTAL_2024_TWH,
    "thermal": (0.58 + 0.032) * TOTAL_2024_TWH,
    "hydro": 1426.0,
    "nuclear": 451.0,
    "wind": 997.0,
    "solar": 834.0,
}
GROUPS_2024 = {
    **GROUPS,
    "coal": ("coal", "coal_chp"),
    "thermal": ("coal", "coal_chp", "gas_ccgt", "gas_chp"),
}


def test_dataset_is_2024_with_fixed_capacities_and_the_battery_fleet():
    techs = pd.read_csv(DATASET_2024 / "technologies.csv").set_index("name")
    assert (techs["existing_mw"] == techs["max_mw"]).all()
    battery = techs.loc["battery"]
    assert battery["existing_mw"] == 73760  # NEA: 73.76 GW / 168 GWh of new-type storage at the end of 2024
    assert battery["existing_mw"] * battery["energy_to_power_h"] / 1e3 == pytest.approx(168.0, rel=1e-4)
    demand = pd.read_csv(DATASET_2024 / "demand.csv")
    assert len(demand) == 8784 and demand["time"].iloc[0] == "2024-01-01 00:00"
    assert demand["demand_mw"].sum() / 1e6 == pytest.approx(9852.0, abs=1e-6)


def every_7th_day(run_file):
    """A backcast run file on every 7th day (53 days, 1,272 hours), dual simplex on one thread."""
    raw = read_run_yaml(run_file)
    raw["hours"] = {"every_nth_day": 7}
    raw["solver"] = {"options": {"solver": "simplex", "threads": 1}}
    return run_config(parse_run(raw, str(run_file), run_file.parent))


def assert_within_tolerance_of_2024(ds, group):
    model = group_twh(ds, GROUPS_2024)[group]
    statistic = STATISTIC_2024_TWH[group]
    assert abs(model / statistic - 1) <= TOLERANCE, f"{group}: model {model:,.1f} TWh, statistic {statistic:,.1f} TWh"


@pytest.fixture(scope="module")
def sample_results_2024():
    """The 2024 backcast run file (flexible coal, district heat) on every 7th day."""
    return every_7th_day(RUN_2024)


@pytest.mark.parametrize("group", list(STATISTIC_2024_TWH))
def test_sample_backcast_matches_2024_statistics(sample_results_2024, group):
    assert_within_tolerance_of_2024(sample_results_2024, group)


def test_sample_2024_backcast_serves_all_demand_without_a_cap(sample_results_2024):
    assert float((sample_results_2024.lost_load_mw * sample_results_2024.weight_h).sum()) == pytest.approx(0.0, abs=1.0)
    assert sample_results_2024.attrs["solver_status"] == "optimal"


def test_sample_2024_backcast_meets_the_heat_and_chp_plants_run_on_their_back_pressure_line(sample_results_2024):
    # the static checks of the heat data (both datasets with district heat): test_heat.py
    assert_heat_met_on_the_back_pressure_line(sample_results_2024, pd.read_csv(DATASET_2024 / "technologies.csv").set_index("name"))


# ---------------------------------------------------------------------------------------------------
# 2024 on the six grids
# ---------------------------------------------------------------------------------------------------
DATASET_6GRID_2024 = ROOT / "data" / "china-6grid-2024"
RUN_6GRID_2024 = ROOT / "runs" / "china-6grid-2024-backcast.yaml"
GRIDS = ["north", "northeast", "east", "central", "northwest", "south"]


def test_six_grid_2024_dataset_keeps_the_national_2024_fleet_and_fixes_lines():
    national = pd.read_csv(DATASET_2024 / "technologies.csv").set_index("name")["existing_mw"]
    regional = pd.read_csv(DATASET_6GRID_2024 / "technologies.csv")
    assert (regional["existing_mw"] == regional["max_mw"]).all()
    assert set(regional["region"]) == set(GRIDS)
    sums = regional.groupby("name")["existing_mw"].sum()
    assert sorted(sums.index) == sorted(national.index)
    # whole MW, exactly the one-region value; the coal and gas fleets in total, as each grid's CHP share is
    # sized to its own district heat
    fleets = {"coal": ["coal", "coal_chp"], "gas": ["gas_ccgt", "gas_chp"]}
    for rows in fleets.values():
        assert sums[rows].sum() == national[rows].sum(), rows
    for name, mw in national.items():
        if name not in {"coal", "coal_chp", "gas_ccgt", "gas_chp", "coal_heat_boiler", "gas_heat_boiler"}:
            assert sums[name] == mw, name
    # each grid's district heat is its share of the national networks, and its CHP plants and boilers cover its peak
    heat = pd.read_csv(DATASET_6GRID_2024 / "heat_demand.csv", index_col="time")
    national_heat = pd.read_csv(DATASET_2024 / "heat_demand.csv", index_col="time")
    assert heat.to_numpy().sum() == pytest.approx(national_heat.to_numpy().sum(), rel=1e-6)
    techs = regional.set_index(["region", "name"])
    for column in heat.columns:
        region, network = column.split(".")
        suppliers = techs.loc[region]
        suppliers = suppliers[suppliers["heat_network"] == network]
        chp = suppliers[suppliers["family"] == "thermal"]
        chp_heat = (chp["availability"] * chp["existing_mw"] / (chp["power_to_heat"] + chp["heat_power_loss"])).sum()
        assert chp_heat + suppliers.loc[suppliers["family"] == "heat_boiler", "existing_mw"].sum() >= heat[column].max()
    lines = pd.read_csv(DATASET_6GRID_2024 / "lines.csv")
    assert (lines["existing_mw"] == lines["max_mw"]).all() and lines["existing_mw"].sum() == 152_700
    demand = pd.read_csv(DATASET_6GRID_2024 / "demand.csv")
    assert list(demand.columns) == ["time", *GRIDS] and len(demand) == 8784
    assert demand[GRIDS].to_numpy().sum() / 1e6 == pytest.approx(9852.0, abs=1e-6)


@pytest.fixture(scope="module")
def sample_results_6grid_2024():
    """The six-grid 2024 backcast run file on every 7th day."""
    return every_7th_day(RUN_6GRID_2024)


@pytest.mark.parametrize("group", list(STATISTIC_2024_TWH))
def test_sample_six_grid_backcast_matches_2024_statistics(sample_results_6grid_2024, group):
    assert_within_tolerance_of_2024(sample_results_6grid_2024, group)


def test_sample_six_grid_backcast_balances_every_grid_hour_by_hour(sample_results_6grid_2024):
    ds = sample_results_6grid_2024
    assert ds.attrs["solver_status"] == "optimal"
    assert float((ds.lost_load_mw * ds.weight_h).sum()) == pytest.approx(0.0, abs=1.0)
    assert_regions_balance(ds, DATASET_6GRID_2024 / "lines.csv")
    assert float(abs(ds.flow_mw).max()) <= 46_600 * (1 + 1e-9)  # no line above its fixed capacity
