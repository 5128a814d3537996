"""The command line, end to end on a week of the shipped data (click's CliRunner)."""

import pytest
import xarray as xr
import yaml
from click.testing import CliRunner
from conftest import summer_week_run

from energymodel import plots
from energymodel.cli import cli_wording, default_run_file, main
from energymodel.errors import EnergyModelError, SolveError, option
from energymodel.export import export
from energymodel.results import open_results
from energymodel.runner import check_output, run_file
from energymodel.sweep import plan_sweep


def test_run_writes_results_and_prints_summary(week_run, tmp_path):
    result = CliRunner().invoke(main, ["run", str(week_run)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "week.nc"
    assert out.is_file()
    for text in ("Capacity and generation", "onshore_wind", "CO2 emissions", "total system cost", "hydrogen burnt", "results:"):
        assert text in result.output
    for step in ("loading dataset", "building the model", "solved", "wrote"):
        assert step in result.output  # progress goes to stderr, which CliRunner mixes in
    with xr.open_dataset(out) as ds:
        assert ds.sizes["time"] == 168
        assert ds.attrs["run_name"] == "week"


def test_output_option_and_summary_command(week_run, tmp_path):
    target = tmp_path / "elsewhere" / "r.nc"
    result = CliRunner().invoke(main, ["run", str(week_run), "-o", str(target), "--no-summary", "-q"])
    assert result.exit_code == 0, result.output
    assert target.is_file() and not (tmp_path / "week.nc").exists()
    assert "Capacity and generation" not in result.output
    summary = CliRunner().invoke(main, ["summary", str(target)])
    assert summary.exit_code == 0, summary.output
    assert "Capacity and generation" in summary.output and "cap 4,500.0 Mt/yr" in summary.output


def test_validate_ok(week_run):
    result = CliRunner().invoke(main, ["validate", str(week_run)])
    assert result.exit_code == 0
    assert "valid" in result.output and "168 modelled hours" in result.output


def test_summary_of_a_non_results_file(tmp_path):
    bogus = tmp_path / "x.nc"
    bogus.write_text("not netcdf")
    result = CliRunner().invoke(main, ["summary", str(bogus)])
    assert result.exit_code != 0 and "cannot be read" in result.output and "Traceback" not in result.output


def test_help_everywhere():
    for args in ([], ["run"], ["validate"], ["summary"]):
        result = CliRunner().invoke(main, args + ["--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_default_run_file_is_shipped():
    assert default_run_file().is_file()
    result = CliRunner().invoke(main, ["validate", str(default_run_file())])
    assert result.exit_code == 0, result.output
    assert "8760 modelled hours" in result.output


def test_run_set_changes_run_file_values(week_run, tmp_path):
    # --set reaches the model: a carbon price shows in the results, and operations switch on.
    result = CliRunner().invoke(
        main, ["run", str(week_run), "--no-summary", "-q", "--set", "carbon_price=600", "--set", "operations.unit_commitment=true"]
    )
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "week.nc") as ds:
        assert float(ds.carbon_price_cny_per_t) == 600
        assert "online_mw" in ds
        assert '"unit_commitment":true' in ds.attrs["run_config"]


def test_run_set_errors_name_the_item(week_run, tmp_path):
    result = CliRunner().invoke(main, ["run", str(week_run), "--set", "carbon.price_cny_per_t"])
    assert result.exit_code == 2 and "--set carbon.price_cny_per_t" in result.output and "PATH=VALUE" in result.output
    result = CliRunner().invoke(main, ["run", str(week_run), "--set", "carbon.price=600"])
    assert result.exit_code == 2 and "carbon.price" in result.output
    assert not (tmp_path / "week.nc").exists()


def test_library_errors_name_options_the_python_way_and_the_command_line_its_flags(tmp_path):
    """Command-line wording lives in cli.py: the library's errors name parameters (``point=``,
    ``overwrite=True`` ...), the same errors on the command line name the flags."""
    run = summer_week_run(tmp_path, hours={"start": "2030-07-15", "end": "2030-07-15"})
    _, results = run_file(run)
    ds = open_results(results)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.csv").write_text("x")
    (tmp_path / "stopped").mkdir()
    stopped = summer_week_run(tmp_path / "stopped", hours={"start": "2030-07-15", "end": "2030-07-15"})
    raw = yaml.safe_load(stopped.read_text())
    raw["solver"] = {
        "options": {"solver": "simplex", "simplex_strategy": 4, "simplex_iteration_limit": 300, "presolve": "off", "threads": 1}
    }
    stopped.write_text(yaml.safe_dump(raw))
    png = str(tmp_path / "x.png")
    cases = [  # the library call, its wording; the command, its wording
        (
            lambda: plots.plot(ds, "dispatch", png, point={"h2_blend": 0.3}),
            "point={'h2_blend': 0.3}: not a sweep dimension",
            ["plot", str(results), "--kind", "dispatch", "--select", "h2_blend=0.3", "-o", png],
            "--select h2_blend=0.3: not a sweep dimension",
        ),
        (
            lambda: plots.plot(ds, "dispatch", png, region="atlantis"),
            "region 'atlantis' is not in the results",
            ["plot", str(results), "--kind", "dispatch", "--region", "atlantis", "-o", png],
            "--region 'atlantis' is not in the results",
        ),
        (
            lambda: plots.plot(ds, "pathway", png, period=2040),
            "period: these results are one modelled year",
            ["plot", str(results), "--kind", "pathway", "--period", "2040", "-o", png],
            "--period: these results are one modelled year",
        ),
        (
            lambda: plots.plot(ds, "pathway", png),
            "kind='pathway' needs a pathway run",
            ["plot", str(results), "--kind", "pathway", "-o", png],
            "--kind pathway needs a pathway run",
        ),
        (
            lambda: plots.plot(ds, "abatement", png),
            "(a sweep with sets=['h2_blend=0,...'])",
            ["plot", str(results), "--kind", "abatement", "-o", png],
            "(a sweep with --set h2_blend=0,...)",
        ),
        (
            lambda: check_output(results, overwrite=False, source=str(run)),
            "exists already; pass overwrite=True to replace it, or choose another path with output",
            ["run", str(run), "--no-summary"],
            "exists already; pass --overwrite to replace it, or choose another path with -o",
        ),
        (
            lambda: run_file(run, changes={"carbon.cap_t_per_yr.x": 1}),
            "arguments: carbon.cap_t_per_yr.x: 'cap_t_per_yr' is not a section",
            ["run", str(run), "--set", "carbon.cap_t_per_yr.x=1"],
            "command line: carbon.cap_t_per_yr.x: 'cap_t_per_yr' is not a section",
        ),
        (
            lambda: plan_sweep(run, ["h2_blend"]),
            "arguments: sets=['h2_blend']: expected PATH=VALUES",
            ["sweep", str(run), "--set", "h2_blend"],
            "command line: --set h2_blend: expected PATH=VALUES",
        ),
        (
            lambda: plan_sweep(run),
            "nothing to sweep: give sets=['PATH=VALUES'] or a 'sweep:' section",
            ["sweep", str(run)],
            "nothing to sweep: give --set PATH=VALUES or a 'sweep:' section",
        ),
        (
            lambda: export(ds, tmp_path / "full"),
            "arguments: folder: exists already and is not empty; pass overwrite=True",
            ["export", str(results), "-o", str(tmp_path / "full")],
            "command line: --output: exists already and is not empty; pass --overwrite",
        ),
        (
            lambda: run_file(stopped),
            "rerun with accept_suboptimal=True to save the feasible point",
            ["run", str(stopped), "--no-summary", "-q"],
            "rerun with --accept-suboptimal to save the feasible point",
        ),
    ]
    for call, python_text, args, cli_text in cases:
        with pytest.raises(EnergyModelError) as info:
            call()
        message = str(info.value)
        assert python_text in message and "--" not in message and "command line" not in message, message
        assert "\x0e" not in message and "\x0f" not in message, message  # no option token left unrendered
        result = CliRunner().invoke(main, args)
        assert result.exit_code == info.value.exit_code and f"error: {cli_wording(info.value)}" in result.output, result.output
        assert cli_text in result.output and "Traceback" not in result.output, result.output
    # every option the library names has its flag here; one not in the table is spelt the click way
    assert cli_wording(SolveError(f"run with {option('tee', True)}; {option('annual_only', True)}")) == "run with --verbose; --annual-only"
    assert cli_wording(f"{option('retry_failed', True)} {option('time', '1:2')}") == "--retry-failed --time 1:2"
