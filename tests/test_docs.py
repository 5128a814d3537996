"""The documentation stays true: the results table matches real results, and code examples run."""

import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_regions import _run, _split_dataset

from energymodel.results import write_netcdf
from energymodel.runner import run_config

CONDITIONAL = {
    "emissions_h2_bought_t",  # only with grey hydrogen bought alongside electrolysis
    "day_start_level_mwh",
    "representative_day",  # only with representative days
    "non_fossil_share",
    "non_fossil_share_min_dual",
    "wind_solar_min_dual",  # only with pathway targets
    "heat_output_mw",
    "heat_demand_mw",
    "heat_price_cny_per_mwh",  # only with heat demand
    "peak_demand_mw",  # only with reserves.planning_method: peak
    "h2_fleet_share_min_dual",
    "h2_fleet_share_max_dual",  # only with a fleet-wide hydrogen share (hydrogen.fleet)
    "h2_supply_yearly_max_dual",  # only with a yearly limit in hydrogen_supply.csv
    "demand_shift_mw",
    "demand_moved_mwh",  # only with flexible_demand
}


FLEXIBLE = {"unit_commitment": True, "ramping": True, "must_run": True}
RESERVES = {"operating": {"demand_fraction": 0.03, "wind_solar_fraction": 0.05}, "planning_margin": 0.15}


@pytest.fixture(scope="module")
def two_region_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docs")
    hydrogen_on = {"technologies": {"electrolyser": {"max_mw": None}, "h2_tank": {"max_mw": None}}}
    ds = run_config(
        _run(
            _split_dataset(tmp / "split"),
            hours={"start": "2030-01-08", "end": "2030-01-09"},
            overrides=hydrogen_on,
            operations=FLEXIBLE,
            reserves=RESERVES,
        )
    )
    return ds, write_netcdf(ds, tmp / "results.nc")


def _results_table() -> dict[str, tuple[str, ...]]:
    text = (ROOT / "docs" / "inputs.md").read_text()
    section = text[text.index("## 4. Results (NetCDF)") :]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section, flags=re.M)
    return {name: tuple(d.strip() for d in dims.split(",")) if dims.strip() != "–" else () for name, dims in rows}


def test_results_table_lists_every_variable_with_its_dimensions(two_region_results):
    ds, _ = two_region_results
    table = _results_table()
    for name, var in ds.data_vars.items():
        assert name in table, f"docs/inputs.md §4 lacks {name}"
        assert table[name] == var.dims, f"{name}: documented {table[name]}, actual {var.dims}"
    assert set(table) - set(ds.data_vars) <= CONDITIONAL


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


@pytest.mark.parametrize("doc", ["README.md", "docs/inputs.md", "docs/analysis.md"])
def test_result_examples_run(doc, two_region_results):
    _, path = two_region_results
    blocks = _python_blocks(ROOT / doc)
    assert blocks
    for code in blocks:
        code = re.sub(r'"results/[\w.-]+\.nc"', repr(str(path)), code)
        exec(compile(code, doc, "exec"), {})


@pytest.fixture(scope="module")
def pathway_results(tmp_path_factory):
    from energymodel.runner import run_file

    tmp = tmp_path_factory.mktemp("pathway")
    changes = {"hours.representative_days": 2, "pathway.periods": [2030, 2040, 2060], "solver.options": {"threads": 1}}
    _, path = run_file(ROOT / "runs" / "china-pathway-2060.yaml", tmp / "pathway.nc", changes=changes)
    return path


def test_pathway_examples_run(pathway_results):
    blocks = _python_blocks(ROOT / "docs" / "pathways.md")
    assert blocks
    for code in blocks:
        exec(compile(re.sub(r'"results/[\w.-]+\.nc"', repr(str(pathway_results)), code), "pathways.md", "exec"), {})


def test_plots_guide_has_a_section_and_valid_commands_for_every_kind():
    from click.testing import CliRunner

    from energymodel.cli import main
    from energymodel.plots import KINDS

    text = (ROOT / "docs" / "plots.md").read_text()
    sections = re.findall(r"^## (\w+)$", text, flags=re.M)
    assert set(KINDS) <= set(sections)
    options = set(re.findall(r"(--[a-z-]+)", CliRunner().invoke(main, ["plot", "--help"]).output))
    used = set(re.findall(r"energymodel plot [^\n]*?(--[a-z-]+)", text)) | {
        o for line in re.findall(r"energymodel plot [^\n]*", text) for o in re.findall(r"--[a-z-]+", line)
    }
    assert used and used <= options, used - options
    kinds = set(re.findall(r"--kind ([a-z]+)", text))
    assert kinds and kinds <= set(KINDS), kinds - set(KINDS)


def test_readme_run_file_example_is_a_valid_run_file():
    import yaml

    from energymodel.config import parse_run

    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert blocks
    config = parse_run(yaml.safe_load(blocks[0]), "README.md", ROOT / "runs")
    assert config.dataset.is_dir() and config.operations.unit_commitment and config.reserves.planning_margin == 0.15
