"""Bounded work on hostile files: YAML aliases and nesting are limited while the file is read, files
over a size limit are refused before they are parsed, and a CSV's shape is checked before pandas
builds a frame from it. Each case exits 2 with a message naming the file and the limit, shows no
traceback and writes nothing (docs/inputs.md §3, "Limits on input files")."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, summer_week_run

from energymodel.cli import main
from energymodel.limits import CSV_MAX_COLUMNS, SIZE_LIMITS, TABLE_MAX_ROWS, YAML_MAX_DEPTH, YAML_MAX_NODES

# nine levels of ten aliases each: 10**9 values once expanded, from a few hundred bytes
LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
# the same as one flow value (for --set): [&a0 [lol, ...], &a1 [*a0, ...], ..., &a9 [*a8, ...]]
LAUGHS_VALUE = "[" + ", ".join(line.split(": ", 1)[1] for line in LAUGHS.splitlines()) + "]"


def _invoke(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def _refused(result, *words) -> None:
    """Exit 2, every word in the message, no traceback."""
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, f"{word!r} not in: {result.output[:5000]}"
    assert len(result.output) < 5000, f"{len(result.output)} characters of output"


def _run_and_validate_refuse(run: Path, *words) -> None:
    for command in ("validate", "run"):
        _refused(_invoke(command, run, "-q") if command == "run" else _invoke(command, run), *words)
    assert not list(run.parent.glob("**/*.nc")), "nothing is written"


def _nested_laughs() -> str:
    """LAUGHS inside a value of the run file (the top level must stay a mapping)."""
    return "".join(f"  {line}\n" for line in LAUGHS.splitlines())


def test_billion_laughs_run_file_is_refused_quickly_with_the_limit(tmp_path):
    run = summer_week_run(tmp_path)
    run.write_text(run.read_text() + "sweep:\n" + _nested_laughs())
    _run_and_validate_refuse(run, "run.yaml", f"{YAML_MAX_NODES:,}", "aliases")


def test_billion_laughs_settings_are_refused_with_the_limit(tmp_path, dataset_copy):
    settings = dataset_copy / "settings.yaml"
    settings.write_text(settings.read_text() + "laughs:\n" + _nested_laughs())
    run = summer_week_run(tmp_path, dataset=str(dataset_copy))
    _run_and_validate_refuse(run, "settings.yaml", f"{YAML_MAX_NODES:,}", "aliases")


def test_billion_laughs_at_the_top_level_is_refused(tmp_path):
    run = tmp_path / "run.yaml"
    run.write_text(LAUGHS)
    _run_and_validate_refuse(run, "run.yaml", f"{YAML_MAX_NODES:,}")


@pytest.mark.parametrize("where", ["run", "settings"])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, dataset_copy, where):
    deep = "[" * 10_000 + "]" * 10_000
    run = summer_week_run(tmp_path, dataset=str(dataset_copy))
    target = run if where == "run" else dataset_copy / "settings.yaml"
    target.write_text(target.read_text() + f"deep: {deep}\n")
    _run_and_validate_refuse(run, target.name, f"{YAML_MAX_DEPTH} levels")


def test_nesting_through_aliases_counts_too(tmp_path):
    # each line one level deeper than the one before, through an alias: few values, deep structure
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 200))
    run = summer_week_run(tmp_path)
    run.write_text(run.read_text() + "sweep:\n" + "".join(f"  {line}\n" for line in chain.splitlines()))
    _run_and_validate_refuse(run, "run.yaml", f"{YAML_MAX_DEPTH} levels", "line ")


def test_a_structure_that_contains_itself_is_refused(tmp_path):
    run = summer_week_run(tmp_path)
    run.write_text(run.read_text() + "sweep: &loop {again: *loop}\n")
    _run_and_validate_refuse(run, "run.yaml", "contains itself")


def test_values_yaml_cannot_build_are_input_errors(tmp_path):
    for value in ("2030-13-45", "9" * 5000):  # no such date; an integer Python refuses to convert
        run = summer_week_run(tmp_path)
        run.write_text(run.read_text() + f"description: {value}\n")
        _run_and_validate_refuse(run, "run.yaml", "cannot be read")


def test_set_with_a_billion_laughs_value_is_refused(tmp_path):
    run = summer_week_run(tmp_path)
    result = _invoke("run", run, "-q", "--set", f"sweep.laughs={LAUGHS_VALUE}")
    _refused(result, "command line", "--set sweep.laughs", f"{YAML_MAX_NODES:,}")
    assert not (tmp_path / "out.nc").exists()


def test_ordinary_anchors_and_aliases_still_work(tmp_path):
    run = summer_week_run(tmp_path)
    text = run.read_text().replace("solver:\n  options:\n    threads: 1\n", "solver:\n  options: &opts\n    threads: 1\n")
    run.write_text(text + "description: &d shared\n")
    assert _invoke("validate", run).exit_code == 0


def test_an_oversized_run_file_is_refused_before_reading(tmp_path, monkeypatch):
    variable = SIZE_LIMITS["yaml"][0]
    monkeypatch.setenv(variable, "0.0001")  # 100 bytes
    run = summer_week_run(tmp_path)
    _run_and_validate_refuse(run, "run.yaml", "0.0001 MB", variable, f"{run.stat().st_size:,} bytes")


def test_an_oversized_settings_file_is_refused(tmp_path, dataset_copy, monkeypatch):
    settings = dataset_copy / "settings.yaml"
    settings.write_text(settings.read_text() + "#" * 2000 + "\n")
    run = summer_week_run(tmp_path, dataset=str(dataset_copy))
    monkeypatch.setenv(SIZE_LIMITS["yaml"][0], "0.001")  # the run file passes, settings.yaml does not
    _run_and_validate_refuse(run, "settings.yaml", "0.001 MB", SIZE_LIMITS["yaml"][0])


def test_an_oversized_csv_is_refused_and_the_limit_can_be_raised(tmp_path, dataset_copy, monkeypatch):
    variable = SIZE_LIMITS["csv"][0]
    run = summer_week_run(tmp_path, dataset=str(dataset_copy))
    monkeypatch.setenv(variable, "0.1")  # the series (about 300 kB) are refused, the small tables pass
    _run_and_validate_refuse(run, "demand.csv", "capacity_factors.csv", "0.1 MB", variable)
    monkeypatch.setenv(variable, "10")
    assert _invoke("validate", run).exit_code == 0


def test_a_limit_that_is_not_a_number_is_an_input_error(tmp_path, monkeypatch):
    variable = SIZE_LIMITS["csv"][0]
    monkeypatch.setenv(variable, "lots")
    run = summer_week_run(tmp_path)
    _run_and_validate_refuse(run, variable, "'lots'", "megabytes")


def test_the_default_limits_pass_every_shipped_file_with_room_to_spare():
    files = {"yaml": list((ROOT / "runs").glob("*.yaml")) + list((ROOT / "data").glob("*/settings.yaml"))}
    files["csv"] = list((ROOT / "data").glob("*/*.csv"))
    for kind, paths in files.items():
        _, default_mb = SIZE_LIMITS[kind]
        # 20x room: the largest shipped file is the 31 provinces' hourly capacity factors (4.6 MB; six grids' 1.1 MB)
        assert paths and max(p.stat().st_size for p in paths) < default_mb * 1e6 / 20, kind


@pytest.mark.parametrize("run", sorted((ROOT / "runs").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_run_file_is_valid(run):
    result = _invoke("validate", run)
    assert result.exit_code == 0, result.output


def _hostile_csv(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text)
    return folder / name


HOSTILE_CSVS = {
    # a header row of a million columns (about 7 MB): pandas' header parsing alone takes minutes
    "a million columns": ("demand.csv", lambda: ",".join(f"c{i}" for i in range(1_000_000)) + "\n", ["columns", f"{CSV_MAX_COLUMNS:,}"]),
    # one line of 5 MB, no separator: a single column name larger than any field allowed
    "one enormous line": ("capacity_factors.csv", lambda: "x" * 5_000_000, ["line 1", "field larger than field limit"]),
    # a quoted field of 5 MB (with line breaks) in the first data row: the csv module's field limit
    "a huge quoted field": (
        "demand.csv",
        lambda: 'time,demand_mw\n2030-01-01 00:00,"' + "1\n" * 2_500_000 + '"\n',
        ["cannot be read as CSV", "field larger than field limit"],
    ),
    # the same in a later row: read by pandas, and shown shortened
    "a huge quoted field later": (
        "demand.csv",
        lambda: 'time,demand_mw\n2030-01-01 00:00,1\n2030-01-01 01:00,"' + "1\n" * 2_500_000 + '"\n',
        ["line 3, column 'demand_mw'", "is not a number", "(5,000,000 characters)"],
    ),
    # a first data row of a million fields: pandas would make 999,999 index columns of them (a minute)
    "a wide first row": ("hydro_inflow.csv", lambda: "time,hydro\n" + "1," * 1_000_000 + "\n", ["line 2", "1,000,001 fields"]),
    # a later one: pandas' tokenizer stops at it
    "a wide later row": (
        "hydro_inflow.csv",
        lambda: "time,hydro\n2030-01-01 00:00,1\n" + "1," * 1_000_000 + "\n",
        ["cannot be read as CSV", "saw 1000001"],
    ),
    # a year of hours has at most 8,784 rows: reading stops after that
    "a million rows": ("demand.csv", lambda: "time,demand_mw\n" + "2030-01-01 00:00,1\n" * 1_000_000, ["more than 8,784 rows"]),
    "too many table rows": (
        "fuels.csv",
        lambda: "fuel,price_cny_per_gj,co2_t_per_gj,lhv_mj_per_nm3,lhv_mj_per_kg\n" + "f,1,0,,\n" * (TABLE_MAX_ROWS + 1),
        [f"more than {TABLE_MAX_ROWS:,} rows"],
    ),
}


@pytest.mark.parametrize("case", HOSTILE_CSVS)
def test_hostile_csv_shapes_are_refused_with_a_clear_message(tmp_path, dataset_copy, case):
    name, text, words = HOSTILE_CSVS[case]
    _hostile_csv(dataset_copy, name, text())
    run = summer_week_run(tmp_path, dataset=str(dataset_copy))
    _refused(_invoke("validate", run), name, *words)
    assert not (tmp_path / "out.nc").exists()


def test_limits_do_not_touch_ordinary_yaml():
    from energymodel.errors import InputError
    from energymodel.limits import load_yaml

    assert load_yaml("a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}}\n", "f") == {"a": [1, 2], "b": [1, 2], "c": {"d": 1}}
    assert load_yaml("", "f") is None
    assert yaml.safe_load("[" * 40 + "]" * 40) == load_yaml("[" * 40 + "]" * 40, "f")
    with pytest.raises(InputError, match="f: not valid YAML: .*special characters"):
        load_yaml("a: \x1f", "f")  # refused by PyYAML's reader, as the loader is made
