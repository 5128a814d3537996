"""The guides run as written: docs/getting-started.md, docs/hydrogen-blending.md and examples/.

Every ```bash and ```python block of a guide runs, in document order, in a temporary folder that
holds copies of runs/ and data/ (so `runs/...` paths work as on a fresh clone and results/ lands in
the temporary folder, never in the repository). ```sh blocks are the installation steps, which the
test environment has already done. The hydrogen table is recomputed from energymodel.physics.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "getting-started.md"
BLENDING = ROOT / "docs" / "hydrogen-blending.md"
EXTENDING = ROOT / "docs" / "extending.md"
EXAMPLES = ROOT / "examples"
RUN_LANGUAGES = ("bash", "python")
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def blocks(path: Path) -> list[tuple[str, str]]:
    """(language, code) of every fenced block, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(path.read_text())]


def environment() -> dict:
    """This interpreter's scripts first on PATH (the `energymodel` command of the installed package)."""
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_block(language: str, code: str, cwd: Path, what: str) -> subprocess.CompletedProcess:
    command = ["bash", "-euo", "pipefail", "-c", code] if language == "bash" else [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=cwd, env=environment(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, (
        f"{what} failed (exit code {done.returncode}):\n{code}\n"
        f"--- stdout (end)\n{done.stdout[-3000:]}\n--- stderr (end)\n{done.stderr[-3000:]}"
    )
    return done


def outputs(code: str) -> list[str]:
    """Paths given to `-o` in the shell commands of a block."""
    found = []
    for line in code.splitlines():
        words = shlex.split(line, comments=True) if line.strip() else []
        found += [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]
    return found


@pytest.fixture
def clone(tmp_path) -> Path:
    """A folder laid out like the repository root for the guides' commands: runs/ and data/ copied."""
    for name in ("runs", "data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.nc"))
    return tmp_path


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- getting started


def test_getting_started_runs_as_written(clone):
    found = blocks(GUIDE)
    assert {language for language, _ in found} <= {"bash", "python", "sh"}, "a block in an unexpected language"
    install = [code for language, code in found if language == "sh"]
    assert len(install) == 1 and "pip install -e ." in install[0], "the one sh block is the installation"
    ran = 0
    for i, (language, code) in enumerate(found, 1):
        if language not in RUN_LANGUAGES:
            continue
        run_block(language, code, clone, f"{GUIDE.name} block {i} ({language})")
        ran += 1
        for path in outputs(code) if language == "bash" else []:
            target = clone / path
            assert target.exists() and (target.is_dir() or target.stat().st_size > 0), f"block {i} did not write {path}"
    assert ran >= 8
    # what the guide says was written, and where
    for path in (
        "results/china-2030-week.nc",
        "results/week-carbon-price.nc",
        "results/china-2030-week-sweep.nc",
        "exported/region_technology.csv",
        "exported-xlsx/results.xlsx",
    ):
        assert (clone / path).is_file(), path
    # what the guide says the results show
    import energymodel

    week = energymodel.open_results(clone / "results/china-2030-week.nc")
    priced = energymodel.open_results(clone / "results/week-carbon-price.nc")
    assert float(week.em.annual("generation_mw").sel(technology=["gas_ccgt", "gas_ocgt"]).sum()) < 1.0, "no gas runs in the week"
    assert float(week.h2_use_t) < 1.0, "no hydrogen is burnt in the week"
    assert float(priced.emissions_total_t) < 0.5 * float(week.emissions_total_t), "600 CNY/t cuts CO2 by more than half"
    assert float(priced.em.annual("generation_mw").sel(technology="coal_ccs_retrofit").sum()) > 0, "coal is retrofitted with capture"
    assert float(priced.em.average_price(by_region=False)) > float(week.em.average_price(by_region=False))


def test_getting_started_uses_the_week_only():
    """Every command that solves uses the week (or the guide's own week file): the guide stays fast."""
    for language, code in blocks(GUIDE):
        if language != "bash":
            continue
        for line in code.splitlines():
            if re.match(r"\s*energymodel (run|sweep)\b", line):
                assert "china-2030-week.yaml" in line or "my-week.yaml" in line, line


# --------------------------------------------------------------------------- hydrogen blending


def _table_in(path: Path) -> str:
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| H2 share of fuel volume"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return "\n".join(lines[start:end])


def test_blend_table_matches_physics():
    table = _load("blend_table")
    assert _table_in(BLENDING) == table.markdown(), (
        "docs/hydrogen-blending.md's table differs from energymodel.physics; regenerate it with "
        "`python examples/blend_table.py`:\n" + table.markdown()
    )
    # the printed script gives the same table, and the numbers agree with the reference (facts §4.2)
    printed = run_block("bash", "python examples/blend_table.py", ROOT, "examples/blend_table.py").stdout
    assert printed.strip() == table.markdown()
    import pandas as pd

    technologies = pd.read_csv(ROOT / "data" / "china-2030" / "technologies.csv", index_col="name")
    fuels = pd.read_csv(ROOT / "data" / "china-2030" / "fuels.csv", index_col="fuel")
    assert table.EFFICIENCY == technologies.loc["gas_ccgt", "efficiency"], "the table's turbine is gas_ccgt"
    assert table.NG_CO2_T_PER_GJ == fuels.loc["natural_gas", "co2_t_per_gj"]
    text = BLENDING.read_text()
    for fuel in ("natural_gas", "hydrogen", "hydrogen_grey"):  # the prices and CO2 the page quotes
        assert f"{fuels.loc[fuel, 'price_cny_per_gj']:.2f} CNY/GJ" in text, fuel
    assert f"{fuels.loc['hydrogen_grey', 'co2_t_per_gj']} t/GJ" in text
    premium = (fuels.loc["hydrogen", "price_cny_per_gj"] - fuels.loc["natural_gas", "price_cny_per_gj"]) / fuels.loc[
        "natural_gas", "co2_t_per_gj"
    ]
    assert 1600 < premium < 1800, "the page says green blending pays above about 1,700 CNY/t"
    ccs = technologies.loc["gas_ccs"]
    assert (ccs.efficiency, ccs.capture_rate) == (0.49, 0.9), "the page's capture example is gas_ccs"
    by_volume = {round(r["volume_pct"]): r for r in table.rows()}
    assert by_volume[10]["energy_pct"] == pytest.approx(3.2, abs=0.05)
    assert by_volume[50]["energy_pct"] == pytest.approx(23.2, abs=0.05)
    assert by_volume[20]["h2_kg_per_mwh"] == pytest.approx(3.6, abs=0.05)
    assert by_volume[100]["h2_kg_per_mwh"] == pytest.approx(51.8, abs=0.1)


def test_hydrogen_blending_commands_run(clone):
    """Blocks on the week run; the full blend study (minutes) is only planned (--dry-run checks the file and every point)."""
    ran = 0
    for i, (language, code) in enumerate(blocks(BLENDING), 1):
        if language not in RUN_LANGUAGES:
            continue
        if "blend-study" in code:
            lines = [line for line in code.splitlines() if line.strip() and not line.strip().startswith("#")]
            assert all(line.startswith("energymodel sweep runs/china-2030-blend-study.yaml") for line in lines), code
            for line in lines:
                done = run_block("bash", line.split("#")[0] + " --dry-run", clone, f"{BLENDING.name} block {i}")
                assert "points" in done.stdout
            continue
        if "runs/china-2030-h2-fleet.yaml --workers" in code:  # the fleet studies (a minute): planned and validated
            lines = [line.split("#")[0].strip() for line in code.splitlines() if line.strip() and not line.strip().startswith("#")]
            assert lines == [
                "energymodel sweep runs/china-2030-h2-fleet.yaml --workers 2",
                "energymodel run runs/china-pathway-h2-fleet.yaml",
            ]
            assert "points" in run_block("bash", lines[0] + " --dry-run", clone, f"{BLENDING.name} block {i}").stdout
            assert "valid" in run_block("bash", lines[1].replace(" run ", " validate "), clone, f"{BLENDING.name} block {i}").stdout
            continue
        run_block(language, code, clone, f"{BLENDING.name} block {i} ({language})")
        ran += 1
        for path in outputs(code) if language == "bash" else []:
            assert (clone / path).exists(), f"block {i} did not write {path}"
    assert ran >= 1


# --------------------------------------------------------------------------- extending: the user hook


def test_extending_guide_runs_as_written(clone):
    """The hook guide's blocks: write the function and the run file, solve, read the binding limit's dual."""
    ran = 0
    for i, (language, code) in enumerate(blocks(EXTENDING), 1):
        if language in RUN_LANGUAGES:
            run_block(language, code, clone, f"{EXTENDING.name} block {i} ({language})")
            ran += 1
    assert ran == 3
    import energymodel

    ds = energymodel.open_results(clone / "results/coal-limit.nc")
    assert float(ds.extra_coal_output_max_dual) < 0, "the limit binds"


def test_extending_guide_quotes_the_unconstrained_coal_output():
    """'Without the limit this week's coal plants run at 4,123 TWh/yr' (the shipped week run)."""
    from energymodel.config import load_run
    from energymodel.runner import run_config

    ds = run_config(load_run(ROOT / "runs" / "china-2030-week.yaml"))
    coal = [g for g in ds.technology.values if g.startswith("coal")]
    twh = float(ds.energy_mwh.sel(technology=coal).sum()) / 1e6
    assert f"run at {twh:,.0f} TWh/yr" in EXTENDING.read_text()
    assert twh > 4000, "the guide's 4,000 TWh/yr limit binds"


# --------------------------------------------------------------------------- examples and links


def test_analyse_blend_sweep_example(tmp_path):
    out = tmp_path / "out"
    done = run_block(
        "bash",
        f"python {shlex.quote(str(EXAMPLES / 'analyse_blend_sweep.py'))} {shlex.quote(str(out))}",
        tmp_path,
        "examples/analyse_blend_sweep.py",
    )
    for name in ("blend-sweep.nc", "abatement.png", "report.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert {p.name for p in tmp_path.iterdir()} == {"out"}, "the example wrote outside its output folder"
    assert "CO2 abated" in done.stdout and "Hydrogen flows" in done.stdout
    import energymodel

    ds = energymodel.open_results(out / "blend-sweep.nc")
    abated = ds.co2_abated_t.sel(h2_mode="fixed", carbon_price=600)
    assert float(abated.sel(h2_blend=0.3)) > 0, "at 600 CNY/t gas turbines run, so a 30 vol% blend abates CO2"
    assert float(abs(ds.co2_abated_t.sel(carbon_price=0)).max()) < 1e3, "without a carbon price no gas runs this week"


def test_readme_links_the_guides():
    text = (ROOT / "README.md").read_text()
    for doc in (GUIDE, BLENDING):
        assert f"]({doc.relative_to(ROOT)})" in text, f"README.md does not link {doc.name}"


@pytest.mark.parametrize("doc", [GUIDE, BLENDING, EXTENDING, ROOT / "docs" / "architecture.md"], ids=lambda p: p.name)
def test_relative_links_exist(doc):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text()):
        if "://" in target:
            continue
        assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
