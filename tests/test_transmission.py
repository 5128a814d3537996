"""Regions joined by lines: flows, prices and line investment solved by hand."""

import pytest
from helpers import solve_case

# Two generators with known running costs (fuel at 1 CNY/GJ and efficiency 1: 3.6 CNY/MWh, plus
# variable O&M): cheap in the north (10 CNY/MWh), dear in the south (50 CNY/MWh). Nothing to build.
FUELS = [dict(fuel="free", price_cny_per_gj=0.0, co2_t_per_gj=0.0)]
UNIT = dict(family="thermal", fuel="free", efficiency=1.0, lifetime_yr=1, capex_cny_per_kw=0)
TECHS = [
    dict(UNIT, name="plant", region="north", variable_om_cny_per_mwh=10, existing_mw=500, max_mw=500),
    dict(UNIT, name="plant", region="south", variable_om_cny_per_mwh=50, existing_mw=500, max_mw=500),
]
DEMAND = {"north": [20, 20], "south": [80, 80]}


def _line(**columns):
    return dict(dict(name="n-s", region_from="north", region_to="south", existing_mw=30, max_mw=30, lifetime_yr=1), **columns)


def test_binding_line_carries_its_limit_and_prices_differ():
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[_line()])
    assert ds.flow_mw.sel(line="n-s").values == pytest.approx([30, 30], abs=1e-6)
    gen = ds.generation_mw.sel(technology="plant")
    assert gen.sel(region="north").values == pytest.approx([50, 50], abs=1e-6)
    assert gen.sel(region="south").values == pytest.approx([50, 50], abs=1e-6)
    price = ds.marginal_price_cny_per_mwh
    assert price.sel(region="north").values == pytest.approx([10, 10], rel=1e-6)
    assert price.sel(region="south").values == pytest.approx([50, 50], rel=1e-6)
    # Rent: 30 MW x (50 - 10) CNY/MWh x 2 h.
    assert float(ds.congestion_rent_cny.sel(line="n-s")) == pytest.approx(2400, rel=1e-6)
    assert float(ds.total_cost_cny) == pytest.approx(2 * (50 * 10 + 50 * 50), rel=1e-9)


def test_line_that_never_binds_gives_equal_prices():
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[_line(existing_mw=1000, max_mw=1000)])
    assert ds.flow_mw.sel(line="n-s").values == pytest.approx([80, 80], abs=1e-6)
    price = ds.marginal_price_cny_per_mwh
    assert price.sel(region="north").values == pytest.approx([10, 10], rel=1e-6)
    assert price.sel(region="south").values == pytest.approx([10, 10], rel=1e-6)
    assert float(ds.congestion_rent_cny.sel(line="n-s")) == pytest.approx(0, abs=1e-6)


def test_losses_reduce_what_arrives_and_set_the_price_ratio():
    # 10 % losses: the north sends 30 MW, the south receives 27. With the line at its limit the
    # south's own plant sets its price (50); rent = 50 x 27 - 10 x 30 = 1050 CNY per hour.
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[_line(efficiency=0.9)])
    assert ds.flow_mw.sel(line="n-s").values == pytest.approx([30, 30], abs=1e-6)
    assert ds.line_losses_mw.sel(line="n-s").values == pytest.approx([3, 3], abs=1e-6)
    assert ds.generation_mw.sel(technology="plant", region="south").values == pytest.approx([53, 53], abs=1e-6)
    assert float(ds.congestion_rent_cny.sel(line="n-s")) == pytest.approx(2 * 1050, rel=1e-6)
    # Unconstrained and lossy: the south's price is the north's cost over the efficiency.
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[_line(efficiency=0.9, existing_mw=1000, max_mw=1000)])
    assert ds.marginal_price_cny_per_mwh.sel(region="south").values == pytest.approx([10 / 0.9] * 2, rel=1e-6)


@pytest.mark.parametrize("capex_cny_per_kw, built_mw", [(0.05, 50.0), (0.1, 0.0)])
def test_line_is_extended_only_when_the_price_gap_pays_for_it(capex_cny_per_kw, built_mw):
    # Each extra MW saves (50 - 10) x 2 h = 80 CNY/yr; it costs capex x 1000 CNY/MW/yr (1-yr life, r = 0).
    # At 50 CNY/MW it pays until the south's 80 MW all come from the north (30 + 50); at 100 it never does.
    line = _line(max_mw=None, capex_cny_per_kw=capex_cny_per_kw)
    line.pop("max_mw")
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[line])
    assert float(ds.line_capacity_new_mw.sel(line="n-s")) == pytest.approx(built_mw, abs=1e-6)
    assert float(ds.cost_not_by_technology_cny.sel(component="investment")) == pytest.approx(built_mw * capex_cny_per_kw * 1000, abs=1e-6)


def test_regional_balances_hold_hour_by_hour():
    ds, _ = solve_case(TECHS, DEMAND, fuels=FUELS, lines=[_line(efficiency=0.9)])
    flow = ds.flow_mw.sel(line="n-s")
    sent = flow.clip(min=0)
    north = ds.generation_mw.sel(region="north").sum("technology") - sent
    south = ds.generation_mw.sel(region="south").sum("technology") + 0.9 * sent
    assert north.values == pytest.approx(ds.demand_mw.sel(region="north").values, abs=1e-6)
    assert south.values == pytest.approx(ds.demand_mw.sel(region="south").values, abs=1e-6)
