"""CO2: emissions from the fuel ledger, an optional yearly cap and an optional carbon price.

    emissions_t[g,t] = sum_f co2_t_per_gj[f] * fuel_use_gj[g,f,t]                (tCO2/h)
    other sources s (registered with frame.add_emissions, e.g. 'h2_bought'): other_emissions_t[s,t]
    cap:    sum_t w_t * (sum_g emissions_t[g,t] + sum_s other_emissions_t[s,t]) <= cap_t_per_yr
            (dual -> carbon shadow price, CNY/t)
    price:  carbon[g] = price_cny_per_t * sum_t w_t * emissions_t[g,t]          (CNY/yr; same for s)
A fuel paid for by a supply module (hydrogen with electrolysers) has its CO2 counted there, on
what is bought, not on what is burnt.
Cap and price are mutable parameters, so a sweep can change them without rebuilding.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .frame import ModelFrame, Output, Values

NO_CAP_T = 1e15
"""Cap value (tCO2/yr) that stands for 'no cap' when a sweep mixes capped and uncapped points."""


def _emitting(frame: ModelFrame) -> list[tuple[str, str, float]]:
    co2 = frame.data.fuels["co2_t_per_gj"]
    return [(g, f, float(co2[f])) for g, f in frame.m.fuel_keys if co2[f] > 0 and f not in frame.supplied_fuels]


def build(frame: ModelFrame) -> None:
    m, carbon = frame.m, frame.data.config.carbon
    sources = _emitting(frame)
    emitters = sorted({g for g, _, _ in sources})
    m.emitters = pyo.Set(initialize=emitters, ordered=True, doc="technologies that emit CO2")
    m.emissions_t = pyo.Expression(m.emitters, m.T, rule=lambda _, g, t: sum(k * m.fuel_use_gj[g, f, t] for gg, f, k in sources if gg == g))
    yearly = {g: frame.yearly(lambda t, g=g: m.emissions_t[g, t]) for g in emitters}
    others = sorted(frame.emission_terms)
    m.other_emission_sources = pyo.Set(initialize=others, ordered=True, doc="CO2 sources that are not technologies")
    m.other_emissions_t = pyo.Expression(m.other_emission_sources, m.T, rule=lambda _, s, t: sum(term(t) for term in frame.emission_terms[s]))
    yearly.update({s: frame.yearly(lambda t, s=s: m.other_emissions_t[s, t]) for s in others})
    if carbon.cap_t_per_yr is not None or frame.is_mutable("carbon.cap_t_per_yr"):
        cap = NO_CAP_T if carbon.cap_t_per_yr is None else carbon.cap_t_per_yr
        m.carbon_cap_t = pyo.Param(initialize=cap, mutable=True, doc="CO2 cap, t/yr")
        m.carbon_cap = pyo.Constraint(expr=sum(yearly.values()) <= m.carbon_cap_t)
    m.carbon_price_cny_per_t = pyo.Param(initialize=carbon.price_cny_per_t, mutable=True, doc="carbon price, CNY/t")
    if carbon.price_cny_per_t or frame.is_mutable("carbon.price_cny_per_t"):
        for source, tonnes in yearly.items():
            frame.add_cost("carbon", source, m.carbon_price_cny_per_t * tonnes)


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    emitters = list(m.emitters)
    hourly = np.zeros((len(emitters), len(frame.hours)))
    for i, g in enumerate(emitters):
        hourly[i] = values.hourly_terms(lambda t, g=g: m.emissions_t[g, t])
    by_tech = (hourly * frame.weight_h).sum(axis=1)
    other = {s: values.hourly_terms(lambda t, s=s: m.other_emissions_t[s, t]) for s in m.other_emission_sources}
    hourly_total = hourly.sum(axis=0) + sum(other.values(), np.zeros(len(frame.hours)))
    shadow, cap = np.nan, np.nan
    if hasattr(m, "carbon_cap") and pyo.value(m.carbon_cap_t) < NO_CAP_T:
        cap = pyo.value(m.carbon_cap_t)
        shadow = -m.dual.get(m.carbon_cap, np.nan) if hasattr(m, "dual") else np.nan
    zeros = [g for g in frame.data.technologies.index if g not in emitters]
    outputs = {
        "emissions_t": Output(("technology",), np.r_[by_tech, np.zeros(len(zeros))], "tCO2/yr", "CO2 emissions by technology", emitters + zeros),
        "emissions_t_per_h": Output(("time",), hourly_total, "tCO2/h", "CO2 emissions per hour (all sources)"),
        "emissions_total_t": Output((), float((hourly_total * frame.weight_h).sum()), "tCO2/yr", "total CO2 emissions (all sources)"),
        "carbon_cap_t": Output((), cap, "tCO2/yr", "CO2 cap (NaN: no cap)"),
        "carbon_price_cny_per_t": Output((), pyo.value(m.carbon_price_cny_per_t), "CNY/tCO2", "carbon price in the objective"),
        "carbon_shadow_price_cny_per_t": Output((), shadow, "CNY/tCO2", "shadow price of the CO2 cap (NaN: no cap)"),
    }
    for source, series in other.items():
        outputs[f"emissions_{source}_t"] = Output((), float((series * frame.weight_h).sum()), "tCO2/yr", f"CO2 emissions from {source.replace('_', ' ')}")
    return outputs
