"""Guard rails: existing results are never replaced unasked, limits are reported, numerics shown."""

from click.testing import CliRunner
from conftest import summer_week_run

from energymodel.cli import main
from energymodel.results import open_results

# primal simplex stopped after 2,000 iterations: feasible, not optimal (checked by hand: 3.42e12
# against the optimum 2.19e12 CNY/yr for this week)
STOPPED_EARLY = {"solver": "simplex", "simplex_strategy": 4, "simplex_iteration_limit": 2000, "presolve": "off", "threads": 1}


_run_file = summer_week_run


def test_existing_results_are_kept_unless_overwrite_is_given(tmp_path):
    path = _run_file(tmp_path)
    (tmp_path / "out.nc").write_bytes(b"last week's results")
    refused = CliRunner().invoke(main, ["run", str(path), "--no-summary"])
    assert refused.exit_code == 2
    assert "out.nc" in refused.output and "exists already" in refused.output and "--overwrite" in refused.output
    assert "building the model" not in refused.output  # refused before any work
    assert (tmp_path / "out.nc").read_bytes() == b"last week's results"
    replaced = CliRunner().invoke(main, ["run", str(path), "--no-summary", "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert float(open_results(tmp_path / "out.nc").total_cost_cny) > 0


def test_iteration_limit_is_reported_and_saved_only_when_accepted(tmp_path):
    path = _run_file(tmp_path, solver={"options": STOPPED_EARLY})
    failed = CliRunner().invoke(main, ["run", str(path), "--no-summary"])
    assert failed.exit_code == 3
    assert "iterationLimit" in failed.output and "primal feasible" in failed.output and "--accept-suboptimal" in failed.output
    assert not (tmp_path / "out.nc").exists()
    accepted = CliRunner().invoke(main, ["run", str(path), "--no-summary", "--accept-suboptimal"])
    assert accepted.exit_code == 0, accepted.output
    assert "not optimal" in accepted.output
    ds = open_results(tmp_path / "out.nc")
    assert ds.attrs["solver_status"] == "feasible" and ds.attrs["solver_termination"] == "iterationLimit"
    assert float(ds.total_cost_cny) > 2.2e12  # above the optimum of this week


def test_lp_ranges_are_reported_and_runs_are_deterministic(tmp_path):
    path = _run_file(tmp_path)
    first = CliRunner().invoke(main, ["run", str(path), "--no-summary"])
    assert first.exit_code == 0 and "LP coefficient ranges: matrix [" in first.output
    a = open_results(tmp_path / "out.nc")
    second = CliRunner().invoke(main, ["run", str(path), "--no-summary", "--overwrite"])
    assert second.exit_code == 0
    b = open_results(tmp_path / "out.nc")
    for name in ("total_cost_cny", "capacity_total_mw", "generation_mw", "marginal_price_cny_per_mwh", "emissions_total_t"):
        assert a[name].equals(b[name]), name  # the same input gives identical numbers
    assert a.attrs["lp_ranges"] == b.attrs["lp_ranges"]
