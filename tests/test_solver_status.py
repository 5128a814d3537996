"""The solver's status line: iteration, objective and infeasibilities from HiGHS's log while it solves.

On a terminal the spinner's line shows them (a few refreshes a second, and always the last numbers
once); on a file or pipe a plain log line every ``progress.PLAIN_INTERVAL_S`` seconds (set to 0 here,
so that no test depends on how long a solve takes); ``--quiet`` and library calls show nothing.
"""

import io
import os
import re
import select
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner
from conftest import DATASET, summer_week_run
from rich.console import Console

from energymodel import progress
from energymodel.cli import main
from energymodel.config import load_run
from energymodel.progress import SolverStatus
from energymodel.runner import run_config
from energymodel.sweep import plan_sweep, run_sweep

TWO_WEEKS = {"start": "2030-07-08", "end": "2030-07-21"}
TWO_DAYS = {"start": "2030-07-15", "end": "2030-07-16"}
SIMPLEX = r"dual simplex · iteration [\d,]+ · objective \d\.\d{4}e\+\d\d · primal inf \S+(?: · dual inf \S+)?"


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.fixture
def every_line(monkeypatch):
    """A plain status line for every iteration line HiGHS logs (instead of one every 15 s)."""
    monkeypatch.setattr(progress, "PLAIN_INTERVAL_S", 0.0)


def test_simplex_log_lines_become_a_status():
    status = SolverStatus()
    assert str(status) == ""  # nothing known yet
    for line in ("Using dual simplex solver", "  Iteration        Objective     Infeasibilities num(sum)"):
        status.feed(line)
    assert str(status) == "dual simplex"
    status.feed("      48213     1.2345000000e+12 Pr: 2016(3.2e+04); Du: 0(0) 151.2s")
    assert str(status) == "dual simplex · iteration 48,213 · objective 1.2345e+12 · primal inf 3.2e+04 · dual inf 0"
    status.feed("          0     3.5780000000e+11 Pr: 2016(8.92302e+09) 0.1s")  # no dual part: none shown
    assert str(status) == "dual simplex · iteration 0 · objective 3.5780e+11 · primal inf 8.9e+09"


def test_interior_point_log_lines_become_a_status():
    status = SolverStatus()
    status.feed("Interior point solve")
    status.feed(" Iter       primal obj         dual obj       pinf       dinf       gap      time")
    status.feed("  12    1.25670315e+13  -1.56546634e+13   1.95e-08   4.68e-07  1.83e+01       0.9")
    assert str(status) == "interior point · iteration 12 · objective 1.2567e+13 · gap 1.8e+01 · primal inf 1.9e-08 · dual inf 4.7e-07"
    status.feed("  35*   2.42466338e+12   2.42466337e+12   3.35e-16   5.61e-16  5.44e-09       3.2")
    assert "iteration 35 · objective 2.4247e+12 · gap 5.4e-09" in str(status)
    status.feed("Running crossover as requested")
    assert str(status) == "crossover · objective 2.4247e+12"  # the IPM's last objective, not its iterations
    for line in ("19241 rows, 17235 cols, 62419 nonzeros 0s", "Model status        : Optimal", "HiGHS run time      :          0.77"):
        status.feed(line)  # other lines change nothing
    assert str(status) == "crossover · objective 2.4247e+12"


def test_log_file_gets_status_lines_with_iteration_and_objective(tmp_path, every_line):
    run_file = summer_week_run(tmp_path, hours=TWO_WEEKS)
    result = CliRunner().invoke(main, ["run", str(run_file), "--no-summary"])
    assert result.exit_code == 0, result.output
    lines = re.findall(rf"^\[ +\d+\.\d s\] solving with HiGHS: {SIMPLEX} \(\d+:\d\d\)$", result.stderr, flags=re.M)
    assert lines, result.stderr
    assert "solving with HiGHS:" not in result.stdout
    iteration, objective = re.search(r"iteration ([\d,]+) · objective (\S+)", lines[-1]).groups()
    assert int(iteration.replace(",", "")) > 0
    assert f"solved: convergenceCriteriaSatisfied, objective {objective} CNY/yr" in result.stderr  # the last line: the end


def test_a_short_solve_adds_no_status_line_to_a_log_file(tmp_path):
    result = CliRunner().invoke(main, ["run", str(summer_week_run(tmp_path, hours=TWO_DAYS)), "--no-summary"])
    assert result.exit_code == 0, result.output
    assert "solving with HiGHS:" not in result.stderr  # one line every 15 s at most: none for a second's solve


def test_quiet_shows_no_status_and_verbose_keeps_the_full_log(tmp_path, every_line):
    run_file = summer_week_run(tmp_path, hours=TWO_DAYS)
    quiet = CliRunner().invoke(main, ["run", str(run_file), "--no-summary", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = CliRunner().invoke(main, ["run", str(run_file), "--no-summary", "-v", "--overwrite"])
    assert verbose.exit_code == 0, verbose.output
    assert "Running HiGHS" in verbose.stderr and "Iteration        Objective" in verbose.stderr
    assert "solving with HiGHS:" not in verbose.stderr  # the log itself has the numbers


def test_terminal_status_line_shows_interior_point_numbers(tmp_path):
    run_file = summer_week_run(tmp_path, hours=TWO_WEEKS, solver={"options": {"threads": 1, "solver": "ipm"}})
    screen = io.StringIO()
    with progress.cli(console=Console(file=screen, force_terminal=True, width=200)):
        run_config(load_run(run_file))
    text = _plain(screen.getvalue())
    found = re.findall(
        r"solving with HiGHS · interior point · iteration (\d+) · objective \S+ · gap \S+ · primal inf \S+ · dual inf \S+", text
    )
    assert found and int(found[-1]) > 0, text[-2000:]
    assert re.search(r"solving with HiGHS · (interior point|crossover|dual simplex)[^\n\r]* \d:\d\d:\d\d", text)  # and the time
    quiet = io.StringIO()
    with progress.cli(quiet=True, console=Console(file=quiet, force_terminal=True)):
        run_config(load_run(run_file))
    assert quiet.getvalue() == ""


def test_status_line_in_a_pseudo_terminal(tmp_path):
    """The real command with stderr on a pseudo-terminal: rich animates the line, HiGHS's numbers in it."""
    run_file = summer_week_run(tmp_path, hours=TWO_WEEKS)
    leader, follower = os.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-c", "from energymodel.cli import main; main()", "run", str(run_file), "--no-summary"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    screen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command has exited and closed its end
                break
            if not chunk:
                break
            screen += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    stdout = process.stdout.read().decode()
    assert process.wait() == 0, _plain(screen.decode(errors="replace"))[-3000:]
    text = _plain(screen.decode(errors="replace"))
    assert re.search(rf"solving with HiGHS · {SIMPLEX}", text), text[-3000:]
    assert "results:" in stdout and "iteration" not in stdout


def test_library_runs_print_nothing(tmp_path, capfd, every_line):
    run_config(load_run(summer_week_run(tmp_path, hours=TWO_DAYS)))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_sweep_points_in_this_process_show_the_status_on_the_bar(tmp_path):
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
    with progress.cli(console=Console(file=screen, force_terminal=True, width=250)):
        run_sweep(plan_sweep(tmp_path / "s.yaml"))
    text = _plain(screen.getvalue())
    assert re.search(rf"solving sweep points .* · h2_blend=0\.0 · {SIMPLEX}", text), text[-3000:]
    assert re.search(r"solving sweep points .* · h2_blend=0\.2", text)  # a warm start may log no iteration
    assert "point 2/2 (h2_blend=0.2) optimal" in text


def test_sweep_points_get_plain_status_lines_in_a_log(tmp_path, every_line):
    run_file = summer_week_run(tmp_path, hours=TWO_DAYS, sweep={"h2_blend": [0.0, 0.2]})
    result = CliRunner().invoke(main, ["sweep", str(run_file)])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^\[ +\d+\.\d s\] h2_blend=0\.0: {SIMPLEX}", result.stderr, flags=re.M), result.stderr
