"""Heat-driven CHP and heat boilers: hand-solvable cases, blending in a gas CHP, diagnosis, heat_demand.csv; the
district heat of the shipped datasets (china-2024, the default china-2030) and a winter slice of the default case."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from helpers import FUELS, HEAT_NETWORKS, P2H_BY_NETWORK, SETTINGS, assert_heat_met_on_the_back_pressure_line, config, solve_case

from energymodel.config import parse_run, read_run_yaml
from energymodel.diagnose import diagnose
from energymodel.errors import InputError
from energymodel.inputs import inputs_from_tables, load_inputs
from energymodel.physics import h2_energy_share
from energymodel.runner import run_config
from energymodel.summary import format_summary

FIXED = dict(lifetime_yr=1, capex_cny_per_kw=0)
# gas CHP: 0.5 electric efficiency, back-pressure line p >= 1.0 h, 0.2 MW of power lost per MW of heat
GAS_CHP = dict(FIXED, name="gas_chp", family="thermal", fuel="natural_gas", efficiency=0.5, power_to_heat=1.0, heat_power_loss=0.2)
BOILER = dict(FIXED, name="gas_boiler", family="heat_boiler", fuel="natural_gas", efficiency=0.9)
GAS_GJ_PER_MWH_EL = 3.6 / 0.5 * 70.0  # 504 CNY per MWh of load on the CHP plant (natural gas at 70 CNY/GJ)
BOILER_CNY_PER_MWH_TH = 3.6 / 0.9 * 70.0  # 280


def _case(power_mw, heat_mw, chp_mw=1000.0, boiler_mw=1000.0, run=None, chp=None):
    techs = [
        dict(GAS_CHP, existing_mw=chp_mw, max_mw=chp_mw, **(chp or {})),
        dict(BOILER, existing_mw=boiler_mw, max_mw=boiler_mw),
    ]
    return solve_case(techs, power_mw, run=run, heat_demand_mw={"heat": heat_mw})


def _at(ds, name, tech):
    return ds[name].sel(technology=tech).values


def test_low_power_demand_caps_the_chp_heat_and_a_boiler_makes_up_the_rest():
    # 200 MW of power: the back-pressure line allows at most 200 MW_th from the CHP plant; the boiler gives 100.
    ds, _ = _case([200.0, 200.0], [300.0, 300.0])
    np.testing.assert_allclose(_at(ds, "generation_mw", "gas_chp"), 200.0, atol=1e-6)
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "gas_chp"), 200.0, atol=1e-6)
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "gas_boiler"), 100.0, atol=1e-6)
    # the boiler is the marginal heat source; one more MW of power lets the CHP take one MW of heat off it
    np.testing.assert_allclose(ds["heat_price_cny_per_mwh"].sel(heat_network="heat").values, BOILER_CNY_PER_MWH_TH, rtol=1e-6)
    np.testing.assert_allclose(ds["marginal_price_cny_per_mwh"].values, 1.2 * GAS_GJ_PER_MWH_EL - BOILER_CNY_PER_MWH_TH, rtol=1e-6)
    # fuel: CHP 3.6 (200 + 0.2 x 200) / 0.5 = 1728 GJ/h, boiler 3.6 x 100 / 0.9 = 400 GJ/h
    fuel = ds["fuel_use_gj"].sel(fuel="natural_gas")
    assert float(fuel.sel(technology="gas_chp")) == pytest.approx(2 * 1728.0, rel=1e-6)
    assert float(fuel.sel(technology="gas_boiler")) == pytest.approx(2 * 400.0, rel=1e-6)


def test_summary_has_a_heat_line_and_networks_are_named_by_region():
    techs = [
        dict(GAS_CHP, existing_mw=1000.0, max_mw=1000.0, region="north"),
        dict(BOILER, existing_mw=1000.0, max_mw=1000.0, region="north"),
    ]
    ds, _ = solve_case(techs, {"north": [200.0] * 10}, heat_demand_mw={"north.heat": [300.0] * 10})
    assert list(ds["heat_network"].values) == ["north.heat"]
    assert "heat                 0.0 TWh_th/yr: CHP 0.0, boilers 0.0; demand-weighted heat price 280.0 CNY/MWh_th" in format_summary(ds)


def test_summary_table_gives_heat_output_and_a_boilers_full_load_hours_in_heat():
    # 2 hours of 2,000 GW power and 3,000 GW_th heat: the CHP plant gives 2,000 GW_th (back-pressure line at
    # power_to_heat 1), the 1,000-GW_th boiler the other 1,000: 4.0 and 2.0 TWh_th, the boiler 2 full-load hours
    techs = [
        dict(GAS_CHP, existing_mw=1e7, max_mw=1e7, region="north"),
        dict(BOILER, existing_mw=1e6, max_mw=1e6, region="north"),
    ]
    ds, _ = solve_case(techs, {"north": [2e6, 2e6]}, heat_demand_mw={"north.heat": [3e6, 3e6]})
    rows = {line.split()[0]: line.split() for line in format_summary(ds).splitlines() if line.startswith(("gas_chp ", "gas_boiler "))}
    # columns: technology family existing new total output share FLH curtailed heat
    assert rows["gas_boiler"][5:8] == ["-", "-", "2"] and rows["gas_boiler"][9] == "2.0"
    assert rows["gas_chp"][5] == "4.0" and rows["gas_chp"][9] == "4.0"


def test_chp_heat_costs_only_the_power_it_displaces_when_power_demand_is_high():
    ds, _ = _case([800.0], [300.0])
    assert float(_at(ds, "heat_output_mw", "gas_chp")[0]) == pytest.approx(300.0, rel=1e-6)
    assert float(_at(ds, "heat_output_mw", "gas_boiler")[0]) == pytest.approx(0.0, abs=1e-6)
    assert float(ds["heat_price_cny_per_mwh"].values[0, 0]) == pytest.approx(0.2 * GAS_GJ_PER_MWH_EL, rel=1e-6)  # 100.8


def test_heat_takes_capacity_from_power_on_the_iso_fuel_line():
    # 950 MW of power on a 1,000 MW plant: 950 + 0.2 h <= 1000 leaves room for 250 MW_th; the boiler gives 50.
    ds, _ = _case([950.0], [300.0])
    assert float(_at(ds, "heat_output_mw", "gas_chp")[0]) == pytest.approx(250.0, rel=1e-6)
    assert float(_at(ds, "heat_output_mw", "gas_boiler")[0]) == pytest.approx(50.0, rel=1e-6)


def test_blending_hydrogen_in_a_gas_chp_cuts_its_co2_by_the_blend_energy_share():
    blend = {"hydrogen": {"blend_vol_fraction": 0.1, "mode": "fixed"}}
    plain, _ = _case([800.0], [300.0], run=blend)
    blended, _ = _case([800.0], [300.0], run=blend, chp={"h2_blending": True})
    e = h2_energy_share(0.1, 10.79, 35.79)
    co2 = [float(ds["emissions_t"].sel(technology="gas_chp")) for ds in (plain, blended)]
    assert co2[1] == pytest.approx(co2[0] * (1 - e), rel=1e-6)
    assert float(blended["h2_blend_energy_share"].sel(technology="gas_chp")) == pytest.approx(e, rel=1e-6)
    # the same heat input as without blending: 3.6 (800 + 0.2 x 300) / 0.5 GJ/h
    assert float(blended["fuel_use_gj"].sel(technology="gas_chp").sum("fuel")) == pytest.approx(3.6 * 860 / 0.5, rel=1e-6)


def test_unmet_heat_demand_is_diagnosed():
    techs = [dict(BOILER, existing_mw=100.0, max_mw=100.0), dict(FIXED, name="coal", family="thermal", fuel="coal", efficiency=0.4)]
    data = inputs_from_tables(config(), SETTINGS, techs, FUELS, [100.0, 100.0], heat_demand_mw={"heat": [150.0, 500.0]})
    found = diagnose(data)
    assert [r.what for r in found] == ["heat balance, heat network heat"]
    assert found[0].amount == pytest.approx(50.0 + 400.0, rel=1e-6)
    assert "2 modelled hours (first 2030-01-01 00:00, largest 400 MW_th)" in str(found[0])


def test_without_heat_demand_a_chp_plant_is_a_power_plant():
    plain = dict(GAS_CHP, existing_mw=1000.0, max_mw=1000.0)
    del plain["power_to_heat"]
    chp, frame = solve_case([dict(GAS_CHP, existing_mw=1000.0, max_mw=1000.0)], [300.0, 500.0])
    power, _ = solve_case([plain], [300.0, 500.0])
    assert float(chp["total_cost_cny"]) == pytest.approx(float(power["total_cost_cny"]), rel=1e-12)
    assert "heat_output_mw" not in chp and frame.constraint_count("heat_balance") == frame.constraint_count("chp_backpressure") == 0


def _heat_dataset(tmp_path: Path, heat: pd.DataFrame | None) -> Path:
    """The 2024 dataset without its district heat, with a gas heat boiler and (optionally) heat_demand.csv."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "china-2024", folder)
    (folder / "heat_demand.csv").unlink()
    techs = pd.read_csv(folder / "technologies.csv", dtype=str, keep_default_na=False)
    techs = techs[techs["heat_network"] == ""]
    boiler = dict.fromkeys(techs.columns, "") | dict(name="gas_boiler", family="heat_boiler", fuel="natural_gas")
    boiler |= dict(existing_mw="1000", max_mw="1000", capex_cny_per_kw="0", lifetime_yr="20", efficiency="0.9")
    pd.concat([techs, pd.DataFrame([boiler])]).to_csv(folder / "technologies.csv", index=False)
    if heat is not None:
        heat.to_csv(folder / "heat_demand.csv", index=False)
    return folder


def _load(folder: Path):
    return load_inputs(parse_run({"name": "t", "dataset": str(folder), "hours": {"end": "2024-01-02"}}, "t", folder))


def test_heat_demand_csv_is_read_for_the_modelled_hours(tmp_path):
    time = pd.date_range("2024-01-01", periods=8784, freq="h").strftime("%Y-%m-%d %H:%M")
    data = _load(_heat_dataset(tmp_path, pd.DataFrame({"time": time, "heat": np.arange(8784.0)})))
    assert list(data.heat_demand_mw.columns) == ["heat"] and len(data.heat_demand_mw) == 48
    assert data.heat_demand_mw["heat"].iloc[-1] == 47.0 and data.heat_suppliers("heat_boiler") == ["gas_boiler"]


def test_heat_demand_csv_problems_are_reported(tmp_path):
    with pytest.raises(InputError, match="heat boilers need"):
        _load(_heat_dataset(tmp_path / "a", None))
    time = pd.date_range("2024-01-01", periods=8784, freq="h").strftime("%Y-%m-%d %H:%M")
    with pytest.raises(InputError) as err:
        _load(_heat_dataset(tmp_path / "b", pd.DataFrame({"time": time, "steam": -1.0})))
    text = str(err.value)
    assert "column 'steam'" in text and "unknown column" in text and "column 'heat'" in text and "required column is missing" in text


def test_representative_days_cluster_the_heat_demand_with_the_other_series():
    from energymodel.inputs import representative_days

    techs = [dict(GAS_CHP, existing_mw=1000.0, max_mw=1000.0), dict(BOILER, existing_mw=1000.0, max_mw=1000.0)]
    heat = np.r_[np.full(24, 100.0), np.full(24, 300.0), np.full(24, 310.0)]
    data = inputs_from_tables(config(), SETTINGS, techs, FUELS, np.full(72, 500.0), heat_demand_mw={"heat": heat})
    days = representative_days(data, 2)
    assert list(days.heat_demand_mw.columns) == ["heat"] and len(days.heat_demand_mw) == 48
    # the heat each typical day stands for adds up to the heat of the three days
    assert float((days.heat_demand_mw["heat"] * days.weight_h).sum()) == pytest.approx(heat.sum(), rel=1e-6)


# ---------------------------------------------------------------------------------------------------
# The shipped datasets with district heat (data/china_heat.py; each README, "Heat")
# ---------------------------------------------------------------------------------------------------
# dataset -> the coal and the gas fleet (condensing + CHP rows), MW: end-2024 (china-2024 README) and the
# rebased 2030 fleet (china-2030 README, "Rebase"), which the CHP split must keep
HEAT_DATASETS = {"china-2024": (1_190_000, 152_800), "china-2030": (1_411_800, 122_200)}


@pytest.mark.parametrize("name", list(HEAT_DATASETS))
def test_district_heat_is_the_northern_urban_heat_and_the_boilers_alone_cannot_carry_its_peak(name):
    """5.95 billion GJ/yr of northern urban heat (Tsinghua BERC; 2030 holds the 2024 level), 90 % in the coal
    network, the total as the README states it; each network's boilers cover 40 % of its peak (heating
    coefficient 0.6) and CHP + boilers cover all of it; the fleets keep their totals; no fixed must-run share."""
    folder = ROOT / "data" / name
    heat = pd.read_csv(folder / "heat_demand.csv", index_col="time")
    assert heat.sum().sum() * 3.6 / 1e9 == pytest.approx(5.95, abs=1e-4)
    assert heat["district_heat_coal"].sum() / heat.sum().sum() == pytest.approx(0.90, abs=1e-6)
    assert f"**Annual heat {heat.sum().sum() / 1e6:,.1f} TWh_th" in (folder / "README.md").read_text()
    techs = pd.read_csv(folder / "technologies.csv").set_index("name")
    for network, chp, boiler in HEAT_NETWORKS:
        peak = heat[network].max()
        assert techs.at[boiler, "existing_mw"] == pytest.approx(0.4 * peak, abs=100.0)
        # and, in 2030, the electric boiler and heat pump it may build (none existing)
        p2h = P2H_BY_NETWORK[network] if name == "china-2030" else []
        assert list(techs.index[techs["heat_network"] == network]) == [chp, boiler, *p2h]
        assert (techs.loc[p2h, "existing_mw"] == 0).all() and techs.loc[p2h, "max_mw"].isna().all()
        row = techs.loc[chp]
        chp_heat_max = row["availability"] * row["existing_mw"] / (row["power_to_heat"] + row["heat_power_loss"])
        assert chp_heat_max + techs.at[boiler, "existing_mw"] >= peak
        assert row["existing_mw"] == row["max_mw"] and techs.at[boiler, "existing_mw"] == techs.at[boiler, "max_mw"]
    coal_mw, gas_mw = HEAT_DATASETS[name]
    assert techs.loc[["coal", "coal_chp"], "existing_mw"].sum() == coal_mw
    assert techs.loc[["gas_ccgt", "gas_chp"], "existing_mw"].sum() == gas_mw
    # the heat holds the CHP plants on in winter instead of a fixed share
    assert techs["must_run_fraction"].isna().all()
    # the gas CHP plants are CCGTs that give heat: they blend hydrogen exactly when the CCGTs do
    assert techs.at["gas_chp", "h2_blending"] == techs.at["gas_ccgt", "h2_blending"]


def test_the_2030_gas_chp_blends_hydrogen_and_keeps_the_ccgts_open_ceiling():
    techs = pd.read_csv(ROOT / "data" / "china-2030" / "technologies.csv").set_index("name")
    assert bool(techs.at["gas_chp", "h2_blending"]) and bool(techs.at["gas_ccgt", "h2_blending"])
    assert np.isnan(techs.at["gas_ccgt", "max_mw"])  # new CCGTs are condensing plants, unlimited
    assert techs.at["coal", "max_mw"] == techs.at["coal", "existing_mw"]  # no new plain coal (coal_usc is the new build)


@pytest.fixture(scope="module")
def winter_days_2030():
    """The default run file (unit commitment, reserves, 10 vol% hydrogen) on two January days, exactly 10 vol%."""
    run_file = ROOT / "runs" / "china-2030.yaml"
    raw = read_run_yaml(run_file)
    raw.update(hours={"start": "2030-01-08", "end": "2030-01-09"}, solver={"options": {"solver": "simplex", "threads": 1}})
    raw["hydrogen"] = {**raw["hydrogen"], "mode": "fixed"}
    return run_config(parse_run(raw, str(run_file), run_file.parent))


def test_default_case_meets_the_district_heat_in_winter_with_blending_gas_chp(winter_days_2030):
    ds = winter_days_2030
    assert ds.attrs["solver_status"] == "optimal"
    techs = pd.read_csv(ROOT / "data" / "china-2030" / "technologies.csv").set_index("name")
    assert_heat_met_on_the_back_pressure_line(ds, techs)
    # the gas CHP plants run (the boilers alone cannot carry a January day) and burn 10 vol% hydrogen
    assert float(ds.energy_mwh.sel(technology="gas_chp").sum()) > 0
    share = float(ds["h2_blend_energy_share"].sel(technology="gas_chp").squeeze())  # the year's realised share
    assert share == pytest.approx(h2_energy_share(0.1, 10.79, 35.79), rel=1e-6)
