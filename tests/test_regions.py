"""Regions from files: the shipped single-region data split into two identical halves joined by a line."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import DATASET

from energymodel.config import parse_run
from energymodel.errors import InputError
from energymodel.inputs import load_inputs
from energymodel.runner import run_config

WEEK = {"start": "2030-01-08", "end": "2030-01-10"}


def _split_dataset(target: Path, line: dict | None = None) -> Path:
    """Write the shipped dataset as two regions 'a' and 'b', each with half of every quantity."""
    target.mkdir()
    for name in ("settings.yaml", "fuels.csv"):
        (target / name).write_text((DATASET / name).read_text())
    settings = yaml.safe_load((DATASET / "settings.yaml").read_text())
    settings.pop("region")
    (target / "settings.yaml").write_text(yaml.safe_dump(settings))
    techs = pd.read_csv(DATASET / "technologies.csv")
    halves = []
    for region in ("a", "b"):
        half = techs.copy()
        half.insert(1, "region", region)
        half["existing_mw"] = half["existing_mw"] / 2
        half["max_mw"] = half["max_mw"] / 2
        halves.append(half)
    pd.concat(halves).to_csv(target / "technologies.csv", index=False)
    demand = pd.read_csv(DATASET / "demand.csv")
    pd.DataFrame({"time": demand["time"], "a": demand["demand_mw"] / 2, "b": demand["demand_mw"] / 2}).to_csv(
        target / "demand.csv", index=False
    )
    for name in ("capacity_factors.csv", "hydro_inflow.csv"):
        series = pd.read_csv(DATASET / name)
        columns = {"time": series["time"]}
        for region in ("a", "b"):
            columns.update({f"{region}.{c}": series[c] for c in series.columns if c != "time"})
        pd.DataFrame(columns).to_csv(target / name, index=False)
    heat = pd.read_csv(DATASET / "heat_demand.csv")  # half of each heat network in each region
    columns = {"time": heat["time"]}
    for region in ("a", "b"):
        columns.update({f"{region}.{c}": heat[c] / 2 for c in heat.columns if c != "time"})
    pd.DataFrame(columns).to_csv(target / "heat_demand.csv", index=False)
    line = line or {"name": "a-b", "region_from": "a", "region_to": "b", "existing_mw": 0, "max_mw": "", "capex_cny_per_kw": 0}
    pd.DataFrame([line]).to_csv(target / "lines.csv", index=False)
    return target


def _run(dataset: Path, **sections) -> dict:
    raw = {
        "name": "t",
        "dataset": str(dataset),
        # binds in January (with district heat the least CO2 these days allow is about 3.05 Gt/yr)
        "carbon": {"cap_t_per_yr": 3.5e9},
        "hydrogen": {"blend_vol_fraction": 0.3, "mode": "max"},
        "hours": WEEK,
        "solver": {"options": {"threads": 1}},
    }
    raw.update(sections)
    return parse_run(raw, "t.yaml", Path("."))


def test_two_identical_halves_cost_what_the_whole_costs(tmp_path):
    # Any single-region solution halved in each region is feasible, and any two-region solution
    # summed is feasible for the single region (the line is lossless): the optima are equal.
    whole = run_config(_run(DATASET))
    halves = run_config(_run(_split_dataset(tmp_path / "split")))
    assert float(halves.total_cost_cny) == pytest.approx(float(whole.total_cost_cny), rel=1e-7)
    assert float(halves.emissions_total_t) == pytest.approx(float(whole.emissions_total_t), rel=1e-5)
    assert float(whole.carbon_shadow_price_cny_per_t) > 0  # the cap binds, so the test covers it
    assert float(halves.carbon_shadow_price_cny_per_t) == pytest.approx(float(whole.carbon_shadow_price_cny_per_t), rel=1e-5)
    assert list(halves.region.values) == ["a", "b"]
    # Identical halves have the same price in every hour, equal to the single region's.
    price = halves.marginal_price_cny_per_mwh
    np.testing.assert_allclose(price.sel(region="a"), price.sel(region="b"), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(price.sel(region="a"), whole.marginal_price_cny_per_mwh.sel(region="china"), rtol=1e-6, atol=1e-6)


def test_regional_balances_hold_with_a_lossy_line(tmp_path):
    # Region b keeps only its existing fleet of a tenth of the wind; a lossy line must carry the rest.
    line = {"name": "a-b", "region_from": "a", "region_to": "b", "existing_mw": 50000, "max_mw": 50000, "efficiency": 0.95}
    data = _split_dataset(tmp_path / "split", line)
    ds = run_config(_run(data, overrides={"technologies": {"b.onshore_wind": {"existing_mw": 45000, "max_mw": 45000}}}))
    flow = ds.flow_mw.sel(line="a-b")
    sent, returned = flow.clip(min=0), (-flow).clip(min=0)
    net = {"a": -sent + 0.95 * returned, "b": 0.95 * sent - returned}
    for region in ("a", "b"):
        r = ds.sel(region=region)
        supply = r.generation_mw.sum("technology") - r.storage_charge_mw.sum("technology") + r.lost_load_mw + net[region]
        supply = supply - r.heat_pump_power_mw.fillna(0).sum("technology")  # electric boilers and heat pumps draw power
        np.testing.assert_allclose(supply, r.demand_mw, rtol=1e-6, atol=1e-3)
    assert float(abs(flow).max()) <= 50000 * (1 + 1e-9)
    assert float(flow.max()) > 1000  # the line is used
    assert float(ds.capacity_total_mw.sel(region="b", technology="onshore_wind")) == pytest.approx(45000)


def test_plain_name_override_applies_in_every_region_and_region_name_in_one(tmp_path):
    data = _split_dataset(tmp_path / "split")
    loaded = load_inputs(_run(data, overrides={"technologies": {"coal_usc": {"max_mw": 0}, "b.solar_pv": {"max_mw": 800000}}}))
    techs = loaded.technologies
    assert techs.at["a.coal_usc", "max_mw"] == 0 and techs.at["b.coal_usc", "max_mw"] == 0
    assert techs.at["b.solar_pv", "max_mw"] == 800000
    assert techs.at["a.solar_pv", "max_mw"] == 1388700  # half the national 2,777.4 GW
    assert loaded.regions == ["a", "b"] and list(loaded.lines.index) == ["a-b"]


@pytest.mark.parametrize(
    "edit, fragments",
    [
        (lambda d: _edit(d / "lines.csv", lambda f: f.assign(region_to="c")), ["lines.csv", "a-b", "'region_to'", "unknown region"]),
        (lambda d: _edit(d / "lines.csv", lambda f: f.assign(region_to="a")), ["lines.csv", "two different regions"]),
        (lambda d: _edit(d / "demand.csv", lambda f: f.drop(columns="b")), ["technologies.csv", "b.coal", "no demand column", "b"]),
        (
            lambda d: _edit(
                d / "technologies.csv", lambda f: f.assign(family=np.where((f.region == "b") & (f.name == "coal_usc"), "storage", f.family))
            ),
            ["coal_usc", "same family in every region"],
        ),
        (
            lambda d: _edit(d / "capacity_factors.csv", lambda f: f.rename(columns={"b.solar_pv": "solar_pv"})),
            ["capacity_factors.csv", "'b.solar_pv'", "required column is missing"],
        ),
    ],
)
def test_regional_input_errors_name_file_field_and_value(tmp_path, edit, fragments):
    data = _split_dataset(tmp_path / "split")
    edit(data)
    with pytest.raises(InputError) as err:
        load_inputs(_run(data))
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message


def _edit(path: Path, change):
    change(pd.read_csv(path, keep_default_na=False)).to_csv(path, index=False)
