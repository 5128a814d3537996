"""Hydrogen delivery (hydrogen_supply.csv): sources per region and kind with a price, CO2 and hourly and yearly limits.

Hand cases: one gas turbine (efficiency 0.5, may burn up to 100 vol% hydrogen) with natural gas at 100 CNY/GJ and
0.05 tCO2/GJ. Green hydrogen at 20 CNY/kg is 20 / 0.11996 = 166.72 CNY/GJ; grey at 10 CNY/kg is 83.36 CNY/GJ with
20 kgCO2/kg (166.7 kgCO2/GJ). Under a 2,000 CNY/t carbon price gas costs 200 CNY/GJ, so green pays and grey
(416.8 CNY/GJ) does not; with no carbon price grey (83.36) beats gas (100) and green does not.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import SETTINGS, config, solve_case

import energymodel.api  # noqa: F401  (the ds.em accessor)
from energymodel import plots
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.summary import format_summary

ROOT = Path(__file__).resolve().parents[1]

LHV_GJ_PER_T = 119.96  # hydrogen, GJ per tonne
FUELS = [
    {"fuel": "natural_gas", "price_cny_per_gj": 100.0, "co2_t_per_gj": 0.05, "lhv_mj_per_nm3": 35.79},
    {"fuel": "hydrogen", "price_cny_per_gj": 150.0, "co2_t_per_gj": 0.0, "lhv_mj_per_nm3": 10.79, "lhv_mj_per_kg": 119.96},
]
TURBINE = {
    "name": "gas",
    "family": "thermal",
    "fuel": "natural_gas",
    "h2_blending": True,
    "h2_max_vol_fraction": 1.0,
    "existing_mw": 200.0,
    "max_mw": 200.0,
    "capex_cny_per_kw": 3000.0,
    "lifetime_yr": 30.0,
    "efficiency": 0.5,
}
GREEN = {"name": "green", "kind": "green", "price_cny_per_kg": 20.0}
GREY = {"name": "grey", "kind": "grey", "price_cny_per_kg": 10.0, "co2_kg_per_kg": 20.0}
HIGH_CARBON_PRICE = {"hydrogen": {"mode": "max"}, "carbon": {"price_cny_per_t": 2000.0}}


def heat_gj_per_h(demand_mw):
    """Heat input of the turbine (GJ/h) for its output (MW) at efficiency 0.5."""
    return np.asarray(demand_mw, dtype=float) / 0.5 * 3.6


def test_an_hourly_limit_caps_the_blend_in_that_hour_only():
    demand = [20.0, 100.0]  # heat input 144 and 720 GJ/h; 2 t/h of hydrogen is 239.92 GJ/h
    ds, _ = solve_case([TURBINE], demand, fuels=FUELS, run=HIGH_CARBON_PRICE, hydrogen_supply=[{**GREEN, "max_t_per_h": 2.0}])
    heat = heat_gj_per_h(demand)
    assert ds.h2_use_t_per_h.values == pytest.approx([heat[0] / LHV_GJ_PER_T, 2.0], rel=1e-7)
    assert ds.h2_bought_by_source_t_per_h.sel(h2_source="green").values == pytest.approx(ds.h2_use_t_per_h.values, rel=1e-7)
    gas = ds.fuel_use_gj_per_h.sel(fuel="natural_gas").values
    assert gas == pytest.approx([0.0, heat[1] - 2.0 * LHV_GJ_PER_T], abs=1e-6)  # the blend falls to 1/3 in hour 2 only


def test_a_yearly_limit_binds_with_the_hand_computed_shadow_price():
    demand = [20.0, 100.0]
    ds, _ = solve_case([TURBINE], demand, fuels=FUELS, run=HIGH_CARBON_PRICE, hydrogen_supply=[{**GREEN, "max_t_per_yr": 2.5}])
    assert float(ds.h2_use_t) == pytest.approx(2.5, rel=1e-7)
    assert float(ds.h2_bought_by_source_t.sel(h2_source="green")) == pytest.approx(2.5, rel=1e-7)
    # one more tonne replaces 119.96 GJ of gas at 200 CNY/GJ and costs 20,000 CNY: worth 23,992 - 20,000 CNY/t
    assert float(ds.h2_supply_yearly_max_dual.sel(h2_source="green")) == pytest.approx(200.0 * LHV_GJ_PER_T - 20_000.0, rel=1e-6)


def test_each_region_burns_the_kind_it_can_buy_and_pays_its_co2():
    """No carbon price: grey in region a beats gas; green in region b does not; b has no grey to buy."""
    demand = {"a": [100.0, 100.0], "b": [100.0, 100.0]}
    turbines = [{**TURBINE, "region": r} for r in ("a", "b")]
    supply = [{**GREY, "name": "a.grey", "region": "a"}, {**GREEN, "name": "b.green", "region": "b"}]
    ds, _ = solve_case(turbines, demand, fuels=FUELS, run={"hydrogen": {"mode": "max"}}, hydrogen_supply=supply)
    grey_t = 2 * heat_gj_per_h([100.0])[0] / LHV_GJ_PER_T  # all of a's fuel, two hours
    bought = ds.h2_bought_by_source_t
    assert list(ds.h2_source_region.values) == ["a", "b"] and list(ds.h2_source_kind.values) == ["grey", "green"]
    assert float(bought.sel(h2_source="a.grey")) == pytest.approx(grey_t, rel=1e-7)
    assert float(bought.sel(h2_source="b.green")) == pytest.approx(0.0, abs=1e-9)
    assert float(ds.emissions_h2_bought_t) == pytest.approx(20.0 * grey_t, rel=1e-7)  # 20 t of CO2 per t of grey hydrogen
    assert float(ds.fuel_use_gj.sel(region="b", technology="gas", fuel="hydrogen")) == pytest.approx(0.0, abs=1e-6)
    by_kind = ds.em.hydrogen_sources()  # which kind was burnt where
    assert by_kind.attrs["units"] == "t/yr" and sorted(by_kind["kind"].values) == ["green", "grey"]
    assert by_kind.sel(region="a").values.tolist() == pytest.approx(
        [0.0, grey_t] if by_kind["kind"].values[0] == "green" else [grey_t, 0.0]
    )
    assert float(by_kind.sel(region="b").sum()) == pytest.approx(0.0, abs=1e-9)


def test_a_region_without_a_source_burns_no_hydrogen():
    """Green pays under the carbon price, but only region a can buy it."""
    demand = {"a": [100.0], "b": [100.0]}
    turbines = [{**TURBINE, "region": r} for r in ("a", "b")]
    ds, _ = solve_case(turbines, demand, fuels=FUELS, run=HIGH_CARBON_PRICE, hydrogen_supply=[{**GREEN, "name": "a.green", "region": "a"}])
    use = ds.fuel_use_gj.sel(technology="gas", fuel="hydrogen")
    assert float(use.sel(region="a")) == pytest.approx(heat_gj_per_h([100.0])[0], rel=1e-7)
    assert float(use.sel(region="b")) == pytest.approx(0.0, abs=1e-6)


def test_purchase_cost_is_the_sources_price_not_the_fuel_price():
    """With hydrogen_supply.csv the fuels.csv price of hydrogen (150 CNY/GJ) is not used: the fuel cost is green's
    20 CNY/kg on all the hydrogen burnt."""
    demand = [100.0]
    ds, _ = solve_case([TURBINE], demand, fuels=FUELS, run=HIGH_CARBON_PRICE, hydrogen_supply=[GREEN])
    h2_t = heat_gj_per_h(demand)[0] / LHV_GJ_PER_T
    assert float(ds.h2_use_t) == pytest.approx(h2_t, rel=1e-7)
    assert float(ds.cost_by_component_cny.sel(component="fuel")) == pytest.approx(20_000.0 * h2_t, rel=1e-7)
    assert float(ds.total_cost_cny) == pytest.approx(20_000.0 * h2_t, rel=1e-7)  # no CO2: all hydrogen is green


def test_supply_rows_default_to_the_one_region_and_no_limits():
    data = inputs_from_tables(config(), SETTINGS, [TURBINE], FUELS, [100.0], hydrogen_supply=[GREEN])
    frame = build_model(data)
    assert data.hydrogen_supply.at["green", "region"] == "system"
    assert len(frame.m.h2_supply_yearly_max) == 0 and frame.m.h2_bought_mw["green", 0].ub is None


LIMIT_T = 100_000.0  # t/yr, about 2/3 of the gas turbines' fuel in these weeks
GAP = 1e-6


def _two_weeks_with_supply(dataset, decomposition: bool):
    """The default run over 1-14 January under a 3.5 Gt cap (gas runs), turbines that may burn any
    blend, buying green hydrogen at 2 CNY/kg (far below gas) limited to 100 kt/yr."""
    import pandas as pd
    import yaml

    from energymodel.config import parse_run

    pd.DataFrame([{"name": "green", "kind": "green", "price_cny_per_kg": 2.0, "max_t_per_yr": LIMIT_T}]).to_csv(
        dataset / "hydrogen_supply.csv", index=False
    )
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(dataset=str(dataset), hours={"start": "2030-01-01", "end": "2030-01-14"}, carbon={"cap_t_per_yr": 3.5e9})
    raw["hydrogen"] = {"blend_vol_fraction": 1.0, "mode": "max"}
    raw["solver"] = {"options": {"threads": 1}, **({"decomposition": {"gap": GAP}} if decomposition else {})}
    return parse_run(raw, str(ROOT / "runs" / "two-weeks.yaml"), ROOT / "runs")


def test_a_binding_yearly_limit_decomposed_equals_the_one_lp(dataset_copy):
    """The yearly limit couples all hours; Benders over two weeks gives the one LP's cost, purchase and shadow price.

    Within the gap G a decomposed answer may buy less than the limit by at most G x cost / shadow price tonnes."""
    from energymodel.runner import run_config

    one_lp, decomposed = (run_config(_two_weeks_with_supply(dataset_copy, d)) for d in (False, True))
    assert float(one_lp.h2_bought_by_source_t.sel(h2_source="green")) == pytest.approx(LIMIT_T, rel=1e-6)  # binding
    assert "bought 0.100 Mt/yr (green 0.100)" in format_summary(one_lp)
    dual = float(one_lp.h2_supply_yearly_max_dual.sel(h2_source="green"))
    assert dual > 2_000.0  # at least the gas it replaces (69.85 CNY/GJ x 119.96 GJ/t) less the 2,000 CNY/t it costs
    cost = float(one_lp.total_cost_cny)
    assert float(decomposed.total_cost_cny) == pytest.approx(cost, rel=GAP)
    bought = float(decomposed.h2_bought_by_source_t.sel(h2_source="green"))
    assert LIMIT_T - GAP * cost / dual <= bought <= LIMIT_T * (1 + 1e-9)
    assert float(decomposed.h2_supply_yearly_max_dual.sel(h2_source="green")) == pytest.approx(dual, rel=1e-3)


def test_the_hydrogen_plot_splits_what_is_bought_by_kind():
    demand = {"a": [100.0, 100.0], "b": [100.0, 100.0]}
    turbines = [{**TURBINE, "region": r} for r in ("a", "b")]
    supply = [{**GREY, "name": "a.grey", "region": "a"}, {**GREEN, "name": "b.green", "region": "b"}]
    ds, _ = solve_case(turbines, demand, fuels=FUELS, run={"hydrogen": {"mode": "max"}}, hydrogen_supply=supply)
    grey_kt = 2 * heat_gj_per_h([100.0])[0] / LHV_GJ_PER_T / 1e3
    frame = plots.hydrogen_supply_frame(ds, [], ["total"])
    assert list(frame.columns) == ["electrolyser", "bought grey", "bought green"]
    assert frame.loc["total"].tolist() == pytest.approx([0.0, grey_kt, 0.0], abs=1e-12)
    by_region = plots.hydrogen_supply_frame(ds, ["region"], ["a", "b"])
    assert by_region.loc["a"].tolist() == pytest.approx([0.0, grey_kt, 0.0], abs=1e-12)
    assert by_region.loc["b"].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    fig = plots.figure(ds, "hydrogen")  # one bar per region; kinds bought nowhere are left out
    assert [p.get_height() for p in fig.axes[2].patches] == pytest.approx([grey_kt, 0.0], abs=1e-12)
