"""Bad input: a clear message naming file, field and value; exit code 2; no output written."""

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from energymodel.cli import main


def _run_file(tmp_path: Path, dataset: Path, **extra) -> Path:
    run = {
        "name": "bad",
        "dataset": str(dataset),
        "output": str(tmp_path / "out.nc"),
        "hours": {"start": "2030-01-01", "end": "2030-01-02"},
    }
    run.update(extra)
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


def _edit_csv(path: Path, change) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = change(frame)
    frame.to_csv(path, index=False)


def _set(column, row, value):
    def change(frame):
        frame.loc[row, column] = value
        return frame

    return change


def _hydrogen_supply(**row):
    """Write a one-row hydrogen_supply.csv into the dataset (a green source in its region unless ``row`` says else)."""

    def write(folder: Path) -> None:
        full = {"name": "green", "region": "", "kind": "green", "price_cny_per_kg": "20", "max_t_per_yr": "", "max_t_per_h": "", **row}
        pd.DataFrame([full]).to_csv(folder / "hydrogen_supply.csv", index=False)

    return write


def _heat_pump(**row):
    """Append a heat pump row (family heat_pump, cop 3, of the coal district heat unless ``row`` says else)."""

    def change(frame):
        full = dict.fromkeys(frame.columns, "") | {"name": "hp_test", "family": "heat_pump", "capex_cny_per_kw": "1000"}
        full |= {"lifetime_yr": "25", "heat_network": "district_heat_coal", "cop": "3", **row}
        return pd.concat([frame, pd.DataFrame([full])], ignore_index=True)

    return lambda d: _edit_csv(d / "technologies.csv", change)


CASES = {
    "missing file": (lambda d: (d / "demand.csv").unlink(), ["demand.csv", "file not found"]),
    "unknown fuel": (
        lambda d: _edit_csv(d / "technologies.csv", _set("fuel", 0, "diesel")),
        ["technologies.csv", "coal", "'fuel'", "diesel", "unknown fuel"],
    ),
    "unknown technology column": (
        lambda d: _edit_csv(d / "capacity_factors.csv", lambda f: f.rename(columns={"solar_pv": "solar_thermal"})),
        ["capacity_factors.csv", "solar_thermal", "unknown column", "'solar_pv'", "required column is missing"],
    ),
    "unknown family": (
        lambda d: _edit_csv(d / "technologies.csv", _set("family", 1, "fusion")),
        ["technologies.csv", "coal_usc", "fusion", "unknown family"],
    ),
    "negative demand": (
        lambda d: _edit_csv(d / "demand.csv", _set("demand_mw", 5, "-12")),
        ["demand.csv", "line 7", "'demand_mw'", "-12", ">= 0"],
    ),
    "NaN in series": (
        lambda d: _edit_csv(d / "hydro_inflow.csv", _set("hydro", 100, "NaN")),
        ["hydro_inflow.csv", "line 102", "'hydro'", "not a number"],
    ),
    "cf above one": (
        lambda d: _edit_csv(d / "capacity_factors.csv", _set("onshore_wind", 3000, "1.2")),
        ["capacity_factors.csv", "line 3002", "'onshore_wind'", "1.2", "<= 1.0"],
    ),
    "wrong column name": (
        lambda d: _edit_csv(d / "technologies.csv", lambda f: f.rename(columns={"capex_cny_per_kw": "capex"})),
        ["technologies.csv", "'capex'", "unknown column", "'capex_cny_per_kw'", "required column is missing"],
    ),
    "series of wrong length": (
        lambda d: _edit_csv(d / "demand.csv", lambda f: f.iloc[:-24]),
        ["demand.csv", "8736", "expected 8760 hourly rows"],
    ),
    "bad time stamp": (
        lambda d: _edit_csv(d / "demand.csv", _set("time", 10, "2030-01-01 11:30")),
        ["demand.csv", "line 12", "'time'", "2030-01-01 10:00"],
    ),
    "efficiency above one": (
        lambda d: _edit_csv(d / "technologies.csv", _set("efficiency", 2, "1.5")),
        ["technologies.csv", "gas_ccgt", "'efficiency'", "1.5", "<= 1"],
    ),
    "max below existing": (
        lambda d: _edit_csv(d / "technologies.csv", _set("max_mw", 4, "1000")),
        ["technologies.csv", "nuclear", "'max_mw'", "below existing_mw"],
    ),
    "bad must-run months": (
        lambda d: _edit_csv(d / "technologies.csv", _set("must_run_months", 0, "13-3")),
        ["technologies.csv", "coal", "'must_run_months'", "13-3", "months 1-12"],
    ),
    "must-run above availability": (
        lambda d: _edit_csv(d / "technologies.csv", _set("must_run_fraction", 0, "0.95")),
        ["technologies.csv", "coal", "'must_run_fraction'", "0.95", "above availability"],
    ),
    "retrofit of an unknown plant": (
        lambda d: _edit_csv(d / "technologies.csv", _set("retrofit_of", 9, "lignite")),
        ["technologies.csv", "coal_ccs_retrofit", "'retrofit_of'", "lignite", "must name another technology"],
    ),
    "H2-ready retrofit of a coal plant": (
        lambda d: _edit_csv(d / "technologies.csv", _set("retrofit_of", 11, "coal")),
        ["technologies.csv", "gas_ccs_retrofit", "'retrofit_of'", "coal", "upgrades a gas turbine", "burning coal"],
    ),
    "storage durations swapped": (
        lambda d: _edit_csv(d / "technologies.csv", _set("min_duration_h", 14, "6")),
        ["technologies.csv", "battery", "'max_duration_h'", "below min_duration_h"],
    ),
    "blend limit above one": (
        lambda d: _edit_csv(d / "technologies.csv", _set("h2_max_vol_fraction", 2, "1.5")),
        ["technologies.csv", "line 4", "gas_ccgt", "'h2_max_vol_fraction'", "1.5", "<= 1"],
    ),
    "negative NOx factor": (
        lambda d: _edit_csv(d / "technologies.csv", _set("nox_kg_per_gj", 0, "-0.02")),
        ["technologies.csv", "line 2", "coal", "'nox_kg_per_gj'", "-0.02", ">= 0"],
    ),
    "hydrogen source in an unknown region": (
        _hydrogen_supply(region="mars"),
        ["hydrogen_supply.csv", "green", "'region'", "mars", "unknown region"],
    ),
    "unknown kind of hydrogen": (
        _hydrogen_supply(kind="turquoise"),
        ["hydrogen_supply.csv", "green", "'kind'", "turquoise", "unknown kind", "grey, blue, green"],
    ),
    "negative hourly hydrogen limit": (
        _hydrogen_supply(max_t_per_h="-5"),
        ["hydrogen_supply.csv", "line 2", "'max_t_per_h'", "-5", ">= 0"],
    ),
    "heat pump with cop 0": (
        _heat_pump(cop="0"),
        ["technologies.csv", "hp_test", "'cop'", "(value: '0')", "must be > 0"],
    ),
    "heat pump with a negative cop": (
        _heat_pump(cop="-2.5"),
        ["technologies.csv", "hp_test", "'cop'", "-2.5", "must be > 0"],
    ),
    "heat pump without heat network": (
        _heat_pump(heat_network=""),
        ["technologies.csv", "hp_test", "'heat_network'", "required"],
    ),
    "heat pump of an unknown heat network": (
        _heat_pump(heat_network="district_heat_mars"),
        ["technologies.csv", "hp_test", "'heat_network'", "district_heat_mars", "unknown heat network", "district_heat_coal"],
    ),
    "cop on a gas boiler": (
        lambda d: _edit_csv(d / "technologies.csv", _set("cop", 21, "3")),
        ["technologies.csv", "gas_heat_boiler", "'cop'", "only heat pumps"],
    ),
    "capture on wind": (
        lambda d: _edit_csv(d / "technologies.csv", _set("capture_rate", 5, "0.9")),
        ["technologies.csv", "onshore_wind", "'capture_rate'", "only thermal"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_dataset_is_reported_with_exit_code_2_and_no_output(case, command, dataset_copy, tmp_path):
    corrupt, expected = CASES[case]
    corrupt(dataset_copy)
    run_file = _run_file(tmp_path, dataset_copy)
    result = CliRunner().invoke(main, [command, str(run_file)])
    assert result.exit_code == 2, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.nc").exists()


def test_all_problems_are_reported_at_once(dataset_copy, tmp_path):
    for case in ("unknown fuel", "negative demand", "cf above one", "wrong column name"):
        CASES[case][0](dataset_copy)
    result = CliRunner().invoke(main, ["validate", str(_run_file(tmp_path, dataset_copy))])
    assert result.exit_code == 2
    for fragment in ("diesel", "demand_mw", "onshore_wind", "'capex'"):
        assert fragment in result.output
    assert "problem(s)" in result.output


@pytest.mark.parametrize(
    "section, expected",
    [
        ({"hydrogen": {"blend_vol_fraction": 1.5}}, ["hydrogen.blend_vol_fraction", "1.5", "less than or equal to 1"]),
        ({"hydrogen": {"mode": "sometimes"}}, ["hydrogen.mode", "sometimes"]),
        ({"carbon": {"cap_t_per_yr": -5}}, ["carbon.cap_t_per_yr", "-5"]),
        ({"nox": {"cap_t_per_yr": -1}}, ["nox.cap_t_per_yr", "-1"]),
        ({"hydrogen": {"fleet": {"min_energy_share": 0.05, "min_vol_fraction": 0.1}}}, ["hydrogen.fleet", "not both"]),
        ({"pathway": {"periods": [2030], "h2_max_vol_fraction": {"gas_ccgt": {2030: 1.2}}}}, ["pathway", "between 0 and 1"]),
        ({"pathway": {"periods": [2030], "h2_max_vol_fraction": {"coal": {2030: 0.5}}}}, ["pathway.h2_max_vol_fraction.coal", "gas_ccgt"]),
        ({"carbn": {"cap_t_per_yr": 1}}, ["carbn", "Extra inputs are not permitted"]),
        ({"hours": {"start": "2031-01-01"}}, ["hours.start", "2031-01-01", "outside the dataset's year"]),
        ({"overrides": {"technologies": {"fusion": {"capex_cny_per_kw": 1}}}}, ["overrides.technologies.fusion", "unknown name"]),
        ({"overrides": {"fuels": {"coal": {"colour": "black"}}}}, ["overrides.fuels.coal.colour", "not an overridable column"]),
        ({"overrides": {"technologies": {"coal": {"efficiency": 2}}}}, ["technologies.csv", "coal", "'efficiency'", "<= 1"]),
        ({"solver": {"options": {"threadz": 2}}}, ["solver.options.threadz", "not a valid HiGHS option"]),
    ],
)
def test_bad_run_file_is_reported(section, expected, dataset_copy, tmp_path):
    run_file = _run_file(tmp_path, dataset_copy, **section)
    result = CliRunner().invoke(main, ["run", str(run_file)])
    assert result.exit_code == 2, result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert not (tmp_path / "out.nc").exists()


def test_missing_run_file_and_missing_dataset(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "nope.yaml" in result.output and "not found" in result.output
    run_file = _run_file(tmp_path, tmp_path / "no-such-dataset")
    result = CliRunner().invoke(main, ["validate", str(run_file)])
    assert result.exit_code == 2 and "no-such-dataset" in result.output and "dataset folder not found" in result.output


def test_failed_run_never_overwrites_existing_results(dataset_copy, tmp_path):
    CASES["negative demand"][0](dataset_copy)
    run_file = _run_file(tmp_path, dataset_copy)
    (tmp_path / "out.nc").write_bytes(b"yesterday's results")
    result = CliRunner().invoke(main, ["run", str(run_file)])
    assert result.exit_code == 2
    assert (tmp_path / "out.nc").read_bytes() == b"yesterday's results"


def test_solver_failure_exits_3_and_writes_nothing(tmp_path):
    from conftest import DATASET

    run_file = _run_file(tmp_path, DATASET, solver={"options": {"time_limit": 0.0}})
    (tmp_path / "out.nc").write_bytes(b"keep")
    result = CliRunner().invoke(main, ["run", str(run_file), "--overwrite"])
    assert result.exit_code == 3, result.output
    assert "maxTimeLimit" in result.output and "time_limit" in result.output and "nothing saved" in result.output
    assert (tmp_path / "out.nc").read_bytes() == b"keep"


def test_debug_flag_shows_the_traceback(dataset_copy, tmp_path):
    CASES["negative demand"][0](dataset_copy)
    result = CliRunner().invoke(main, ["--debug", "validate", str(_run_file(tmp_path, dataset_copy))])
    assert result.exit_code != 0 and result.exception is not None


def test_electrolyser_without_hydrogen_fuel_is_reported(dataset_copy, tmp_path):
    with open(dataset_copy / "technologies.csv", "a") as f:
        f.write("electrolyser,electrolyser,,,0,,2500,,50,0,25,0.64,,,,,\n")
    _edit_csv(dataset_copy / "technologies.csv", _set("h2_blending", 2, "false"))
    _edit_csv(dataset_copy / "technologies.csv", _set("h2_blending", 3, "false"))
    _edit_csv(dataset_copy / "fuels.csv", lambda f: f[f["fuel"] != "hydrogen"])
    result = CliRunner().invoke(main, ["validate", str(_run_file(tmp_path, dataset_copy))])
    assert result.exit_code == 2, result.output
    assert "fuels.csv" in result.output and "'hydrogen'" in result.output and "electrolysers" in result.output
