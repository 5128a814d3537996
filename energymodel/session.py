"""A model built once and re-solved for many parameter points (the engine behind sweeps).

Which run-file values can change without a rebuild is declared by the model modules themselves
(``SPEC.updatable``, model/spec.py): the module's update function puts the point's value into the
built model (a mutable parameter, or rows rebuilt with the same shape). The LP is then compiled
again (numpy: about a second for a full year) and re-solved from the previous basis; any other
change needs a new model. The inputs are never written to.
"""

from __future__ import annotations

import time
from typing import Any

import xarray as xr

from .config import RunConfig
from .errors import InputError, Problem
from .inputs import InputData
from .model import MODULES, build_model
from .model.spec import updater
from .results import build_dataset
from .solve import WarmSolver


def is_updatable(path: str) -> bool:
    """Can this run-file value (dotted path) change without rebuilding the model?"""
    return updater(MODULES, path) is not None


class ModelSession:
    """One built model plus a persistent HiGHS instance; ``solve_point`` updates and re-solves it."""

    def __init__(self, data: InputData, mutable_paths: frozenset[str] = frozenset(), tee: bool = False):
        pathway = data.config.pathway
        if pathway is not None and pathway.foresight == "myopic":  # a session is one LP: perfect foresight only
            source = data.sources.get("run_file", "run file")
            raise InputError(
                [Problem(source, "pathway.foresight", "myopic", "sweeps solve pathways with perfect foresight only: run each point")]
            )
        start = time.perf_counter()
        self.frame = build_model(data, frozenset(mutable_paths))
        self.build_time_s = time.perf_counter() - start
        self.solver = WarmSolver(data.config.solver.options, tee)

    def update(self, config: RunConfig, values: dict[str, Any]) -> None:
        """Put this point's values into the model (every path must be updatable)."""
        for path, value in values.items():
            declared = updater(MODULES, path)
            if declared is None:
                raise ValueError(f"{path} cannot be changed without rebuilding the model")
            declared.update(self.frame, config, path, value)

    def solve_point(self, config: RunConfig, values: dict[str, Any]) -> xr.Dataset:
        """Update to a point, re-solve and return its results Dataset. Raises SolveError if not optimal."""
        self.update(config, values)
        extra = {}
        if config.solver.decomposition is not None:  # each point decomposed afresh, its subproblems in this process
            from .decompose import solve_decomposed

            info, done = solve_decomposed(self.frame, config.solver.decomposition, config.solver.options)
            extra = done.attrs()
        else:
            info = self.solver.solve(self.frame)
        return build_dataset(
            self.frame,
            {
                "solver": "HiGHS",
                "solver_version": info.solver_version,
                "solver_termination": info.termination,
                "build_time_s": self.build_time_s,
                "solve_time_s": info.solve_time_s,
                "highs_time_s": info.highs_time_s,
                **(info.health.attrs() if info.health is not None else {}),
                **extra,
            },
            config=config,
        )
