"""The command line, end to end on a week of the shipped data (click's CliRunner)."""

import xarray as xr
from click.testing import CliRunner

from energymodel.cli import default_run_file, main


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
