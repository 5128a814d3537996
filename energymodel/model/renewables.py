"""Variable renewables (onshore/offshore wind, solar): output up to the hourly capacity factor.

0 <= generation_mw[g,t] <= cf[g,t] * capacity_mw[g]
curtailment_mw[g,t] = cf[g,t] * capacity_mw[g] - generation_mw[g,t]   (reported)
"""

from __future__ import annotations

import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec

SPEC = ModuleSpec()


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    names = data.names("variable_renewable")
    cf = {g: data.capacity_factor[g].to_numpy() for g in names}
    m.renewable = pyo.Set(initialize=names, ordered=True, doc="variable renewable technologies")
    m.renewable_mw = pyo.Var(m.renewable, m.T, bounds=(0, None), doc="renewable output, MW")

    frame.add_constraints(
        "renewable_output_max",
        names,
        lambda g: frame.var(m.renewable_mw, g) <= frame.capacity(g) * cf[g],
        doc="renewable output up to the capacity factor, MW",
    )
    for g in names:
        output = frame.var(m.renewable_mw, g)
        frame.add_supply(frame.region(g), output)
        frame.add_output(g, output)
        frame.add_variable_om(g, output)


def report(frame: ModelFrame, values: Values) -> dict:
    names = list(frame.m.renewable)
    output = values.hourly(frame.m.renewable_mw, names)
    available = frame.data.capacity_factor[names].to_numpy().T * values.hourly_capacity(names)
    return {
        "generation_mw": Output(("technology", "time"), output, "MW", "electric output", names),
        "curtailment_mw": Output(
            ("technology", "time"), (available - output).clip(min=0), "MW", "available renewable output not used", names
        ),
    }
