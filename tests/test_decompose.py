"""Temporal decomposition (decompose/): Benders over weeks gives the one-LP answer; bad settings are input errors."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner
from helpers import FUELS, SETTINGS, assert_input_error, week_run
from helpers import config as hand_config
from test_hydrogen_delivery import FUELS as H2_FUELS
from test_hydrogen_delivery import GREEN, TURBINE
from test_regions import _split_dataset

import energymodel.decompose.benders as benders
from energymodel.cli import main
from energymodel.compile import compile_lp
from energymodel.config import parse_run
from energymodel.decompose import penalty_ladder
from energymodel.decompose.benders import run_benders
from energymodel.decompose.parallel import DaskSubproblems, LocalSubproblems
from energymodel.decompose.partition import NO_FLOOR, _interval_min, partition, subperiods
from energymodel.errors import SolveError
from energymodel.inputs import inputs_from_tables, load_inputs
from energymodel.model import build_model
from energymodel.results import build_dataset
from energymodel.runner import run_config
from energymodel.solve import solve
from energymodel.sweep import plan_sweep, run_sweep

partition_module = importlib.import_module("energymodel.decompose.partition")  # (the package's name `partition` is the function)

ROOT = Path(__file__).resolve().parents[1]


def four_weeks(**decomposition):
    """The default run (unit commitment, ramps, must-run, reserves, storage, reservoir hydro) over 1-28 January
    with a binding 3.5 Gt cap."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(
        dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-01-01", "end": "2030-01-28"}, carbon={"cap_t_per_yr": 3.5e9}
    )
    raw["solver"] = {"options": {"threads": 1}, "decomposition": {"subperiod_days": 7, "gap": 1e-5, **decomposition}}
    return parse_run(raw, str(ROOT / "runs" / "four-weeks.yaml"), ROOT / "runs")


def test_a_family_without_rows_in_the_modelled_hours_compiles_and_decomposes():
    """The default run in April: the heating-season must-run (November-March) has no rows there, which the
    compiled LP's row labels once failed on (a broadcast error)."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-04-01", "end": "2030-04-14"})
    raw["solver"] = {"options": {"threads": 1}, "decomposition": {"subperiod_days": 7, "gap": 1e-3}}
    config = parse_run(raw, str(ROOT / "runs" / "april.yaml"), ROOT / "runs")
    frame = build_model(load_inputs(config))
    assert frame.constraint_count("must_run") == 0
    compiled = compile_lp(frame)
    assert len(compiled.rows) == compiled.lp.num_row_ and len(compiled.columns) == compiled.lp.num_col_
    ds = run_config(config)
    assert ds.attrs["decomposition_subperiods"] == 2 and ds.attrs["decomposition_gap"] <= 1e-3


def test_four_weeks_decomposed_equal_the_one_lp():
    """The one LP's optimum spends the yearly cap unevenly over the weeks and carries reservoir water across
    their boundaries; the decomposition must find the same cost, so its budgets and boundary levels must move."""
    config = four_weeks()
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    cap_price = -frame.dual("carbon_cap", over="period")[0, 0]
    mono = build_dataset(frame, {})
    weekly_t = mono.emissions_t_per_h.values.reshape(4, 168).sum(axis=1)
    assert weekly_t.max() / weekly_t.min() > 1.02, "the case needs budgets other than equal shares"
    level = mono.storage_level_mwh.sel(technology="hydro").values.ravel()
    assert np.ptp(level[[167, 335, 503]]) > 1e-3 * level.max(), "water moves between weeks"
    assert cap_price > 100, "the cap binds"
    ds = run_config(config)
    assert ds.attrs["decomposition_subperiods"] == 4 and ds.attrs["decomposition_gap"] <= 1e-5
    assert ds.attrs["decomposition_lower_bound_cny"] <= one_lp.objective_cny * (1 + 1e-9)
    assert ds.attrs["decomposition_upper_bound_cny"] >= one_lp.objective_cny * (1 - 1e-9)
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)
    assert float(ds.carbon_shadow_price_cny_per_t) == pytest.approx(cap_price, rel=0.01)
    assert float(ds.emissions_total_t) <= 3.5e9 * (1 + 1e-6)
    # a real operation of all 672 hours: the hourly balance holds and prices exist in every hour
    assert ds.sizes["time"] == 672 and np.isfinite(ds.marginal_price_cny_per_mwh.values).all()
    # the weekly split of the cap is not unique (the one LP's and Benders' differ by up to 10 %), but it is not equal shares
    decomposed_weekly_t = ds.emissions_t_per_h.values.reshape(4, 168).sum(axis=1)
    assert decomposed_weekly_t.max() / decomposed_weekly_t.min() > 1.02


def test_a_pathway_decomposed_by_period_and_week_equals_the_one_lp():
    """runs/china-pathway-2060.yaml on two periods (2030, 2050) and two weeks: four subproblems, capacities of both
    periods in the master, each period's cap its own coupling row. A relaxed 2050 week stalls IPX: before dual simplex
    took over (partition.RELAXED_OPTIONS) this ran for more than 200 s without reaching its first iteration."""
    raw = yaml.safe_load((ROOT / "runs" / "china-pathway-2060.yaml").read_text())
    raw.pop("output", None)
    raw["pathway"]["periods"] = [2030, 2050]
    raw.update(dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-01-01", "end": "2030-01-14"})
    raw["solver"] = {"options": {"threads": 1}}
    one = parse_run(raw, str(ROOT / "runs" / "pathway-two-weeks.yaml"), ROOT / "runs")
    frame = build_model(load_inputs(one))
    one_lp = solve(frame, {"threads": 1})
    prices = build_dataset(frame, {}).carbon_shadow_price_cny_per_t.values
    assert prices[1] > 100, "the 2050 cap binds"
    raw["solver"]["decomposition"] = {"subperiod_days": 7, "gap": 1e-4}
    ds = run_config(parse_run(raw, str(ROOT / "runs" / "pathway-two-weeks.yaml"), ROOT / "runs"))
    assert ds.attrs["decomposition_subperiods"] == 4 and ds.attrs["decomposition_gap"] <= 1e-4
    assert (
        ds.attrs["decomposition_lower_bound_cny"]
        <= one_lp.objective_cny * (1 + 1e-9)
        <= ds.attrs["decomposition_upper_bound_cny"] * (1 + 2e-9)
    )
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)
    assert ds.carbon_cap_t.values.tolist() == [4.5e9, 1.2e9]
    assert (ds.emissions_t.sum(["region", "technology"]).values <= ds.carbon_cap_t.values * (1 + 1e-6)).all()
    assert ds.carbon_shadow_price_cny_per_t.values == pytest.approx(prices, rel=0.02)


@pytest.mark.parametrize(
    ("decomposition", "field", "message"),
    [
        ({"subperiod_days": 60}, "solver.decomposition.subperiod_days", "longer than the"),
        ({"gap": 0}, "solver.decomposition.gap", "greater than 0"),
        ({"method": "dantzig-wolfe"}, "solver.decomposition.method", "benders"),
    ],
)
def test_bad_decomposition_settings_exit_2_naming_the_field(tmp_path, decomposition, field, message):
    solver = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())["solver"]
    run = week_run(tmp_path, solver={**solver, "decomposition": decomposition})
    assert_input_error(CliRunner().invoke(main, ["run", str(run), "-q"]), field, message)
    assert not (tmp_path / "out.nc").exists()


def two_weeks(**changes):
    """The default run over 1-14 January (two subproblems) with a binding 3.5 Gt cap; ``changes`` replace sections."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(
        dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-01-01", "end": "2030-01-14"}, carbon={"cap_t_per_yr": 3.5e9}
    )
    raw["solver"] = {"options": {"threads": 1}, "decomposition": {"gap": 1e-5}}
    raw.update(changes)
    return parse_run(raw, str(ROOT / "runs" / "two-weeks.yaml"), ROOT / "runs")


def one_lp_and_decomposed(config):
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    one_lp_ds = build_dataset(frame, {})
    return one_lp, one_lp_ds, run_config(config)


def test_a_non_binding_cap_has_no_price_in_either_route():
    one_lp, mono, ds = one_lp_and_decomposed(two_weeks(carbon={"cap_t_per_yr": 2e10}))
    assert float(mono.carbon_shadow_price_cny_per_t) == pytest.approx(0.0, abs=1e-6)
    assert float(ds.carbon_shadow_price_cny_per_t) == pytest.approx(0.0, abs=1e-3)
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)


def test_two_regions_and_a_line_decomposed_equal_the_one_lp(tmp_path):
    """All wind and solar are in region a, so b imports over a line the master sizes."""
    line = {"name": "a-b", "region_from": "a", "region_to": "b", "existing_mw": 0, "max_mw": "", "capex_cny_per_kw": 800}
    dataset = _split_dataset(tmp_path / "split", line)
    techs = pd.read_csv(dataset / "technologies.csv")
    renewable = techs.name.isin(["onshore_wind", "offshore_wind", "solar_pv"])
    for column in ("existing_mw", "max_mw"):  # all wind and solar in a
        techs.loc[renewable & (techs.region == "a"), column] *= 2
        techs.loc[renewable & (techs.region == "b"), column] = 0
    techs.to_csv(dataset / "technologies.csv", index=False)
    config = two_weeks(dataset=str(dataset), carbon={"cap_t_per_yr": 3.0e9}, hours={"start": "2030-01-01", "end": "2030-01-06"})
    config = config.model_copy(
        update={
            "solver": config.solver.model_copy(
                update={"decomposition": config.solver.decomposition.model_copy(update={"subperiod_days": 3})}
            )
        }
    )
    one_lp, mono, ds = one_lp_and_decomposed(config)
    assert float(mono.line_capacity_new_mw.sum()) > 1e3, "the line is built"
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)
    assert float(ds.line_capacity_new_mw.sum()) == pytest.approx(float(mono.line_capacity_new_mw.sum()), rel=0.02)
    assert ds.attrs["decomposition_subperiods"] == 2


def test_one_and_two_dask_workers_give_the_same_answer():
    """Three weeks on two workers: weeks 1 and 3 on one, week 2 on the other (the results must come back in order)."""
    three_weeks = {"start": "2030-01-01", "end": "2030-01-21"}
    one = two_weeks(hours=three_weeks)
    two = two_weeks(hours=three_weeks, solver={"options": {"threads": 1}, "decomposition": {"gap": 1e-5, "workers": 2}})
    a, b = run_config(one), run_config(two)
    assert b.attrs["decomposition_workers"] == 2 and a.attrs["decomposition_workers"] == 1
    assert b.attrs["decomposition_iterations"] == a.attrs["decomposition_iterations"]
    assert float(b.total_cost_cny) == pytest.approx(float(a.total_cost_cny), rel=1e-9)
    np.testing.assert_allclose(b.generation_mw.values, a.generation_mw.values, rtol=1e-6, atol=1e-3)


def test_the_penalty_ladder_rises_tenfold_from_the_operating_costs_to_the_top():
    cost = np.array([30_000.0, -5.0, 1.87e6, 2.0])  # lost load and a negative cost (hourly), a capacity (not)
    hourly = np.array([True, True, False, True])
    assert penalty_ladder(cost, hourly) == pytest.approx([3e5, 3e6, 1.87e7])
    assert penalty_ladder(np.array([2.0, 1.0]), np.array([True, False])) == [20.0]  # nothing above the operating cost
    assert penalty_ladder(np.zeros(2), np.array([True, False])) == [10.0]


def test_a_penalty_too_small_to_be_exact_rises_until_no_slack_is_needed():
    """At 0.01 CNY per unit the subproblems would rather break their boundary levels and CO2 budgets than pay for
    them: where the bounds meet, the point needs slack, so the penalty rises x100 at a time until the point
    needs none, and the answer is the one LP's (every cut made at a low penalty stays a valid lower bound)."""
    config = two_weeks()
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    compiled = compile_lp(frame)
    top = penalty_ladder(compiled.lp.col_cost_, compiled.columns.hour >= 0)[-1]
    part = partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), top)
    ladder = [1e-2, 1.0, 1e2, 1e4, 1e6, top]
    outcome = run_benders(part, LocalSubproblems(part.subproblems, {}), gap=1e-5, penalties=ladder)
    used = sorted({it.penalty for it in outcome.iterations})
    assert len(used) >= 3 and used[0] == 1e-2, "the low penalties were not exact: it had to rise"
    assert outcome.converged and outcome.upper == pytest.approx(one_lp.objective_cny, rel=1e-4)
    assert outcome.lower <= one_lp.objective_cny * (1 + 1e-9)
    first_upper = next(i for i, it in enumerate(outcome.iterations) if np.isfinite(it.upper))
    assert outcome.iterations[first_upper].penalty > 1e-2, "no point without slack at the lowest penalty"


def test_a_subproblem_that_fails_on_a_worker_is_a_clear_error():
    from distributed import Client, LocalCluster

    frame = build_model(load_inputs(two_weeks()))
    compiled = compile_lp(frame)
    part = partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), 1e7)
    broken = part.subproblems[1]
    broken.col_lower[0], broken.col_upper[0] = 1.0, 0.0  # no value fits: HiGHS finds it infeasible
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        subproblems = DaskSubproblems(client, part.subproblems, {})
        with pytest.raises(SolveError, match=r"subproblem 1 \(hours 168-335\) was not solved"):
            run_benders(part, subproblems, max_iterations=3)


def test_a_worker_lost_mid_decomposition_is_a_clear_error():
    import os
    import signal

    from distributed import Client, LocalCluster

    frame = build_model(load_inputs(two_weeks()))
    compiled = compile_lp(frame)
    part = partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), 1e7)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        subproblems = DaskSubproblems(client, part.subproblems, {})
        victim = sorted(client.scheduler_info()["workers"])[1]
        os.kill(client.run(os.getpid, workers=[victim])[victim], signal.SIGKILL)  # as the OOM killer would
        with pytest.raises(SolveError, match="a Dask worker holding subproblems was lost"):
            run_benders(part, subproblems, max_iterations=3)


def test_run_decompose_on_the_command_line(tmp_path):
    out = tmp_path / "out.nc"
    args = ["run", str(ROOT / "runs" / "china-2030-week.yaml"), "--decompose", "-q", "--no-summary", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--set", "hours.end=2030-07-28", "--set", "solver.options.threads=1"])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(out) as ds:
        assert ds.attrs["decomposition_subperiods"] == 2 and ds.attrs["decomposition_gap"] <= 1e-3
        # the bounds may meet to round-off (the master's optimum carries HiGHS's 1e-7 tolerances): 1e-9 of ~3e12 CNY
        assert ds.attrs["decomposition_upper_bound_cny"] >= ds.attrs["decomposition_lower_bound_cny"] * (1 - 1e-9)


def test_sweep_decompose_solves_every_point_by_benders(tmp_path):
    raw = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
    raw.update(dataset=str(ROOT / "data" / "china-2030"), output=str(tmp_path / "s.nc"), hours={"start": "2030-07-15", "end": "2030-07-28"})
    raw["solver"] = {"options": {"threads": 1}}
    run = tmp_path / "s.yaml"
    run.write_text(yaml.safe_dump(raw))
    plan = plan_sweep(run, ["carbon.price_cny_per_t=0,300"], decompose=True)
    ds = run_sweep(plan)
    assert ds.sizes["carbon_price"] == 2 and np.isfinite(ds.total_cost_cny.values).all()
    parts = sorted(plan.folder.glob("*.nc"))
    assert len(parts) == 2
    for part in parts:
        with xr.open_dataset(part) as point:
            assert point.attrs["decomposition_method"] == "benders" and point.attrs["decomposition_subperiods"] == 2


def test_warm_start_without_tsam_plans_on_days_sampled_evenly(monkeypatch):
    from energymodel.decompose import warm_start

    monkeypatch.setattr(warm_start, "tsam_available", lambda: False)
    assert warm_start.reduced_year(2, 14) == {"representative_days": None, "every_nth_day": 7}
    config = two_weeks(solver={"options": {"threads": 1}, "decomposition": {"gap": 1e-5, "warm_start_days": 2}})
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    ds = run_config(config)
    assert ds.attrs["decomposition_gap"] <= 1e-5
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)


def test_representative_days_on_the_command_line_solve_one_lp(tmp_path):
    """The default run file decomposes; --representative-days makes it one small LP instead of an error."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
    raw.update(dataset=str(ROOT / "data" / "china-2030"), output=str(tmp_path / "out.nc"))
    raw["solver"]["decomposition"] = {"workers": 1}
    run = tmp_path / "run.yaml"
    run.write_text(yaml.safe_dump(raw))
    result = CliRunner().invoke(main, ["run", str(run), "-q", "--no-summary", "--representative-days", "2"])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "out.nc") as ds:
        assert "decomposition_method" not in ds.attrs and ds.sizes["time"] == 48
    result = CliRunner().invoke(main, ["run", str(run), "-q", "--overwrite", "--set", "hours.representative_days=2"])
    assert result.exit_code == 2 and "drop solver.decomposition" in result.output


def blending_two_weeks():
    """Hand case: two weeks (336 h of 1 h each), one expandable gas turbine (efficiency 0.5) that may burn any share
    of hydrogen, green hydrogen at 20 CNY/kg (at most 2,000 t/yr) and a CO2 cap of 13,000 t, which binds: with natural
    gas alone the turbine would emit 0.05 t/GJ x 7.2 GJ/MWh x 36,960 MWh = 13,305.6 t, so it burns some hydrogen.
    (frame, one LP's SolveInfo, compiled LP, partition by week)."""
    hours = np.arange(336)
    demand = 100.0 + 60.0 * np.sin(2 * np.pi * hours / 24) + 20.0 * (hours >= 168)  # MW; the second week higher
    turbine = {**TURBINE, "existing_mw": 0.0, "max_mw": float("inf")}
    run = hand_config(hydrogen={"mode": "max"}, carbon={"cap_t_per_yr": 1.3e4})
    data = inputs_from_tables(run, SETTINGS, [turbine], H2_FUELS, list(demand), hydrogen_supply=[{**GREEN, "max_t_per_yr": 2000.0}])
    frame = build_model(data)
    one_lp = solve(frame, {})
    compiled = compile_lp(frame)
    top = penalty_ladder(compiled.lp.col_cost_, compiled.columns.hour >= 0)[-1]
    return frame, one_lp, compiled, partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), top)


def test_a_hydrogen_blend_gets_finite_cost_floors_and_carbon_budgets_from_the_relaxed_weeks():
    """The hydrogen heat column saves natural gas (-100 CNY/GJ) and its CO2 with no upper bound of its own (the blend
    row bounds it), so its column bounds give neither a week's cost nor its CO2 a floor (the six grids' case). The
    relaxed weeks give finite ones, below each week's cost and CO2 at the optimum, and the decomposition reaches the
    one LP's objective."""
    frame, one_lp, compiled, part = blending_two_weeks()
    ds = build_dataset(frame, {})
    assert float(ds.carbon_shadow_price_cny_per_t) > 1.0 and float(ds.h2_use_t_per_h.sum()) > 0, "the cap does not bind"
    weekly_co2_t = np.add.reduceat(ds.emissions_t_per_h.values, [0, 168])
    assert [_interval_min(s.cost, s.col_lower, s.col_upper) for s in part.subproblems] == [-np.inf, -np.inf]
    assert all(NO_FLOOR < s.cost_floor < np.inf for s in part.subproblems)
    carbon = np.flatnonzero(compiled.rows.family[part.budget_rows] == compiled.rows.families.index("carbon_cap"))
    first_budget = len(part.master_cols) + len(part.linking_cols)
    # hydrogen could replace all the gas within the relaxation's box: the least CO2 of a week is 0 (less the margin)
    assert part.z_lower[first_budget + carbon] == pytest.approx([0.0, 0.0], abs=2e-6)
    assert np.all(part.z_lower[first_budget + carbon] <= weekly_co2_t[part.budget_sub[carbon]])
    outcome = run_benders(part, LocalSubproblems(part.subproblems, {}), gap=1e-6)
    assert outcome.converged and outcome.upper == pytest.approx(one_lp.objective_cny, rel=1e-5)
    for sub, values, _ in outcome.solutions:
        assert sub.cost_floor <= float(sub.cost @ values) * (1 + 1e-9)


def test_a_relaxed_week_whose_interior_point_stops_short_is_solved_by_dual_simplex(monkeypatch):
    """IPX can stall on a relaxed week (a 2050 week of the pathway: 30,847 iterations in 60 s, and no end). With
    one interior-point iteration allowed, none of the blending case's relaxed weeks is solved by interior point: dual
    simplex gives the same cost floors and CO2 budgets' lower bounds (without it they would be -1e18 and -inf)."""
    *_, part = blending_two_weeks()
    # (presolve off: it solves these small weeks before the interior point starts)
    monkeypatch.setattr(
        partition_module, "RELAXED_OPTIONS", {**partition_module.RELAXED_OPTIONS, "ipm_iteration_limit": 1, "presolve": "off"}
    )
    simplex_runs = []
    run = partition_module.RelaxedSubproblem._run
    monkeypatch.setattr(partition_module.RelaxedSubproblem, "_run", lambda self, solver: simplex_runs.append(solver) or run(self, solver))
    *_, stalled = blending_two_weeks()
    assert simplex_runs.count("simplex") == simplex_runs.count("ipm") > 0
    floors = [s.cost_floor for s in part.subproblems]
    assert all(NO_FLOOR < f for f in floors)
    assert [s.cost_floor for s in stalled.subproblems] == pytest.approx(floors, rel=1e-6)
    first_budget = len(part.master_cols) + len(part.linking_cols)
    assert stalled.z_lower[first_budget:] == pytest.approx(part.z_lower[first_budget:], rel=1e-6, abs=1e-5)
    assert np.isfinite(stalled.z_lower[first_budget:]).any()


def test_a_warm_resolve_that_takes_too_long_is_solved_cold_to_the_same_optimum(monkeypatch):
    """With no time allowed for warm re-solves, the subproblems' re-solves are stopped at once and solved cold (from
    no basis): the decomposition reaches the one LP's objective all the same."""
    _, one_lp, _, part = blending_two_weeks()
    monkeypatch.setattr(benders, "WARM_TIME_FACTOR", 0.0)
    monkeypatch.setattr(benders, "LEAST_WARM_TIME_S", 0.0)
    cold = []
    clear = highspy.Highs.clearSolver
    monkeypatch.setattr(highspy.Highs, "clearSolver", lambda h: cold.append(1) or clear(h))
    outcome = run_benders(part, LocalSubproblems(part.subproblems, {}), gap=1e-6)
    assert outcome.converged and outcome.upper == pytest.approx(one_lp.objective_cny, rel=1e-5)
    re_solves = len(part.subproblems) * (len(outcome.iterations) - 1)
    # a re-solve whose last basis is still optimal ends before HiGHS looks at the clock; most are stopped and go cold
    assert re_solves / 2 < len(cold) <= re_solves, "the warm re-solves were not stopped"


def test_a_thread_count_in_the_solver_options_holds_after_the_relaxed_weeks():
    """The relaxed weeks (the cost floors, partition.py) are solved before the master: HiGHS sizes its thread pool at a
    process's first solve, so a later ``threads`` option that differs from it stopped the master with 'Not Set'
    (the default run, threads: 2, on a 2-core machine). The pool is sized again for the run's own options."""
    from energymodel.config import DecompositionConfig
    from energymodel.decompose import solve_decomposed

    frame, one_lp, _, _ = blending_two_weeks()
    threads = (os.cpu_count() or 1) // 2 + 2  # not HiGHS's default pool (half the cores), so a stale pool refuses it
    settings = DecompositionConfig(subperiod_days=7, gap=1e-6, warm_start_days=0)
    info, done = solve_decomposed(frame, settings, {"threads": threads})
    assert done.converged and info.objective_cny == pytest.approx(one_lp.objective_cny, rel=1e-5)


def reservoir_two_weeks():
    """Hand case: two weeks of 150 MW demand, a gas backup and a reservoir (100 MW existing, expandable to 300 MW,
    500 h of storage, inflow 0.3 + 0.2 sin(2 pi t / 336) MWh/h per MW: a wet first week, a dry second one)."""
    hours = np.arange(336)
    inflow = 0.3 + 0.2 * np.sin(2 * np.pi * hours / 336)
    backup = {"name": "backup", "family": "thermal", "fuel": "natural_gas", "efficiency": 0.5, "lifetime_yr": 1}
    backup.update(capex_cny_per_kw=0, existing_mw=1000, max_mw=1000)
    hydro = {"name": "hydro", "family": "reservoir_hydro", "existing_mw": 100, "max_mw": 300, "capex_cny_per_kw": 1000}
    hydro.update(lifetime_yr=30, energy_to_power_h=500.0, min_level_fraction=0.1)
    data = inputs_from_tables(hand_config(), SETTINGS, [backup, hydro], FUELS, [150.0] * 336, inflow_per_mw={"hydro": list(inflow)})
    frame = build_model(data)
    compiled = compile_lp(frame)
    part = partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), 1e5)
    return frame, compiled, part, inflow


def test_each_week_tells_the_master_how_far_its_inflow_can_fill_the_reservoir():
    """Summed over a week, the reservoir's balance leaves level[end] - level[start] = sum_t (inflow_t P - generation_t
    - spill_t) <= sum_t inflow_t (100 MW + new MW): a master row over the boundary levels and the new capacity. Spill
    is unbounded, so a week can lower the level as far as it likes: no row from below. Benders with them reaches the
    one LP's cost."""
    frame, compiled, part, inflow = reservoir_two_weeks()
    cols = compiled.columns
    name = [cols.families[cols.family[c]] for c in np.r_[part.master_cols, part.linking_cols]]
    new_hydro = [
        i for i, c in enumerate(part.master_cols) if name[i] == "new_capacity_mw" and cols.keys[cols.family[c]][cols.key[c]] == ("hydro",)
    ]
    end_of = {int(cols.hour[c]): len(part.master_cols) + i for i, c in enumerate(part.linking_cols)}
    assert sorted(end_of) == [167, 335] and all(n == "reservoir_level_mwh" for n in name[len(part.master_cols) :])
    n = len(part.master_row_ids)
    rows = part.master_matrix[n:].toarray()
    assert len(rows) == 2
    for week, (start, end) in enumerate([(335, 167), (167, 335)]):  # levels are cyclic: week 1 starts where week 2 ends
        wet = inflow[168 * week : 168 * (week + 1)].sum()
        expected = np.zeros(part.n_master)
        expected[end_of[end]], expected[end_of[start]], expected[new_hydro[0]] = 1.0, -1.0, -wet
        match = [i for i in range(2) if np.allclose(rows[i], expected, rtol=1e-12)]
        assert len(match) == 1, f"week {week + 1}: no row {expected}"
        assert part.master_upper[n + match[0]] == pytest.approx(100.0 * wet, rel=1e-12)
        assert part.master_lower[n + match[0]] == -np.inf
    one_lp = solve(frame, {})
    outcome = run_benders(part, LocalSubproblems(part.subproblems, {}), gap=1e-6)
    assert outcome.converged and outcome.upper == pytest.approx(one_lp.objective_cny, rel=1e-5)


def test_the_reach_rows_hold_at_the_one_lps_optimum():
    """Valid rows: the default run's two weeks (storage, pumped hydro, reservoirs, unit commitment, ramps) give rows
    over capacities and boundary values that the one LP's optimum satisfies."""
    frame = build_model(load_inputs(two_weeks()))
    compiled = compile_lp(frame)
    part = partition(compiled.lp, compiled.rows, compiled.columns, subperiods(frame.period_of, 168), 1e5)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(compiled.lp)
    h.run()
    x = np.asarray(h.getSolution().col_value)
    n = len(part.master_row_ids)
    reach = part.master_matrix[n:]
    families = {
        compiled.columns.families[compiled.columns.family[c]]
        for c in part.linking_cols[reach.indices[reach.indices >= len(part.master_cols)] - len(part.master_cols)]
    }
    assert reach.shape[0] >= 2 and "reservoir_level_mwh" in families, "a row per week for at least the reservoir"
    z = np.zeros(part.n_master)
    z[: len(part.master_cols) + len(part.linking_cols)] = x[np.r_[part.master_cols, part.linking_cols]]
    activity = reach @ z
    tolerance = 1e-6 * np.maximum(1.0, np.abs(activity))
    assert np.all(activity <= part.master_upper[n:] + tolerance) and np.all(activity >= part.master_lower[n:] - tolerance)
