"""Transition technologies and operating limits, against answers worked out by hand.

Fuels (helpers.FUELS): coal 30 CNY/GJ and 0.1 tCO2/GJ; natural gas 70 CNY/GJ and 0.05 tCO2/GJ.
At efficiency 0.36 a MWh needs 10 GJ: coal 300 CNY/MWh and 1 tCO2/MWh; gas at 0.5: 504 CNY/MWh.
"""

import numpy as np
import pytest
from helpers import assert_heat_met_on_the_back_pressure_line, solve_case

from energymodel.physics import h2_energy_share

FREE = dict(family="thermal", lifetime_yr=1, capex_cny_per_kw=0)
COAL = dict(FREE, name="coal", fuel="coal", efficiency=0.36, existing_mw=100, max_mw=100)  # 300 CNY/MWh, 1 t/MWh
GAS = dict(FREE, name="gas", fuel="natural_gas", efficiency=0.5, existing_mw=100, max_mw=100)  # 504 CNY/MWh, 0.36 t/MWh
YEAR = dict(weight_h=[4380, 4380])  # two hours standing for a year


# ----------------------------------------------------------------------------- carbon capture


def _ccs_case(price):
    # New coal with capture: 876 CNY/kW at r = 0 over 1 yr = 100 CNY/MWh at 8,760 h; efficiency 0.3 -> 12 GJ/MWh:
    # fuel 360 CNY/MWh, 1.2 t/MWh produced, 1.08 captured (50 CNY/t: 54 CNY/MWh), 0.12 emitted.
    ccs = dict(
        family="thermal",
        name="coal_ccs",
        fuel="coal",
        efficiency=0.3,
        lifetime_yr=1,
        capex_cny_per_kw=876,
        capture_rate=0.9,
        co2_storage_cny_per_t=50,
    )
    return solve_case([COAL, ccs], [100, 100], run={"carbon": {"price_cny_per_t": price}}, **YEAR)


def test_ccs_is_built_exactly_above_its_abatement_cost():
    # Per MWh: coal 300 + p, CCS 100 + 360 + 54 + 0.12 p  ->  break-even p* = 214 / 0.88 CNY/t.
    breakeven = 214 / 0.88
    below, _ = _ccs_case(0.99 * breakeven)
    assert float(below.capacity_new_mw.sel(technology="coal_ccs")) == pytest.approx(0, abs=1e-6)
    above, _ = _ccs_case(1.01 * breakeven)
    assert float(above.capacity_new_mw.sel(technology="coal_ccs")) == pytest.approx(100, rel=1e-7)
    mwh = 100 * 8760
    assert float(above.co2_captured_t.sel(technology="coal_ccs")) == pytest.approx(1.08 * mwh, rel=1e-7)
    assert float(above.emissions_t.sel(technology="coal_ccs")) == pytest.approx(0.12 * mwh, rel=1e-7)
    assert float(above.co2_captured_total_t) == pytest.approx(1.08 * mwh, rel=1e-7)
    assert float(above.cost_by_component_cny.sel(component="co2_storage")) == pytest.approx(50 * 1.08 * mwh, rel=1e-7)
    assert float(above.cost_by_component_cny.sel(component="carbon")) == pytest.approx(1.01 * breakeven * 0.12 * mwh, rel=1e-7)


def test_blend_and_capture_on_one_gas_plant():
    # 30 vol% hydrogen: heat 720 GJ/h, of which the natural-gas share (1 - e) emits 0.05 t/GJ, 90 % captured.
    plant = dict(GAS, name="gas_ccs", h2_blending=True, capture_rate=0.9)
    ds, _ = solve_case([plant], [100, 100], run={"hydrogen": {"blend_vol_fraction": 0.3, "mode": "fixed"}})
    e = h2_energy_share(0.3, 10.79, 35.79)
    produced = (1 - e) * 720 * 0.05 * 2  # t over the two hours
    assert float(ds.emissions_total_t) == pytest.approx(0.1 * produced, rel=1e-7)
    assert float(ds.co2_captured_t.sel(technology="gas_ccs")) == pytest.approx(0.9 * produced, rel=1e-7)


def test_retrofit_converts_the_existing_plant():
    # Coal 0.40 (270 CNY/MWh + 0.9 t/MWh); its retrofit 0.32 (337.5 CNY/MWh, 1.125 t produced, 0.1125 emitted,
    # 100 CNY/kW = 11.4 CNY/MWh); gas 504 + 0.36 t. At 1,000 CNY/t: retrofit 461 < gas 864 < coal 1,170.
    # One MW of retrofit keeps the boiler's heat, so it takes 0.40/0.32 = 1.25 MW of coal: at most 80 MW.
    coal = dict(COAL, efficiency=0.4)
    retrofit = dict(
        family="thermal",
        name="coal_retrofit",
        fuel="coal",
        efficiency=0.32,
        lifetime_yr=1,
        capex_cny_per_kw=100,
        capture_rate=0.9,
        retrofit_of="coal",
    )
    ds, _ = solve_case([coal, retrofit, GAS], [100, 100], run={"carbon": {"price_cny_per_t": 1000}}, **YEAR)
    assert float(ds.capacity_new_mw.sel(technology="coal_retrofit")) == pytest.approx(80, rel=1e-7)
    assert float(ds.capacity_total_mw.sel(technology="coal")) == pytest.approx(0, abs=1e-6)
    assert float(ds.capacity_retrofitted_mw.sel(technology="coal")) == pytest.approx(100, rel=1e-7)
    assert ds.generation_mw.sel(technology="gas").values == pytest.approx([20, 20], rel=1e-7)


def test_retrofit_in_another_region_converts_only_its_own_region(tmp_path):
    coal = [dict(COAL, efficiency=0.4, region=r) for r in ("a", "b")]
    retrofit = dict(
        family="thermal",
        name="coal_retrofit",
        fuel="coal",
        efficiency=0.32,
        lifetime_yr=1,
        capex_cny_per_kw=100,
        capture_rate=0.9,
        retrofit_of="coal",
        region="a",
    )
    ds, _ = solve_case(
        [*coal, retrofit, dict(GAS, region="a"), dict(GAS, region="b")],
        {"a": [100, 100], "b": [100, 100]},
        run={"carbon": {"price_cny_per_t": 1000}},
        **YEAR,
    )
    assert float(ds.capacity_new_mw.sel(region="a", technology="coal_retrofit")) == pytest.approx(80, rel=1e-7)
    assert float(ds.capacity_total_mw.sel(region="b", technology="coal")) == pytest.approx(100, rel=1e-7)


# ----------------------------------------------------------------------------- batteries

CHEAP_DEAR = [
    dict(fuel="cheap", price_cny_per_gj=100 / 3.6, co2_t_per_gj=0),
    dict(fuel="dear", price_cny_per_gj=300 / 3.6, co2_t_per_gj=0),
]
A = dict(FREE, name="A", fuel="cheap", efficiency=1.0, existing_mw=100, max_mw=100)
B = dict(FREE, name="B", fuel="dear", efficiency=1.0, existing_mw=500, max_mw=500)
BATTERY = dict(name="battery", family="storage", lifetime_yr=1, charge_efficiency=1.0, discharge_efficiency=1.0)


def test_battery_power_and_energy_sized_apart_with_a_minimum_duration():
    # Hour 0: demand 50, so A has 50 MW spare to charge; hour 1: demand 200, B runs. Each MW of battery saves
    # (300 - 100) * 4380 = 876,000 CNY/yr and costs 300 CNY/kW + 2 h * 200 CNY/kWh = 700,000: build the most, 50 MW.
    battery = dict(BATTERY, capex_cny_per_kw=300, capex_cny_per_kwh=200, min_duration_h=2, max_duration_h=4)
    ds, frame = solve_case([A, B, battery], [50, 200], fuels=CHEAP_DEAR, **YEAR)
    assert float(ds.capacity_total_mw.sel(technology="battery")) == pytest.approx(50, rel=1e-7)
    assert float(ds.energy_capacity_mwh.sel(technology="battery")) == pytest.approx(100, rel=1e-7)  # 2 h, not the 50 MWh used
    assert float(ds.total_cost_cny) == pytest.approx(4380 * (100 * 100 + 100 * 100 + 300 * 50) + 50 * 700_000, rel=1e-7)


def test_battery_maximum_duration_and_pumped_storage_share_one_code_path():
    # Eight cheap hours (A has 50 MW spare) then eight dear ones: 400 MWh are worth shifting (200 CNY/MWh each). Free
    # energy would need only 50 MW; a 4-hour maximum makes 400 MWh cost 100 MW of power (10,000 CNY < 40,000 saved
    # by the second 200 MWh). Pumped storage with a fixed 6 h ratio sits in the same storage set.
    battery = dict(BATTERY, capex_cny_per_kw=0.1, capex_cny_per_kwh=0, max_duration_h=4)
    pumped = dict(
        BATTERY,
        name="pumped",
        existing_mw=1,
        max_mw=1,
        capex_cny_per_kw=0,
        energy_to_power_h=6,
        charge_efficiency=0.5,
        discharge_efficiency=0.5,
    )
    ds, frame = solve_case([A, B, battery, pumped], [50] * 8 + [150] * 8, fuels=CHEAP_DEAR)
    assert float(ds.capacity_total_mw.sel(technology="battery")) == pytest.approx(100, rel=1e-6)
    assert float(ds.energy_capacity_mwh.sel(technology="battery")) == pytest.approx(400, rel=1e-6)
    assert float(ds.energy_mwh.sel(technology="battery")) == pytest.approx(400, rel=1e-6)
    assert list(frame.m.storage) == ["battery", "pumped"]
    level = ds.storage_level_mwh.sel(technology="battery").values
    assert level.max() <= 400 + 1e-6 and level.min() >= -1e-9


# ----------------------------------------------------------------------------- flexible thermal


def test_ramp_limit_brings_in_gas():
    # Demand 10, 100, 100, 10 (cyclic). Coal may move 30 MW/h, so it reaches 40 MW at most; gas covers 60 + 60.
    coal = dict(COAL, ramp_fraction_per_h=0.3)
    ds, _ = solve_case([coal, GAS], [10, 100, 100, 10], run={"operations": {"ramping": True}})
    assert ds.generation_mw.sel(technology="coal").values == pytest.approx([10, 40, 40, 10], abs=1e-6)
    assert float(ds.total_cost_cny) == pytest.approx(300 * 100 + 504 * 120, rel=1e-7)
    free, _ = solve_case([coal, GAS], [10, 100, 100, 10])
    assert float(free.total_cost_cny) == pytest.approx(300 * 220, rel=1e-7)


def _windy_night(**run):
    # Hour 0: no wind, coal carries 100 MW. Hour 1: 100 MW of wind. Restarting coal costs 10,000 CNY/MW, more than
    # running it at its 40 % minimum (0.4 * 300 = 120 CNY per MW online): coal stays online and 40 MW of wind is spilled.
    coal = dict(COAL, min_load_fraction=0.4, startup_cny_per_mw=10_000)
    wind = dict(name="wind", family="variable_renewable", existing_mw=100, max_mw=100, capex_cny_per_kw=0, lifetime_yr=1)
    return solve_case([coal, wind], [100, 100], capacity_factor={"wind": [0.0, 1.0]}, run=run)


def test_minimum_load_forces_wind_curtailment():
    ds, _ = _windy_night(operations={"unit_commitment": True})
    assert ds.online_mw.sel(technology="coal").values == pytest.approx([100, 100], abs=1e-6)
    assert ds.generation_mw.sel(technology="coal").values == pytest.approx([100, 40], abs=1e-6)
    assert ds.generation_mw.sel(technology="wind").values == pytest.approx([0, 60], abs=1e-6)
    assert float(ds.total_cost_cny) == pytest.approx(300 * 140, rel=1e-7)
    flexible, _ = _windy_night()
    assert flexible.generation_mw.sel(technology="wind").values == pytest.approx([0, 100], abs=1e-6)


def test_cheap_start_ups_let_coal_cycle():
    # With start-ups at 100 CNY/MW (< 120), shutting coal in the windy hour and restarting is cheaper.
    coal = dict(COAL, min_load_fraction=0.4, startup_cny_per_mw=100)
    wind = dict(name="wind", family="variable_renewable", existing_mw=100, max_mw=100, capex_cny_per_kw=0, lifetime_yr=1)
    ds, _ = solve_case([coal, wind], [100, 100], capacity_factor={"wind": [0.0, 1.0]}, run={"operations": {"unit_commitment": True}})
    assert ds.generation_mw.sel(technology="wind").values == pytest.approx([0, 100], abs=1e-6)
    assert float(ds.total_cost_cny) == pytest.approx(300 * 100 + 100 * 100, rel=1e-7)
    assert float(ds.cost_by_component_cny.sel(component="start_up")) == pytest.approx(100 * 100, rel=1e-7)


def test_heating_season_must_run_only_in_its_months():
    # Two hours of 31 March (heating season Nov-Mar) and two of 1 April; free wind could carry everything.
    coal = dict(COAL, must_run_fraction=0.5, must_run_months="11-3")
    wind = dict(name="wind", family="variable_renewable", existing_mw=100, max_mw=100, capex_cny_per_kw=0, lifetime_yr=1)
    ds, _ = solve_case(
        [coal, wind], [80] * 4, capacity_factor={"wind": [1.0] * 4}, start="2030-03-31 22:00", run={"operations": {"must_run": True}}
    )
    assert ds.generation_mw.sel(technology="coal").values == pytest.approx([50, 50, 0, 0], abs=1e-6)
    assert ds.generation_mw.sel(technology="wind").values == pytest.approx([30, 30, 80, 80], abs=1e-6)


# ----------------------------------------------------------------------------- reserves


def test_operating_reserve_raises_cost_by_the_redispatch():
    # Requirement 10 % of 100 MW demand + 25 % of wind output (40 MW) = 20 MW, held only by coal (70 MW).
    # Coal at 60 leaves 10 MW: 10 MW more must come from gas (not a reserve provider), raising coal's headroom to 20.
    coal = dict(COAL, existing_mw=70, max_mw=70, reserve_fraction=1.0)
    wind = dict(name="wind", family="variable_renewable", existing_mw=40, max_mw=40, capex_cny_per_kw=0, lifetime_yr=1)
    run = {"reserves": {"operating": {"demand_fraction": 0.1, "wind_solar_fraction": 0.25}}}
    cf = {"wind": [1.0, 1.0]}
    ds, _ = solve_case([coal, GAS, wind], [100, 100], capacity_factor=cf, run=run)
    base, _ = solve_case([coal, GAS, wind], [100, 100], capacity_factor=cf)
    assert ds.generation_mw.sel(technology="gas").values == pytest.approx([10, 10], abs=1e-6)
    assert float(ds.total_cost_cny) - float(base.total_cost_cny) == pytest.approx(2 * 10 * (504 - 300), rel=1e-7)
    assert ds.reserve_requirement_mw.values == pytest.approx([20, 20], rel=1e-9)
    assert ds.reserve_price_cny_per_mw_h.values == pytest.approx([204, 204], rel=1e-6)
    assert ds.reserve_mw.sel(technology="coal").values == pytest.approx([20, 20], abs=1e-6)


def test_planning_reserve_margin_builds_firm_capacity_at_its_price():
    # Peak 100 MW, margin 15 %: 115 MW firm. Coal (credit 1) has 100; new gas at 300 CNY/kW (r = 0, 1 yr) counts 0.9.
    gas = dict(GAS, existing_mw=0, max_mw=None, capex_cny_per_kw=300, capacity_credit=0.9)
    gas.pop("max_mw")
    coal = dict(COAL, capacity_credit=1.0)
    ds, _ = solve_case([coal, gas], [100, 80], run={"reserves": {"planning_margin": 0.15}})
    assert float(ds.capacity_new_mw.sel(technology="gas")) == pytest.approx(15 / 0.9, rel=1e-7)
    assert float(ds.firm_capacity_mw) == pytest.approx(115, rel=1e-7)
    assert float(ds.capacity_price_cny_per_mw_yr) == pytest.approx(300_000 / 0.9, rel=1e-6)
    assert float(ds.total_cost_cny) == pytest.approx(300 * 180 + 300_000 * 15 / 0.9, rel=1e-7)


def test_reserves_and_operations_are_off_unless_the_run_asks():
    coal = dict(
        COAL,
        reserve_fraction=1.0,
        capacity_credit=1.0,
        min_load_fraction=0.5,
        ramp_fraction_per_h=0.1,
        must_run_fraction=0.9,
        must_run_months="1-12",
    )
    ds, frame = solve_case([coal], [10, 100])
    assert ds.generation_mw.sel(technology="coal").values == pytest.approx([10, 100])
    for name in ("reserve_mw", "online_mw", "capacity_price_cny_per_mw_yr"):
        assert name not in ds
    assert (
        not frame.has_constraints("operating_reserve")
        and frame.constraint_count("ramp_up") == 0
        and frame.constraint_count("must_run") == 0
    )
    assert np.isfinite(float(ds.total_cost_cny))


def test_a_reserve_nobody_can_hold_is_a_clear_input_error():
    from energymodel.errors import InputError

    with pytest.raises(InputError, match="reserves.operating.*reserve_fraction"):
        solve_case([COAL], [10, 100], run={"reserves": {"operating": {"demand_fraction": 0.1}}})
    with pytest.raises(InputError, match="reserves.planning_margin.*capacity_credit"):
        solve_case([COAL], [10, 100], run={"reserves": {"planning_margin": 0.1}})


def test_two_identical_halves_cost_what_the_whole_costs_with_every_operating_limit(tmp_path):
    # Halving every quantity in two regions joined by a lossless line leaves the optimum unchanged, also with
    # unit commitment, ramps, must-run and both reserves (all scale with capacity and demand).
    from conftest import DATASET
    from test_regions import _run, _split_dataset

    from energymodel.runner import run_config

    sections = dict(
        hours={"start": "2030-01-08", "end": "2030-01-09"},
        carbon={"cap_t_per_yr": 4.5e9},  # the default cap (it binds on these January days: start-ups pay)
        operations={"unit_commitment": True, "ramping": True, "must_run": True},
        # a 40 % margin: the shipped fleet with what the cap makes worth building covers 30 % on these January days
        reserves={"operating": {"demand_fraction": 0.03, "wind_solar_fraction": 0.05}, "planning_margin": 0.40},
    )
    whole = run_config(_run(DATASET, **sections))
    halves = run_config(_run(_split_dataset(tmp_path / "split"), **sections))
    assert float(halves.total_cost_cny) == pytest.approx(float(whole.total_cost_cny), rel=1e-7)
    assert float(whole.cost_by_component_cny.sel(component="start_up")) > 0  # the limits were in force
    assert float(whole.capacity_price_cny_per_mw_yr.max()) > 0


# ----------------------------------------------------------------------------- invariants on the shipped data


# deep for a January week: the district heat's coal CHP plants and boilers, which cannot capture, emit about
# 3.05 Gt/yr at least on plain January days (test_regions.py), more with minimum loads and reserves
DEEP_CAP_T = 4.0e9


@pytest.fixture(scope="module")
def flexible_week(tmp_path_factory):
    """A January week of the default data (heating season) with every operating limit and reserve, under a deep cap."""
    from conftest import DATASET

    from energymodel.config import parse_run
    from energymodel.runner import run_config

    run = {
        "name": "flexible-week",
        "dataset": str(DATASET),
        "carbon": {"cap_t_per_yr": DEEP_CAP_T},
        "hydrogen": {"blend_vol_fraction": 0.3, "mode": "max"},
        "hours": {"start": "2030-01-08", "end": "2030-01-14"},
        "operations": {"unit_commitment": True, "ramping": True, "must_run": True},
        "reserves": {"operating": {"demand_fraction": 0.03, "wind_solar_fraction": 0.05}, "planning_margin": 0.15},
        "solver": {"options": {"threads": 1}},
    }
    return run_config(parse_run(run, "flexible-week", DATASET)).squeeze("region", drop=True)


TOL = 1e-6


def _thermal(ds, column):
    import pandas as pd
    from conftest import DATASET

    techs = pd.read_csv(DATASET / "technologies.csv").set_index("name")
    return techs[column].dropna()


def test_committed_output_between_min_load_and_online(flexible_week):
    ds = flexible_week
    online = ds.online_mw.dropna("technology", how="all")
    output = ds.generation_mw.sel(technology=online.technology)
    cap = ds.capacity_total_mw.sel(technology=online.technology)
    availability = _thermal(ds, "availability").reindex(online.technology.values).to_xarray().rename(name="technology")
    min_load = _thermal(ds, "min_load_fraction").reindex(online.technology.values).to_xarray().rename(name="technology")
    scale = float(cap.max())
    assert bool((output <= online + TOL * scale).all())
    assert bool((online <= availability * cap + TOL * scale).all())
    assert bool((output >= min_load * online - TOL * scale).all())
    assert float(ds.cost_by_component_cny.sel(component="start_up")) >= 0


def test_ramps_and_heating_season_must_run_hold(flexible_week):
    ds = flexible_week
    ramp = _thermal(ds, "ramp_fraction_per_h")
    for g, rho in ramp.items():
        p = ds.generation_mw.sel(technology=g).values
        step = np.abs(p - np.roll(p, 1))  # the week is one cyclic block
        assert step.max() <= rho * float(ds.capacity_total_mw.sel(technology=g)) * (1 + 1e-7) + 1e-3, g
    # January: the district heat holds the CHP plants on (on their back-pressure line), not a fixed must-run share
    import pandas as pd
    from conftest import DATASET

    assert_heat_met_on_the_back_pressure_line(ds, pd.read_csv(DATASET / "technologies.csv").set_index("name"))


def test_reserves_are_met_within_each_plants_share(flexible_week):
    ds = flexible_week
    held = ds.reserve_mw.fillna(0).sum("technology")
    need = ds.reserve_requirement_mw
    assert bool((held >= need * (1 - 1e-7) - 1e-3).all())
    wind_solar = ds.generation_mw.sel(technology=["onshore_wind", "offshore_wind", "solar_pv"]).sum("technology")
    np.testing.assert_allclose(need, 0.03 * ds.demand_mw + 0.05 * wind_solar, rtol=1e-9)
    share = _thermal(ds, "reserve_fraction")
    for g in ds.reserve_mw.dropna("technology", how="all").technology.values:
        limit = share[str(g)] * float(ds.capacity_total_mw.sel(technology=g))
        assert float(ds.reserve_mw.sel(technology=g).max()) <= limit * (1 + 1e-7) + 1e-3, g
    # the planning margin (hourly, the default) holds in every modelled hour
    assert bool((ds.planning_available_mw >= ds.planning_requirement_mw * (1 - 1e-9)).all())
    assert bool((ds.reserve_price_cny_per_mw_h >= -1e-6).all())


def test_captured_plus_emitted_is_what_the_fuels_produce(flexible_week):
    ds = flexible_week
    co2 = xr_fuel_factors(ds)
    produced = float((ds.fuel_use_gj * co2).sum())
    captured = float(ds.co2_captured_total_t)
    assert captured > 0  # the deep cap brings carbon capture in
    assert produced == pytest.approx(float(ds.emissions_total_t) + captured, rel=1e-7)
    assert float(ds.emissions_total_t) <= DEEP_CAP_T * (1 + 1e-6)


def xr_fuel_factors(ds):
    import pandas as pd
    from conftest import DATASET

    fuels = pd.read_csv(DATASET / "fuels.csv").set_index("fuel")["co2_t_per_gj"]
    return fuels.reindex(ds.fuel.values).to_xarray().rename(fuel="fuel")


def test_emissions_by_fuel_count_capture_and_add_up(flexible_week):
    import energymodel  # noqa: F401  (registers ds.em)

    by_fuel = flexible_week.em.emissions_by_fuel()
    assert float(by_fuel.sum()) == pytest.approx(float(flexible_week.emissions_total_t), rel=1e-7)
    assert float(by_fuel.sel(fuel="uranium")) == 0
    assert float(by_fuel.sel(fuel="coal")) > 0


def test_turbine_capture_does_not_reach_the_co2_of_making_grey_hydrogen():
    # Grey hydrogen's CO2 (0.2 t/GJ here) is released where it is made: the turbine captures 90 % of the
    # natural-gas share's CO2 only. Fixed 30 vol% blend, 720 GJ/h of heat over two hours.
    fuels = [*FUELS_WITH_GREY]
    plant = dict(GAS, name="gas_ccs", h2_blending=True, capture_rate=0.9)
    ds, _ = solve_case([plant], [100, 100], fuels=fuels, run={"hydrogen": {"blend_vol_fraction": 0.3, "mode": "fixed", "fuel": "grey"}})
    e = h2_energy_share(0.3, 10.79, 35.79)
    gas_co2, h2_co2 = (1 - e) * 720 * 0.05 * 2, e * 720 * 0.2 * 2
    assert float(ds.emissions_total_t) == pytest.approx(0.1 * gas_co2 + h2_co2, rel=1e-7)
    assert float(ds.co2_captured_total_t) == pytest.approx(0.9 * gas_co2, rel=1e-7)


FUELS_WITH_GREY = [
    {"fuel": "natural_gas", "price_cny_per_gj": 70.0, "co2_t_per_gj": 0.05, "lhv_mj_per_nm3": 35.79},
    {"fuel": "grey", "price_cny_per_gj": 80.0, "co2_t_per_gj": 0.2, "lhv_mj_per_nm3": 10.79, "lhv_mj_per_kg": 119.96},
]


def test_no_new_capacity_dispatches_the_existing_fleet():
    # Coal (100 MW existing) cannot meet 150 MW; with building allowed, gas is built, without it load is lost.
    gas = dict(GAS, existing_mw=0, capex_cny_per_kw=100)
    gas.pop("max_mw")
    built, _ = solve_case([COAL, gas], [150, 150])
    assert float(built.capacity_new_mw.sel(technology="gas")) == pytest.approx(50, rel=1e-7)
    fixed, _ = solve_case([COAL, gas], [150, 150], run={"new_capacity": False})
    assert float(fixed.capacity_new_mw.sum()) == 0
    assert fixed.lost_load_mw.values == pytest.approx([50, 50], rel=1e-7)
