"""Sweeps: equal to independent runs, resumable, on Dask, robust to failing points."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from conftest import DATASET

from energymodel.cli import main
from energymodel.config import load_run
from energymodel.physics import h2_energy_share
from energymodel.runner import run_config
from energymodel.sweep import parse_values, plan_sweep, run_sweep

BASE = {
    "name": "study",
    "dataset": str(DATASET),
    "carbon": {"cap_t_per_yr": 3.0e9},
    "hydrogen": {"blend_vol_fraction": 0.0, "mode": "fixed"},
    "hours": {"every_nth_day": 61},
    "solver": {"options": {"threads": 1}},
}


def _write(tmp_path: Path, **changes) -> Path:
    run = {**BASE, "output": str(tmp_path / "study.nc"), **changes}
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


def test_parse_values():
    assert parse_values("0,0.1,0.5") == [0, 0.1, 0.5]
    assert parse_values("0:1:0.25") == [0, 0.25, 0.5, 0.75, 1.0]
    assert parse_values("4e9,none") == [4e9, None]
    assert parse_values([0.1, "none"]) == [0.1, None]
    with pytest.raises(ValueError):
        parse_values("1:0:0.1")


def test_sweep_equals_independent_runs(tmp_path):
    run_file = _write(tmp_path, sweep={"h2_blend": [0.0, 0.2, 0.5]})
    ds = run_sweep(plan_sweep(run_file))
    for blend in (0.0, 0.2, 0.5):
        config = load_run(run_file)  # options are frozen: a changed option is a new config
        config = config.model_copy(update={"hydrogen": config.hydrogen.model_copy(update={"blend_vol_fraction": blend})})
        single = run_config(config)
        point = ds.sel(h2_blend=blend, region="china")
        assert float(point.total_cost_cny) == pytest.approx(float(single.total_cost_cny), rel=1e-7)
        assert float(point.emissions_total_t) == pytest.approx(float(single.emissions_total_t), rel=1e-6)
        # blend physics at every point: realised energy share of the fixed blend
        share = point.h2_blend_energy_share.sel(technology="gas_ccgt")
        if float(point.energy_mwh.sel(technology="gas_ccgt")) > 0:
            assert float(share) == pytest.approx(h2_energy_share(blend), abs=1e-9)
    assert set(ds.status.values.ravel()) == {"optimal"}
    assert ds.generation_mw.dims[0] == "h2_blend"
    assert (tmp_path / "study-sweep.nc").is_file()


def test_deleted_part_is_recomputed_alone(tmp_path):
    run_file = _write(tmp_path)
    plan = plan_sweep(run_file, ["h2_blend=0,0.3", "carbon_price=0,200"])
    first = run_sweep(plan)
    parts = sorted(plan.folder.glob("point-*.nc"))
    assert len(parts) == 4
    victim = parts[2]
    kept = {p: p.stat().st_mtime_ns for p in parts if p != victim}
    victim.unlink()
    messages = []
    again = run_sweep(plan_sweep(run_file, ["h2_blend=0,0.3", "carbon_price=0,200"]), progress=messages.append, overwrite=True)
    assert victim.is_file()
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    assert sum("optimal in" in m for m in messages) == 1
    np.testing.assert_allclose(again.total_cost_cny, first.total_cost_cny, rtol=1e-9)


def test_dask_local_cluster_with_two_workers(tmp_path):
    run_file = _write(tmp_path, sweep={"h2_blend": [0.0, 0.1], "carbon_cap": [3.0e9, 3.5e9]})
    messages = []
    ds = run_sweep(plan_sweep(run_file), workers=2, annual_only=True, progress=messages.append)
    assert any("local Dask cluster with 2 worker" in m for m in messages)
    assert ds.sizes == {**ds.sizes, "h2_blend": 2, "carbon_cap": 2}
    assert "time" not in ds.dims
    assert bool((ds.emissions_total_t <= ds.carbon_cap * (1 + 1e-6)).all())
    (tmp_path / "serial").mkdir()
    serial_file = _write(tmp_path / "serial", sweep={"h2_blend": [0.0, 0.1], "carbon_cap": [3.0e9, 3.5e9]})
    serial = run_sweep(plan_sweep(serial_file), annual_only=True)
    np.testing.assert_allclose(ds.total_cost_cny, serial.total_cost_cny, rtol=1e-7)


def test_failing_point_is_recorded_and_others_finish(tmp_path):
    # Without lost load, a cap far below what the fleet can reach is infeasible.
    run_file = _write(tmp_path, overrides={"settings": {"value_of_lost_load_cny_per_mwh": None}}, sweep={"carbon_cap": [3.0e9, 1.0e6]})
    result = CliRunner().invoke(main, ["sweep", str(run_file)])
    assert result.exit_code == 0, result.output
    assert "failed" in result.output and "Infeasible" in result.output
    from energymodel.results import open_results

    ds = open_results(tmp_path / "study-sweep.nc")
    assert ds.status.sel(carbon_cap=3.0e9) == "optimal"
    assert ds.status.sel(carbon_cap=1.0e6) == "failed"
    assert "infeasible" in str(ds.message.sel(carbon_cap=1.0e6).values).lower()
    assert np.isnan(float(ds.total_cost_cny.sel(carbon_cap=1.0e6)))
    assert ds.attrs["points_failed"] == 1
    summary = CliRunner().invoke(main, ["summary", str(tmp_path / "study-sweep.nc")])
    assert summary.exit_code == 0 and "failed" in summary.output


def test_bad_sweep_values_are_reported_before_solving(tmp_path):
    run_file = _write(tmp_path)
    result = CliRunner().invoke(main, ["sweep", str(run_file), "--set", "h2_blend=0,1.5", "--set", "carbon_cap=oops"])
    assert result.exit_code == 2
    assert "h2_blend=1.5" in result.output and "hydrogen.blend_vol_fraction" in result.output
    assert "carbon.cap_t_per_yr" in result.output
    assert not (tmp_path / "study-sweep.nc").exists()


def test_abatement_against_zero_blend_without_cap(tmp_path):
    # Without coal, gas turbines carry the residual load; with no cap and a fixed blend, each tonne
    # avoided costs the price gap between hydrogen and gas per tonne of gas CO2.
    no_coal = {
        "technologies": {
            "coal": {"existing_mw": 0, "max_mw": 0},
            "coal_chp": {"existing_mw": 0, "max_mw": 0},  # the days below need no district heat
            "coal_usc": {"max_mw": 0},  # and no carbon capture
            **{g: {"max_mw": 0} for g in ("coal_ccs", "coal_ccs_retrofit", "gas_ccs", "gas_ccs_retrofit")},
        }
    }
    summer = {"every_nth_day": 61, "start": "2030-04-01", "end": "2030-10-31"}  # outside the heating season
    run_file = _write(tmp_path, carbon={"cap_t_per_yr": None}, overrides=no_coal, sweep={"h2_blend": [0.0, 0.3]}, hours=summer)
    ds = run_sweep(plan_sweep(run_file), annual_only=True)
    assert float(ds.h2_use_t.sel(h2_blend=0.3)) > 0
    assert float(ds.co2_abated_t.sel(h2_blend=0.0)) == 0
    point = ds.sel(h2_blend=0.3)
    heat_gj = float(point.fuel_use_gj.sel(fuel=["natural_gas", "hydrogen"]).sum())
    # CO2 only from the natural-gas share (1 - e) of the heat input
    assert float(point.emissions_total_t) == pytest.approx((1 - h2_energy_share(0.3)) * heat_gj * 0.0561, rel=1e-6)
    abated = float(point.co2_abated_t)
    assert abated > 0
    assert float(point.abatement_cost_cny_per_t) == pytest.approx(float(point.extra_cost_cny) / abated, rel=1e-9)
    # at least the fuel-price gap per tonne is paid, less the savings from using less gas overall
    assert 0 < float(point.abatement_cost_cny_per_t) < (166.72 - 69.85) / 0.0561 * 1.01


def test_abatement_plot_from_cli(tmp_path):
    run_file = _write(tmp_path, carbon={"cap_t_per_yr": None}, sweep={"h2_blend": [0.0, 0.5], "carbon_price": [0, 100]})
    assert CliRunner().invoke(main, ["sweep", str(run_file), "--annual-only", "-q"]).exit_code == 0
    png = tmp_path / "fig" / "abatement.png"
    result = CliRunner().invoke(main, ["plot", str(tmp_path / "study-sweep.nc"), "--kind", "abatement", "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_abatement_plot_needs_a_blend_sweep(tmp_path):
    run_file = _write(tmp_path, sweep={"carbon_price": [0, 100]})
    assert CliRunner().invoke(main, ["sweep", str(run_file), "--annual-only", "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["plot", str(tmp_path / "study-sweep.nc"), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "h2_blend" in result.output
    assert not (tmp_path / "x.png").exists()


def test_warm_re_solve_starts_from_the_previous_basis_and_sees_new_parameters(tmp_path):
    """Re-solving an unchanged point needs no simplex iteration; a changed carbon price changes the answer
    exactly as a cold run with that price does."""
    from energymodel.inputs import load_inputs
    from energymodel.session import ModelSession

    config = load_run(_write(tmp_path, solver={"options": {"threads": 1, "solver": "simplex"}}))
    session = ModelSession(load_inputs(config), frozenset({"carbon.price_cny_per_t"}))
    first = session.solve_point(config, {"carbon.price_cny_per_t": 0})
    cold_iterations = session.solver.highs.getInfo().simplex_iteration_count
    again = session.solve_point(config, {"carbon.price_cny_per_t": 0})
    assert cold_iterations > 100 and session.solver.highs.getInfo().simplex_iteration_count == 0
    assert float(again.total_cost_cny) == pytest.approx(float(first.total_cost_cny), rel=1e-12)
    priced = session.solve_point(config, {"carbon.price_cny_per_t": 200})
    config = config.model_copy(update={"carbon": config.carbon.model_copy(update={"price_cny_per_t": 200})})
    single = run_config(config)
    assert float(priced.total_cost_cny) == pytest.approx(float(single.total_cost_cny), rel=1e-7)
    assert float(priced.total_cost_cny) > float(first.total_cost_cny)
