"""Objective: total yearly system cost (CNY/yr), the sum of every registered cost term.

    min  sum_g [investment + fixed_om + variable_om + fuel + carbon][g] + lost_load
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import COST_COMPONENTS, ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    m = frame.m
    keys = sorted(frame.costs)
    m.cost_keys = pyo.Set(initialize=keys, dimen=2, ordered=True, doc="(cost component, technology)")
    m.cost_cny = pyo.Expression(m.cost_keys, rule=lambda _, c, g: sum(frame.costs[c, g]))
    m.total_cost = pyo.Objective(expr=sum(m.cost_cny[k] for k in keys), sense=pyo.minimize)


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    techs = list(frame.data.technologies.index)
    table = np.zeros((len(COST_COMPONENTS), len(techs)))
    by_component = np.zeros(len(COST_COMPONENTS))
    other = np.zeros(len(COST_COMPONENTS))  # bought hydrogen, its CO2, lost load
    for c, g in m.cost_keys:
        cost = values.scalar(m.cost_cny[c, g])
        by_component[COST_COMPONENTS.index(c)] += cost
        if g in techs:
            table[COST_COMPONENTS.index(c), techs.index(g)] += cost
        else:
            other[COST_COMPONENTS.index(c)] += cost
    return {
        "cost_cny": Output(("component", "technology"), table, "CNY/yr", "yearly cost by component and technology"),
        "cost_not_by_technology_cny": Output(("component",), other, "CNY/yr", "yearly cost not tied to a technology (transmission lines, bought hydrogen and its CO2, lost load)"),
        "cost_by_component_cny": Output(("component",), by_component, "CNY/yr", "yearly cost by component (incl. lost load)"),
        "total_cost_cny": Output((), values.scalar(m.total_cost), "CNY/yr", "total yearly system cost (objective)"),
    }
