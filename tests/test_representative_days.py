"""Representative days: one typical day per day is exact, and storage carries energy across days."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from conftest import DATASET
from helpers import FUELS, SETTINGS, config

from energymodel.config import parse_run
from energymodel.errors import InputError
from energymodel.inputs import inputs_from_tables, load_inputs, representative_days
from energymodel.model import build_model
from energymodel.results import build_dataset, open_results, write_netcdf
from energymodel.runner import run_config
from energymodel.solve import solve

FORTNIGHT = {"start": "2030-03-01", "end": "2030-03-14"}


def _run(**hours):
    raw = {
        "name": "t",
        "dataset": str(DATASET),
        "carbon": {"cap_t_per_yr": 3.0e9},
        "hydrogen": {"blend_vol_fraction": 0.3, "mode": "max"},
        "hours": {**FORTNIGHT, **hours},
        "solver": {"options": {"threads": 1}},
    }
    return parse_run(raw, "t.yaml", Path("."))


def test_one_typical_day_per_day_reproduces_the_chronological_run():
    chronological = run_config(_run())
    typical = run_config(_run(representative_days=14))
    assert float(typical.total_cost_cny) == pytest.approx(float(chronological.total_cost_cny), rel=1e-7)
    assert float(typical.emissions_total_t) == pytest.approx(float(chronological.emissions_total_t), rel=1e-6)
    np.testing.assert_allclose(typical.capacity_total_mw.values, chronological.capacity_total_mw.values, rtol=1e-6, atol=1e-3)
    assert float(chronological.carbon_shadow_price_cny_per_t) > 0  # the cap binds


def test_fewer_typical_days_keep_energy_and_levels_within_bounds(tmp_path):
    data = load_inputs(_run(representative_days=4))
    assert len(data.time) == 96 and sorted(set(data.block)) == [0, 1, 2, 3]
    assert data.weight_h.sum() == pytest.approx(8760)
    assert len(data.day_sequence) == 14 and set(data.day_sequence) == {0, 1, 2, 3}
    full = load_inputs(_run())
    # tsam keeps each series' mean: the weighted demand equals the fortnight's, scaled to a year
    assert (data.demand_mw["china"] * data.weight_h).sum() == pytest.approx((full.demand_mw["china"] * full.weight_h).sum(), rel=1e-6)
    ds = run_config(_run(representative_days=4))
    level = ds.storage_level_mwh.dropna("technology", how="all")
    energy = ds.energy_capacity_mwh.sel(technology=level.technology)
    assert set(level.technology.values) == {"hydro", "pumped_hydro", "battery", "battery_existing"}
    assert bool((level >= -1e-3).all()) and bool((level <= energy + 1e-3).all())
    starts = ds.day_start_level_mwh.dropna("technology", how="all")
    assert starts.sizes["day"] == 14
    hydro = starts.sel(region="china", technology="hydro")
    e = float(ds.energy_capacity_mwh.sel(region="china", technology="hydro"))
    assert bool((hydro >= 0.1 * e - 1e-3).all()) and bool((hydro <= e + 1e-3).all())
    for name, var in ds.data_vars.items():
        assert var.attrs.get("units") and var.attrs.get("long_name"), name
    back = open_results(write_netcdf(ds, tmp_path / "typical.nc"))
    assert back.representative_day.values.tolist() == list(data.day_sequence)
    xr.testing.assert_identical(back.day_start_level_mwh, ds.day_start_level_mwh)


def test_reservoir_carries_water_from_wet_days_to_dry_days():
    # Four days of 10 MW demand. The reservoir (10 MW turbine, 1,000 MWh) receives 20 MW on days
    # 1-2 and nothing on days 3-4: exactly the 960 MWh needed. Two typical days (wet, dry) can
    # only avoid the dear backup if 480 MWh is carried from the wet days to the dry ones.
    techs = [
        dict(name="backup", family="thermal", fuel="coal", efficiency=0.36, capex_cny_per_kw=0, lifetime_yr=1, existing_mw=10, max_mw=10),
        dict(name="hydro", family="reservoir_hydro", capex_cny_per_kw=0, lifetime_yr=1, existing_mw=10, max_mw=10, energy_to_power_h=100),
    ]
    inflow = np.r_[np.full(48, 2.0), np.zeros(48)]
    data = inputs_from_tables(config(), SETTINGS, techs, FUELS, [10.0] * 96, inflow_per_mw={"hydro": inflow})
    typical = representative_days(data, 2)
    assert list(typical.day_sequence) == [0, 0, 1, 1]
    frame = build_model(typical)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    backup_mwh = float((ds.generation_mw.sel(technology="backup") * ds.weight_h).sum())
    assert backup_mwh == pytest.approx(0, abs=1e-6)
    starts = ds.day_start_level_mwh.sel(technology="hydro").values
    assert np.diff(starts) == pytest.approx([240, 240, -240], abs=1e-6)  # +10 MW x 24 h after each wet day, -10 MW x 24 h after a dry one


def test_more_typical_days_than_days_is_an_input_error():
    with pytest.raises(InputError, match="representative_days.*more than the 14 days"):
        load_inputs(_run(representative_days=20))


def test_every_nth_day_and_representative_days_conflict():
    with pytest.raises(InputError, match="either every_nth_day or representative_days"):
        _run(representative_days=4, every_nth_day=7)
