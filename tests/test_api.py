"""The Python API (``energymodel.open_results``, ``ds.em``) against answers worked out by hand."""

import numpy as np
import pytest
from helpers import SETTINGS, config, solve_case
from test_regions import _run, _split_dataset

import energymodel
from energymodel.inputs import inputs_from_tables, with_pathway
from energymodel.model import build_model
from energymodel.results import build_dataset, write_netcdf
from energymodel.runner import run_config
from energymodel.solve import solve
from energymodel.sweep import plan_sweep, run_sweep

TWO_DAYS = {"start": "2030-01-08", "end": "2030-01-09"}
BASE = dict(name="base", family="thermal", fuel="coal", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=1500)  # 10 GJ/MWh
PEAK = dict(name="peak", family="thermal", fuel="natural_gas", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=300)


@pytest.fixture(scope="module")
def screening():
    # The screening-curve case of test_known_answers: 1000 MW for 1000 h, 600 MW for 3000 h, 300 MW
    # for 4760 h; the optimum is 600 MW of base and 400 MW of peak (hours weighted, not 1 each).
    ds, _ = solve_case([BASE, PEAK], [1000, 600, 300], weight_h=[1000, 3000, 4760])
    return ds


def test_capacity_factors_shares_and_emissions_by_hand(screening):
    ds = screening
    base_mwh = 600 * 1000 + 600 * 3000 + 300 * 4760
    peak_mwh = 400 * 1000
    cf = ds.em.capacity_factors()
    assert cf.attrs["units"] == "1"
    assert float(cf.sel(technology="base")) == pytest.approx(base_mwh / (600 * 8760), rel=1e-6)
    assert float(cf.sel(technology="peak")) == pytest.approx(peak_mwh / (400 * 8760), rel=1e-6)
    # independently from the raw variables: hourly MW x hours each stands for
    energy = (ds.generation_mw * ds.weight_h).sum("time")
    np.testing.assert_allclose(cf, energy / (ds.capacity_total_mw * 8760), rtol=1e-12)
    shares = ds.em.generation_shares()
    assert float(shares.sum("technology")) == pytest.approx(1.0, rel=1e-12)
    assert float(shares.sel(technology="base")) == pytest.approx(base_mwh / (base_mwh + peak_mwh), rel=1e-6)
    co2 = ds.em.emissions()  # coal 1 t/MWh (10 GJ x 0.1 t/GJ), gas 0.5 t/MWh
    assert co2.attrs["units"] == "tCO2/yr"
    assert float(co2.sel(source="base")) == pytest.approx(base_mwh * 1.0, rel=1e-6)
    assert float(co2.sel(source="peak")) == pytest.approx(peak_mwh * 0.5, rel=1e-6)
    assert float(co2.sum("source")) == pytest.approx(float(ds.emissions_total_t), rel=1e-12)


def test_lcoe_costs_and_price_by_hand(screening):
    ds = screening
    base_mwh = 600 * 1000 + 600 * 3000 + 300 * 4760
    lcoe = ds.em.lcoe()
    assert lcoe.attrs["units"] == "CNY/MWh"
    # r = 0, 1-yr life: base 1.5e6 CNY/MW/yr + 300 CNY/MWh fuel; peak 3e5 CNY/MW/yr + 700 CNY/MWh
    assert float(lcoe.sel(technology="base")) == pytest.approx(300 + 600 * 1.5e6 / base_mwh, rel=1e-6)
    assert float(lcoe.sel(technology="peak")) == pytest.approx(700 + 400 * 3e5 / (400 * 1000), rel=1e-6)
    costs = ds.em.cost_breakdown()
    assert set(costs.dims) == {"component", "source"} and "other" in costs.source.values
    assert float(costs.sum()) == pytest.approx(float(ds.total_cost_cny), rel=1e-12)
    assert float(costs.sel(component="investment", source="base")) == pytest.approx(600 * 1.5e6, rel=1e-6)
    # prices 1000, 300 + 8e5/3000, 300 CNY/MWh (test_known_answers), weighted by demand x hours
    prices = [1000, 300 + (1.5e6 - 700 * 1000) / 3000, 300]
    paid = 1000 * 1000 * prices[0] + 600 * 3000 * prices[1] + 300 * 4760 * prices[2]
    assert float(ds.em.average_price()) == pytest.approx(paid / (1000 * 1000 + 600 * 3000 + 300 * 4760), rel=1e-6)


def test_single_technology_lcoe_is_total_cost_over_energy():
    plant = dict(
        name="plant",
        family="thermal",
        fuel="coal",
        lifetime_yr=20,
        efficiency=0.4,
        capex_cny_per_kw=3000,
        fixed_om_cny_per_kw_yr=100,
        variable_om_cny_per_mwh=20,
    )
    ds, _ = solve_case([plant], [80, 100], settings={"discount_rate": 0.05}, weight_h=[4000, 4760])
    energy = 80 * 4000 + 100 * 4760
    assert float(ds.em.lcoe().sel(technology="plant")) == pytest.approx(float(ds.total_cost_cny) / energy, rel=1e-9)
    assert float(ds.em.generation_shares().sel(technology="plant")) == 1.0


def test_curtailment_by_hand():
    # 100 MW of free wind, capacity factors 1, 0.5, 0.2 over 2000, 3000, 3760 h; 50 MW of demand.
    wind = dict(name="wind", family="variable_renewable", existing_mw=100, max_mw=100, capex_cny_per_kw=0, lifetime_yr=1)
    backup = dict(PEAK, name="backup", capex_cny_per_kw=0, existing_mw=50, max_mw=50)
    ds, _ = solve_case([wind, backup], [50, 50, 50], capacity_factor={"wind": [1.0, 0.5, 0.2]}, weight_h=[2000, 3000, 3760])
    out = ds.em.curtailment()
    assert list(out.technology.values) == ["wind"]
    available = 100 * 2000 + 50 * 3000 + 20 * 3760
    assert float(out.available_mwh.sel(technology="wind")) == pytest.approx(available, rel=1e-9)
    assert float(out.curtailed_mwh.sel(technology="wind")) == pytest.approx(50 * 2000, rel=1e-9)
    assert float(out.share.sel(technology="wind")) == pytest.approx(50 * 2000 / available, rel=1e-9)
    assert out.curtailed_mwh.attrs["units"] == "MWh/yr" and out.share.attrs["units"] == "1"
    assert float(ds.em.capacity_factors().sel(technology="wind")) == pytest.approx((available - 50 * 2000) / (100 * 8760), rel=1e-9)


def test_hydrogen_balance_by_hand():
    # Hour 1: 300 MW of wind, 100 MW of demand, 200 MW into electrolysers (efficiency 0.5) -> 100 MW of
    # H2 into the tank. Hour 2: no wind; the turbine (pure hydrogen, efficiency 0.5) burns 200 MW of
    # H2 for 100 MW: 100 from the tank, 100 bought. 1 MWh of H2 = 3.6 / 119.96 t.
    free = dict(capex_cny_per_kw=0, lifetime_yr=1)
    techs = [
        dict(free, name="wind", family="variable_renewable", existing_mw=300, max_mw=300),
        dict(free, name="gt", family="thermal", fuel="natural_gas", h2_blending=True, efficiency=0.5, existing_mw=200, max_mw=200),
        dict(free, name="ely", family="electrolyser", efficiency=0.5, existing_mw=200, max_mw=200),
        dict(
            free,
            name="tank",
            family="h2_storage",
            existing_mw=1000,
            max_mw=1000,
            energy_to_power_h=10,
            charge_efficiency=1.0,
            discharge_efficiency=1.0,
        ),
    ]
    ds, _ = solve_case(
        techs, [100, 100], capacity_factor={"wind": [1.0, 0.0]}, run={"hydrogen": {"blend_vol_fraction": 1.0, "mode": "fixed"}}
    )
    flows = ds.em.hydrogen_balance()
    t = 100 * 3.6 / 119.96
    expected = {"bought": t, "made": t, "burnt": 2 * t, "stored": t, "withdrawn": t}
    assert flows.attrs["units"] == "t/yr"
    for flow, value in expected.items():
        assert float(flows.sel(flow=flow)) == pytest.approx(value, rel=1e-6), flow


def test_hydrogen_balance_without_hydrogen_is_zero(screening):
    balance = screening.em.hydrogen_balance()
    assert list(balance.flow.values) == ["bought", "made", "burnt", "stored", "withdrawn"]
    assert float(abs(balance).sum()) == 0.0  # nothing blends, nothing is supplied


# --------------------------------------------------------------------------- shapes: regions, sweeps, pathways


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("regions")
    hydrogen_on = {"technologies": {"electrolyser": {"max_mw": None}, "h2_tank": {"max_mw": None}}}
    ds = run_config(_run(_split_dataset(tmp / "split"), hours=TWO_DAYS, overrides=hydrogen_on))
    return energymodel.open_results(write_netcdf(ds, tmp / "regions.nc"))


def test_accessor_on_two_regions(two_regions):
    ds = two_regions
    cf = ds.em.capacity_factors()
    assert cf.dims == ("region", "technology")
    system = ds.em.capacity_factors(by_region=False)
    assert system.dims == ("technology",)
    hours = float(ds.weight_h.sum())
    assert hours == pytest.approx(8760)
    # heat boilers make no electricity (energy NaN): no capacity factor
    expected = ds.energy_mwh.sum("region", min_count=1) / (ds.capacity_total_mw.sum("region") * hours)
    np.testing.assert_allclose(system, expected.where(ds.capacity_total_mw.sum("region") > 0), rtol=1e-12)
    np.testing.assert_allclose(ds.em.generation_shares().sum("technology"), [1.0, 1.0], rtol=1e-12)
    assert float(ds.em.cost_breakdown().sum()) == pytest.approx(float(ds.total_cost_cny), rel=1e-12)
    assert float(ds.em.emissions().sum()) == pytest.approx(float(ds.emissions_total_t), rel=1e-12)
    flows = ds.em.hydrogen_balance()
    balance = flows.sel(flow="bought") + flows.sel(flow="made") + flows.sel(flow="withdrawn") - flows.sel(flow="stored")
    assert float(balance) == pytest.approx(float(flows.sel(flow="burnt")), rel=1e-6, abs=1e-6)
    assert float(flows.sel(flow="made")) == pytest.approx(float(ds.h2_made_t), rel=1e-12)
    assert ds.em.curtailment().share.dims == ("region", "technology")
    assert ds.em.lcoe(by_region=False).dims == ("technology",)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    import yaml
    from conftest import DATASET

    tmp = tmp_path_factory.mktemp("sweep")
    run = {
        "name": "s",
        "dataset": str(DATASET),
        "output": str(tmp / "s.nc"),
        "carbon": {"cap_t_per_yr": 3.5e9},  # reachable in January with the district heat (test_regions.py)
        "hydrogen": {"blend_vol_fraction": 0.0, "mode": "max"},
        "hours": TWO_DAYS,
        "solver": {"options": {"threads": 1}},
        "sweep": {"h2_blend": [0.0, 0.5], "carbon_price": [0, 300]},
    }
    (tmp / "s.yaml").write_text(yaml.safe_dump(run))
    run_sweep(plan_sweep(tmp / "s.yaml"))
    return energymodel.open_results(tmp / "s-sweep.nc")


def test_accessor_on_a_sweep_keeps_the_sweep_dimensions(sweep):
    ds = sweep
    cf = ds.em.capacity_factors()
    assert {"h2_blend", "carbon_price", "region", "technology"} == set(cf.dims)
    for blend in (0.0, 0.5):
        for price in (0, 300):
            point = ds.sel(h2_blend=blend, carbon_price=price)
            expected = point.energy_mwh / (point.capacity_total_mw * float(point.weight_h.sum()))
            np.testing.assert_allclose(cf.sel(h2_blend=blend, carbon_price=price), expected.where(point.capacity_total_mw > 0), rtol=1e-12)
    np.testing.assert_allclose(ds.em.cost_breakdown().sum(["component", "source"]), ds.total_cost_cny, rtol=1e-12)
    np.testing.assert_allclose(ds.em.emissions().sum("source"), ds.emissions_total_t, rtol=1e-12)
    assert set(ds.em.hydrogen_balance().dims) == {"flow", "h2_blend", "carbon_price"}
    np.testing.assert_allclose(ds.em.hydrogen_balance().sel(flow="burnt"), ds.h2_use_t, rtol=1e-12)
    np.testing.assert_allclose(ds.em.generation_shares().sum("technology"), 1.0, rtol=1e-12)
    assert set(ds.em.lcoe().dims) == set(cf.dims) and set(ds.em.average_price().dims) == {"h2_blend", "carbon_price", "region"}


def test_accessor_on_a_pathway_keeps_periods():
    # Two periods (2030, 2040), the screening-curve plants with 1-yr lives, demand in two weighted hours.
    run = config(pathway={"periods": [2030, 2040], "demand_growth": {2030: 1.0, 2040: 2.0}})
    data = with_pathway(
        inputs_from_tables(
            run,
            SETTINGS,
            [BASE, PEAK],
            [
                dict(fuel="coal", price_cny_per_gj=30.0, co2_t_per_gj=0.1),
                dict(fuel="natural_gas", price_cny_per_gj=70.0, co2_t_per_gj=0.05),
            ],
            [500, 200],
            weight_h=[4380, 4380],
        )
    )
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame)
    cf = ds.em.capacity_factors()
    assert "period" in cf.dims
    np.testing.assert_allclose(ds.em.hours_per_year(), [8760, 8760])
    expected = ds.energy_mwh / (ds.capacity_total_mw * 8760)
    np.testing.assert_allclose(cf, expected.where(ds.capacity_total_mw > 0), rtol=1e-12)
    # demand doubles: output doubles in 2040
    total = ds.energy_mwh.sum(["region", "technology"])
    assert float(total.sel(period=2040)) == pytest.approx(2 * float(total.sel(period=2030)), rel=1e-6)
    yearly = ds.em.cost_breakdown().sum(["component", "source"])
    np.testing.assert_allclose(yearly, ds.cost_by_component_cny.sum("component"), rtol=1e-12)
    assert "period" in ds.em.lcoe().dims and "period" in ds.em.generation_shares().dims
