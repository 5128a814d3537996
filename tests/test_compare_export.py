"""``energymodel compare`` and ``energymodel export``: differences equal to those of the totals; exact round trips."""

import io
import json
import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import solve_case
from test_regions import _run, _split_dataset

import energymodel
from energymodel.cli import main
from energymodel.export import export
from energymodel.results import write_netcdf
from energymodel.runner import run_config

BASE = dict(name="base", family="thermal", fuel="coal", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=1500)
PEAK = dict(name="peak", family="thermal", fuel="natural_gas", lifetime_yr=1, efficiency=0.36, capex_cny_per_kw=300)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The screening-curve case without and with a carbon price (which shifts output from coal to gas)."""
    tmp = tmp_path_factory.mktemp("compare")
    paths = []
    for name, carbon in (("a", {}), ("b", {"price_cny_per_t": 500})):
        ds, _ = solve_case([BASE, PEAK], [1000, 600, 300], weight_h=[1000, 3000, 4760], run={"name": name, "carbon": carbon})
        paths.append(write_netcdf(ds, tmp / f"{name}.nc"))
    return paths


def _csv(result) -> pd.DataFrame:
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout), float_precision="round_trip", keep_default_na=False, na_values=[""])


def test_compare_a_file_with_itself_gives_zero_differences(two_runs):
    table = _csv(CliRunner().invoke(main, ["compare", str(two_runs[0]), str(two_runs[0]), "--format", "csv"]))
    defined = table["a (1)"].notna()
    assert len(table) > 10 and (table.loc[defined, "a (2) - a (1)"] == 0).all()
    assert table.loc[~defined, "a (2)"].isna().all()  # e.g. no carbon shadow price without a cap
    assert {"capacity", "generation", "emissions", "cost", "price"} <= set(table["quantity"])


def test_compare_two_runs_gives_the_difference_of_the_totals(two_runs):
    a, b = (energymodel.open_results(p) for p in two_runs)
    table = _csv(CliRunner().invoke(main, ["compare", *map(str, two_runs), "--format", "csv"])).set_index(["quantity", "item"])
    assert table.loc[("cost", "total"), "b - a"] == float(b.total_cost_cny) - float(a.total_cost_cny)
    assert table.loc[("cost", "total"), "b"] == float(b.total_cost_cny)
    assert table.loc[("emissions", "total"), "b - a"] == float(b.emissions_total_t) - float(a.emissions_total_t)
    for tech in ("base", "peak"):
        assert table.loc[("capacity", tech), "b - a"] == float(b.capacity_total_mw.sel(technology=tech)) - float(
            a.capacity_total_mw.sel(technology=tech)
        )
        assert table.loc[("generation", tech), "b - a"] == float(b.energy_mwh.sel(technology=tech)) - float(
            a.energy_mwh.sel(technology=tech)
        )
    carbon = table.loc[("cost", "carbon")]
    assert carbon["a"] == 0 and carbon["b"] == float(b.cost_by_component_cny.sel(component="carbon")) > 0
    assert table.loc[("cost", "total"), "b - a %"] == pytest.approx(
        100 * (float(b.total_cost_cny) / float(a.total_cost_cny) - 1), rel=1e-12
    )


def test_compare_json_table_and_output_file(two_runs, tmp_path):
    result = CliRunner().invoke(main, ["compare", *map(str, two_runs), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    total = next(r for r in records if r["quantity"] == "cost" and r["item"] == "total")
    b = energymodel.open_results(two_runs[1])
    assert total["b"] == float(b.total_cost_cny)
    table = CliRunner().invoke(main, ["compare", *map(str, two_runs), "-o", str(tmp_path / "d" / "cmp.txt")])
    assert table.exit_code == 0, table.output
    text = (tmp_path / "d" / "cmp.txt").read_text()
    assert "b - a %" in text and "generation" in text
    one = CliRunner().invoke(main, ["compare", str(two_runs[0])])
    assert one.exit_code != 0 and "at least two" in one.output


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    """Two regions joined by a line, two days, hydrogen supply on: every kind of dimension and label."""
    tmp = tmp_path_factory.mktemp("export")
    hydrogen_on = {"technologies": {"electrolyser": {"max_mw": None}, "h2_tank": {"max_mw": None}}}
    ds = run_config(_run(_split_dataset(tmp / "split"), hours={"start": "2030-01-08", "end": "2030-01-09"}, overrides=hydrogen_on))
    return write_netcdf(ds, tmp / "regions.nc")


def _read(folder, fmt: str) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    if fmt == "xlsx":
        sheets = pd.read_excel(folder / "results.xlsx", sheet_name=None)
        return sheets, sheets["variables"]
    read = (lambda p: pd.read_csv(p, float_precision="round_trip")) if fmt == "csv" else pd.read_parquet
    variables = read(folder / f"variables.{fmt}")
    tables = {t: read(folder / f"{t}.{fmt}") for t in set(variables["table"]) - {"(coordinate)"}}
    return tables, variables


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_round_trips_every_number_exactly(regional, tmp_path, fmt):
    ds = energymodel.open_results(regional)
    result = CliRunner().invoke(main, ["export", str(regional), "--format", fmt, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    tables, variables = _read(tmp_path / "out", fmt)
    units = variables.set_index("variable")["units"].fillna("")
    for name, var in ds.data_vars.items():
        assert units[name] == var.attrs["units"]
        frame = tables[variables.set_index("variable").at[name, "table"]]
        if var.dims:
            if "time" in var.dims:
                frame = frame.assign(time=pd.to_datetime(frame["time"]))
            back = frame.set_index(list(var.dims))[name].to_xarray().reindex({d: ds[d].values for d in var.dims})
            values = back.values
        else:
            values = frame[name].values[0]
        np.testing.assert_array_equal(np.asarray(values, dtype=float), var.values.astype(float), err_msg=name)
    assert (tmp_path / "out" / ("results.xlsx" if fmt == "xlsx" else "README.md")).is_file()
    if fmt != "xlsx":
        readme = (tmp_path / "out" / "README.md").read_text()
        assert "run_config" in readme and "| capacity_total_mw |" in readme and "MW" in readme
    else:
        about = tables["README"].set_index("attribute")["value"]
        assert json.loads(about["run_config"])["name"] == ds.attrs["run_name"]
    assert "family" in tables["region_technology" if fmt != "xlsx" else "region_technology"].columns
    assert {"region_from", "region_to"} <= set(tables["line_time"].columns)


def test_export_refuses_a_non_empty_folder_and_replaces_it_whole(regional, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    refused = CliRunner().invoke(main, ["export", str(regional), "-o", str(target)])
    assert refused.exit_code == 2 and "--overwrite" in refused.output
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    replaced = CliRunner().invoke(main, ["export", str(regional), "-o", str(target), "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert not (target / "mine.txt").exists() and (target / "scalars.csv").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folders left behind


def test_failed_export_leaves_nothing(regional, tmp_path, monkeypatch):
    import energymodel.export as module

    def broken(*_, **__):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module.pd.DataFrame, "to_csv", broken)
    with pytest.raises(RuntimeError):
        export(energymodel.open_results(regional), tmp_path / "out", "csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt, module", [("parquet", "pyarrow"), ("xlsx", "openpyxl")])
def test_missing_writer_names_the_extra(regional, tmp_path, monkeypatch, fmt, module):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    result = CliRunner().invoke(main, ["export", str(regional), "--format", fmt, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and module in result.output and "energymodel[export]" in result.output
    assert not (tmp_path / "out").exists()
