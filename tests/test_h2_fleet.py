"""Hydrogen fleet studies (issue 16, part 6): the turbine-class dataset, its run files, and the data behind the
``fleet`` and ``macc`` plots, checked against answers known by hand."""

import json
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner
from conftest import DATASET, ROOT
from helpers import solve_case
from test_blend_limits import FUELS, HIGH_CO2_PRICE, _must_run

from energymodel import plots
from energymodel.cli import main
from energymodel.config import load_run
from energymodel.inputs import load_inputs, with_pathway
from energymodel.model import build_model
from energymodel.model.hydrogen_blending import blend_vol_fraction
from energymodel.physics import h2_energy_share
from energymodel.sweep import ALIASES, Axis, _add_abatement

FLEET = ROOT / "data" / "china-2030-h2-fleet"
# each class's hydrogen limit by volume, as data/china-2030-h2-fleet/README.md gives it
LIMITS = {"gas_ccgt_f": 0.1, "gas_ccgt_ha": 0.5, "gas_ccgt_f_h2": 0.5, "gas_ocgt": 0.3}


# ----------------------------------------------------------------------------- the dataset


def test_the_fleet_dataset_has_the_classes_and_limits_its_readme_gives():
    techs = pd.read_csv(FLEET / "technologies.csv").set_index("name")
    parent = pd.read_csv(DATASET / "technologies.csv").set_index("name")
    readme = (FLEET / "README.md").read_text()
    for name, vol in LIMITS.items():
        assert techs.at[name, "h2_max_vol_fraction"] == vol, name
        assert re.search(rf"\| `{name}` \|[^\n]*\| {vol:g} \|", readme), name  # the README's class table
    # the F-class is the whole existing combined-cycle fleet, and none of it is built new
    assert techs.at["gas_ccgt_f", "existing_mw"] == techs.at["gas_ccgt_f", "max_mw"] == parent.at["gas_ccgt", "existing_mw"]
    assert techs.at["gas_ccgt_ha", "existing_mw"] == 0 and np.isnan(techs.at["gas_ccgt_ha", "max_mw"])
    # the upgrade: PyPSA-Ariadne's +15 % of the turbine's cost and -5 % efficiency, on the F-class
    upgrade = techs.loc["gas_ccgt_f_h2"]
    assert upgrade["retrofit_of"] == "gas_ccgt_f"
    assert upgrade["capex_cny_per_kw"] == pytest.approx(0.15 * parent.at["gas_ccgt", "capex_cny_per_kw"])
    assert upgrade["efficiency"] == pytest.approx(0.95 * parent.at["gas_ccgt", "efficiency"])
    assert techs.at["gas_ccs_retrofit", "retrofit_of"] == "gas_ccgt_f"
    # every other row is data/china-2030's, unchanged
    others = [n for n in parent.index if n != "gas_ccgt"]
    same = techs.loc[others, parent.columns].drop(columns="retrofit_of")
    pd.testing.assert_frame_equal(same, parent.loc[others].drop(columns="retrofit_of"))
    for name in ("fuels.csv", "demand.csv", "capacity_factors.csv", "hydro_inflow.csv"):
        assert (FLEET / name).read_bytes() == (DATASET / name).read_bytes(), name


def test_the_fleet_run_loads_with_each_class_limit_and_a_mandate_sweep():
    run = load_run(ROOT / "runs" / "china-2030-h2-fleet.yaml")
    data = load_inputs(run)
    blending = set(data.blending_technologies)
    assert set(LIMITS) <= blending
    assert ALIASES["h2_fleet_min"] == "hydrogen.fleet.min_energy_share"
    raw = yaml.safe_load((ROOT / "runs" / "china-2030-h2-fleet.yaml").read_text())
    assert raw["sweep"]["h2_fleet_min"] == [0, 0.02, 0.05, 0.10] and run.hydrogen.mode == "max"


def test_the_pathway_variant_raises_the_ha_limit_by_period():
    data = with_pathway(load_inputs(load_run(ROOT / "runs" / "china-pathway-h2-fleet.yaml")))
    frame = build_model(data)
    periods = list(data.config.pathway.periods)
    assert periods == [2030, 2035, 2040]
    limits = {g: [blend_vol_fraction(frame, data.config, g, p) for p in range(len(periods))] for g in LIMITS}
    assert limits["gas_ccgt_ha"] == pytest.approx([0.5, 1.0, 1.0])
    assert limits["gas_ccgt_f_h2"] == pytest.approx([0.5, 1.0, 1.0])
    assert limits["gas_ccgt_f"] == pytest.approx([0.1, 0.1, 0.1])
    assert limits["gas_ocgt"] == pytest.approx([0.3, 0.3, 0.3])


@pytest.mark.parametrize("name", ["china-2030-h2-fleet", "china-pathway-h2-fleet"])
def test_the_fleet_run_files_validate(name):
    result = CliRunner().invoke(main, ["validate", str(ROOT / "runs" / f"{name}.yaml")])
    assert result.exit_code == 0 and "valid" in result.output, result.output


# ----------------------------------------------------------------------------- plot data, known answers


def test_each_class_reaches_its_own_limit_when_co2_is_dear():
    # Far above hydrogen's premium every class blends its limit: the fleet plot's blend reached is the limit,
    # hydrogen burnt is e * heat input / 119.96 MJ/kg, and the fleet's share is the heat-weighted mean of e.
    classes = {"ha": 0.5, "f_class": 0.1, "ocgt": 0.3}
    techs, demand = _must_run(*[dict(name=n, h2_max_vol_fraction=v) for n, v in classes.items()])
    ds, _ = solve_case(techs, demand, fuels=FUELS, run={"carbon": HIGH_CO2_PRICE, "hydrogen": {"mode": "max"}})
    frames = plots.fleet_frames(ds, [])
    heat_gj = float((ds.weight_h * 100 * 3.6 / 0.5).sum())  # each class flat out at 50 %
    for name, vol in classes.items():
        assert frames["blend_vol_pct"].at["total", name] == pytest.approx(100 * vol, abs=1e-6), name
        assert frames["limit_vol_pct"].at["total", name] == pytest.approx(100 * vol, abs=1e-9), name
        assert frames["hydrogen_t"].at["total", name] == pytest.approx(h2_energy_share(vol) * heat_gj / 119.96, rel=1e-7), name
    mean = np.mean([h2_energy_share(v) for v in classes.values()])
    assert frames["fleet_energy_pct"].iloc[0] == pytest.approx(100 * mean, rel=1e-7)
    assert np.isnan(frames["mandate_pct"].iloc[0])


def _mandate_sweep(shares):
    """A mandate sweep over two classes, built point by point as `energymodel sweep` combines it: "a" burns natural
    gas (70 CNY/GJ, up to 50 vol%), "b" LNG (90 CNY/GJ, up to 30 vol%), hydrogen 150 CNY/GJ, no carbon price."""
    points = []
    for share in shares:
        techs, demand = _must_run(dict(name="a", h2_max_vol_fraction=0.5), dict(name="b", fuel="lng", h2_max_vol_fraction=0.3))
        ds, _ = solve_case(techs, demand, fuels=FUELS, run={"hydrogen": {"mode": "max", "fleet": {"min_energy_share": share}}})
        points.append(ds)
    ds = xr.concat([p.drop_attrs() for p in points], dim=pd.Index(shares, name="h2_fleet_min"), data_vars="all", coords="minimal")
    ds.attrs.update(points[0].attrs, sweep_dims=json.dumps(["h2_fleet_min"]))
    _add_abatement(ds, [Axis("hydrogen.fleet.min_energy_share", tuple(shares))])
    return ds


def test_the_abatement_curve_steps_through_the_classes_at_their_fuel_premiums():
    # The mandate goes first to b (hydrogen displacing LNG costs 60 CNY/GJ for 0.05 t of CO2: 1,200 CNY/t) up to
    # b's limit, e(0.3) of its heat, i.e. half that of the two-turbine fleet; beyond it to a (80 CNY/GJ: 1,600 CNY/t).
    b_full = h2_energy_share(0.3) / 2
    ds = _mandate_sweep([0.0, b_full, 0.15])  # 0.15 of the fleet: within both limits, (0.232 + 0.114) / 2
    assert "co2_abated_t" in ds and float(ds.co2_abated_t.sel(h2_fleet_min=0.0)) == 0
    steps, by_class = plots.abatement_steps(ds)
    assert steps["cost_cny_per_t"].to_numpy() == pytest.approx([1200.0, 1600.0], rel=1e-6)
    heat_gj = float((ds.weight_h.isel(h2_fleet_min=0) * 100 * 3.6 / 0.5).sum())
    co2_mt = np.array([b_full, 0.15 - b_full]) * 2 * heat_gj * 0.05 / 1e6
    assert steps["co2_abated_mt"].to_numpy() == pytest.approx(co2_mt, rel=1e-6)
    assert steps["extra_cost_bn"].to_numpy() == pytest.approx(co2_mt * 1e6 * np.array([1200, 1600]) / 1e9, rel=1e-6)
    assert by_class.loc[:, ["a", "b"]].to_numpy() == pytest.approx(np.array([[0, co2_mt[0]], [co2_mt[1], 0]]), abs=1e-9)
    # the fleet plot: the share reached is the mandate at every point
    frames = plots.fleet_frames(ds, ["h2_fleet_min"])
    assert frames["fleet_energy_pct"].to_numpy() == pytest.approx([0, 100 * b_full, 15], abs=1e-6)
    assert frames["mandate_pct"].to_numpy() == pytest.approx([0, 100 * b_full, 15])


def test_the_abatement_curve_refuses_a_run_that_is_no_blend_or_mandate_sweep():
    techs, demand = _must_run(dict(name="a", h2_max_vol_fraction=0.5))
    ds, _ = solve_case(techs, demand, fuels=FUELS, run={"hydrogen": {"mode": "max"}})
    with pytest.raises(plots.PlotError, match="needs a sweep over h2_blend or h2_fleet_min that includes 0"):
        plots.abatement_steps(ds)
