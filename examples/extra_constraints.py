"""User hooks for a run file's ``extra_constraints`` (see docs/extending.md).

    extra_constraints: ../examples/extra_constraints.py:coal_output_max
    extra_options: {twh_per_yr: 250}

Each function receives the built model (a ModelFrame) and the run's ``extra_options`` as keyword
arguments, before the solve; it may add variables, constraints and cost terms.
"""

from __future__ import annotations

import pyomo.environ as pyo


def coal_output_max(frame, twh_per_yr: float) -> None:
    """Electricity from coal-fired plants (fuel 'coal', with or without capture) in each period <= ``twh_per_yr`` TWh.

        sum_{g burns coal} sum_{t in p} w_t * output[g,t] <= twh_per_yr * 1e6        (MWh/yr)
    Its dual, reported as ``extra_coal_output_max_dual`` (CNY/MWh), is what one more MWh of coal would save.
    """
    coal = [g for g in frame.outputs.keys() if frame.tech(g, "fuel") == "coal"]
    output = frame.output(coal)  # MW in every modelled hour, a Lin
    frame.m.coal_output_max = pyo.Constraint(frame.m.P, rule=lambda _, p: frame.pyomo(frame.yearly(output, p)) <= twh_per_yr * 1e6)


def offshore_wind_min(frame, gw: float) -> None:
    """At least ``gw`` GW of offshore wind in every region that has it, in every period (a build target)."""
    names = [g for g in frame.data.technologies.index if frame.tech(g, "technology") == "offshore_wind"]
    frame.m.offshore_wind_min = pyo.Constraint(frame.m.P, rule=lambda _, p: sum(frame.capacity_mw(g, p) for g in names) >= gw * 1e3)
