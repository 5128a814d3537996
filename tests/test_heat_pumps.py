"""Power-to-heat (family heat_pump: large heat pumps and electric boilers): hand-solvable cases of heat pumps
against gas boilers, their electricity in the demand balance, capacity expansion, regions and a zero CO2 cap."""

import numpy as np
import pytest
from helpers import FUELS, SETTINGS, config, solve_case

from energymodel.diagnose import diagnose
from energymodel.inputs import inputs_from_tables, with_pathway
from energymodel.summary import format_summary

FIXED = dict(lifetime_yr=1, capex_cny_per_kw=0)
# coal plant: 3.6 / 0.4 x 30 CNY/GJ = 270 CNY/MWh_e; gas peaker: 3.6 / 0.25 x 70 = 1,008 CNY/MWh_e
COAL = dict(FIXED, name="coal", family="thermal", fuel="coal", efficiency=0.4)
PEAKER = dict(FIXED, name="gas_peaker", family="thermal", fuel="natural_gas", efficiency=0.25, existing_mw=1000.0, max_mw=1000.0)
# gas boiler: 3.6 / 0.9 x 70 = 280 CNY/MWh_th; heat pump (cop 3): a third of the power price + 3 CNY/MWh_th O&M
BOILER = dict(FIXED, name="gas_boiler", family="heat_boiler", fuel="natural_gas", efficiency=0.9, existing_mw=1000.0, max_mw=1000.0)
PUMP = dict(FIXED, name="heat_pump", family="heat_pump", heat_network="heat", cop=3.0, variable_om_cny_per_mwh=3.0)
COAL_CNY_PER_MWH, PEAKER_CNY_PER_MWH, BOILER_CNY_PER_MWH_TH = 270.0, 1008.0, 280.0


def _at(ds, name, tech):
    return ds[name].sel(technology=tech).values


def test_the_cheaper_route_to_heat_wins_each_hour_and_the_pump_draws_heat_over_cop():
    # hour 1: coal has room; heat from the pump costs 270 / 3 + 3 = 93 < 280: the pump gives all 300 MW_th and
    # draws 100 MW. Hour 2: coal (250 MW) is full with the power demand, more power costs 1,008 / 3 + 3 = 339 per
    # MWh_th of heat: the boiler gives the heat.
    techs = [dict(COAL, existing_mw=250.0, max_mw=250.0), PEAKER, BOILER, dict(PUMP, existing_mw=1000.0, max_mw=1000.0)]
    ds, frame = solve_case(techs, [100.0, 250.0], heat_demand_mw={"heat": [300.0, 300.0]})
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "heat_pump"), [300.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "gas_boiler"), [0.0, 300.0], atol=1e-6)
    np.testing.assert_allclose(_at(ds, "heat_pump_power_mw", "heat_pump"), [100.0, 0.0], atol=1e-6)
    # the power balance: generation = demand + heat / cop
    generation = ds.generation_mw.sum("technology").values
    np.testing.assert_allclose(generation, ds.demand_mw.values + _at(ds, "heat_output_mw", "heat_pump") / 3.0, atol=1e-6)
    np.testing.assert_allclose(_at(ds, "generation_mw", "coal"), [200.0, 250.0], atol=1e-6)
    # objective: hour 1 coal 200 x 270 + pump O&M 300 x 3; hour 2 coal 250 x 270 + boiler 300 x 280
    hand = 200 * COAL_CNY_PER_MWH + 300 * 3.0 + 250 * COAL_CNY_PER_MWH + 300 * BOILER_CNY_PER_MWH_TH
    assert float(ds["total_cost_cny"]) == pytest.approx(hand, rel=1e-9)  # 206,400 CNY
    # the heat price is the cheaper route's: 93 CNY/MWh_th in hour 1, the boiler's 280 in hour 2
    np.testing.assert_allclose(ds["heat_price_cny_per_mwh"].sel(heat_network="heat").values, [93.0, 280.0], rtol=1e-6)
    assert frame.constraint_count("heat_pump_heat_max") == 2 and frame.constraint_count("boiler_heat_max") == 2


def test_an_electric_boiler_loses_to_the_gas_boiler_when_power_costs_more_than_heat_from_gas():
    # electric boiler, cop 0.99, power from the gas peaker at 1,008 CNY/MWh: 1,018 CNY/MWh_th > 280 for the gas boiler
    techs = [PEAKER, BOILER, dict(PUMP, name="electric_boiler", cop=0.99, variable_om_cny_per_mwh=0.0, existing_mw=1000.0, max_mw=1000.0)]
    ds, _ = solve_case(techs, [100.0], heat_demand_mw={"heat": [300.0]})
    assert float(_at(ds, "heat_output_mw", "electric_boiler")[0]) == pytest.approx(0.0, abs=1e-6)
    assert float(ds["total_cost_cny"]) == pytest.approx(100 * PEAKER_CNY_PER_MWH + 300 * BOILER_CNY_PER_MWH_TH, rel=1e-9)


def test_new_heat_pump_capacity_is_built_in_mw_th_and_its_annuity_charged():
    # no heat pump yet; 0.01 CNY/kW_th for one year (discount rate 0): 10 CNY per MW_th. Heat from a new pump
    # costs 93 CNY/MWh_th against 280 from the boiler, so the model builds the heat peak over availability.
    north = dict(region="north")
    techs = [
        dict(COAL, existing_mw=1000.0, max_mw=1000.0, **north),
        dict(BOILER, **north),
        dict(PUMP, capex_cny_per_kw=0.01, availability=0.8, **north),
    ]
    ds, _ = solve_case(techs, {"north": [100.0, 100.0]}, heat_demand_mw={"north.heat": [200.0, 240.0]})
    regional, ds = ds, ds.squeeze("region", drop=True)
    assert float(ds.capacity_new_mw.sel(technology="heat_pump").squeeze()) == pytest.approx(240.0 / 0.8, rel=1e-9)
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "heat_pump"), [200.0, 240.0], atol=1e-6)
    hand = (100 + 200 / 3 + 100 + 240 / 3) * COAL_CNY_PER_MWH + (200 + 240) * 3.0 + 300.0 * 10.0
    assert float(ds["total_cost_cny"]) == pytest.approx(hand, rel=1e-9)
    # the summary gives the pump's capacity and full-load hours in heat, and its electricity
    summary = format_summary(regional)
    row = next(line.split() for line in summary.splitlines() if line.startswith("heat_pump "))
    assert row[1] == "heat_pump" and row[5:8] == ["-", "-", "1"] and row[9] == "0.0"
    assert "heat pumps 0.0 (electricity 0.0 TWh)" in summary


def test_a_heat_pump_draws_from_its_own_regions_balance():
    # two regions joined by nothing: the north's pump is fed by the north's coal only
    techs = [
        dict(COAL, existing_mw=1000.0, max_mw=1000.0, region="north"),
        dict(COAL, existing_mw=1000.0, max_mw=1000.0, region="south"),
        dict(BOILER, region="north"),
        dict(PUMP, existing_mw=1000.0, max_mw=1000.0, region="north"),
    ]
    ds, _ = solve_case(techs, {"north": [100.0], "south": [50.0]}, heat_demand_mw={"north.heat": [300.0]})
    generation = ds.generation_mw.sum("technology")
    assert float(generation.sel(region="north").squeeze()) == pytest.approx(200.0, rel=1e-9)
    assert float(generation.sel(region="south").squeeze()) == pytest.approx(50.0, rel=1e-9)
    assert float(ds.heat_pump_power_mw.sel(region="north", technology="heat_pump").squeeze()) == pytest.approx(100.0, rel=1e-9)


ZERO_CARBON_FUELS = [*FUELS, {"fuel": "uranium", "price_cny_per_gj": 6.0, "co2_t_per_gj": 0.0}]
NUCLEAR = dict(FIXED, name="nuclear", family="thermal", fuel="uranium", efficiency=0.33, existing_mw=1000.0, max_mw=1000.0)


def test_under_a_zero_co2_cap_the_heat_pump_meets_all_the_heat():
    techs = [NUCLEAR, BOILER, dict(PUMP, existing_mw=1000.0, max_mw=1000.0)]
    ds, _ = solve_case(
        techs, [100.0, 100.0], fuels=ZERO_CARBON_FUELS, run={"carbon": {"cap_t_per_yr": 0.0}}, heat_demand_mw={"heat": [300.0, 450.0]}
    )
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "heat_pump"), [300.0, 450.0], atol=1e-6)
    np.testing.assert_allclose(_at(ds, "heat_output_mw", "gas_boiler"), 0.0, atol=1e-6)
    assert float(ds["emissions_total_t"]) == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(_at(ds, "generation_mw", "nuclear"), [200.0, 250.0], atol=1e-6)


def test_under_a_zero_co2_cap_without_the_heat_pump_the_case_is_infeasible_and_diagnosed():
    techs = [NUCLEAR, BOILER]
    data = inputs_from_tables(
        config(carbon={"cap_t_per_yr": 0.0}), SETTINGS, techs, ZERO_CARBON_FUELS, [100.0, 100.0], heat_demand_mw={"heat": [300.0, 450.0]}
    )
    found = diagnose(data)
    assert [r.what for r in found] == ["CO2 cap"]
    # the least CO2: the boiler burns 3.6 x 750 / 0.9 = 3,000 GJ of gas at 0.05 t/GJ = 150 t
    assert found[0].amount == pytest.approx(150.0, rel=1e-6)


def test_in_a_pathway_the_electric_boiler_is_built_in_the_period_whose_cap_is_zero():
    # power only from a zero-carbon plant at 3.6 / 0.33 x 40 = 436 CNY/MWh, so an electric boiler's heat (cop 0.99)
    # costs 441 CNY/MWh_th against 120 from a coal boiler (3.6 / 0.9 x 30): in 2030 (no cap) the coal boiler
    # gives the heat and nothing is built; in 2040 (cap 0) the electric boiler is built for the peak and gives all of it
    from energymodel.model import build_model
    from energymodel.results import build_dataset
    from energymodel.solve import solve

    fuels = [*FUELS, {"fuel": "uranium", "price_cny_per_gj": 40.0, "co2_t_per_gj": 0.0}]
    coal_boiler = dict(BOILER, name="coal_boiler", fuel="coal")
    e_boiler = dict(PUMP, name="electric_boiler", cop=0.99, variable_om_cny_per_mwh=0.0, capex_cny_per_kw=0.01, lifetime_yr=30)
    run = config(pathway={"periods": [2030, 2040], "carbon_cap_t_per_yr": {2030: 1e12, 2040: 0.0}})
    data = with_pathway(
        inputs_from_tables(run, SETTINGS, [NUCLEAR, coal_boiler, e_boiler], fuels, [100.0, 100.0], heat_demand_mw={"heat": [200.0, 300.0]})
    )
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    np.testing.assert_allclose(ds.capacity_new_mw.sel(technology="electric_boiler").values, [0.0, 300.0], atol=1e-6)
    heat = ds.heat_output_mw.sel(technology="electric_boiler").values  # (period, time)
    np.testing.assert_allclose(heat, [[0.0, 0.0], [200.0, 300.0]], atol=1e-6)
    np.testing.assert_allclose(ds.heat_pump_power_mw.sel(technology="electric_boiler").values, heat / 0.99, atol=1e-6)
    np.testing.assert_allclose(ds.generation_mw.sel(technology="nuclear").values, 100.0 + heat / 0.99, atol=1e-6)
