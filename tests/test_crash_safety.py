"""Crash safety: SIGKILL runs and sweeps at random moments; nothing is left half-written or lost."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import summer_week_run

from energymodel.reading import load_netcdf
from energymodel.results import open_results

CLI = [sys.executable, "-c", "from energymodel.cli import main; main()"]


def _kill_after(cmd, seconds: float, cwd) -> int:
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode


def _run_file(tmp_path, **extra):
    return summer_week_run(tmp_path, carbon={"cap_t_per_yr": 3e9}, **extra)


def test_killed_runs_leave_old_results_intact_or_new_ones_complete(tmp_path):
    path = _run_file(tmp_path)
    assert subprocess.run(CLI + ["run", str(path), "--no-summary"], cwd=tmp_path, capture_output=True).returncode == 0
    reference = open_results(tmp_path / "out.nc")
    rng = random.Random(20261126)
    start = time.perf_counter()
    subprocess.run(CLI + ["run", str(path), "--no-summary", "--overwrite"], cwd=tmp_path, capture_output=True)
    full = time.perf_counter() - start  # how long a whole run takes here, to spread the kills over it
    for _ in range(4):
        _kill_after(CLI + ["run", str(path), "--no-summary", "--overwrite"], rng.uniform(0.05, 1.0) * full, tmp_path)
        ds = open_results(tmp_path / "out.nc")  # must open: either the old file or a complete new one
        assert float(ds.total_cost_cny) == pytest.approx(float(reference.total_cost_cny), rel=1e-9)
        assert ds.generation_mw.shape == reference.generation_mw.shape
    assert subprocess.run(CLI + ["run", str(path), "--no-summary", "--overwrite"], cwd=tmp_path, capture_output=True).returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".nc" and p.name != "out.nc"]


def test_killed_sweep_keeps_finished_points_and_resumes(tmp_path):
    path = _run_file(tmp_path, sweep={"h2_blend": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]}, output=str(tmp_path / "s.nc"))
    rng = random.Random(7)
    for _ in range(3):
        _kill_after(CLI + ["sweep", str(path), "--annual-only"], rng.uniform(2.0, 6.0), tmp_path)
        for part in (tmp_path / "s-sweep.parts").glob("*.nc"):
            assert float(load_netcdf(part).total_cost_cny) > 0  # every part file on disk is complete (read as sweep.py reads parts)
    done = subprocess.run(CLI + ["sweep", str(path), "--annual-only"], cwd=tmp_path, capture_output=True, text=True)
    if done.returncode != 0 and "exists already" in done.stdout + done.stderr:  # a kill came after the combine
        done = subprocess.run(CLI + ["sweep", str(path), "--annual-only", "--overwrite"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    ds = open_results(tmp_path / "s-sweep.nc")
    assert ds.sizes["h2_blend"] == 6 and set(ds.status.values.ravel()) == {"optimal"}
    (tmp_path / "fresh").mkdir()
    fresh = _run_file(tmp_path / "fresh", sweep={"h2_blend": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]}, output=str(tmp_path / "fresh" / "s.nc"))
    assert subprocess.run(CLI + ["sweep", str(fresh), "--annual-only"], cwd=tmp_path / "fresh", capture_output=True).returncode == 0
    clean = open_results(tmp_path / "fresh" / "s-sweep.nc")
    assert ds.total_cost_cny.values == pytest.approx(clean.total_cost_cny.values, rel=1e-9)


def _dying_solve(group, data, mutable, point, annual_only):
    """On a Dask worker: the point at h2_blend 0.2 always kills its worker (SIGKILL), the one at 0.1 only
    the first time (a marker file in the test's folder, named by the environment), the others solve as usual."""
    from pathlib import Path

    from energymodel.sweep import solve_point

    blend = point.values["hydrogen.blend_vol_fraction"]
    marker = Path(os.environ["ENERGYMODEL_TEST_MARKERS"]) / f"killed-{blend}"
    if blend == 0.2 or (blend == 0.1 and not marker.exists()):
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return solve_point(group, data, mutable, point, annual_only)


def test_a_killed_dask_worker_is_retried_or_its_point_recorded_as_failed(tmp_path, monkeypatch):
    import cloudpickle
    import dask

    from energymodel import sweep

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    monkeypatch.setattr(sweep, "solve_point", _dying_solve)
    monkeypatch.setenv("ENERGYMODEL_TEST_MARKERS", str(tmp_path))  # the worker processes inherit it
    path = summer_week_run(tmp_path, sweep={"h2_blend": [0.0, 0.1, 0.2]}, hours={"start": "2030-07-15", "end": "2030-07-15"})
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # a point may kill two workers, not four
        ds = sweep.run_sweep(sweep.plan_sweep(path), workers=2, annual_only=True)
    assert list(ds.status.values) == ["optimal", "optimal", "error"]
    assert "worker" in str(ds.message.values[2]) and "died" in str(ds.message.values[2])
    assert (tmp_path / "killed-0.1").exists()  # the point at 0.1 did kill its first worker, and was solved on the next
    parts = sorted(p.name for p in (tmp_path / "out-sweep.parts").iterdir())
    assert len(parts) == 3 and not [p for p in parts if p.startswith(".")]  # no temporary, half-written part
    assert float(open_results(tmp_path / "out-sweep.nc").total_cost_cny.sel(h2_blend=0.1)) > 0
