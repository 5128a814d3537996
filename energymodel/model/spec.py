"""What each model module declares about itself, read by the diagnosis and by sweeps.

Every module in ``model.MODULES`` has a ``SPEC``:
 * ``relaxable``: constraint families the diagnosis (diagnose.py) may relax with elastic slacks,
   and the penalty per unit of slack. Physical rows (the demand balance) get a far higher penalty
   than policy rows (caps, targets), so a policy gives way first;
 * ``updatable``: run-file values (dotted paths, as regular expressions) that a sweep may change
   without rebuilding the model, each with the function that puts the new value into the built
   model (``update(frame, config, path, value)``; ``config`` is the point's whole run configuration).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PHYSICAL_PENALTY = 1e3
"""Diagnosis penalty per MWh of demand slack, against 1 per tonne, MW or MWh of policy slack."""


@dataclass(frozen=True)
class Relaxable:
    """A constraint family the diagnosis may relax."""

    family: str
    penalty: float = 1.0  # objective weight per unit of slack
    hour_weighted: bool = False  # penalty times the weight of the row's hour (hours of the year it stands for)


@dataclass(frozen=True)
class Updatable:
    """A run-file value a built model can take without a rebuild."""

    path: str  # regular expression, matched in full against a dotted run-file path
    update: Callable[[Any, Any, str, Any], None]  # (frame, run config, dotted path, value) -> None

    def matches(self, dotted: str) -> bool:
        return re.fullmatch(self.path, dotted) is not None


@dataclass(frozen=True)
class ModuleSpec:
    relaxable: tuple[Relaxable, ...] = ()
    updatable: tuple[Updatable, ...] = ()


def relaxable(modules) -> list[Relaxable]:
    """Every relaxable family of the given modules, in module order."""
    return [r for module in modules for r in module.SPEC.relaxable]


def updater(modules, dotted: str) -> Updatable | None:
    """The declaration that makes ``dotted`` updatable without a rebuild, if any module has one."""
    return next((u for module in modules for u in module.SPEC.updatable if u.matches(dotted)), None)
