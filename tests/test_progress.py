"""Progress on stderr: messages through logging, --quiet, --verbose (the HiGHS log), spinners and bars."""

import io
import logging
import re

import yaml
from click.testing import CliRunner
from conftest import DATASET, summer_week_run
from rich.console import Console

from energymodel import progress
from energymodel.cli import main
from energymodel.config import load_run
from energymodel.runner import run_config
from energymodel.sweep import plan_sweep, run_sweep

TWO_DAYS = {"start": "2030-07-15", "end": "2030-07-16"}


def _run(tmp_path, *options):
    run_file = summer_week_run(tmp_path, hours=TWO_DAYS)
    result = CliRunner().invoke(main, ["run", str(run_file), "--no-summary", *options])
    assert result.exit_code == 0, result.output
    assert f"results: {tmp_path / 'out.nc'}" in result.stdout
    return result


def test_progress_goes_to_stderr_and_not_stdout(tmp_path):
    result = _run(tmp_path)
    for step in ("loading dataset", "building the model", "solved", "wrote"):
        assert step in result.stderr and step not in result.stdout
    assert re.search(r"^\[ +\d+\.\d s\] loading dataset", result.stderr, flags=re.M)
    assert "Running HiGHS" not in result.output  # the HiGHS log only with --verbose
    assert logging.getLogger("energymodel").handlers == []  # the command removes its handler


def test_quiet_prints_nothing_on_stderr(tmp_path):
    result = _run(tmp_path, "--quiet")
    assert result.stderr == ""


def test_verbose_shows_the_highs_log_on_stderr(tmp_path):
    result = _run(tmp_path, "--verbose")
    assert "Running HiGHS" in result.stderr and "Coefficient ranges" in result.stderr
    assert "Model status" in result.stderr and "Optimal" in result.stderr
    assert "Running HiGHS" not in result.stdout
    assert "loading dataset" in result.stderr


def test_library_runs_log_on_module_loggers(tmp_path, caplog):
    config = load_run(summer_week_run(tmp_path, hours=TWO_DAYS))
    messages = []
    with caplog.at_level(logging.INFO, logger="energymodel"):
        run_config(config, progress=messages.append)
    runner = [r.getMessage() for r in caplog.records if r.name == "energymodel.runner"]
    assert runner == messages  # every message logged, and handed to the optional callback
    assert any(m.startswith("solved: ") for m in runner)


def test_terminal_shows_spinners_and_a_sweep_bar(tmp_path):
    run = {
        "name": "s",
        "dataset": str(DATASET),
        "output": str(tmp_path / "s.nc"),
        "hours": TWO_DAYS,
        "hydrogen": {"blend_vol_fraction": 0.0},
        "solver": {"options": {"threads": 1}},
        "sweep": {"h2_blend": [0.0, 0.2]},
    }
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(run))
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with progress.cli(console=console):
        run_config(load_run(summer_week_run(tmp_path, hours=TWO_DAYS)))
        run_sweep(plan_sweep(tmp_path / "s.yaml"))
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "solving with HiGHS" in text and "building the model" in text  # spinners
    assert "solving sweep points" in text and "2/2" in text  # the bar over points
    assert "point 2/2 (h2_blend=0.2) optimal" in text  # log lines above the display
    quiet = io.StringIO()
    with progress.cli(quiet=True, console=Console(file=quiet, force_terminal=True)):
        run_config(load_run(summer_week_run(tmp_path, hours=TWO_DAYS)))
    assert quiet.getvalue() == ""
