"""The solution's numerical health: violations computed from the matrix and the values, checked by hand."""

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from scipy import sparse

from energymodel.cli import main
from energymodel.compile import Labels, make_lp
from energymodel.health import TOLERANCE, check


def _hand_lp():
    """x1 + x2 == 10 (an hourly balance, MW), x1 - x2 <= 1 (a limit), 0 <= x1, x2 <= 5."""
    matrix = sparse.coo_matrix(np.array([[1.0, 1.0], [1.0, -1.0]]))
    lp = make_lp(2, np.zeros(2), 0.0, np.zeros(2), np.full(2, 5.0), matrix, np.array([10.0, -np.inf]), np.array([10.0, 1.0]))
    rows, columns = Labels(), Labels()
    rows.add(rows.family_code("demand_balance"), rows.key_code(0, ("north",)), 0, 7)
    rows.add(rows.family_code("limit"), rows.key_code(1, ("x",)), 0, -1)
    columns.add(columns.family_code("output_mw"), [columns.key_code(0, ("a",)), columns.key_code(0, ("b",))], 0, 7)
    return lp, rows, columns


def test_violations_by_hand():
    lp, rows, columns = _hand_lp()
    # x = (6, 3.5): balance 9.5 (0.5 MW short), limit 2.5 (1.5 over, relative 1.5/1), x1 1 over its bound 5 (0.2)
    found = check(lp, np.array([6.0, 3.5]), rows, columns)
    assert found.balance_mw == pytest.approx(0.5)
    assert found.row_relative == pytest.approx(1.5) and found.row_where == "limit x period 0"
    assert found.bound == pytest.approx(1.0) and found.bound_relative == pytest.approx(0.2)
    assert found.bound_where == "output_mw a period 0 hour 7"
    assert len(found.warnings()) == 2


def test_a_solution_that_holds_has_no_violation():
    lp, rows, columns = _hand_lp()
    found = check(lp, np.array([5.0, 5.0]), rows, columns)
    assert (found.balance_mw, found.row_relative, found.bound) == (0.0, 0.0, 0.0)
    assert found.row_where == found.bound_where == "" and found.warnings() == []


def test_a_run_records_its_health_and_the_summary_shows_it(week_run, tmp_path):
    result = CliRunner().invoke(main, ["run", str(week_run)])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "week.nc") as ds:
        assert 0 <= ds.attrs["max_balance_violation_mw"] < 1e-3
        assert 0 <= ds.attrs["max_row_violation_relative"] <= TOLERANCE
        assert 0 <= ds.attrs["max_bound_violation_relative"] <= TOLERANCE
    assert "numerical health: largest hourly balance violation" in result.output
