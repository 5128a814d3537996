"""The shipped datasets are exactly what the seeded generator scripts produce."""

import subprocess
import sys

import pandas as pd
import pytest
from conftest import DATASET, ROOT

from energymodel.config import load_run
from energymodel.inputs import load_inputs


@pytest.mark.parametrize(("generator", "dataset"), [("generate_china_2030.py", "china-2030"), ("generate_china_2024.py", "china-2024")])
def test_generator_reproduces_shipped_files(tmp_path, generator, dataset):
    subprocess.run([sys.executable, str(ROOT / "data" / generator), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in (
        "settings.yaml",
        "technologies.csv",
        "fuels.csv",
        "demand.csv",
        "capacity_factors.csv",
        "hydro_inflow.csv",
        "heat_demand.csv",
    ):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / dataset / name).read_bytes(), name


SIX_GRID = ROOT / "data" / "china-6grid"
SIX_GRID_FILES = (
    "settings.yaml",
    "technologies.csv",
    "fuels.csv",
    "lines.csv",
    "regions.csv",
    "hydrogen_supply.csv",
    "demand.csv",
    "capacity_factors.csv",
    "hydro_inflow.csv",
    "heat_demand.csv",
)
# facts §7.2: share of national demand, %
SIX_GRID_SHARES = {"north": 24.8, "northeast": 5.8, "east": 24.2, "central": 17.8, "northwest": 10.7, "south": 16.7}


def test_six_grid_generator_reproduces_shipped_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate_china_6grid.py"), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in SIX_GRID_FILES:
        assert (tmp_path / name).read_bytes() == (SIX_GRID / name).read_bytes(), name


def test_six_grid_hydrogen_supply_has_each_kind_in_every_grid_at_its_documented_price():
    """Grey from SMM's provincial cost (CNY/Nm3 x 11.118 Nm3/kg), blue = grey + 90 % of its CO2 at 250 CNY/t,
    green limited where it is made (data/china-6grid/README.md)."""
    supply = pd.read_csv(SIX_GRID / "hydrogen_supply.csv", index_col="name")
    assert sorted(supply.index) == sorted(f"{r}.{k}" for r in SIX_GRID_SHARES for k in ("grey", "blue", "green"))
    assert supply.at["central.grey", "price_cny_per_kg"] == pytest.approx(1.10 * 119.96 / 10.79, abs=0.005)  # Henan coal
    assert supply.at["south.grey", "price_cny_per_kg"] == pytest.approx(1.89 * 119.96 / 10.79, abs=0.005)  # PRD reforming
    for region in SIX_GRID_SHARES:
        grey, blue = supply.loc[f"{region}.grey"], supply.loc[f"{region}.blue"]
        assert blue.co2_kg_per_kg == pytest.approx(0.1 * grey.co2_kg_per_kg)
        assert blue.price_cny_per_kg == pytest.approx(grey.price_cny_per_kg + 0.9 * grey.co2_kg_per_kg * 0.25, abs=0.006)
    limited = supply[supply["max_t_per_yr"].notna()]
    assert dict(limited["max_t_per_yr"]) == {"north.green": 60_000, "northwest.green": 46_600}


def test_six_grid_demand_totals_and_regional_shares():
    demand = pd.read_csv(SIX_GRID / "demand.csv")
    assert list(demand.columns) == ["time", *SIX_GRID_SHARES]
    assert len(demand) == 8760
    twh = demand[list(SIX_GRID_SHARES)].sum() / 1e6
    assert abs(twh.sum() - 12_500) < 1e-3
    for region, share in SIX_GRID_SHARES.items():
        assert abs(100 * twh[region] / twh.sum() - share) < 0.1, region


def test_six_grid_loads_and_keeps_national_capacities():
    data = load_inputs(load_run(ROOT / "runs" / "china-6grid-2030.yaml"))
    assert data.regions == list(SIX_GRID_SHARES)
    national = pd.read_csv(DATASET / "technologies.csv").set_index("name")
    # each grid's coal and CCGT fleets are split into condensing and CHP plants by its own heat, and its
    # heat-only boilers sized to its own peak (tests/test_six_grid_heat.py): the condensing and CHP plants
    # together keep the national totals, the boilers do not (a grid short of CHP makes up its peak with them)
    regional = pd.read_csv(SIX_GRID / "technologies.csv")
    heat_sized = ["coal", "coal_chp", "coal_heat_boiler", "gas_ccgt", "gas_chp", "gas_heat_boiler"]
    for plant, chp in (("coal", "coal_chp"), ("gas_ccgt", "gas_chp")):
        both = regional[regional["name"].isin([plant, chp])]
        assert both["existing_mw"].sum() == pytest.approx(national.loc[[plant, chp], "existing_mw"].sum(), abs=1e-6)
    national = national.drop(index=heat_sized).sort_index()
    regional = regional[~regional["name"].isin(heat_sized)].groupby("name")
    assert list(regional.groups) == list(national.index)
    assert regional["existing_mw"].sum().astype(float).equals(national["existing_mw"].astype(float))
    # a national ceiling stays unlimited (blank) in every region, or is split exactly
    unlimited = national["max_mw"].isna()
    assert regional["max_mw"].apply(lambda s: s.isna().all()).equals(unlimited)
    assert regional["max_mw"].sum()[~unlimited].astype(float).equals(national.loc[~unlimited, "max_mw"].astype(float))


SIX_GRID_2024 = ROOT / "data" / "china-6grid-2024"


def test_six_grid_2024_backcast_generator_reproduces_shipped_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate_china_6grid_2024.py"), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in (f for f in SIX_GRID_FILES if f != "hydrogen_supply.csv"):  # a backcast burns no hydrogen
        assert (tmp_path / name).read_bytes() == (SIX_GRID_2024 / name).read_bytes(), name


H2_FLEET = ROOT / "data" / "china-2030-h2-fleet"


def test_h2_fleet_generator_reproduces_shipped_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "data" / "generate_china_2030_h2_fleet.py"), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in ("settings.yaml", "technologies.csv", "fuels.csv", "demand.csv", "capacity_factors.csv", "hydro_inflow.csv"):
        assert (tmp_path / name).read_bytes() == (H2_FLEET / name).read_bytes(), name
