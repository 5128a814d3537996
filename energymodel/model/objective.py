"""Objective: the present value of every registered yearly cost over the periods (CNY).

    min  sum_p objective_factor[p] * sum_(c,g) cost[c,g,p]
    cost[c,g,p] = sum over the parts registered under (c, g, p) of rate * yearly quantity    (CNY/yr)
with c a cost component (investment, fixed_om, variable_om, fuel, carbon, co2_storage, start_up,
lost_load) and g a technology, a line (``line:<name>``) or another source (``h2_purchase``,
``lost_load``). A rate is a number or a mutable parameter (fuel and carbon prices, changed by
sweeps), read each time the LP is compiled. With one modelled year the factor is 1 and the
objective is the yearly system cost (CNY/yr). This module is the only place that reads the cost
register: the LP's objective and the reported costs come from the same :func:`cost_lins`.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import COST_COMPONENTS, ModelFrame, Output, Values
from .linear import Lin
from .spec import ModuleSpec

SPEC = ModuleSpec()


def build(frame: ModelFrame) -> None:
    """Close the cost register: costs added after this point raise (registers.py)."""
    frame.costs.keys()


def cost_lins(frame: ModelFrame) -> dict[tuple[str, str, int], Lin]:
    """Each registered yearly cost (CNY/yr) as a one-row Lin, by (component, technology, period), rates evaluated now."""
    out = {}
    for key in sorted(frame.costs.keys()):
        total = Lin(1)
        for rate, lin in frame.costs.terms(key):
            total = total + lin * float(pyo.value(rate))
        out[key] = total
    return out


def objective_lin(frame: ModelFrame) -> Lin:
    """The objective (present value of all costs, CNY) as a one-row Lin."""
    factor = frame.plan.objective_factor
    total = Lin(1)
    for (_, _, p), lin in cost_lins(frame).items():
        total = total + lin * float(factor[p])
    return total


def report(frame: ModelFrame, values: Values) -> dict:
    techs = list(frame.data.technologies.index)
    n = len(frame.periods)
    table = np.zeros((len(COST_COMPONENTS), len(techs), n))
    by_component = np.zeros((len(COST_COMPONENTS), n))
    other = np.zeros((len(COST_COMPONENTS), n))  # lines, bought hydrogen, its CO2, lost load
    total = 0.0
    for (c, g, p), lin in cost_lins(frame).items():
        cost = float(values.term(lin)[0])
        i = COST_COMPONENTS.index(c)
        by_component[i, p] += cost
        total += float(frame.plan.objective_factor[p]) * cost
        if g in techs:
            table[i, techs.index(g), p] += cost
        else:
            other[i, p] += cost
    return {
        "cost_cny": Output(("component", "technology", "period"), table, "CNY/yr", "yearly cost by component and technology"),
        "cost_not_by_technology_cny": Output(
            ("component", "period"),
            other,
            "CNY/yr",
            "yearly cost not tied to a technology (transmission lines, bought hydrogen and its CO2, lost load, demand shifting)",
        ),
        "cost_by_component_cny": Output(("component", "period"), by_component, "CNY/yr", "yearly cost by component (incl. lost load)"),
        "total_cost_cny": Output(
            (),
            total,
            "CNY/yr" if n == 1 else "CNY",
            "total yearly system cost (objective)" if n == 1 else "present value of the costs of all periods (objective)",
        ),
    }
