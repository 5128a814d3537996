"""Vectorised expressions (model/linear.py): arithmetic against element-by-element answers, and the
same LP whether its hourly blocks go to HiGHS as matrices or as materialised Pyomo constraints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from energymodel.config import parse_run, read_run_yaml
from energymodel.inputs import load_inputs
from energymodel.model import build_model
from energymodel.model.linear import Lin, Rows, VarLayout
from energymodel.results import build_dataset
from energymodel.solve import compile_lp, solve

ROOT = Path(__file__).resolve().parents[1]
N = 6


@pytest.fixture
def model():
    m = pyo.ConcreteModel()
    m.T = pyo.Set(initialize=range(N), ordered=True)
    m.G = pyo.Set(initialize=["b", "a"], ordered=True)
    m.x = pyo.Var(m.G, m.T)
    m.y = pyo.Var(["u", "v"], [3, 1], [("p", 1), ("q", 2)])
    rng = np.random.default_rng(1)
    for v in list(m.x.values()) + list(m.y.values()):
        v.set_value(float(rng.normal()))
    return m


def lin_of(m, g: str) -> Lin:
    layout = VarLayout(m.x)
    return Lin(N, [(m.x, np.arange(N), layout.hours((g,), N), np.ones(N))])


def evaluate(lin: Lin) -> np.ndarray:
    return lin.values(lambda var: np.array([v.value for v in var.values()]))


def test_positions_follow_the_variables_own_order(model):
    for var in (model.x, model.y):
        layout = VarLayout(var)
        assert [layout.position(index) for index in var.keys()] == list(range(len(var)))


def test_arithmetic_matches_element_by_element(model):
    x = {g: np.array([model.x[g, t].value for t in range(N)]) for g in ("a", "b")}
    prev = np.array([5, 0, 1, 2, 3, 4])
    weights = np.arange(1.0, N + 1)
    a, b = lin_of(model, "a"), lin_of(model, "b")
    expr = a * 2.0 - b.take(prev) * weights + 7.0
    assert evaluate(expr) == pytest.approx(2 * x["a"] - x["b"][prev] * weights + 7)
    assert evaluate(expr.sum(weights)) == pytest.approx([(weights * (2 * x["a"] - x["b"][prev] * weights + 7)).sum()])
    assert evaluate((a - a).take(prev)) == pytest.approx(np.zeros(N))
    assert evaluate(-(a / 4.0)) == pytest.approx(-x["a"] / 4)


def test_take_with_repeated_and_missing_rows(model):
    x = np.array([model.x["a", t].value for t in range(N)])
    index = np.array([3, 3, 0, 5])
    lin = lin_of(model, "a").take(np.arange(N)[::-1]) + 1.0  # parts whose rows are not in order
    assert evaluate(lin.take(index)) == pytest.approx(x[::-1][index] + 1)
    one = lin_of(model, "a").sum()
    assert evaluate(one.broadcast(3)) == pytest.approx([x.sum()] * 3)


def test_comparisons_keep_variables_on_the_left(model):
    rows = lin_of(model, "a") <= lin_of(model, "b") + 2.0
    x = {g: np.array([model.x[g, t].value for t in range(N)]) for g in ("a", "b")}
    assert rows.sense == "<=" and evaluate(rows.lin) == pytest.approx(x["a"] - x["b"] - 2)
    assert list(rows.where(np.arange(N) % 2 == 0).kept()) == [0, 2, 4]
    with pytest.raises(TypeError):
        lin_of(model, "a") * lin_of(model, "b")
    flipped = np.full(N, 2.0) <= lin_of(model, "a")  # numpy on the left still gives one block of rows
    assert isinstance(flipped, Rows) and flipped.sense == ">=" and evaluate(flipped.lin) == pytest.approx(x["a"] - 2)
    assert evaluate(np.arange(N) * lin_of(model, "a")) == pytest.approx(np.arange(N) * x["a"])


def january_week():
    """The default run (operations and reserves on) over the first January week, with IPM."""
    raw = read_run_yaml(ROOT / "runs" / "china-2030.yaml")
    raw["hours"] = {"start": "2030-01-04", "end": "2030-01-10"}
    raw["dataset"] = str(ROOT / "data" / "china-2030")
    raw["solver"] = {"options": {"threads": 2}}  # one LP (the default run file decomposes)
    # the data's district heat holds the CHP plants on; a must-run share on the condensing coal keeps those rows covered
    raw["overrides"] = {"technologies": {"coal": {"must_run_fraction": 0.2, "must_run_months": "11-3"}}}
    return load_inputs(parse_run(raw, "china-2030.yaml", ROOT / "runs"))


def test_blocks_and_materialised_constraints_give_the_same_solution():
    """The default data's week with every operating limit and reserve on, solved both ways."""
    data = january_week()
    fast = build_model(data)
    info_fast = solve(fast, data.config.solver.options)
    pyomo_frame = build_model(data)
    pyomo_frame.materialise()
    for name in ("demand_balance", "min_load", "must_run", "ramp_up", "operating_reserve", "storage_balance"):
        assert pyomo_frame.constraint_count(name) == fast.constraint_count(name) > 0, name
    info_pyomo = solve(pyomo_frame, data.config.solver.options)
    assert info_fast.objective_cny == pytest.approx(info_pyomo.objective_cny, rel=1e-7)
    a, b = build_dataset(fast), build_dataset(pyomo_frame)
    assert float(a.total_cost_cny) == pytest.approx(info_fast.objective_cny, rel=1e-9)
    for name in ("marginal_price_cny_per_mwh", "reserve_price_cny_per_mw_h", "capacity_new_mw", "emissions_total_t"):
        assert np.allclose(a[name].values, b[name].values, rtol=1e-5, atol=1e-3, equal_nan=True), name
    lp_fast, lp_pyomo = compile_lp(fast).lp, compile_lp(pyomo_frame).lp
    assert lp_fast.num_row_ == lp_pyomo.num_row_
