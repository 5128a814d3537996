"""A user hook: the run file's ``extra_constraints`` names a Python function that adds to the built model.

    extra_constraints: mypackage.constraints:coal_output_max      # an importable module, or
    extra_constraints: hooks.py:coal_output_max                    # a file, relative to the run file
    extra_options: {twh_per_yr: 3500}                              # keyword arguments for the function

The function is called as ``function(frame, **extra_options)`` after every model module has
added its terms and before the objective is closed, so it may add variables (``frame.m``),
hourly constraint families (:meth:`ModelFrame.add_constraints`), small Pyomo constraints and cost
terms (:meth:`ModelFrame.add_cost`). The duals of the constraint families it adds are reported
(``extra_<family>_dual``). A hook that cannot be imported or that raises is a clear input error
(exit 2); nothing is solved or written.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

from ..errors import EnergyModelError, InputError, Problem
from .frame import ModelFrame, Output, Values


def load_hook(target: str, source: str):
    """The function named by ``module:function`` or ``file.py:function`` (parse_run made the file's path absolute)."""
    where, _, name = target.rpartition(":")

    def fail(message: str) -> InputError:
        return InputError([Problem(source, "extra_constraints", target, message)])

    if not where or not name:
        raise fail("expected 'module:function' or 'file.py:function'")
    try:
        if where.endswith(".py"):
            path = Path(where).resolve()
            if not path.is_file():
                raise fail(f"no such file {path}")
            spec = importlib.util.spec_from_file_location(f"energymodel_hook_{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(where)
    except InputError:
        raise
    except Exception as exc:  # any error while importing the user's code
        raise fail(f"cannot import {where}: {type(exc).__name__}: {exc}") from None
    function = getattr(module, name, None)
    if not callable(function):
        raise fail(f"{where} has no function {name!r}")
    return function


def run_hook(frame: ModelFrame, target: str, source: str) -> None:
    """Call the hook on the frame; record the constraint families it added."""
    config = frame.config
    function = load_hook(target, source)
    before = set(_families(frame))
    try:
        function(frame, **config.extra_options)
    except EnergyModelError:
        raise
    except Exception as exc:  # the user's code failed: say where, without a traceback
        tb = sys.exc_info()[2]
        while tb.tb_next is not None:
            tb = tb.tb_next
        at = f" ({tb.tb_frame.f_code.co_filename}, line {tb.tb_lineno})"
        raise InputError([Problem(source, "extra_constraints", target, f"the hook raised {type(exc).__name__}: {exc}{at}")]) from None
    frame.extra_families = [name for name in _families(frame) if name not in before]


def _families(frame: ModelFrame) -> list[str]:
    return list(frame.blocks) + [c.name for c in frame.m.component_objects(pyo.Constraint, active=True)]


def report(frame: ModelFrame, values: Values) -> dict:
    """The duals of the hook's constraint families: per hour (CNY/unit/h-weight), per period or one number."""
    out = {}
    for name in getattr(frame, "extra_families", []):
        block = frame.blocks.get(name)
        if block is not None:
            duals = frame.dual(name, block.keys) / frame.price_weight()
            for key, row in zip(block.keys, duals):
                label = name if len(block.keys) == 1 else f"{name}_{'_'.join(map(str, key if isinstance(key, tuple) else (key,)))}"
                out[f"extra_{label}_dual"] = Output(
                    ("time",), row, "CNY per unit of the row per hour", f"dual of the hook's constraint {name} {key}"
                )
            continue
        component = getattr(frame.m, name)
        if component.is_indexed() and set(component.index_set()) <= set(frame.periods):
            duals = frame.dual(name, over="period")[0] / frame.plan.objective_factor
            out[f"extra_{name}_dual"] = Output(("period",), duals, "CNY per unit of the row", f"dual of the hook's constraint {name}")
        elif not component.is_indexed():
            out[f"extra_{name}_dual"] = Output(
                (), float(frame.dual(name, over="none")[0, 0]), "CNY per unit of the row", f"dual of the hook's constraint {name}"
            )
        else:
            keys = list(component.keys())
            out[f"extra_{name}_dual"] = Output(
                (f"{name}_index",),
                np.array([frame.dual(name, [k], over="none")[0, 0] for k in keys]),
                "CNY per unit of the row",
                f"dual of the hook's constraint {name} ({', '.join(map(str, keys))})",
            )
    return out
