"""Temporal decomposition (decompose/): Benders over weeks gives the one-LP answer; bad settings are input errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from energymodel.cli import main
from energymodel.config import parse_run
from energymodel.inputs import load_inputs
from energymodel.model import build_model
from energymodel.runner import run_config
from energymodel.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def four_weeks(**decomposition):
    """The default run (unit commitment, ramps, must-run, reserves, storage, reservoir hydro) over 1-28 January
    with a binding 3.5 Gt cap."""
    raw = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
    raw.pop("output", None)
    raw.update(
        dataset=str(ROOT / "data" / "china-2030"), hours={"start": "2030-01-01", "end": "2030-01-28"}, carbon={"cap_t_per_yr": 3.5e9}
    )
    raw["solver"] = {"options": {"threads": 1}, "decomposition": {"subperiod_days": 7, "gap": 1e-5, **decomposition}}
    return parse_run(raw, str(ROOT / "runs" / "four-weeks.yaml"), ROOT / "runs")


def test_four_weeks_decomposed_equal_the_one_lp():
    config = four_weeks()
    frame = build_model(load_inputs(config))
    one_lp = solve(frame, {"threads": 1})
    cap_price = -frame.dual("carbon_cap", over="period")[0, 0]
    assert cap_price > 100, "the cap binds"
    ds = run_config(config)
    assert ds.attrs["decomposition_subperiods"] == 4 and ds.attrs["decomposition_gap"] <= 1e-5
    assert ds.attrs["decomposition_lower_bound_cny"] <= one_lp.objective_cny * (1 + 1e-9)
    assert ds.attrs["decomposition_upper_bound_cny"] >= one_lp.objective_cny * (1 - 1e-9)
    assert float(ds.total_cost_cny) == pytest.approx(one_lp.objective_cny, rel=1e-4)
    assert float(ds.carbon_shadow_price_cny_per_t) == pytest.approx(cap_price, rel=0.01)
    assert float(ds.emissions_total_t) <= 3.5e9 * (1 + 1e-6)
    # a real operation of all 672 hours: the hourly balance holds and prices exist in every hour
    assert ds.sizes["time"] == 672 and np.isfinite(ds.marginal_price_cny_per_mwh.values).all()


@pytest.mark.parametrize(
    ("decomposition", "field", "message"),
    [
        ({"subperiod_days": 60}, "solver.decomposition.subperiod_days", "longer than the"),
        ({"gap": 0}, "solver.decomposition.gap", "greater than 0"),
        ({"method": "dantzig-wolfe"}, "solver.decomposition.method", "benders"),
    ],
)
def test_bad_decomposition_settings_exit_2_naming_the_field(tmp_path, decomposition, field, message):
    raw = yaml.safe_load((ROOT / "runs" / "china-2030-week.yaml").read_text())
    raw.update(dataset=str(ROOT / "data" / "china-2030"), output=str(tmp_path / "out.nc"))
    raw["solver"]["decomposition"] = decomposition
    run = tmp_path / "run.yaml"
    run.write_text(yaml.safe_dump(raw))
    result = CliRunner().invoke(main, ["run", str(run), "-q"])
    assert result.exit_code == 2, result.output
    assert field in result.output and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.nc").exists()
