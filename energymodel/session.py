"""A model built once and re-solved for many parameter points (the engine behind sweeps).

Values that enter the LP only through mutable parameters are changed in place, the LP is compiled
again (numpy: about a second for a full year) and re-solved from the previous basis; any other change needs a new model (see :func:`is_updatable`).
"""

from __future__ import annotations

import re
import time
from typing import Any

import xarray as xr

from .config import RunConfig
from .inputs import InputData
from .model import build_model
from .model.carbon import NO_CAP_T, caps_by_period
from .model.hydrogen_blending import blend_energy_share
from .results import build_dataset
from .solve import WarmSolver

UPDATABLE_PATHS = (
    re.compile(r"hydrogen\.blend_vol_fraction"),
    re.compile(r"carbon\.cap_t_per_yr"),
    re.compile(r"carbon\.price_cny_per_t"),
    re.compile(r"overrides\.fuels\.[^.]+\.price_cny_per_gj"),
)


def is_updatable(path: str) -> bool:
    """Can this run-file value (dotted path) change without rebuilding the model?"""
    return any(p.fullmatch(path) for p in UPDATABLE_PATHS)


class ModelSession:
    """One built model plus a persistent HiGHS instance; ``solve_point`` updates and re-solves it."""

    def __init__(self, data: InputData, mutable_paths: frozenset[str] = frozenset(), tee: bool = False):
        start = time.perf_counter()
        self.data = data
        self.frame = build_model(data, frozenset(mutable_paths))
        self.build_time_s = time.perf_counter() - start
        self.solver = WarmSolver(data.config.solver.options, tee)

    def update(self, config: RunConfig, values: dict[str, Any]) -> None:
        """Set the model's mutable parameters to this point's values (all paths must be updatable)."""
        m, data = self.frame.m, self.frame.data
        data.config = config
        for path, value in values.items():
            if not is_updatable(path):
                raise ValueError(f"{path} cannot be changed without rebuilding the model")
            if path == "hydrogen.blend_vol_fraction":
                for g in m.blending:
                    for p in m.P:
                        m.h2_energy_share[g, p] = blend_energy_share(self.frame, g, p)
            elif path == "carbon.cap_t_per_yr":
                for p, cap in enumerate(caps_by_period(self.frame, value)):
                    m.carbon_cap_t[p] = NO_CAP_T if cap is None else float(cap)
            elif path == "carbon.price_cny_per_t":
                m.carbon_price_cny_per_t = float(value)
            else:  # overrides.fuels.<fuel>.price_cny_per_gj
                fuel = path.split(".")[2]
                data.fuels.at[fuel, "price_cny_per_gj"] = float(value)
                m.fuel_price_cny_per_gj[fuel] = float(value)

    def solve_point(self, config: RunConfig, values: dict[str, Any]) -> xr.Dataset:
        """Update to a point, re-solve and return its results Dataset. Raises SolveError if not optimal."""
        self.update(config, values)
        info = self.solver.solve(self.frame.m)
        return build_dataset(
            self.frame,
            {
                "solver": "HiGHS",
                "solver_version": info.solver_version,
                "solver_termination": info.termination,
                "build_time_s": self.build_time_s,
                "solve_time_s": info.solve_time_s,
                "highs_time_s": info.highs_time_s,
            },
        )
