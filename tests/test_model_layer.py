"""The model layer's contracts: labelled LP rows and columns, frozen registers, module specs, the user hook."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from energymodel.cli import main
from energymodel.compile import compile_lp
from energymodel.config import parse_run
from energymodel.inputs import load_inputs
from energymodel.model import MODULES, build_model
from energymodel.model.registers import ContractError
from energymodel.runner import run_config
from energymodel.session import is_updatable
from energymodel.solve import solve

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "examples" / "extra_constraints.py"


def week_config(**changes):
    """The default run (unit commitment, ramps, must-run, reserves) over 4-10 January."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw["dataset"] = str(ROOT / "data" / "china-2030")
    raw["hours"] = {"start": "2030-01-04", "end": "2030-01-10"}
    raw["solver"] = {"options": {"threads": 1}}  # one LP (the default run file decomposes)
    raw.pop("output", None)
    raw.update(changes)
    return parse_run(raw, str(ROOT / "runs" / "week.yaml"), ROOT / "runs")


@pytest.fixture(scope="module")
def compiled():
    frame = build_model(load_inputs(week_config()))
    return frame, compile_lp(frame)


def test_every_row_and_column_is_labelled(compiled):
    frame, lp = compiled
    rows, cols = lp.rows, lp.columns
    assert len(rows) == lp.lp.num_row_ and len(cols) == lp.lp.num_col_
    # hourly rows: one per key and hour, labelled with the hour and its period
    balance = rows.of("demand_balance")
    assert len(balance) == len(frame.data.regions) * frame.n_hours
    assert sorted(rows.hour[balance]) == sorted(list(frame.hours) * len(frame.data.regions))
    assert (rows.period[balance] == 0).all()
    # the planning reserve margin (hourly, the default): a row per region and hour that no other hour's row implies,
    # labelled with its hour
    planning = rows.of("planning_reserve")
    assert 0 < len(planning) < frame.n_hours and (rows.period[planning] == 0).all()
    assert len(set(rows.hour[planning])) == len(planning) and (rows.hour[planning] >= 0).all()
    assert {rows.keys[rows.families.index("planning_reserve")][k] for k in rows.key[planning]} == {(r,) for r in frame.data.regions}
    # per-period rows have no hour: the yearly CO2 cap
    cap = rows.of("carbon_cap")
    assert len(cap) == 1 and (rows.hour[cap] == -1).all() and (rows.period[cap] == 0).all()
    # the columns without an hour are exactly the investment decisions (what a Benders master holds)
    hourless = {cols.families[f] for f in np.unique(cols.family[cols.hour < 0])}
    assert hourless == {"new_capacity_mw", "new_energy_mwh"}
    thermal = cols.of("thermal_mw")
    keys = cols.keys[cols.families.index("thermal_mw")]
    assert {keys[k][0] for k in cols.key[thermal]} == set(frame.m.thermal)
    assert (np.bincount(cols.hour[thermal], minlength=frame.n_hours) == len(frame.m.thermal)).all()


def test_hourly_rows_reach_only_their_hour_the_hour_before_and_investments(compiled):
    """The structure temporal decomposition relies on: an hourly row couples hour t, prev(t) and hourless columns."""
    frame, lp = compiled
    matrix = lp.lp.a_matrix_
    start, index = np.asarray(matrix.start_), np.asarray(matrix.index_)
    col_of_entry = np.repeat(np.arange(lp.lp.num_col_), np.diff(start))
    row_hour, col_hour = lp.rows.hour[index], lp.columns.hour[col_of_entry]
    hourly = row_hour >= 0
    allowed = (col_hour[hourly] == -1) | (col_hour[hourly] == row_hour[hourly]) | (col_hour[hourly] == frame.prev[row_hour[hourly]])
    assert hourly.sum() > 10_000 and allowed.all()
    assert (col_hour[hourly] == frame.prev[row_hour[hourly]]).any()  # ramps and levels do reach back


def test_duals_come_back_by_family_and_key():
    """The demand balance's dual read by family and key is the cost of one more MW of demand in that hour."""
    data = load_inputs(week_config())
    frame = build_model(data)
    assert np.isnan(frame.dual("demand_balance", data.regions)).all()  # nothing solved yet
    base = solve(frame, {}).objective_cny
    duals = frame.dual("demand_balance", data.regions)[0]
    assert np.isfinite(duals).all()
    for t in (30, 100):
        more = dataclasses.replace(data, demand_mw=data.demand_mw.copy())
        more.demand_mw.iloc[t, 0] += 10.0  # MW
        slope = (solve(build_model(more), {}).objective_cny - base) / 10.0
        assert slope == pytest.approx(duals[t], rel=1e-4), t


def test_a_register_read_is_frozen():
    frame = build_model(load_inputs(week_config()))
    frame.module = "late_module"
    with pytest.raises(ContractError, match="module late_module added to the supply register .* after module balance had read it"):
        frame.add_supply("china", frame.zero())
    with pytest.raises(ContractError, match="unknown cost component 'capex'"):
        frame.add_hourly_cost("capex", "coal", 1.0, frame.zero())
    with pytest.raises(ContractError, match="constraint family 'demand_balance' exists already"):
        frame.add_constraints("demand_balance", [], lambda k: None)


def test_every_module_declares_a_spec():
    for module in MODULES:
        assert hasattr(module, "SPEC"), module.__name__
    for path in ("hydrogen.blend_vol_fraction", "carbon.cap_t_per_yr", "carbon.price_cny_per_t", "overrides.fuels.coal.price_cny_per_gj"):
        assert is_updatable(path), path
    for path in ("hydrogen.mode", "overrides.fuels.coal.co2_t_per_gj", "carbon.cap_t_per_yrx"):
        assert not is_updatable(path), path


# -- the user hook ----------------------------------------------------------------------------


def coal_twh(ds) -> float:
    coal = [g for g in ds.technology.values if g.startswith("coal")]
    return float(ds["energy_mwh"].sel(technology=coal).sum()) / 1e6


def hook_run(twh: float):
    return run_config(week_config(extra_constraints=f"{HOOKS}:coal_output_max", extra_options={"twh_per_yr": twh}))


def test_the_example_hook_binds_and_its_dual_is_the_marginal_cost():
    free = run_config(week_config())
    cap = 0.9 * coal_twh(free)
    tight = hook_run(cap)
    assert coal_twh(tight) == pytest.approx(cap, rel=1e-6)
    dual = float(tight["extra_coal_output_max_dual"])  # CNY per MWh/yr of the limit (<= row: <= 0)
    assert dual < 0 and float(tight.total_cost_cny) > float(free.total_cost_cny)
    delta_twh = 0.002 * cap  # the dual against a finite difference of the objective
    looser = hook_run(cap + delta_twh)
    slope = (float(looser.total_cost_cny) - float(tight.total_cost_cny)) / (delta_twh * 1e6)
    assert slope == pytest.approx(dual, rel=0.02)


def test_hook_errors_exit_2_and_write_nothing(tmp_path):
    shutil.copy(HOOKS, tmp_path / "hooks.py")
    (tmp_path / "broken.py").write_text("def boom(frame):\n    raise ValueError('no coal table')\n")
    cases = {
        "missing.module:function": "cannot import missing.module",
        "hooks.py:no_such_function": "has no function 'no_such_function'",
        "broken.py:boom": "the hook raised ValueError: no coal table",
        "hooks.py:coal_output_max": "the hook raised TypeError",  # extra_options lacks twh_per_yr
        "not a hook": "String should match pattern",
    }
    for target, message in cases.items():
        raw = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
        raw.update(dataset=str(ROOT / "data" / "china-2030"), output=str(tmp_path / "out.nc"), extra_constraints=target)
        run = tmp_path / "run.yaml"
        run.write_text(yaml.safe_dump(raw))
        result = CliRunner().invoke(main, ["run", str(run), "-q"])
        assert result.exit_code == 2, (target, result.output)
        assert message in result.output and "extra_constraints" in result.output, (target, result.output)
        assert "Traceback" not in result.output
        assert not (tmp_path / "out.nc").exists()


def test_inputs_and_options_cannot_be_changed_after_loading():
    import pydantic

    config = week_config()
    data = load_inputs(config)
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        config.carbon.cap_t_per_yr = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.config = config
