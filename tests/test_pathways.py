"""Investment periods solved by hand: lifetimes, retirement, discounting, caps and budgets per period."""

import numpy as np
import pandas as pd
import pytest
from helpers import SETTINGS, config

from energymodel.inputs import inputs_from_tables, with_pathway
from energymodel.model import build_model
from energymodel.periods import discount_factors, existing_fleet, interpolate
from energymodel.results import build_dataset
from energymodel.solve import solve

FREE = [dict(fuel="free", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
PLANT = dict(name="plant", family="thermal", fuel="free", efficiency=1.0, availability=1.0)


def _solve(techs, demand, fuels=FREE, settings=None, **pathway):
    run = config(pathway={"periods": [2030, 2040], **pathway})
    data = with_pathway(inputs_from_tables(run, {**SETTINGS, **(settings or {})}, techs, fuels, demand))
    frame = build_model(data)
    solve(frame, {})
    return build_dataset(frame).squeeze("region", drop=True)


@pytest.mark.parametrize("lifetime, rebuilt", [(10, 100.0), (20, 0.0)])
def test_capacity_retires_after_its_lifetime(lifetime, rebuilt):
    # 100 MW of demand in both periods (2030, 2040); a plant built in 2030 with a 10-year life is
    # gone by 2040 and must be built again; with 20 years it still stands.
    ds = _solve([dict(PLANT, capex_cny_per_kw=1, lifetime_yr=lifetime)], [100.0])
    new = ds.capacity_new_mw.sel(technology="plant")
    assert new.sel(period=2030).item() == pytest.approx(100, abs=1e-6)
    assert new.sel(period=2040).item() == pytest.approx(rebuilt, abs=1e-6)
    assert ds.capacity_total_mw.sel(technology="plant").values == pytest.approx([100, 100], abs=1e-6)


def test_objective_is_the_present_value_of_yearly_costs():
    # r = 10 %: the 2030 period's 10 years weigh sum_{i<10} 1.1^-i, the 2040 period's sum_{10<=i<20}.
    # Running cost 5 CNY/MWh x 100 MW x 1 h in each year; the plant already exists (no investment).
    plant = dict(PLANT, capex_cny_per_kw=0, lifetime_yr=50, existing_mw=100, max_mw=100, variable_om_cny_per_mwh=5)
    ds = _solve([plant], [100.0], settings={"discount_rate": 0.1})
    factors = [sum(1.1**-i for i in range(10)), sum(1.1**-i for i in range(10, 20))]
    assert ds.objective_factor.values == pytest.approx(factors, rel=1e-12)
    assert ds.represented_yr.values.tolist() == [10, 10]
    assert ds.cost_by_component_cny.sel(component="variable_om").values == pytest.approx([500, 500], rel=1e-9)
    assert float(ds.total_cost_cny) == pytest.approx(500 * sum(factors), rel=1e-9)


def _abatement_case(rate):
    # Coal (1 t/MWh, 10 CNY/MWh) or gas (0 t/MWh, 50 CNY/MWh) for 100 MW, one hour a year. A budget
    # of 1,500 t over the 20 years needs 500 t abated: 50 t/yr for the 10 years of one period, at the
    # same undiscounted cost whichever period does it.
    fuels = [dict(fuel="coal", price_cny_per_gj=0.0, co2_t_per_gj=1 / 3.6), dict(fuel="gas", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
    unit = dict(family="thermal", efficiency=1.0, capex_cny_per_kw=0, lifetime_yr=50, existing_mw=100, max_mw=100)
    techs = [
        dict(unit, name="coal", fuel="coal", variable_om_cny_per_mwh=10),
        dict(unit, name="gas", fuel="gas", variable_om_cny_per_mwh=50),
    ]
    return _solve(techs, [100.0], fuels=fuels, settings={"discount_rate": rate}, carbon_budget_t=1500)


def test_with_discounting_abatement_is_left_to_the_later_period():
    ds = _abatement_case(0.05)
    assert ds.emissions_total_t.values == pytest.approx([100, 50], abs=1e-6)
    assert float((ds.emissions_total_t * ds.represented_yr).sum()) == pytest.approx(1500, rel=1e-9)


def test_carbon_cap_trajectory_holds_in_every_period_and_interpolates():
    # Caps given for 2030 and 2050 only: 2040 gets the midpoint (60 t/yr). Coal is cheaper, so every
    # cap binds and the rest of the 100 MW comes from gas.
    fuels = [dict(fuel="coal", price_cny_per_gj=0.0, co2_t_per_gj=1 / 3.6), dict(fuel="gas", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
    unit = dict(family="thermal", efficiency=1.0, capex_cny_per_kw=0, lifetime_yr=50, existing_mw=100, max_mw=100)
    techs = [
        dict(unit, name="coal", fuel="coal", variable_om_cny_per_mwh=10),
        dict(unit, name="gas", fuel="gas", variable_om_cny_per_mwh=50),
    ]
    run = config(pathway={"periods": [2030, 2040, 2050], "carbon_cap_t_per_yr": {2030: 80, 2050: 40}})
    data = with_pathway(inputs_from_tables(run, SETTINGS, techs, fuels, [100.0]))
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame)
    assert ds.carbon_cap_t.values == pytest.approx([80, 60, 40])
    assert ds.emissions_total_t.values == pytest.approx([80, 60, 40], abs=1e-6)
    assert ds.carbon_shadow_price_cny_per_t.values == pytest.approx([40, 40, 40], rel=1e-6)  # gas minus coal per tonne


def test_existing_fleet_retires_linearly_and_targets_force_clean_capacity():
    techs = pd.DataFrame({"existing_mw": [100.0, 50.0], "existing_retired_by_yr": [2050.0, np.nan]}, index=["coal", "hydro"])
    fleet = existing_fleet(techs, 2030, [2030, 2040, 2050, 2060])
    assert fleet.loc["coal"].tolist() == pytest.approx([100, 50, 0, 0])
    assert fleet.loc["hydro"].tolist() == pytest.approx([50, 50, 50, 50])
    assert interpolate({2030: 0.1, 2050: 1.0}, [2025, 2030, 2040, 2060], 0.0) == pytest.approx([0.1, 0.1, 0.55, 1.0])
    assert discount_factors([2030], np.array([2.0]), 2030, 0.0).tolist() == [2.0]


def test_minimum_wind_solar_capacity_and_non_fossil_share():
    # Cheap coal could serve all 100 MW; the targets force 30 MW of (otherwise useless) solar in 2040
    # and a 50 % non-fossil share in 2030, met by wind blowing at 0.5 (100 MW of wind).
    fuels = [dict(fuel="coal", price_cny_per_gj=1.0, co2_t_per_gj=0.1)]
    techs = [
        dict(PLANT, name="coal", fuel="coal", capex_cny_per_kw=0, lifetime_yr=50, existing_mw=100, max_mw=100),
        dict(name="wind", family="variable_renewable", capex_cny_per_kw=1, lifetime_yr=50),
        dict(name="solar", family="variable_renewable", capex_cny_per_kw=0.5, lifetime_yr=50),
    ]
    run = config(pathway={"periods": [2030, 2040], "min_wind_solar_mw": {2040: 130}, "min_non_fossil_share": {2030: 0.5, 2040: 0.0}})
    data = with_pathway(inputs_from_tables(run, SETTINGS, techs, fuels, [100.0], capacity_factor={"wind": [0.5], "solar": [0.0]}))
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    assert ds.non_fossil_share.sel(period=2030).item() == pytest.approx(0.5, abs=1e-6)
    assert ds.capacity_total_mw.sel(technology="wind").values == pytest.approx([100, 100], abs=1e-6)
    vre = ds.capacity_total_mw.sel(technology=["wind", "solar"]).sum("technology")
    assert vre.sel(period=2040).item() == pytest.approx(130, abs=1e-6)
    assert ds.capacity_total_mw.sel(technology="solar", period=2040).item() == pytest.approx(30, abs=1e-6)


def test_capex_factor_makes_later_builds_cheaper():
    # The plant is needed only in 2040 (demand grows from 0); built in 2040 at half the 2030 cost.
    run = config(
        pathway={"periods": [2030, 2040], "demand_growth": {2030: 0.0, 2040: 1.0}, "capex_factor": {"plant": {2030: 1.0, 2040: 0.5}}}
    )
    data = with_pathway(inputs_from_tables(run, SETTINGS, [dict(PLANT, capex_cny_per_kw=2, lifetime_yr=50)], FREE, [100.0]))
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    assert ds.capacity_new_mw.sel(technology="plant").values == pytest.approx([0, 100], abs=1e-6)
    # CRF(0, 50 yr) = 1/50: 0.5 x 2 CNY/kW x 1000 x 100 MW / 50 = 2,000 CNY/yr in 2040, 10 years, r = 0
    assert ds.cost_by_component_cny.sel(component="investment").values == pytest.approx([0, 2000], rel=1e-9)
    assert float(ds.total_cost_cny) == pytest.approx(10 * 2000, rel=1e-9)


def test_build_rate_limit_spreads_investment_over_periods():
    # 100 MW needed in 2040 only, but at most 6 MW/yr x 10 years = 60 MW can be built per period: the
    # other 40 MW must be built early, in 2030 (where it costs an annuity for nothing).
    run = config(pathway={"periods": [2030, 2040], "demand_growth": {2030: 0.0, 2040: 1.0}, "max_build_mw_per_yr": {"plant": 6}})
    data = with_pathway(inputs_from_tables(run, SETTINGS, [dict(PLANT, capex_cny_per_kw=2, lifetime_yr=50)], FREE, [100.0]))
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    assert ds.capacity_new_mw.sel(technology="plant").values == pytest.approx([40, 60], abs=1e-6)


def test_shipped_pathway_runs_with_typical_days(tmp_path):
    # The shipped pathway, cut to three periods of two typical days: it solves, the caps hold in
    # every period, levels stay within bounds, and the NetCDF and summary work.
    from click.testing import CliRunner
    from conftest import ROOT

    from energymodel.cli import main
    from energymodel.results import open_results
    from energymodel.runner import run_file
    from energymodel.summary import format_summary

    changes = {"hours.representative_days": 2, "pathway.periods": [2030, 2045, 2060], "solver.options": {"threads": 1}}
    ds, path = run_file(ROOT / "runs" / "china-pathway-2060.yaml", tmp_path / "pathway.nc", changes=changes)
    assert ds.period.values.tolist() == [2030, 2045, 2060]
    assert ds.sizes["time"] == 48 and ds.sizes["day"] == 365
    cap = ds.carbon_cap_t
    assert bool((ds.emissions_total_t <= cap * (1 + 1e-6) + 1).all())
    assert float(ds.emissions_total_t.sel(period=2060)) == pytest.approx(0, abs=1e3)
    level = ds.storage_level_mwh.dropna("technology", how="all")
    energy = ds.energy_capacity_mwh.sel(technology=level.technology)
    assert bool((level >= -1e-3).all()) and bool((level <= energy * (1 + 1e-9) + 1e-3).all())
    assert ds.day_start_level_mwh.dims == ("region", "technology", "period", "day")
    back = open_results(path)
    assert float(back.total_cost_cny) == pytest.approx(float(ds.total_cost_cny), rel=1e-12)
    text = format_summary(back)
    assert "energymodel pathway" in text and "2045" in text
    result = CliRunner().invoke(main, ["summary", str(path)])
    assert result.exit_code == 0 and "Installed capacity (GW)" in result.output
