"""What each built GW is paid for (explain.py): the annualised cost of new capacity split over services by the duals."""

import numpy as np
import pytest
from click.testing import CliRunner
from helpers import FUELS, SETTINGS, config, solve_case

from energymodel.cli import main
from energymodel.explain import FAMILY_SERVICE, SERVICES, VARIABLE, service_of
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.results import build_dataset, write_netcdf
from energymodel.solve import solve
from energymodel.summary import format_summary

FREE = dict(family="thermal", lifetime_yr=1, capex_cny_per_kw=0)
COAL = dict(FREE, name="coal", fuel="coal", efficiency=0.36, existing_mw=100, max_mw=100)  # 300 CNY/MWh
PEAKER = dict(FREE, name="peaker", fuel="natural_gas", efficiency=0.5, existing_mw=0, capex_cny_per_kw=300)  # 504 CNY/MWh, 300 CNY/kW/yr
RESERVE = {"reserves": {"operating": {"demand_fraction": 0.1}}}


def value(ds, technology: str) -> dict[str, float]:
    """CNY/kW/yr by service of one technology's new capacity (one region, one period)."""
    da = ds[VARIABLE].sel(technology=technology)
    return {str(s): float(da.sel(service=s)) for s in da["service"].values}


def annualised_cny_per_kw_yr(ds, frame, technology: str) -> float:
    techs = frame.data.technologies
    return (
        frame.annuity_cny_per_mw_yr(technology, techs.at[technology, "capex_cny_per_kw"]) / 1e3
        + techs.at[technology, "fixed_om_cny_per_kw_yr"]
    )


def reserve_case():
    # Coal (100 MW, no reserve) covers the 100 MW demand; 10 % operating reserve is held by a new peaker that never runs.
    return solve_case([COAL, dict(PEAKER, reserve_fraction=1.0)], [100, 100], run=RESERVE)


def test_a_peaker_built_only_for_operating_reserve_is_paid_by_the_reserve():
    ds, frame = reserve_case()
    assert float(ds.capacity_new_mw.sel(technology="peaker")) == pytest.approx(10, rel=1e-7)
    assert float(ds.energy_mwh.sel(technology="peaker")) == pytest.approx(0, abs=1e-6)
    parts = value(ds, "peaker")
    assert parts["operating_reserve"] == pytest.approx(300, rel=1e-7)
    assert sum(abs(v) for s, v in parts.items() if s != "operating_reserve") == pytest.approx(0, abs=1e-6)
    assert ds[VARIABLE].attrs["units"] == "CNY/kW/yr"
    # HiGHS's signs (minimising): >= rows have duals >= 0, <= rows <= 0
    sol = frame.solution
    assert (sol.row_dual[sol.rows.of("operating_reserve")] >= -1e-9).all()
    assert (sol.row_dual[sol.rows.of("reserve_share_max")] <= 1e-9).all()
    assert sol.row_dual[sol.rows.of("operating_reserve")].max() > 0


def test_a_plant_built_for_energy_is_paid_by_energy():
    # The screening curve (test_known_answers): base 1.5e6 and peak 3e5 CNY/MW/yr, both built, both for energy.
    base = dict(FREE, name="base", fuel="coal", efficiency=0.36, capex_cny_per_kw=1500)
    peak = dict(FREE, name="peak", fuel="natural_gas", efficiency=0.36, capex_cny_per_kw=300)
    ds, frame = solve_case([base, peak], [1000, 600, 300], weight_h=[1000, 3000, 4760])
    for g, cost in (("base", 1500), ("peak", 300)):
        parts = value(ds, g)
        assert parts["energy"] == pytest.approx(cost, rel=1e-7)
        assert sum(abs(v) for s, v in parts.items() if s != "energy") == pytest.approx(0, abs=1e-6)
    sol = frame.solution
    assert (sol.row_dual[sol.rows.of("thermal_output_max")] <= 1e-9).all()


def test_a_plant_built_for_the_planning_margin_is_paid_by_the_margin():
    # Peak 100 MW, margin 15 %: new gas (credit 0.9, 300 CNY/kW/yr) fills 15 MW of firm capacity and never runs.
    gas = dict(PEAKER, capacity_credit=0.9)
    ds, _ = solve_case([dict(COAL, capacity_credit=1.0), gas], [100, 80], run={"reserves": {"planning_margin": 0.15}})
    assert float(ds.capacity_new_mw.sel(technology="peaker")) == pytest.approx(15 / 0.9, rel=1e-7)
    parts = value(ds, "peaker")
    assert parts["planning_margin"] == pytest.approx(300, rel=1e-7)
    assert sum(abs(v) for s, v in parts.items() if s != "planning_margin") == pytest.approx(0, abs=1e-6)


def test_a_capacity_at_its_ceiling_shows_the_ceilings_rent_as_a_negative_part():
    # Wind (free energy, 100 CNY/kW/yr, at most 50 MW) is worth 300 CNY/MWh x its output: the ceiling binds.
    wind = dict(name="wind", family="variable_renewable", existing_mw=0, max_mw=50, capex_cny_per_kw=100, lifetime_yr=1)
    ds, _ = solve_case([COAL, wind], [100, 100], capacity_factor={"wind": [1.0, 1.0]}, weight_h=[1000, 1000])
    assert float(ds.capacity_new_mw.sel(technology="wind")) == pytest.approx(50, rel=1e-7)
    parts = value(ds, "wind")
    assert parts["energy"] == pytest.approx(300 * 2000 / 1e3, rel=1e-7)  # CNY/MWh x h / 1000 per kW
    assert parts["limit"] == pytest.approx(100 - 600, rel=1e-7)
    assert sum(parts.values()) == pytest.approx(100, rel=1e-9)


def committed_case():
    # Coal under unit commitment (min load, start-ups) is built for a varying demand and holds reserve.
    coal = dict(
        COAL,
        existing_mw=0,
        max_mw=None,
        capex_cny_per_kw=1000,
        min_load_fraction=0.4,
        startup_cny_per_mw=500,
        reserve_fraction=0.5,
        capacity_credit=1.0,
    )
    coal.pop("max_mw")
    peak = dict(PEAKER, capex_cny_per_kw=200, reserve_fraction=1.0, capacity_credit=0.9)
    run = {
        "operations": {"unit_commitment": True},
        "reserves": {"operating": {"demand_fraction": 0.1}, "planning_margin": 0.1},
    }
    return solve_case([coal, peak], [60, 100, 80, 30], weight_h=[2000, 2000, 2000, 2760], run=run)


def full_output_case():
    # New coal runs flat out (100 MW, availability 1) and holds no reserve: the existing gas holds it, with room to
    # spare (reserve price 0). Coal's headroom row binds with no reserve held; its value is energy, not reserve.
    coal = dict(COAL, existing_mw=0, capex_cny_per_kw=1000, reserve_fraction=1.0)
    coal.pop("max_mw")
    gas = dict(PEAKER, existing_mw=100, max_mw=100, reserve_fraction=1.0)
    return solve_case([coal, gas], [100, 100], weight_h=[4380, 4380], run=RESERVE)


@pytest.mark.parametrize("case", [reserve_case, committed_case, full_output_case])
def test_the_parts_sum_to_the_annualised_cost_of_capacity_between_its_bounds(case):
    ds, frame = case()
    built = ds.capacity_new_mw > 1e-3
    assert bool(built.any())
    for g in ds.technology.values[built.values]:
        parts = value(ds, str(g))
        cost = annualised_cny_per_kw_yr(ds, frame, str(g))
        assert sum(parts.values()) == pytest.approx(cost, rel=1e-9)
        assert abs(parts["unexplained"]) <= 1e-6 * cost  # the duals explain all of it (no bound binds)
        assert parts["limit"] == 0
    unbuilt = ds[VARIABLE].where(~built)
    assert bool(unbuilt.isnull().all())


def test_committed_capacity_is_passed_through_its_online_capacity_to_energy_and_reserve():
    ds, frame = committed_case()
    parts = value(ds, "coal")
    assert float(ds.capacity_new_mw.sel(technology="coal")) > 0
    assert parts["energy"] > 0
    assert parts["energy"] + parts["operating_reserve"] + parts["planning_margin"] > parts["commitment"]


def test_unknown_families_go_to_other_and_reserves_families_are_mapped():
    assert service_of("planning_reserve") == "planning_margin"
    assert service_of("planning_reserve_hourly") == "planning_margin"
    assert service_of("reserve_headroom") == "operating_reserve"
    assert service_of("a_new_family") == "other"
    assert {s for _, s in FAMILY_SERVICE} <= set(SERVICES)


def test_the_summary_and_the_api_say_what_a_never_running_build_is_paid_for(tmp_path):
    data = inputs_from_tables(config(**RESERVE), SETTINGS, [COAL, dict(PEAKER, reserve_fraction=1.0)], FUELS, [100, 100])
    frame = build_model(data)
    solve(frame)
    target = write_netcdf(build_dataset(frame), tmp_path / "reserve.nc")
    result = CliRunner().invoke(main, ["summary", str(target)])
    assert result.exit_code == 0, result.output
    assert "What the new capacity is paid for" in result.output
    assert "peaker: 10 MW built, 0 full-load hours: its capacity is paid by the operating reserve (100 %)" in result.output

    import energymodel

    table = energymodel.open_results(target).em.capacity_services()
    row = table[(table.technology == "peaker") & (table.service == "operating_reserve")]
    assert float(row.value_cny_per_kw_yr.iloc[0]) == pytest.approx(300, rel=1e-7)
    assert float(row.share.iloc[0]) == pytest.approx(1.0, rel=1e-7)
    assert set(table.columns) >= {"region", "technology", "service", "value_cny_per_kw_yr", "share"}
    assert np.isclose(table.groupby(["region", "technology"]).share.sum(), 1.0).all()


def test_a_plant_at_full_output_holding_no_reserve_is_paid_by_energy():
    ds, frame = full_output_case()
    assert float(ds.capacity_new_mw.sel(technology="coal")) == pytest.approx(100, rel=1e-7)
    parts = value(ds, "coal")
    assert parts["energy"] == pytest.approx(1000, rel=1e-7)
    assert parts["operating_reserve"] == pytest.approx(0, abs=1e-6)


def test_in_a_pathway_each_build_is_explained_per_year_it_stands_and_a_build_rate_is_its_limit():
    # 100 MW needed in 2040 only, at most 60 MW built per period (test_pathways): 40 MW built in 2030 stands idle
    # for ten years. Annuity 2 CNY/kW / 50 yr = 0.04 CNY/kW/yr (r = 0), both builds standing to the horizon's end.
    from energymodel.inputs import with_pathway

    run = config(pathway={"periods": [2030, 2040], "demand_growth": {2030: 0.0, 2040: 1.0}, "max_build_mw_per_yr": {"plant": 6}})
    plant = dict(name="plant", family="thermal", fuel="free", efficiency=1.0, availability=1.0, capex_cny_per_kw=2, lifetime_yr=50)
    free = [dict(fuel="free", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
    data = with_pathway(inputs_from_tables(run, SETTINGS, [plant], free, [100.0]))
    frame = build_model(data)
    solve(frame, {})
    full = build_dataset(frame)
    ds = full.squeeze("region", drop=True)
    parts = ds[VARIABLE].sel(technology="plant")
    assert parts.sum("service").values == pytest.approx([0.04, 0.04], rel=1e-9)
    assert float(parts.sel(period=2030, service="unexplained")) == pytest.approx(0, abs=1e-9)
    assert float(parts.sel(period=2040, service="limit")) < 0  # the build rate binds in 2040
    assert float(parts.sel(period=2040, service="energy")) > 0.04
    assert "plant.2030: 40 MW built, 0 full-load hours: its capacity is paid by energy (100 %)" in format_summary(full)
