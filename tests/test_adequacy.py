"""The planning reserve margin by hourly contribution (reserves.planning_method: hourly) against answers by hand.

The case: ten hours of a June day, 11:00-20:00. Demand peaks at 100 MW at 11:00, when 100 MW of solar
runs at a capacity factor of 0.8; by 20:00 demand is 95 MW and the sun has set. 50 MW of coal (credit 1)
stands and cannot grow; gas (credit 0.9, 300 CNY/kW, one-year life at r = 0: 300,000 CNY/MW/yr) may be built.
A 10 % margin:
  * peak (static):  50 + 0.9 G >= 1.1 x 100              -> G = 60 / 0.9  = 66.67 MW
  * hourly:         50 + 0.9 G + 100 cf[t] >= 1.1 d[t]   -> binds at 20:00 (cf 0, d 95): G = 54.5 / 0.9 = 60.56 MW
Gas must run 45 MW at 20:00 anyway (95 - 50), so the margin decides the gas built in both methods.
"""

import numpy as np
import pytest
from conftest import DATASET
from helpers import FUELS, SETTINGS, config, solve_case

from energymodel.config import parse_run
from energymodel.diagnose import diagnose, format_diagnosis
from energymodel.inputs import inputs_from_tables
from energymodel.runner import run_config

DEMAND = [100, 98, 95, 92, 90, 90, 90, 92, 94, 95]  # MW, 11:00 ... 20:00
SUN = [0.8, 0.8, 0.75, 0.6, 0.45, 0.3, 0.15, 0.05, 0.0, 0.0]
START = "2030-06-01 11:00"
COAL = dict(name="coal", family="thermal", fuel="coal", efficiency=0.36, lifetime_yr=1, capex_cny_per_kw=0)
COAL.update(existing_mw=50, max_mw=50, capacity_credit=1.0)
GAS = dict(name="gas", family="thermal", fuel="natural_gas", efficiency=0.5, lifetime_yr=1, capex_cny_per_kw=300, capacity_credit=0.9)
SOLAR = dict(name="solar", family="variable_renewable", lifetime_yr=1, capex_cny_per_kw=0, existing_mw=100, max_mw=100)
ANNUITY = 300_000.0  # CNY/MW/yr of gas


def _solve(method, gas=GAS, **reserves):
    run = {"reserves": {"planning_margin": 0.1, "planning_method": method, **reserves}}
    return solve_case([COAL, gas, SOLAR], DEMAND, run=run, capacity_factor={"solar": SUN}, start=START)[0]


def test_the_hourly_margin_binds_in_the_evening_and_builds_what_it_needs():
    ds = _solve("hourly")
    assert float(ds.capacity_new_mw.sel(technology="gas")) == pytest.approx(54.5 / 0.9, rel=1e-7)
    binding = ds.planning_binding.values
    assert binding.tolist() == [0.0] * 9 + [1.0]  # 20:00 only
    assert str(ds.time.values[9])[:16] == "2030-06-01T20:00"
    price = ds.planning_reserve_price_cny_per_mw_h.values
    assert price[9] == pytest.approx(ANNUITY / 0.9, rel=1e-6) and np.abs(price[:9]).max() < 1e-6
    assert float(ds.capacity_price_cny_per_mw_yr) == pytest.approx(ANNUITY / 0.9, rel=1e-6)
    np.testing.assert_allclose(ds.planning_requirement_mw.values, 1.1 * np.array(DEMAND), rtol=1e-12)
    # firm 50 + 0.9 G = 104.5 MW in every hour, plus the sun
    np.testing.assert_allclose(ds.planning_available_mw.values, 104.5 + 100 * np.array(SUN), rtol=1e-7)
    assert float(ds.firm_capacity_mw) == pytest.approx(104.5, rel=1e-7)


def test_the_peak_method_is_the_static_margin_and_costs_the_difference():
    peak, hourly = _solve("peak"), _solve("hourly")
    assert float(peak.capacity_new_mw.sel(technology="gas")) == pytest.approx(60 / 0.9, rel=1e-7)
    assert float(peak.firm_capacity_mw) == pytest.approx(110, rel=1e-7)
    assert float(peak.peak_demand_mw) == pytest.approx(100)
    assert float(peak.capacity_price_cny_per_mw_yr) == pytest.approx(ANNUITY / 0.9, rel=1e-6)
    assert "planning_binding" not in peak and "peak_demand_mw" not in hourly
    # the same operation; the static margin builds (60 - 54.5) / 0.9 MW more gas
    saved = float(peak.total_cost_cny) - float(hourly.total_cost_cny)
    assert saved == pytest.approx(ANNUITY * 5.5 / 0.9, rel=1e-7)


def test_planning_hours_keep_the_hours_of_highest_net_load():
    # net load at the standing solar: 100 - 80 = 20 at 11:00 ... 95 at 20:00, 94 at 19:00, 87 at 18:00
    ds = _solve("hourly", planning_hours=2)
    held = np.isfinite(ds.planning_requirement_mw.values)
    assert held.tolist() == [False] * 8 + [True, True]
    assert float(ds.capacity_new_mw.sel(technology="gas")) == pytest.approx(54.5 / 0.9, rel=1e-7)


def test_planning_hours_need_the_hourly_method():
    with pytest.raises(Exception, match="planning_hours applies to planning_method: hourly only"):
        config(reserves={"planning_margin": 0.1, "planning_method": "peak", "planning_hours": 5})


def test_an_hourly_margin_that_cannot_be_met_is_diagnosed_with_its_hour():
    # at most 40 MW of gas (firm 36): 50 + 36 = 86 MW after sunset against 104.5 at 20:00, 103.4 at 19:00
    # and 101.2 - 5 at 18:00: short 18.5, 17.4 and 10.2 MW
    gas = dict(GAS, max_mw=40)
    run = config(reserves={"planning_margin": 0.1})
    data = inputs_from_tables(run, SETTINGS, [COAL, gas, SOLAR], FUELS, DEMAND, capacity_factor={"solar": SUN}, start=START)
    found = diagnose(data)
    assert [r.what for r in found] == ["planning reserve margin, region system"]
    assert found[0].amount == pytest.approx(18.5, rel=1e-6)
    text = format_diagnosis(found)
    assert "firm capacity short by 18.5 MW at 2030-06-01 20:00 (short in 3 modelled hours)" in text


def test_the_hourly_margin_holds_on_typical_days_of_the_shipped_data():
    run = {
        "name": "typical-july",
        "dataset": str(DATASET),
        "hours": {"start": "2030-07-01", "end": "2030-07-31", "representative_days": 4},
        # the rebased fleet (1,412 GW of coal, 136 GW of batteries) covers the default 15 % on these
        # typical days without building anything, so a 25 % margin is what makes it bind here
        "reserves": {"planning_margin": 0.25},
        "solver": {"options": {"threads": 1}},
    }
    ds = run_config(parse_run(run, "typical-july", DATASET)).squeeze("region", drop=True)
    assert bool((ds.planning_available_mw >= ds.planning_requirement_mw * (1 - 1e-9)).all())
    assert 0 < int(ds.planning_binding.sum()) < ds.sizes["time"]
    # the hourly prices, weighted by the hours each stands for, add up to the capacity price
    yearly = float((ds.planning_reserve_price_cny_per_mw_h * ds.weight_h).sum())
    assert yearly == pytest.approx(float(ds.capacity_price_cny_per_mw_yr), rel=1e-6)
    assert float(ds.capacity_price_cny_per_mw_yr) > 0


def test_the_hourly_margin_holds_in_every_period_with_its_demand_growth():
    # 2040: demand x 1.2, so 20:00 needs 1.1 x 114 = 125.4 MW: 50 + 0.9 G -> G = 75.4 / 0.9 standing in 2040
    # (gas lives 20 years: what 2030 needs, 54.5 / 0.9 MW, is built in 2030 and the rest in 2040)
    from energymodel.inputs import with_pathway
    from energymodel.model import build_model
    from energymodel.results import build_dataset
    from energymodel.solve import solve

    run = config(reserves={"planning_margin": 0.1}, pathway={"periods": [2030, 2040], "demand_growth": {2030: 1.0, 2040: 1.2}})
    coal = dict(COAL, lifetime_yr=40)
    gas = dict(GAS, lifetime_yr=20)
    data = with_pathway(
        inputs_from_tables(
            run, SETTINGS, [coal, gas, dict(SOLAR, lifetime_yr=40)], FUELS, DEMAND, capacity_factor={"solar": SUN}, start=START
        )
    )
    frame = build_model(data)
    solve(frame, {})
    ds = build_dataset(frame).squeeze("region", drop=True)
    total = ds.capacity_total_mw.sel(technology="gas").values
    assert total == pytest.approx([54.5 / 0.9, 75.4 / 0.9], rel=1e-7)
    assert bool((ds.planning_available_mw >= ds.planning_requirement_mw * (1 - 1e-9)).all())
    assert ds.planning_binding.values.reshape(2, 10)[:, 9].tolist() == [1.0, 1.0]
