"""No path of the command line ends in a Python traceback: a bug is one line (exit 1) naming --debug,
an output path that cannot be written is refused before solving (exit 2)."""

import pytest
from click.testing import CliRunner

from energymodel import runner
from energymodel.cli import main


def _boom(*args, **kwargs):
    raise ZeroDivisionError("float division by zero")


def test_an_unexpected_error_is_one_line_naming_debug(week_run, monkeypatch):
    monkeypatch.setattr(runner, "run_file", _boom)
    result = CliRunner().invoke(main, ["run", str(week_run)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "internal error (ZeroDivisionError: float division by zero)" in result.output
    assert "--debug" in result.output


def test_debug_shows_the_traceback(week_run, monkeypatch):
    monkeypatch.setattr(runner, "run_file", _boom)
    result = CliRunner().invoke(main, ["--debug", "run", str(week_run)])
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize("where", ["under-a-file", "file-as-folder"])
def test_an_output_that_cannot_be_written_is_refused_before_solving(week_run, tmp_path, where):
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("not a folder")
    target = blocker / "out.nc" if where == "under-a-file" else blocker / "deeper" / "out.nc"
    result = CliRunner().invoke(main, ["run", str(week_run), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "solving" not in result.output
    assert str(blocker) in result.output and "not a folder" in result.output
    assert blocker.read_text() == "not a folder"


def test_a_full_disk_while_writing_is_named_and_leaves_nothing(week_run, tmp_path, monkeypatch):
    import errno

    import xarray as xr

    def full_disk(self, path, *args, **kwargs):
        with open(path, "wb") as half:  # as a real failure would: part of the file, then the error
            half.write(b"\x89HDF\r\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full_disk)
    result = CliRunner().invoke(main, ["run", str(week_run)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'week.nc'}: the results could not be written (No space left on device)" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week.yaml"]
