"""Flexible demand (model/flexible_demand.py): load moves to the cheap hour of its window, up to its limits, for its cost."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from helpers import assert_input_error, solve_case, week_run

from energymodel.cli import main
from energymodel.config import parse_run
from energymodel.inputs import load_inputs
from energymodel.model import build_model
from energymodel.runner import run_config
from energymodel.solve import solve

ROOT = Path(__file__).resolve().parents[1]

# A: 100 CNY/MWh, 150 MW; B: 300 CNY/MWh. Demand 50 MW, then 200 MW: without flexibility B makes 50 MW in hour 2.
FUELS = [dict(fuel="cheap", price_cny_per_gj=100 / 3.6, co2_t_per_gj=0), dict(fuel="dear", price_cny_per_gj=300 / 3.6, co2_t_per_gj=0)]
FIXED = dict(family="thermal", lifetime_yr=1, efficiency=1.0, capex_cny_per_kw=0)
TECHS = [dict(FIXED, name="A", fuel="cheap", existing_mw=150, max_mw=150), dict(FIXED, name="B", fuel="dear", existing_mw=500, max_mw=500)]
WITHOUT = 100 * 50 + 100 * 150 + 300 * 50  # CNY


def two_hours(**flexible):
    return solve_case(TECHS, [50, 200], fuels=FUELS, run={"flexible_demand": {"window_h": 2, **flexible}})


def test_load_moves_to_the_cheap_hour_and_saves_the_spread_less_the_cost():
    # 25 % of hour 2's demand (50 MW) may leave; hour 1 may take up to 100 % more. Each MWh moved saves
    # 300 - 100 = 200 CNY and costs 20: all 50 MW move, saving 50 x 180 = 9,000 CNY.
    ds, _ = two_hours(share=0.25, max_added_fraction=1.0, cost_cny_per_mwh=20)
    assert ds.demand_shift_mw.values == pytest.approx([50, -50], abs=1e-6)
    assert ds.generation_mw.sel(technology="B").values == pytest.approx([0, 0], abs=1e-6)
    assert WITHOUT - float(ds.total_cost_cny) == pytest.approx(50 * (300 - 100) - 50 * 20, rel=1e-9)
    assert float(ds.demand_moved_mwh.sum()) == pytest.approx(50, rel=1e-9)
    assert float(ds.cost_by_component_cny.sel(component="demand_shifting").sum()) == pytest.approx(1000, rel=1e-9)
    # energy-neutral per window, and the balance meets the moved demand: generation = demand + shift
    assert float(ds.demand_shift_mw.sum()) == pytest.approx(0, abs=1e-9)
    assert ds.generation_mw.sum("technology").values == pytest.approx(ds.demand_mw.values + ds.demand_shift_mw.values, abs=1e-6)


def test_the_hourly_limit_on_added_load_binds():
    # default limit on added load = the share: hour 1 takes at most 0.25 x 50 = 12.5 MW
    ds, _ = two_hours(share=0.25, cost_cny_per_mwh=20)
    assert ds.demand_shift_mw.values == pytest.approx([12.5, -12.5], abs=1e-6)
    assert WITHOUT - float(ds.total_cost_cny) == pytest.approx(12.5 * 180, rel=1e-9)


def test_nothing_moves_when_moving_costs_more_than_the_spread():
    ds, _ = two_hours(share=0.25, max_added_fraction=1.0, cost_cny_per_mwh=250)
    assert np.abs(ds.demand_shift_mw.values).max() < 1e-6
    assert float(ds.total_cost_cny) == pytest.approx(WITHOUT, rel=1e-9)


def test_windows_keep_load_within_them():
    # windows of one hour: nothing can move at all
    ds, _ = solve_case(TECHS, [50, 200], fuels=FUELS, run={"flexible_demand": {"window_h": 1, "share": 0.5, "max_added_fraction": 1.0}})
    assert np.abs(ds.demand_shift_mw.values).max() < 1e-6
    assert float(ds.total_cost_cny) == pytest.approx(WITHOUT, rel=1e-9)


def two_weeks(**changes):
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-07-01", "end": "2030-07-14"})
    raw["flexible_demand"] = {"share": 0.1, "window_h": 4, "cost_cny_per_mwh": 5}
    raw["solver"] = {"options": {"threads": 1}, "decomposition": {"gap": 1e-5, "workers": 1}}
    raw.update(changes)
    return parse_run(raw, str(ROOT / "runs" / "flex.yaml"), ROOT / "runs")


def test_decomposed_over_weeks_equals_the_one_lp_and_every_window_is_neutral():
    config = two_weeks()
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    ds = run_config(config)
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)
    shift = ds.demand_shift_mw.values.reshape(-1, 4)
    assert np.abs(shift.sum(axis=1)).max() < 1e-3  # MWh per 4-hour window
    assert float(ds.demand_moved_mwh.sum()) > 0, "a summer fortnight has solar to move load into"
    demand = ds.demand_mw.values.ravel()
    assert (-ds.demand_shift_mw.values.ravel() <= 0.1 * demand + 1e-6).all()


@pytest.mark.parametrize(
    ("flexible", "field", "message"),
    [
        ({"share": 1.5}, "flexible_demand.share", "less than or equal to 1"),
        ({"share": 0.1, "window_h": 5}, "flexible_demand", "window_h must divide 24"),
        ({"share": 0.1, "regions": ["atlantis"]}, "flexible_demand.regions", "atlantis"),
    ],
)
def test_bad_flexible_demand_exits_2_naming_the_field(tmp_path, flexible, field, message):
    run = week_run(tmp_path, flexible_demand=flexible)
    assert_input_error(CliRunner().invoke(main, ["run", str(run), "-q"]), field, message)
    assert not (tmp_path / "out.nc").exists()


def test_the_dispatch_stack_shows_the_moved_load_and_still_sums_to_demand():
    from energymodel.plots import dispatch_frame

    ds, _ = two_hours(share=0.25, max_added_fraction=1.0, cost_cny_per_mwh=20)
    frame, demand = dispatch_frame(ds.expand_dims(region=["china"]))
    assert frame["demand shifted"].values == pytest.approx([-0.05, 0.05], abs=1e-9)  # GW: into hour 1, out of hour 2
    assert frame.sum(axis=1).values == pytest.approx(demand.values, abs=1e-9)
