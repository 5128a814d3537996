"""energymodel operate: a fleet from a results file, held fixed, operated over every hour of the run's range."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner
from conftest import ROOT, summer_week_run

from energymodel.cli import main
from energymodel.operate import operate_file
from energymodel.results import open_results, write_netcdf
from energymodel.runner import run_file

CAPACITIES = ("capacity_new_mw", "capacity_total_mw", "energy_capacity_mwh")


@pytest.fixture(scope="module")
def week_plan(tmp_path_factory):
    """The summer week, solved with investment free: (run file, results file, results)."""
    folder = tmp_path_factory.mktemp("plan")
    run = summer_week_run(folder)
    ds, path = run_file(run)
    return run, path, ds


def hourly_balance_gap_mw(ds: xr.Dataset) -> float:
    """Largest |supply - demand| over regions and hours, from the results alone (one region, no lines)."""
    supply = ds.generation_mw.sum("technology") - ds.storage_charge_mw.sum("technology") + ds.lost_load_mw
    if "electrolysis_mw" in ds:
        supply = supply - ds.electrolysis_mw.sum("technology")
    if "heat_pump_power_mw" in ds:  # electric boilers and heat pumps draw power for the district heat
        supply = supply - ds.heat_pump_power_mw.sum("technology")
    return float(abs(supply - ds.demand_mw).max())


def test_operating_a_runs_own_fleet_reproduces_the_run(week_plan, tmp_path):
    run, path, plan = week_plan
    said = []
    ds, target = operate_file(run, path, tmp_path / "op.nc", progress=said.append)
    assert target.is_file() and ds.attrs["mode"] == "operate" and ds.attrs["fleet_file"] == str(path.resolve())
    # 27 rows: the 19 of before the district heat, its CHP and boiler rows (whose ceilings hold them at their existing size)
    # and the electric boiler and heat pump of each network (nothing existing, open ceilings)
    assert any("27 investment decisions held" in m and "new_capacity_mw 26" in m for m in said), said
    assert float(ds.total_cost_cny) == pytest.approx(float(plan.total_cost_cny), rel=1e-6)
    np.testing.assert_allclose(ds.cost_by_component_cny, plan.cost_by_component_cny, rtol=1e-6, atol=1.0)
    for name in CAPACITIES:
        xr.testing.assert_equal(ds[name], plan[name])
    # the hourly operation: curtailment, lost load, charging and the emissions of the year are the run's
    for name in ("curtailment_mw", "lost_load_mw", "storage_charge_mw"):
        np.testing.assert_allclose(ds[name], plan[name], rtol=1e-6, atol=1e-3, err_msg=name)
    # Prices are duals: unique where a plant with a running cost is marginal, i.e. coal strictly between its
    # lower limit (0; the week runs without unit commitment) and its available capacity; there both are
    # coal's running cost. Where storage and hydro set the price (coal at a limit or off), a whole interval
    # of prices is optimal for the same dispatch, so there the two need only lie between zero and coal's cost.
    price, plan_price = ds.marginal_price_cny_per_mwh, plan.marginal_price_cny_per_mwh
    assert "online_mw" not in plan  # no commitment: coal's limits are 0 and availability x capacity
    availability = pd.read_csv(ROOT / "data" / "china-2030" / "technologies.csv").set_index("name").at["coal", "availability"]
    coal = plan.generation_mw.sel(technology="coal")
    available = availability * plan.capacity_total_mw.sel(technology="coal")
    coal_marginal = (coal > 1.0) & (coal < available - 1.0)
    assert int(coal_marginal.sum()) > 100  # most of the week's 168 hours
    np.testing.assert_allclose(price.where(coal_marginal), plan_price.where(coal_marginal), rtol=1e-6)
    coal_cost = float(plan_price.where(coal_marginal).max())
    for p in (price, plan_price):
        assert float(p.where(~coal_marginal).min()) >= -1e-6 and float(p.where(~coal_marginal).max()) <= coal_cost * (1 + 1e-9)
    # outside the heating season a CHP plant is its condensing row's twin (same costs and efficiency), so an
    # optimum may split their output either way: they are compared together
    twins = {"coal": "coal_chp", "gas_ccgt": "gas_chp"}

    def by_plant(energy):
        energy = energy.copy()
        for plant, chp in twins.items():
            energy.loc[dict(technology=plant)] = energy.sel(technology=plant) + energy.sel(technology=chp)
            energy.loc[dict(technology=chp)] = 0.0
        return energy

    np.testing.assert_allclose(by_plant(ds.energy_mwh), by_plant(plan.energy_mwh), rtol=1e-6, atol=1.0)
    assert float(ds.emissions_total_t) == pytest.approx(float(plan.emissions_total_t), rel=1e-6)
    # hour by hour, reservoir, pumped hydro and the existing batteries may move energy between hours at no
    # cost against coal (alternative optima of the same cost): every other technology's hourly output is the run's
    shifting = ["coal", "coal_chp", "gas_ccgt", "gas_chp", "hydro", "pumped_hydro", "battery_existing"]
    others = [g for g in plan.technology.values if g not in shifting]
    np.testing.assert_allclose(ds.generation_mw.sel(technology=others), plan.generation_mw.sel(technology=others), rtol=1e-6, atol=1e-3)
    np.testing.assert_allclose(
        ds.generation_mw.sel(technology=shifting).sum("technology"),
        plan.generation_mw.sel(technology=shifting).sum("technology"),
        rtol=1e-6,
    )


@pytest.mark.parametrize("sampling", [{"representative_days": 4}, {"every_nth_day": 7}], ids=["typical-days", "every-7th-day"])
def test_plan_on_a_reduced_year_then_operate_every_hour(tmp_path, sampling):
    """Four weeks of January: the plan sees 4 typical days (or 4 days), operate all 672 hours with its fleet."""
    hours = {"start": "2030-01-01", "end": "2030-01-28"}
    run = summer_week_run(tmp_path, hours={**hours, **sampling}, carbon={"cap_t_per_yr": 3.5e9})
    plan, plan_path = run_file(run)
    assert plan.sizes["time"] == 96
    said = []
    ds, target = operate_file(run, plan_path, progress=said.append)
    assert target == tmp_path / "out-operate.nc" and target.is_file(), "the default output keeps the plan"
    assert any(f"hours.{next(iter(sampling))}" in m and "dropped" in m for m in said), said
    assert ds.sizes["time"] == 672 and "day" not in ds.dims and "representative_day" not in ds
    config = json.loads(ds.attrs["run_config"])["hours"]
    assert config["representative_days"] is None and config["every_nth_day"] == 1 and config["start"] == "2030-01-01"
    for name in CAPACITIES:  # the plan's fleet, exactly
        xr.testing.assert_equal(ds[name], plan[name])
    assert hourly_balance_gap_mw(ds) < 1e-6 * float(ds.demand_mw.max())
    assert np.isfinite(ds.marginal_price_cny_per_mwh).all()
    lost, curtailed = ds.lost_load_mw, ds.curtailment_mw.dropna("technology", how="all")  # wind and solar
    for hourly in (lost, curtailed):  # reported every hour, never negative
        assert hourly.sizes["time"] == 672 and np.isfinite(hourly).all() and float(hourly.min()) > -1e-6
    assert set(curtailed.technology.values) == {"onshore_wind", "offshore_wind", "solar_pv"}
    assert float(ds.emissions_total_t) <= 3.5e9 * (1 + 1e-6)


def test_a_pathways_storage_energy_is_taken_from_what_stands_in_each_period(tmp_path):
    """Batteries (energy sized freely, 15-year life) built in 2030 still stand in 2040: the builds come back exactly."""
    changes = {
        "hours": {"start": "2030-07-01", "end": "2030-07-14", "representative_days": 2},
        "pathway.periods": [2030, 2040, 2050],
        "solver.options": {"threads": 1},
        "overrides.technologies.battery": {"capex_cny_per_kwh": 30, "capex_cny_per_kw": 30},
        # without the existing fleet (350 GWh), which otherwise covers 2030 so that nothing new is built
        "overrides.technologies.battery_existing": {"existing_mw": 0, "max_mw": 0},
    }
    run = ROOT / "runs" / "china-pathway-2060.yaml"
    plan, path = run_file(run, tmp_path / "plan.nc", changes=changes)
    battery = plan.energy_capacity_mwh.sel(region="china", technology="battery")
    assert (battery > 1e3).all(), "built in every period"
    ds, _ = operate_file(run, path, tmp_path / "op.nc", changes=changes)
    assert ds.sizes["period"] == 3 and ds.sizes["time"] == 336
    for name in CAPACITIES:
        np.testing.assert_allclose(ds[name], plan[name], rtol=1e-12, atol=1e-6, err_msg=name)
    assert hourly_balance_gap_mw(ds) < 1e-6 * float(ds.demand_mw.max())


# --------------------------------------------------------------------------- bad fleets, existing output


def _rename(dim, old, new):
    return lambda ds: ds.assign_coords({dim: [new if v == old else v for v in ds[dim].values]})


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (_rename("technology", "battery", "flywheel"), "technology", ["flywheel", "in the fleet file but not in the run", "battery"]),
        (_rename("region", "china", "east"), "region", ["east", "in the run but not in the fleet file"]),
        (lambda ds: ds.drop_vars("capacity_new_mw"), "capacity_new_mw", ["missing", "new_capacity_mw"]),
        (lambda ds: ds.drop_vars("energy_capacity_mwh"), "energy_capacity_mwh", ["missing", "new_energy_mwh"]),
        (lambda ds: ds.assign_attrs(modelled_year=2020), "period", ["[2020]", "[2030]"]),
        (
            lambda ds: ds.assign(capacity_new_mw=ds.capacity_new_mw.where(ds.technology != "solar_pv")),
            "capacity_new_mw",
            ["technology=solar_pv", "no value"],
        ),
    ],
    ids=["technology", "region", "capacities", "storage-energy", "year", "a-value"],
)
def test_a_fleet_that_does_not_match_exits_2_naming_file_and_field(week_plan, tmp_path, change, field, words):
    run, path, plan = week_plan
    fleet = write_netcdf(change(plan.copy()), tmp_path / "fleet.nc")
    out = tmp_path / "op.nc"
    result = CliRunner().invoke(main, ["operate", str(run), "--fleet", str(fleet), "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert f"{fleet}: {field}" in result.output, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "Traceback" not in result.output and not out.exists()


def test_a_missing_or_unreadable_fleet_file_exits_2(week_plan, tmp_path):
    run, _, _ = week_plan
    out = tmp_path / "op.nc"
    missing = tmp_path / "nowhere.nc"
    result = CliRunner().invoke(main, ["operate", str(run), "--fleet", str(missing), "-o", str(out)])
    assert result.exit_code == 2 and "command line: --fleet: no such results file" in result.output and str(missing) in result.output
    bogus = tmp_path / "bogus.nc"
    bogus.write_text("not netcdf")
    result = CliRunner().invoke(main, ["operate", str(run), "--fleet", str(bogus), "-o", str(out)])
    assert result.exit_code == 2 and f"{bogus}: cannot be read as energymodel results" in result.output
    result = CliRunner().invoke(main, ["operate", str(run), "-o", str(out)])
    assert result.exit_code == 2 and "--fleet" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_an_investment_decision_the_fleet_cannot_hold_exits_2(tmp_path):
    """A hook's hourless variable (an investment of the user's own) has no place in a results file."""
    (tmp_path / "hooks.py").write_text(
        "import pyomo.environ as pyo\n\n\n"
        "def flexibility(frame):\n"
        "    frame.m.demand_response_mw = pyo.Var(bounds=(0, 10))\n"
        "    frame.add_cost('fixed_om', 'demand_response', 1000.0 * frame.m.demand_response_mw)\n"
    )
    run = summer_week_run(tmp_path, extra_constraints="hooks.py:flexibility")
    _, plan = run_file(run)
    result = CliRunner().invoke(main, ["operate", str(run), "--fleet", str(plan), "-q"])
    assert result.exit_code == 2, result.output
    assert f"{plan}: demand_response_mw: an investment decision" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out-operate.nc").exists()


def test_existing_output_is_kept_without_overwrite(week_plan, tmp_path):
    run, path, _ = week_plan
    out = tmp_path / "op.nc"
    out.write_text("keep me")
    args = ["operate", str(run), "--fleet", str(path), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "exists already; pass --overwrite" in result.output, result.output
    assert out.read_text() == "keep me" and "loading dataset" not in result.output, "refused before anything is loaded"
    result = CliRunner().invoke(main, [*args, "-q", "--overwrite", "--no-summary", "--set", "carbon_price=600"])
    assert result.exit_code == 0, result.output
    assert f"results: {out}" in result.output and "Capacity and generation" not in result.output
    ds = open_results(out)
    assert ds.attrs["mode"] == "operate" and float(ds.carbon_price_cny_per_t) == 600


def test_operate_default_output_and_summary(week_plan):
    """The run file's output with '-operate' (the plan is never replaced); the summary as for run."""
    run, path, _ = week_plan
    config = yaml.safe_load(run.read_text())
    result = CliRunner().invoke(main, ["operate", str(run), "--fleet", str(path)])
    assert result.exit_code == 0, result.output
    target = path.with_name("out-operate.nc")
    assert config["output"] == str(path) and target.is_file() and path.is_file()
    for text in ("fleet: 27 investment decisions", "Capacity and generation", f"results: {target}"):
        assert text in result.output


def test_operate_guide_is_linked_and_true_to_the_command():
    """docs/operate.md: linked from the README, its links resolve, its options exist, its table names every FLEET entry."""
    from energymodel.operate import FLEET

    text = (ROOT / "docs" / "operate.md").read_text()
    assert "](docs/operate.md)" in (ROOT / "README.md").read_text()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        assert "://" in target or (ROOT / "docs" / target).exists(), target
    options = set(re.findall(r"--[a-z-]+", CliRunner().invoke(main, ["operate", "--help"]).output))
    lines = re.findall(r"energymodel operate [^\n]*", text) + re.findall(r"^\| `-[^\n]*", text, flags=re.M)
    used = {o for line in lines for o in re.findall(r"--[a-z-]+", line)}
    assert {"--fleet", "--output", "--overwrite", "--set"} <= used <= options, used - options
    for variable, stored in FLEET.items():
        assert f"`{variable}[" in text and f"`{stored.variable}`" in text, variable
