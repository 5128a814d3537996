"""Plant studies (docs/plants.md): the commands run as written, every model figure matches a hand
calculation from the plant's own inputs within 0.5 %, the page quotes what the script prints, and
the published figures are met within the gaps the page explains."""

from __future__ import annotations

import filecmp
import importlib.util
import math
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
from test_guides import blocks, environment

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "plants.md"
PLANTS = ROOT / "runs" / "plants"
REL = 5e-3  # the required agreement of model and hand calculation


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _load(ROOT / "examples" / "plant_figures.py")


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, str]:
    """The page's bash block run in a folder laid out like the repository; (folder, printed output)."""
    clone = tmp_path_factory.mktemp("plants")
    for name in ("runs", "data", "examples"):
        shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.nc", "*.parts"))
    code = [code for language, code in blocks(DOC) if language == "bash"]
    assert len(code) == 1, "docs/plants.md has one bash block"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", code[0]], cwd=clone, env=environment(), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return clone / "results" / "plants", done.stdout


def _inputs(plant: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    data = PLANTS / plant / "data"
    technologies = pd.read_csv(data / "technologies.csv").set_index("name")
    fuels = pd.read_csv(data / "fuels.csv").set_index("fuel")
    demand = pd.read_csv(data / "demand.csv", index_col="time")["demand_mw"]
    return technologies, fuels, demand


def test_the_datasets_are_what_the_generator_writes(tmp_path):
    generate = _load(PLANTS / "generate_plants.py")
    generate.main(tmp_path)
    for plant in generate.PLANTS:
        compared = filecmp.dircmp(PLANTS / plant / "data", tmp_path / plant / "data")
        assert not compared.left_only and not compared.right_only and not compared.diff_files, plant
        assert filecmp.cmpfiles(PLANTS / plant / "data", tmp_path / plant / "data", compared.common_files, shallow=False)[1] == []


def test_the_plants_run_their_stated_hours_at_full_output():
    for plant, mw in (("junliangcheng", 600.0), ("huizhou", 1340.0)):
        technologies, _, demand = _inputs(plant)
        assert set(demand.unique()) == {0.0, mw}, plant
        assert int((demand > 0).sum()) == 4500 and demand.sum() == pytest.approx(mw * 4500), plant
        assert (technologies.existing_mw == mw).all() and (technologies.efficiency.loc[["gas_9ha01"]] == 0.6336).all()


def test_junliangcheng_matches_the_hand_calculation(solved):
    folder, _ = solved
    model = figures.junliangcheng(xr.open_dataset(folder / "junliangcheng-coal.nc"), xr.open_dataset(folder / "junliangcheng-gas.nc"))
    technologies, fuels, demand = _inputs("junliangcheng")
    energy = float(demand.sum())  # MWh/yr: hourly MW over 1-h steps
    gj_per_tce = float(fuels.loc["coal", "lhv_mj_per_kg"])  # standard coal: 29.3076 MJ/kgce
    coal_gj = energy * 3.6 / technologies.loc["coal_600mw_supercritical", "efficiency"]
    gas_gj = energy * 3.6 / technologies.loc["gas_9ha01", "efficiency"]
    co2_coal = coal_gj * fuels.loc["coal", "co2_t_per_gj"]
    co2_gas = gas_gj * fuels.loc["natural_gas", "co2_t_per_gj"]
    hand = {
        "output_mwh": energy,
        "full_load_hours": energy / 600,
        "coal_gce_per_kwh": 1000 * coal_gj / gj_per_tce / energy,
        "gas_gce_per_kwh": 1000 * gas_gj / gj_per_tce / energy,
        "coal_burnt_tce": coal_gj / gj_per_tce,
        "coal_equivalent_saved_tce": (coal_gj - gas_gj) / gj_per_tce,
        "co2_coal_t": co2_coal,
        "co2_gas_t": co2_gas,
        "co2_avoided_t": co2_coal - co2_gas,
        "co2_avoided_t_per_mwh": (co2_coal - co2_gas) / energy,
        "capacity_for_published_mw": 1.8e6 / ((co2_coal - co2_gas) / energy) / 4500,
    }
    assert set(model) == set(hand)
    for name, value in hand.items():
        assert model[name] == pytest.approx(value, rel=REL), name


def test_junliangcheng_against_the_published_figures(solved):
    """The seed's 296 and 196 gce/kWh and ~1.8 Mt/yr (facts §6), within the gaps docs/plants.md explains."""
    folder, _ = solved
    model = figures.junliangcheng(xr.open_dataset(folder / "junliangcheng-coal.nc"), xr.open_dataset(folder / "junliangcheng-gas.nc"))
    assert model["coal_gce_per_kwh"] == pytest.approx(296, rel=1e-4)
    # 63.36 % taken as net: 193.9 gce/kWh, 1.1 % below the published supply figure (the plant's own use)
    assert model["gas_gce_per_kwh"] == pytest.approx(196, rel=0.015) and model["gas_gce_per_kwh"] < 196
    assert model["coal_equivalent_saved_tce"] == pytest.approx(100e-6 * 2.7e9, rel=0.025)  # "~100 g/kWh less"
    # 1.355 Mt for the 600 MW unit, 25 % below the seed's 1.8: that needs a ~797 MW plant at 4,500 h
    assert model["co2_avoided_t"] == pytest.approx(1.355e6, rel=2e-3)
    assert 0.70 < model["co2_avoided_t"] / 1.8e6 < 0.80
    assert model["capacity_for_published_mw"] == pytest.approx(797, abs=1)


def test_huizhou_matches_the_hand_calculation(solved):
    folder, _ = solved
    rows = figures.huizhou(xr.open_dataset(folder / "huizhou.nc"))
    technologies, fuels, demand = _inputs("huizhou")
    heat = float(demand.sum()) * 3.6 / technologies.loc["gas_9ha01", "efficiency"]  # GJ/yr of fuel heat
    gas, base_co2 = fuels.loc["natural_gas"], heat * fuels.loc["natural_gas", "co2_t_per_gj"]
    assert {(r["h2_fuel"], r["vol_pct"]) for r in rows} == {(f, v) for f in ("hydrogen", "hydrogen_grey") for v in (10, 50, 100)}
    for r in rows:
        h2 = fuels.loc[r["h2_fuel"]]
        x = r["vol_pct"] / 100
        share = x * h2.lhv_mj_per_nm3 / (x * h2.lhv_mj_per_nm3 + (1 - x) * gas.lhv_mj_per_nm3)
        h2_gj = share * heat
        co2 = (heat - h2_gj) * gas.co2_t_per_gj + h2_gj * h2.co2_t_per_gj
        extra = h2_gj * (h2.price_cny_per_gj - gas.price_cny_per_gj)
        hand = {
            "h2_t": h2_gj / h2.lhv_mj_per_kg,  # GJ / (MJ/kg) = t
            "h2_million_nm3": h2_gj * 1e3 / h2.lhv_mj_per_nm3 / 1e6,
            "h2_energy_share_pct": 100 * share,
            "co2_t": co2,
            "co2_cut_t": base_co2 - co2,
            "co2_cut_pct": 100 * (base_co2 - co2) / base_co2,
            "extra_fuel_cost_million_cny": extra / 1e6,
            "cny_per_t_avoided": extra / (base_co2 - co2) if base_co2 > co2 else math.nan,
        }
        for name, value in hand.items():
            if math.isnan(value):
                assert math.isnan(r[name]), (r["h2_fuel"], x, name)
            else:
                assert r[name] == pytest.approx(value, rel=REL, abs=1e-6), (r["h2_fuel"], x, name)


def test_huizhou_against_the_blend_table(solved):
    """The energy shares (= CO2 cuts) are facts §4.2's 3.2, 23.2 and 100 %; hydrogen per MWh its 51.8·e kg at 58 %, scaled to 63.36 %."""
    folder, _ = solved
    green = {r["vol_pct"]: r for r in figures.huizhou(xr.open_dataset(folder / "huizhou.nc")) if r["h2_fuel"] == "hydrogen"}
    for vol, pct in ((10, 3.2), (50, 23.2), (100, 100.0)):
        assert green[vol]["h2_energy_share_pct"] == pytest.approx(pct, abs=0.05)
        assert green[vol]["co2_cut_pct"] == pytest.approx(pct, abs=0.05)
    assert green[100]["h2_t"] * 1000 / (1340 * 4500) == pytest.approx(51.8 * 0.58 / 0.6336, rel=2e-3)
    assert green[10]["cny_per_t_avoided"] == pytest.approx((166.72 - 69.85) / 0.0561, rel=1e-4)


def test_the_page_quotes_what_the_script_prints(solved):
    _, printed = solved
    text = DOC.read_text()
    rows = [line for line in printed.splitlines() if line.startswith("|")]
    assert len(rows) == 8, "header, separator and 2 hydrogens x 3 blends"
    for line in rows:
        assert line in text, f"docs/plants.md lacks the row {line!r}"
    for quoted in (
        "296.0 gce/kWh",
        "193.9 gce/kWh",
        "799,200 tce",
        "275,756 tce",
        "2.216 / 0.861",
        "1.355 Mt/yr",
        "501.9 kg/MWh",
        "797 MW",
    ):
        assert quoted in printed, quoted
        assert quoted.split(" ")[0] in text, f"docs/plants.md does not quote {quoted}"


def test_the_readme_links_the_page():
    assert "](docs/plants.md)" in (ROOT / "README.md").read_text()
    for target in ("hydrogen-blending.md",):
        assert f"]({target})" in DOC.read_text() and (DOC.parent / target).exists()
