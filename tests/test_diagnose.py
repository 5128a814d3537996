"""Infeasible cases explained: what had to give, by how much, where and when."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DATASET
from helpers import FUELS, SETTINGS, config

from energymodel.cli import main
from energymodel.diagnose import diagnose
from energymodel.errors import SolveError
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.solve import solve

NO_LOST_LOAD = {**SETTINGS, "value_of_lost_load_cny_per_mwh": None}
FIXED = dict(family="thermal", lifetime_yr=1, capex_cny_per_kw=0, existing_mw=100, max_mw=100)
# coal 1 t/MWh (0.1 t/GJ at 36 %), gas 0.36 t/MWh (0.05 t/GJ at 50 %)
TECHS = [dict(FIXED, name="coal", fuel="coal", efficiency=0.36), dict(FIXED, name="gas", fuel="natural_gas", efficiency=0.5)]


def _data(demand, cap=None):
    return inputs_from_tables(config(carbon={"cap_t_per_yr": cap}), NO_LOST_LOAD, TECHS, FUELS, demand)


def test_unreachable_cap_reports_the_least_achievable_emissions():
    # 150 MW for 2 h: at best gas runs flat out (100 x 0.36) and coal covers 50 MW: 86 t/h, 172 t.
    data = _data([150, 150], cap=100)
    with pytest.raises(SolveError):
        solve(build_model(data))
    found = diagnose(data)
    assert [r.what for r in found] == ["CO2 cap"]
    assert found[0].amount == pytest.approx(72, rel=1e-6)  # 172 - 100
    assert "cap of 100.0 t/yr cannot be met; the least emissions the system can reach are 172.0 t/yr" in str(found[0])


def test_too_little_capacity_reports_unserved_demand_and_when():
    data = _data([150, 250, 150])  # 200 MW of plant: 50 MW short in the second hour
    found = diagnose(data)
    assert len(found) == 1 and found[0].what == "demand balance, region system"
    assert found[0].amount == pytest.approx(50, rel=1e-6)
    assert "1 modelled hours (first 2030-01-01 01:00, largest 50 MW)" in str(found[0])


def test_feasible_case_needs_no_relaxation():
    assert diagnose(_data([150, 150], cap=1000)) == []


def _too_tight(tmp_path, end: str, **sections) -> Path:
    """The shipped data from 8 January to ``end`` under a 0.1 Gt cap, no lost load allowed: infeasible."""
    run = {
        "name": "too-tight",
        "dataset": str(DATASET),
        "output": str(tmp_path / "x.nc"),
        "carbon": {"cap_t_per_yr": 0.1e9},
        "hours": {"start": "2030-01-08", "end": end},
        "overrides": {"settings": {"value_of_lost_load_cny_per_mwh": None}},
        **sections,
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


def test_infeasible_default_run_names_the_cap_and_the_reachable_emissions(tmp_path):
    # Coal with carbon capture still emits 10 % of its CO2: with it, two January days reach about 0.2 Gt/yr at best.
    path = _too_tight(tmp_path, "2030-01-09")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 3
    assert "provenInfeasible" in result.output and "CO2 cap: the cap of 100.0 Mt/yr cannot be met" in result.output
    assert "least emissions the system can reach are" in result.output
    assert not (tmp_path / "x.nc").exists()
    diagnosed = CliRunner().invoke(main, ["diagnose", str(path)])
    assert diagnosed.exit_code == 3 and "CO2 cap" in diagnosed.output


def test_a_planning_margin_the_fleet_cannot_meet_is_named_with_its_shortfall():
    # 100 MW of coal (credit 1) and nothing may be built: a 15 % margin over a 100 MW peak is 15 MW short.
    from helpers import FUELS, SETTINGS, config

    from energymodel.diagnose import diagnose, format_diagnosis
    from energymodel.inputs import inputs_from_tables

    coal = dict(
        name="coal",
        family="thermal",
        fuel="coal",
        efficiency=0.36,
        lifetime_yr=1,
        capex_cny_per_kw=0,
        existing_mw=100,
        max_mw=100,
        capacity_credit=1.0,
    )
    data = inputs_from_tables(config(reserves={"planning_margin": 0.15}, new_capacity=False), SETTINGS, [coal], FUELS, [100, 80])
    found = diagnose(data)
    assert [r.what for r in found] == ["planning reserve margin, region system"]
    assert found[0].amount == pytest.approx(15, rel=1e-6)
    assert "firm capacity short by 15.0 MW" in format_diagnosis(found)


def _short_fleet_run(tmp_path):
    """The shipped week with nothing to build and a 50 % planning margin: a row the inputs alone contradict."""
    run = {
        "name": "short-fleet",
        "dataset": str(DATASET),
        "output": str(tmp_path / "x.nc"),
        "hours": {"start": "2030-07-15", "end": "2030-07-16"},
        "new_capacity": False,
        "reserves": {"planning_margin": 0.5},
        "solver": {"options": {"threads": 1}},
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(run))
    return path


def test_a_row_the_inputs_alone_contradict_is_named_before_solving():
    # 100 MW of coal, nothing may be built, a 15 % margin over a 100 MW peak: 115 MW needed, 100 MW held.
    coal = dict(FIXED, name="coal", fuel="coal", efficiency=0.36, capacity_credit=1.0)
    data = inputs_from_tables(config(reserves={"planning_margin": 0.15}, new_capacity=False), SETTINGS, [coal], FUELS, [100, 80])
    with pytest.raises(SolveError) as caught:
        solve(build_model(data))
    assert caught.value.infeasible and caught.value.exit_code == 2
    message = str(caught.value)
    assert "planning_reserve" in message and "region system" in message
    assert "fixed by the inputs at 100.0 MW" in message and "at least 115.0 MW" in message and "15.0 MW short" in message


def test_a_fixed_fleet_short_of_the_planning_margin_exits_2_with_the_diagnosis(tmp_path):
    path = _short_fleet_run(tmp_path)
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert "planning_reserve" in result.output
    assert "Diagnosis" in result.output and "planning reserve margin, region china: firm capacity short by" in result.output
    assert not (tmp_path / "x.nc").exists() and list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("warm_start_days", [4, 30], ids=["warm-start-plan", "benders"])
def test_an_infeasible_decomposed_run_is_diagnosed(tmp_path, warm_start_days):
    # the unreachable cap of the case above, over two weeks in two subperiods: found by the typical-days
    # warm start (4 days), or by Benders itself converging to a point that needs slack (no warm start)
    decomposition = {"subperiod_days": 7, "warm_start_days": warm_start_days}
    path = _too_tight(tmp_path, "2030-01-21", solver={"options": {"threads": 1}, "decomposition": decomposition})
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 3, result.output
    assert "provenInfeasible" in result.output or "the case is infeasible" in result.output
    assert "CO2 cap: the cap of 100.0 Mt/yr cannot be met" in result.output
    assert not (tmp_path / "x.nc").exists()
