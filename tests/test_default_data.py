"""Invariants on a week of the shipped China 2030 data, and the NetCDF round trip."""

import json

import numpy as np
import pytest
import xarray as xr
from helpers import P2H_ROWS

from energymodel.config import load_run
from energymodel.results import open_results, write_netcdf
from energymodel.runner import run_config


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    import yaml
    from conftest import DATASET

    tmp = tmp_path_factory.mktemp("week")
    run = {
        "name": "week",
        "dataset": str(DATASET),
        "carbon": {"cap_t_per_yr": 1.0e8},
        "hydrogen": {"blend_vol_fraction": 0.3, "mode": "max"},
        "overrides": {"technologies": {"electrolyser": {"max_mw": None}, "h2_tank": {"max_mw": None}}},
        # a week outside the heating season (November-March): in winter the district heat needs the coal CHP
        # plants and boilers, whose CO2 alone is above this deep cap
        "hours": {"start": "2030-04-08", "end": "2030-04-14"},
        "solver": {"options": {"threads": 1}},
    }
    (tmp / "run.yaml").write_text(yaml.safe_dump(run))
    return run_config(load_run(tmp / "run.yaml"))


def test_hourly_balance_holds(week):
    electrolysis = week.electrolysis_mw.fillna(0).sum("technology")
    power_to_heat = week.heat_pump_power_mw.fillna(0).sum("technology")  # electric boilers and heat pumps
    supply = (
        week.generation_mw.sum("technology") - week.storage_charge_mw.sum("technology") - electrolysis - power_to_heat + week.lost_load_mw
    )
    np.testing.assert_allclose(supply, week.demand_mw, rtol=1e-6)


def test_hourly_hydrogen_balance_holds(week):
    t_per_mwh = 3.6 / 119.96
    stored = (week.h2_storage_discharge_mw - week.h2_storage_charge_mw).fillna(0).sum(["region", "technology"]) * t_per_mwh
    supplied = week.h2_made_t_per_h + week.h2_bought_t_per_h + stored
    burnt = week.fuel_use_gj_per_h.sel(fuel="hydrogen") / 119.96  # GJ/h over 119.96 GJ/t = t/h
    assert float(burnt.sum()) > 0  # the deep cap makes hydrogen worth burning
    np.testing.assert_allclose(supplied, burnt, rtol=1e-6, atol=1e-6 * float(burnt.max()))


def test_emissions_within_cap_and_cap_binds(week):
    cap = float(week.carbon_cap_t)
    assert float(week.emissions_total_t) <= cap * (1 + 1e-6)
    # The week is scaled to a year; 0.1 Gt is far below the fleet's free emissions, so the cap binds.
    assert float(week.emissions_total_t) == pytest.approx(cap, rel=1e-5)
    assert float(week.carbon_shadow_price_cny_per_t) > 0
    assert float(week.emissions_t.sum()) == pytest.approx(float(week.emissions_total_t), rel=1e-9)


def test_levels_and_outputs_within_bounds(week):
    level = week.storage_level_mwh.dropna("technology", how="all")
    energy = week.energy_capacity_mwh.dropna("technology")
    assert set(level.technology.values) == {"hydro", "pumped_hydro", "battery", "battery_existing", "h2_tank"}
    assert bool((level >= -1e-6).all())
    assert bool((level <= energy * (1 + 1e-9) + 1e-3).all())
    hydro = week.sel(technology="hydro")
    assert bool((hydro.storage_level_mwh >= 0.1 * hydro.energy_capacity_mwh * (1 - 1e-9) - 1e-3).all())
    cap = week.capacity_total_mw
    # electrolysers, H2 tanks, heat boilers, electric boilers and heat pumps make no electricity
    generation = week.generation_mw.dropna("technology", how="all")
    assert set(generation.technology.values) == set(cap.technology.values) - {
        "electrolyser",
        "h2_tank",
        "coal_heat_boiler",
        "gas_heat_boiler",
        *P2H_ROWS,
    }
    assert bool((generation <= cap * (1 + 1e-9) + 1e-3).all())
    curtailment = week.curtailment_mw.dropna("technology", how="all")
    assert set(curtailment.technology.values) == {"onshore_wind", "offshore_wind", "solar_pv"}
    assert bool((curtailment >= -1e-6).all())
    available = curtailment + week.generation_mw.sel(technology=curtailment.technology)
    assert bool((available <= cap.sel(technology=curtailment.technology) * (1 + 1e-9) + 1e-3).all())


def test_costs_add_up_to_objective(week):
    assert float(week.cost_by_component_cny.sum()) == pytest.approx(float(week.total_cost_cny), rel=1e-9)
    assert float(week.cost_cny.sum()) + float(week.cost_not_by_technology_cny.sum()) == pytest.approx(float(week.total_cost_cny), rel=1e-9)
    assert float(week.cost_not_by_technology_cny.sel(component="fuel")) > 0  # bought hydrogen


def test_every_variable_has_units_and_long_name(week):
    for name, var in week.data_vars.items():
        assert var.attrs.get("units"), name
        assert var.attrs.get("long_name"), name


def test_netcdf_round_trip(week, tmp_path):
    path = write_netcdf(week, tmp_path / "out" / "week.nc")
    back = open_results(path)
    xr.testing.assert_identical(back, week)
    config = json.loads(back.attrs["run_config"])
    assert config["carbon"]["cap_t_per_yr"] == 1.0e8
    for key in ("energymodel_version", "pyomo_version", "highspy_version", "solver_termination", "build_time_s", "solve_time_s"):
        assert key in back.attrs
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_failed_write_leaves_existing_file_untouched(week, tmp_path):
    path = tmp_path / "keep.nc"
    path.write_bytes(b"precious")
    bad = week.copy()
    bad.attrs["unstorable"] = {"a": object()}  # netCDF attributes cannot hold this
    with pytest.raises(TypeError):
        write_netcdf(bad, path)
    assert path.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []


def test_results_file_is_readable_by_others_as_the_umask_allows(tmp_path, week):
    import os

    path = write_netcdf(week, tmp_path / "week.nc")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
