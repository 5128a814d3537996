"""The shipped datasets and run files: found by name, copied by init, carried by the wheel from one place."""

import filecmp
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from energymodel import shipped
from energymodel.cli import main
from energymodel.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_every_dataset_and_run_file_of_the_repository_is_shipped_with_a_description():
    assert set(shipped.datasets()) == {p.name for p in (ROOT / "data").iterdir() if (p / "settings.yaml").is_file()}
    assert set(shipped.run_files()) == {p.stem for p in (ROOT / "runs").glob("*.yaml")}
    for item in [*shipped.datasets().values(), *shipped.run_files().values()]:
        assert len(item.description) > 20, item.name
    assert shipped.datasets()["china-2030"].description.startswith("stylised single-region China")


def test_the_wheel_lists_every_package_and_maps_the_shipped_folders():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "energymodel").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"energymodel.data", "energymodel.runs"}
    assert config["package-dir"] == {"energymodel.data": "data", "energymodel.runs": "runs"}


def test_init_copies_every_case_byte_for_byte_and_the_copy_validates(tmp_path):
    study = tmp_path / "study"
    shipped.init(study)
    for name, run in shipped.run_files().items():
        assert filecmp.cmp(run.path, study / "runs" / f"{name}.yaml", shallow=False)
    for name, dataset in shipped.datasets().items():
        compared = filecmp.dircmp(dataset.path, study / "data" / name)
        assert not compared.left_only and not compared.right_only and not compared.diff_files
    result = CliRunner().invoke(main, ["validate", str(study / "runs" / "china-2030-week.yaml")])
    assert result.exit_code == 0 and "valid" in result.output


def test_init_of_one_case_copies_its_run_file_and_only_its_dataset(tmp_path):
    written = shipped.init(tmp_path / "s", case="china-6grid-2030")
    assert sorted(p.relative_to(tmp_path / "s").as_posix() for p in written) == ["data/china-6grid", "runs/china-6grid-2030.yaml"]


def test_init_refuses_a_folder_that_is_not_empty_and_an_unknown_case(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="is not empty; pass force=True"):
        shipped.init(tmp_path)
    with pytest.raises(InputError, match=r"not a shipped case \(china-2020-backcast, china-2024-backcast, china-2030, "):
        shipped.init(tmp_path / "new", case="china-2031")
    shipped.init(tmp_path, case="china-2030-week", force=True)
    assert (tmp_path / "mine.txt").read_text() == "keep me" and (tmp_path / "runs" / "china-2030-week.yaml").is_file()


def test_a_run_file_may_name_a_shipped_dataset(tmp_path):
    run = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
    run["dataset"] = "china-2030"
    (tmp_path / "run.yaml").write_text(yaml.safe_dump(run))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "run.yaml")])
    assert result.exit_code == 0, result.output
    run["dataset"] = "china-2031"
    (tmp_path / "run.yaml").write_text(yaml.safe_dump(run))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "run.yaml")])
    assert result.exit_code == 2
    assert (
        "dataset: is neither a dataset folder nor a shipped dataset (china-2020, china-2024, china-2030, china-2030-h2-fleet, china-6grid, china-6grid-2024, china-provinces, china-provinces-2030)"
        in result.output
    )


def test_init_list_names_every_case_and_dataset_with_its_description():
    result = CliRunner().invoke(main, ["init", "--list"])
    assert result.exit_code == 0
    for item in [*shipped.run_files().values(), *shipped.datasets().values()]:
        assert f"{item.name}  " in result.output and item.description in result.output


def test_an_initialised_case_runs_and_writes_beside_its_run_files(tmp_path):
    made = CliRunner().invoke(main, ["init", str(tmp_path / "study"), "--case", "china-2030-week"])
    assert made.exit_code == 0 and "copied 1 run file(s) and 1 dataset(s)" in made.output
    result = CliRunner().invoke(main, ["run", str(tmp_path / "study" / "runs" / "china-2030-week.yaml"), "--no-summary"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "study" / "results" / "china-2030-week.nc").is_file()
    again = CliRunner().invoke(main, ["init", str(tmp_path / "study")])
    assert again.exit_code == 2 and "is not empty; pass --force" in again.output


def test_a_shipped_case_run_by_name_writes_into_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    beside_package = shipped.root() / "results" / "china-2030-week.nc"
    before = beside_package.stat().st_mtime_ns if beside_package.exists() else None
    result = CliRunner().invoke(main, ["run", "china-2030-week", "--no-summary"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "results" / "china-2030-week.nc").is_file()
    assert "results: results/china-2030-week.nc" in result.output
    assert (beside_package.stat().st_mtime_ns if beside_package.exists() else None) == before
    unknown = CliRunner().invoke(main, ["run", "china-2031"])
    assert (
        unknown.exit_code == 2
        and "is neither a run file nor a shipped case (china-2020-backcast, china-2024-backcast, china-2030," in unknown.output
    )


def test_run_without_a_run_file_takes_the_folder_s_default_else_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shipped.run_file_for(None) == (shipped.run_files()["china-2030"].path, Path("results/china-2030.nc"))
    shipped.init(tmp_path, case="china-2030")
    assert shipped.run_file_for(None) == (Path("runs/china-2030.yaml"), None)


def test_a_reader_that_leaves_early_gets_no_error_message():
    """`energymodel init --list | head -1`: the reader closes the pipe; the command stops quietly (no 'internal error',
    no traceback), as Unix tools do. Here the reader closes it before the command (still importing) writes at all."""
    import subprocess
    import sys

    command = [str(Path(sys.executable).parent / "energymodel"), "init", "--list"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # nobody reads: the first write fails with a broken pipe
    _, stderr = process.communicate(timeout=120)
    assert "error" not in stderr and "Traceback" not in stderr, stderr
