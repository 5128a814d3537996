"""Small in-memory cases whose answers are known by hand."""

from __future__ import annotations

from pathlib import Path

from energymodel.config import parse_run
from energymodel.inputs import inputs_from_tables
from energymodel.model import build_model
from energymodel.results import build_dataset
from energymodel.solve import solve

SETTINGS = {"name": "test", "year": 2030, "money_base_year": 2020, "discount_rate": 0.0, "value_of_lost_load_cny_per_mwh": 1e5}

FUELS = [
    {"fuel": "coal", "price_cny_per_gj": 30.0, "co2_t_per_gj": 0.1},
    {"fuel": "natural_gas", "price_cny_per_gj": 70.0, "co2_t_per_gj": 0.05, "lhv_mj_per_nm3": 35.79},
    {"fuel": "hydrogen", "price_cny_per_gj": 150.0, "co2_t_per_gj": 0.0, "lhv_mj_per_nm3": 10.79, "lhv_mj_per_kg": 119.96},
]


def config(**sections):
    raw = {"name": "test", "dataset": "."}
    raw.update(sections)
    return parse_run(raw, "test", Path("."))


def solve_case(technologies, demand_mw, fuels=FUELS, settings=None, run=None, **series):
    """Build and solve an in-memory case; returns (results Dataset, frame).

    With one region (``demand_mw`` a list) the Dataset's ``region`` dimension is dropped, so that
    single-region answers read as plain numbers; pass a dict region -> demand for several regions.
    """
    data = inputs_from_tables(config(**(run or {})), {**SETTINGS, **(settings or {})}, technologies, fuels, demand_mw, **series)
    frame = build_model(data)
    info = solve(frame, data.config.solver.options)
    ds = build_dataset(frame, {"solver_termination": info.termination})
    if not isinstance(demand_mw, dict):
        ds = ds.squeeze("region", drop=True)
    return ds, frame
