"""The 31-province datasets: 2024 (data/china-provinces) and 2030 (data/china-provinces-2030), each rebuilt byte
for byte, its provinces summing to the six grids (data/china-6grid-2024, data/china-6grid) and the 2024 one to the
nation (data/china-2024), bad corridors named, a few days dispatched (2024) and planned (2030)."""

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import assert_input_error, assert_regions_balance

from energymodel.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ROOT / "data" / "china-provinces"
SIX_GRID_2024 = ROOT / "data" / "china-6grid-2024"
PROVINCES_2030 = ROOT / "data" / "china-provinces-2030"
SIX_GRID_2030 = ROOT / "data" / "china-6grid"
FILES = (
    "settings.yaml",
    "technologies.csv",
    "fuels.csv",
    "lines.csv",
    "regions.csv",
    "demand.csv",
    "capacity_factors.csv",
    "hydro_inflow.csv",
    "heat_demand.csv",
)
sys.path.insert(0, str(ROOT / "data"))
from china_grids import GRID_OF  # noqa: E402 - the data folder's generators are scripts

HEAT_FLEETS = {"coal": ("coal", "coal_chp"), "gas": ("gas_ccgt", "gas_chp")}


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name)


def by_grid(frame: pd.DataFrame, column: str = "existing_mw") -> pd.Series:
    return frame.assign(grid=frame["region"].map(GRID_OF)).groupby(["grid", "name"])[column].sum()


def assert_corridors_between_grids_sum_to_the_grid_lines(lines: pd.DataFrame, grid_lines: pd.DataFrame) -> None:
    """The provincial corridors between two grids sum to the six-grid line between them (MW), every pair."""
    pairs = lines.assign(a=lines["region_from"].map(GRID_OF), b=lines["region_to"].map(GRID_OF))
    between = pairs[pairs["a"] != pairs["b"]]
    key = between.apply(lambda r: "-".join(sorted((r["a"], r["b"]))), axis=1)
    grid_key = grid_lines.apply(lambda r: "-".join(sorted((r["region_from"], r["region_to"]))), axis=1)
    assert between.groupby(key)["existing_mw"].sum().to_dict() == grid_lines.groupby(grid_key)["existing_mw"].sum().to_dict()


def assert_each_province_has_its_grids_mean_weather(provinces: Path, six_grids: Path) -> None:
    """Each province's own wind, solar and inflow series has its grid's mean, within the files' 4-decimal rounding
    (relative 2e-5 of a mean of ~0.1-0.4), so a grid's provinces make available the grid's energy per MW."""
    for name in ("capacity_factors.csv", "hydro_inflow.csv"):
        mine, theirs = read(provinces, name).drop(columns="time").mean(), read(six_grids, name).drop(columns="time").mean()
        grid_mean = theirs[[f"{GRID_OF[c.split('.')[0]]}.{c.split('.')[1]}" for c in mine.index]].to_numpy()
        assert mine.to_numpy() == pytest.approx(grid_mean, rel=2e-5), name


@pytest.mark.parametrize(
    ("generator", "folder", "files"),
    [
        ("generate_china_provinces.py", PROVINCES, FILES),
        ("generate_china_provinces_2030.py", PROVINCES_2030, (*FILES, "hydrogen_supply.csv")),
    ],
    ids=["2024", "2030"],
)
def test_the_generator_rebuilds_the_shipped_files_byte_for_byte(tmp_path, generator, folder, files):
    subprocess.run([sys.executable, str(ROOT / "data" / generator), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in files:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_the_provinces_sum_to_the_six_grids_and_the_nation():
    provinces, grids = read(PROVINCES, "technologies.csv"), read(SIX_GRID_2024, "technologies.csv")
    assert provinces["region"].nunique() == 31 and set(provinces["region"]) == set(GRID_OF)
    mine, theirs = by_grid(provinces), by_grid(grids)
    heat_rows = {"coal", "coal_chp", "coal_heat_boiler", "gas_ccgt", "gas_chp", "gas_heat_boiler"}
    for (grid, name), mw in theirs.items():
        if name not in heat_rows:  # every other technology's provinces sum to their grid's MW exactly
            assert mine.get((grid, name), 0.0) == mw, (grid, name)
    for grid in theirs.index.get_level_values(0).unique():
        for rows in HEAT_FLEETS.values():  # condensing + CHP: the fleet is the grid's; CHP is resized to each province's heat
            assert sum(mine.get((grid, n), 0.0) for n in rows) == sum(theirs.get((grid, n), 0.0) for n in rows), (grid, rows)
    national = read(ROOT / "data" / "china-2024", "technologies.csv").set_index("name")["existing_mw"]
    totals = provinces.groupby("name")["existing_mw"].sum()
    for name in ("nuclear", "onshore_wind", "offshore_wind", "solar_pv", "hydro", "pumped_hydro", "battery"):
        assert totals[name] == national[name], name
    assert totals["coal"] + totals["coal_chp"] == national["coal"] + national["coal_chp"]
    # demand, district heat and the energy wind, solar and rivers make available: each grid's provinces give the grid's
    demand, grid_demand = read(PROVINCES, "demand.csv").drop(columns="time"), read(SIX_GRID_2024, "demand.csv").drop(columns="time")
    summed = demand.T.groupby(demand.columns.map(GRID_OF)).sum().T
    assert np.allclose(summed[grid_demand.columns].to_numpy(), grid_demand.to_numpy(), atol=0.05 * 7)  # 0.1 MW rounding
    # each province's year is its share of the grid's by its 2024 consumption (NBS), its hours its own shape
    from generate_china_6grid_2024 import PROVINCE_CONSUMPTION_2024

    consumption = pd.Series(PROVINCE_CONSUMPTION_2024)
    share = consumption / consumption.groupby(consumption.index.map(GRID_OF)).transform("sum")
    expected = share * grid_demand.sum()[share.index.map(GRID_OF)].to_numpy()
    assert demand.sum()[share.index].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6)
    peak_month = demand.groupby(pd.to_datetime(read(PROVINCES, "demand.csv")["time"]).dt.month).sum().idxmax()
    assert peak_month["Guangdong"] in (7, 8) and peak_month["Heilongjiang"] in (1, 12)  # a summer and a winter peak
    heat, grid_heat = read(PROVINCES, "heat_demand.csv").drop(columns="time"), read(SIX_GRID_2024, "heat_demand.csv").drop(columns="time")
    keys = heat.columns.map(lambda c: f"{GRID_OF[c.split('.')[0]]}.{c.split('.')[1]}")
    assert np.allclose(heat.T.groupby(keys).sum().T[grid_heat.columns].to_numpy(), grid_heat.to_numpy(), atol=0.05 * 7)
    assert_each_province_has_its_grids_mean_weather(PROVINCES, SIX_GRID_2024)


def test_each_provinces_heat_suppliers_cover_its_peak_and_the_corridors_between_grids_are_the_six_grids_lines():
    techs = read(PROVINCES, "technologies.csv")
    peak = read(PROVINCES, "heat_demand.csv").drop(columns="time").max()
    for column, peak_mw in peak.items():
        province, network = column.split(".")
        mine = techs[(techs["region"] == province) & (techs["heat_network"] == network)]
        chp = mine[mine["family"] == "thermal"]
        heat_mw = (chp["existing_mw"] * chp["availability"] / (chp["power_to_heat"] + chp["heat_power_loss"])).sum()
        assert heat_mw + mine.loc[mine["family"] == "heat_boiler", "existing_mw"].sum() >= peak_mw - 1e-6, column
    lines = read(PROVINCES, "lines.csv")
    assert len(lines) == 56 and (lines["max_mw"] == lines["existing_mw"]).all()
    assert_corridors_between_grids_sum_to_the_grid_lines(lines, read(SIX_GRID_2024, "lines.csv"))


@pytest.mark.parametrize(
    ("change", "texts"),
    [
        (lambda t: t.replace("Anhui,Jiangsu", "Anhui,Atlantis", 1), ("lines.csv", "Atlantis")),
        (lambda t: t.replace("Anhui,Jiangsu", "Anhui,Anhui", 1), ("lines.csv", "Anhui")),
        (
            lambda t: t.replace("Anhui-Jiangsu,Anhui,Jiangsu,10000,", "Anhui-Jiangsu,Anhui,Jiangsu,-10000,", 1),
            ("lines.csv", "Anhui-Jiangsu"),
        ),
    ],
    ids=["unknown province", "line to itself", "negative rating"],
)
def test_a_bad_corridor_exits_2_naming_the_row(tmp_path, change, texts):
    data = shutil.copytree(PROVINCES, tmp_path / "data")
    text = (data / "lines.csv").read_text()
    assert change(text) != text
    (data / "lines.csv").write_text(change(text))
    run = tmp_path / "run.yaml"
    run.write_text(f"name: bad\ndataset: {data}\noutput: {tmp_path / 'out.nc'}\nhours: {{start: 2024-01-08, end: 2024-01-08}}\n")
    assert_input_error(CliRunner().invoke(main, ["validate", str(run)]), *texts)
    assert not (tmp_path / "out.nc").exists()


def test_two_winter_days_dispatch_every_province_with_its_corridors(tmp_path):
    """Every province's hourly balance holds: generation - storage charging - power to heat + net imports after
    losses + lost load = demand (the results' own variables, summed by hand)."""
    import xarray as xr

    import energymodel.api  # noqa: F401 - ds.em

    out = tmp_path / "p.nc"
    args = [
        "run",
        str(ROOT / "runs" / "china-provinces-2024-backcast.yaml"),
        "-o",
        str(out),
        "--set",
        "hours={start: 2024-01-08, end: 2024-01-09}",
    ]
    result = CliRunner().invoke(main, [*args, "--set", "solver.options.threads=1", "--no-summary", "-q"])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(out) as ds:
        assert ds.sizes["region"] == 31 and ds.sizes["time"] == 48
        assert ds.attrs["solver_status"] == "optimal"
        assert_regions_balance(ds, PROVINCES / "lines.csv")
        capacity = pd.read_csv(PROVINCES / "lines.csv").set_index("name")["existing_mw"]
        assert (abs(ds.flow_mw).max("time").to_series() <= capacity[ds.line.values].to_numpy() * (1 + 1e-9)).all()


def test_the_2030_provinces_sum_to_the_2030_six_grids_in_capacity_build_limits_demand_heat_and_weather():
    provinces, grids = read(PROVINCES_2030, "technologies.csv"), read(SIX_GRID_2030, "technologies.csv")
    assert set(provinces["region"]) == set(GRID_OF)
    heat_rows = {"coal", "coal_chp", "coal_heat_boiler", "gas_ccgt", "gas_chp", "gas_heat_boiler"}
    switched_off = grids[(grids["existing_mw"] == 0) & (grids["max_mw"] == 0)]["name"].unique()  # electrolysers, tanks
    assert set(switched_off) == {"electrolyser", "h2_tank"} and not provinces["name"].isin(switched_off).any()
    mine, theirs = by_grid(provinces), by_grid(grids)
    limited = grids.dropna(subset=["max_mw"])
    mine_max, theirs_max = by_grid(provinces.dropna(subset=["max_mw"]), "max_mw"), by_grid(limited, "max_mw")
    for (grid, name), mw in theirs.items():
        if name in heat_rows:
            continue
        assert mine.get((grid, name), 0.0) == mw, (grid, name)  # existing capacity, exactly
        rows = provinces[(provinces["name"] == name) & (provinces["region"].map(GRID_OF) == grid)]
        if (grid, name) in theirs_max:  # a build limit is split: the provinces' limits sum to the grid's
            assert rows["max_mw"].notna().all() and mine_max.get((grid, name), 0.0) == theirs_max[(grid, name)], (grid, name)
        elif name not in switched_off:  # unlimited in the grid: unlimited in its provinces (heat suppliers: where the heat is)
            assert rows["max_mw"].isna().all() and len(rows) > 0, (grid, name)
    for grid in theirs.index.get_level_values(0).unique():
        for rows in HEAT_FLEETS.values():
            assert sum(mine.get((grid, n), 0.0) for n in rows) == sum(theirs.get((grid, n), 0.0) for n in rows), (grid, rows)
    assert provinces.loc[provinces["name"] == "gas_ccgt", "max_mw"].isna().all()  # new gas plants may be built anywhere
    demand, grid_demand = read(PROVINCES_2030, "demand.csv").drop(columns="time"), read(SIX_GRID_2030, "demand.csv").drop(columns="time")
    summed = demand.T.groupby(demand.columns.map(GRID_OF)).sum().T
    assert np.allclose(summed[grid_demand.columns].to_numpy(), grid_demand.to_numpy(), atol=0.05 * 7)
    heat, grid_heat = (
        read(PROVINCES_2030, "heat_demand.csv").drop(columns="time"),
        read(SIX_GRID_2030, "heat_demand.csv").drop(columns="time"),
    )
    keys = heat.columns.map(lambda c: f"{GRID_OF[c.split('.')[0]]}.{c.split('.')[1]}")
    assert np.allclose(heat.T.groupby(keys).sum().T[grid_heat.columns].to_numpy(), grid_heat.to_numpy(), atol=0.05 * 7)
    assert_each_province_has_its_grids_mean_weather(PROVINCES_2030, SIX_GRID_2030)


def test_the_2030_corridors_between_grids_sum_to_the_2030_grid_lines_and_green_hydrogen_to_the_grids_limits():
    lines = read(PROVINCES_2030, "lines.csv")
    assert len(lines) == 56 and lines["max_mw"].isna().all()  # every corridor may be expanded
    assert_corridors_between_grids_sum_to_the_grid_lines(lines, read(SIX_GRID_2030, "lines.csv"))
    inside = lines[lines["region_from"].map(GRID_OF) == lines["region_to"].map(GRID_OF)].set_index("name")["existing_mw"]
    assert inside.equals(read(PROVINCES, "lines.csv").set_index("name")["existing_mw"][inside.index])  # 2024's, kept
    supply, grid_supply = read(PROVINCES_2030, "hydrogen_supply.csv"), read(SIX_GRID_2030, "hydrogen_supply.csv")
    supply["grid"] = supply["region"].map(GRID_OF)
    assert (
        supply.groupby(["grid", "kind"])["max_t_per_yr"].sum().to_dict()
        == grid_supply.groupby(["region", "kind"])["max_t_per_yr"].sum().to_dict()
    )
    grid_price = grid_supply.set_index(["region", "kind"])["price_cny_per_kg"]
    bought = supply[supply["kind"] != "green"]  # grey and blue at the grid's production cost
    assert bought["price_cny_per_kg"].tolist() == [grid_price[(g, k)] for g, k in zip(bought["grid"], bought["kind"])]
    made = supply[supply["max_t_per_yr"].notna()]  # green made where the 2025 capacity stood, at the grids' made price
    assert set(made["region"]) == {"InnerMongolia", "Ningxia", "Xinjiang"}
    assert (made["price_cny_per_kg"] == grid_price[("north", "green")]).all()


def test_each_province_has_its_own_sun_and_wind():
    """The sun is drawn at each capital on Beijing time: the output-weighted mean hour of solar (solar noon) in
    Urumqi (87.6 E) falls 4 min per degree, ~2.3 h, after Shanghai's (121.5 E); neighbours' wind is correlated
    more than distant provinces' (exp(-d / 1,200 km) in the latent signal)."""
    cf = read(PROVINCES_2030, "capacity_factors.csv")
    hour = pd.to_datetime(cf["time"]).dt.hour + 0.5
    noon = {p: float((cf[f"{p}.solar_pv"] * hour).sum() / cf[f"{p}.solar_pv"].sum()) for p in ("Xinjiang", "Shanghai")}
    assert noon["Xinjiang"] - noon["Shanghai"] == pytest.approx((121.5 - 87.6) * 4 / 60, abs=0.25)
    wind = cf[["Hebei.onshore_wind", "Shanxi.onshore_wind", "Guangdong.onshore_wind"]].corr()
    assert wind.loc["Hebei.onshore_wind", "Shanxi.onshore_wind"] > wind.loc["Hebei.onshore_wind", "Guangdong.onshore_wind"] + 0.3
