"""A yearly cap per period with its shadow price, the one pattern behind the CO2 cap (carbon.py) and the NOx cap (nox.py).

    cap:  yearly[p] <= cap[p]      (a Pyomo constraint ``name[p]``; the cap a mutable parameter ``name_t[p]``)
    shadow price[p] = -dual[p] / objective_factor[p]     (currency per unit of the cap, in that period's money)
A period without a cap, when others have one or a sweep may set one, gets ``NO_CAP`` (a cap that never binds).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame

NO_CAP = 1e15
"""Cap value that stands for 'no cap' (in the cap's unit, e.g. t/yr)."""


def add_yearly_cap(frame: ModelFrame, name: str, yearly: dict, caps: list[float | None], doc: str, always: bool = False) -> None:
    """``name[p]: yearly[p] <= name_t[p]`` for the periods' caps (None: no cap); nothing if no period has one and not ``always``."""
    if not (always or any(c is not None for c in caps)):
        return
    m = frame.m
    limit = pyo.Param(m.P, initialize=lambda _, p: NO_CAP if caps[p] is None else caps[p], mutable=True, doc=doc)
    setattr(m, f"{name}_t", limit)
    setattr(m, name, pyo.Constraint(m.P, rule=lambda _, p: yearly[p] <= limit[p]))


def set_caps(frame: ModelFrame, name: str, caps: list[float | None]) -> None:
    """New caps into a built model (a sweep's point)."""
    limit = getattr(frame.m, f"{name}_t")
    for p, cap in enumerate(caps):
        limit[p] = NO_CAP if cap is None else float(cap)


def caps_and_shadow_prices(frame: ModelFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(cap, shadow price) per period after a solve; NaN where a period has no cap."""
    m, n = frame.m, len(frame.periods)
    cap, shadow = np.full(n, np.nan), np.full(n, np.nan)
    if hasattr(m, name):
        limit, duals = getattr(m, f"{name}_t"), frame.dual(name, over="period")[0]
        for p in frame.periods:
            if pyo.value(limit[p]) < NO_CAP:
                cap[p] = pyo.value(limit[p])
                shadow[p] = -duals[p] / frame.plan.objective_factor[p]
    return cap, shadow
