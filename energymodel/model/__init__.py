"""The linear program, assembled from one module per concern.

``build_model`` runs each module's ``build`` in order on a shared :class:`ModelFrame`, then the
run's user hook (``extra_constraints``, hook.py), then closes the objective; ``report`` asks each
module for its results. Technology families only add terms to the shared registers (balance,
fuel ledger, costs ...); the later modules (balance, fuels, carbon, ..., objective) read them.
Each module declares a ``SPEC`` (spec.py). docs/formulation.md follows the same order.
"""

from __future__ import annotations

from . import (
    balance,
    capacity,
    carbon,
    flexible_demand,
    fuels,
    heat,
    hook,
    hydro,
    hydrogen_blending,
    hydrogen_fleet,
    hydrogen_supply,
    lost_load,
    nox,
    objective,
    policy,
    renewables,
    reserves,
    storage,
    thermal,
    transmission,
)
from .frame import COST_COMPONENTS, ModelFrame, Output, Values

MODULES = (
    capacity,
    thermal,
    heat,
    hydrogen_blending,
    renewables,
    hydro,
    storage,
    hydrogen_supply,
    transmission,
    lost_load,
    flexible_demand,
    balance,
    reserves,
    fuels,
    carbon,
    nox,
    hydrogen_fleet,
    policy,
    objective,
)


def build_model(data, mutable: frozenset[str] = frozenset()) -> ModelFrame:
    """Build the model for validated inputs; returns the frame holding ``frame.m``.

    ``mutable`` names run-file values (dotted paths) that will be changed between solves, so that
    terms which are zero now (e.g. a carbon price of 0) are still built.
    """
    frame = ModelFrame(data, mutable)
    for module in MODULES:
        if module is objective and data.config.extra_constraints:
            frame.module = f"extra_constraints ({data.config.extra_constraints})"
            hook.run_hook(frame, data.config.extra_constraints, data.sources.get("run_file", "run file"))
        frame.module = module.__name__.rsplit(".", 1)[-1]
        module.build(frame)
    frame.module = "solve"
    return frame


def report(frame: ModelFrame) -> list[tuple[str, Output]]:
    """Every module's outputs, in module order (the same name may come from several modules)."""
    values = Values(frame)
    return [(name, out) for module in (*MODULES, hook) for name, out in module.report(frame, values).items()]


__all__ = ["COST_COMPONENTS", "MODULES", "ModelFrame", "Output", "build_model", "report"]
