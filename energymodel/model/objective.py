"""Objective: the present value of every registered yearly cost over the periods (CNY).

    min  sum_p objective_factor[p] * sum_(c,g) cost[c,g,p]
with cost[c,g,p] the yearly cost (CNY/yr) of component c (investment, fixed_om, variable_om, fuel,
carbon, lost_load) and technology (or line, or other source) g in period p. With one modelled year
the factor is 1 and the objective is the yearly system cost (CNY/yr).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import COST_COMPONENTS, ModelFrame, Output, Values


def build(frame: ModelFrame) -> None:
    """The objective is assembled at solve time from ``frame.cost_parts`` (see solve.compile_lp and
    :func:`build_pyomo`, used when a Pyomo objective is needed)."""


def build_pyomo(frame: ModelFrame) -> None:
    """The objective as Pyomo components: ``cost_cny[c, g, p]`` expressions and ``total_cost``."""
    m = frame.m
    keys = sorted(frame.cost_parts)
    factor = frame.plan.objective_factor

    def cost(_, c, g, p):
        total = 0.0
        for part in frame.cost_parts[c, g, p]:
            if part[0] == "other":
                total = total + part[1]
            else:
                _, rate, term = part
                total = total + rate * frame.pyomo_expression(frame.yearly_lin(term, p))
        return total

    m.cost_keys = pyo.Set(initialize=keys, dimen=3, ordered=True, doc="(cost component, technology, period)")
    m.cost_cny = pyo.Expression(m.cost_keys, rule=cost)
    m.total_cost = pyo.Objective(expr=sum(float(factor[p]) * m.cost_cny[c, g, p] for c, g, p in keys), sense=pyo.minimize)


def report(frame: ModelFrame, values: Values) -> dict:
    techs = list(frame.data.technologies.index)
    n = len(frame.periods)
    table = np.zeros((len(COST_COMPONENTS), len(techs), n))
    by_component = np.zeros((len(COST_COMPONENTS), n))
    other = np.zeros((len(COST_COMPONENTS), n))  # lines, bought hydrogen, its CO2, lost load
    hourly_values: dict[int, np.ndarray] = {}
    weight = frame.weight_h

    def evaluate(part, p) -> float:
        if part[0] == "other":
            return values.scalar(part[1])
        _, rate, term = part
        if id(term) not in hourly_values:
            hourly_values[id(term)] = values.term(term)
        hours = frame.hours_of(p)
        return float(pyo.value(rate)) * float((weight[hours.start:hours.stop] * hourly_values[id(term)][hours.start:hours.stop]).sum())

    total = 0.0
    for c, g, p in sorted(frame.cost_parts):
        cost = sum(evaluate(part, p) for part in frame.cost_parts[c, g, p])
        i = COST_COMPONENTS.index(c)
        by_component[i, p] += cost
        total += float(frame.plan.objective_factor[p]) * cost
        if g in techs:
            table[i, techs.index(g), p] += cost
        else:
            other[i, p] += cost
    return {
        "cost_cny": Output(("component", "technology", "period"), table, "CNY/yr", "yearly cost by component and technology"),
        "cost_not_by_technology_cny": Output(("component", "period"), other, "CNY/yr", "yearly cost not tied to a technology (transmission lines, bought hydrogen and its CO2, lost load)"),
        "cost_by_component_cny": Output(("component", "period"), by_component, "CNY/yr", "yearly cost by component (incl. lost load)"),
        "total_cost_cny": Output((), total, "CNY/yr" if n == 1 else "CNY",
                                 "total yearly system cost (objective)" if n == 1 else "present value of the costs of all periods (objective)"),
    }
