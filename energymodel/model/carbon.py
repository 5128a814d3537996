"""CO2: emissions from the fuel ledger, capture, an optional cap per period, a budget and a carbon price.

    produced_t[g,t]  = sum_f co2_t_per_gj[f] * fuel_use_gj[g,f,t]                (tCO2/h)
    captured_t[g,t]  = capture_rate[g] * produced_t[g,t]
    emissions_t[g,t] = (1 - capture_rate[g]) * produced_t[g,t]
    co2_storage[g,p] = co2_storage_cny_per_t[g] * sum_{t in p} w_t * captured_t[g,t]   (CNY/yr, transport and storage)
Because the ledger already moved blended hydrogen's heat off natural gas, a gas plant with a blend
and capture emits (1 - capture) of the CO2 of its natural-gas share only. The CO2 of grey hydrogen
(made elsewhere) is never captured by the turbine's plant.
    other sources s (registered with frame.add_emissions, e.g. 'h2_bought'): other_emissions_t[s,t]
    yearly[p] = sum_{t in p} w_t * (sum_g emissions_t[g,t] + sum_s other_emissions_t[s,t])   (tCO2/yr)
    cap:     yearly[p] <= cap_t_per_yr[p]          (dual -> carbon shadow price of period p, CNY/t)
    budget:  sum_p represented_yr[p] * yearly[p] <= carbon_budget_t     (pathways only)
    price:   carbon[g,p] = price_cny_per_t * sum_{t in p} w_t * emissions_t[g,t]       (CNY/yr; same for s)
A fuel paid for by a supply module (hydrogen with electrolysers) has its CO2 counted there, on
what is bought, not on what is burnt. Cap and price are mutable parameters, so a sweep can change
them without rebuilding (the cap is the shared pattern of caps.py). With one period the cap is
``carbon.cap_t_per_yr``; a pathway takes
``pathway.carbon_cap_t_per_yr`` (per year, interpolated) and falls back to it.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .caps import add_yearly_cap, caps_and_shadow_prices, set_caps
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable, Updatable


def _produced(frame: ModelFrame) -> list[tuple[str, str, float]]:
    """(technology, fuel, tCO2 produced per GJ burnt) for every emitting fuel use counted here."""
    co2 = frame.data.fuels["co2_t_per_gj"]
    return [(g, f, float(co2[f])) for g, f in frame.m.fuel_keys if co2[f] > 0 and f not in frame.supplied_fuels]


def _capture_rate(frame: ModelFrame, g: str, fuel: str) -> float:
    """Share of the CO2 counted for burning ``fuel`` in ``g`` that its capture plant takes out.

    The CO2 of a hydrogen fuel (grey hydrogen) is released where the hydrogen is made, not in the
    turbine's flue gas, so the turbine's capture does not reach it.
    """
    return 0.0 if fuel == frame.config.hydrogen.fuel else frame.tech(g, "capture_rate")


def _emitting(frame: ModelFrame) -> list[tuple[str, str, float]]:
    """(technology, fuel, tCO2 emitted per GJ burnt): what is produced less what is captured."""
    return [(g, f, k * (1.0 - _capture_rate(frame, g, f))) for g, f, k in _produced(frame) if _capture_rate(frame, g, f) < 1.0]


def _capturing(frame: ModelFrame) -> list[tuple[str, str, float]]:
    """(technology, fuel, tCO2 captured per GJ burnt)."""
    return [(g, f, k * _capture_rate(frame, g, f)) for g, f, k in _produced(frame) if _capture_rate(frame, g, f) > 0]


def _per_technology(frame: ModelFrame, rows) -> dict:
    """Hourly CO2 (t/h, a Lin) per technology from (technology, fuel, t/GJ) rows."""
    return {g: sum((k * frame.fuel_use(g, f) for gg, f, k in rows if gg == g), frame.zero()) for g in sorted({g for g, _, _ in rows})}


def caps_by_period(frame: ModelFrame, cap_t_per_yr: float | None) -> list[float | None]:
    """The CO2 cap of each period (None: no cap)."""
    pathway = frame.config.pathway
    return frame.setting_by_period(pathway.carbon_cap_t_per_yr if pathway else {}, cap_t_per_yr)


def _update_cap(frame: ModelFrame, _config, _path: str, value) -> None:
    set_caps(frame, "carbon_cap", caps_by_period(frame, value))


def _update_price(frame: ModelFrame, _config, _path: str, value) -> None:
    frame.m.carbon_price_cny_per_t = float(value)


SPEC = ModuleSpec(
    relaxable=(Relaxable("carbon_cap"), Relaxable("carbon_budget")),
    updatable=(Updatable(r"carbon\.cap_t_per_yr", _update_cap), Updatable(r"carbon\.price_cny_per_t", _update_price)),
)


def emissions_by_source(frame: ModelFrame) -> dict:
    """Hourly CO2 (tCO2/h, a Lin) of every source: the emitting technologies and the registered other sources."""
    hourly = _per_technology(frame, _emitting(frame))
    hourly.update({s: frame.emissions.total([s], frame.n_hours) for s in sorted(frame.emissions.keys())})
    return hourly


def build(frame: ModelFrame) -> None:
    m, config = frame.m, frame.config
    carbon = config.carbon
    m.emitters = pyo.Set(initialize=sorted({g for g, _, _ in _emitting(frame)}), ordered=True, doc="technologies that emit CO2")
    others = sorted(frame.emissions.keys())
    m.other_emission_sources = pyo.Set(initialize=others, ordered=True, doc="CO2 sources that are not technologies")
    for g, captured in _per_technology(frame, _capturing(frame)).items():
        if frame.tech(g, "co2_storage_cny_per_t"):
            frame.add_hourly_cost("co2_storage", g, frame.tech(g, "co2_storage_cny_per_t"), captured)
    hourly = emissions_by_source(frame)  # tCO2/h
    everything = sum(hourly.values(), frame.zero())  # tCO2/h, all sources
    yearly = {p: frame.pyomo(frame.yearly(everything, p)) for p in frame.periods}
    frame.yearly_co2 = yearly

    caps = caps_by_period(frame, carbon.cap_t_per_yr)
    add_yearly_cap(frame, "carbon_cap", yearly, caps, "CO2 cap, t/yr", always=frame.is_mutable("carbon.cap_t_per_yr"))
    pathway = config.pathway
    if pathway is not None and pathway.carbon_budget_t is not None:
        m.carbon_budget = pyo.Constraint(
            expr=sum(frame.plan.represented_yr[p] * yearly[p] for p in frame.periods) <= pathway.carbon_budget_t
        )
    m.carbon_price_cny_per_t = pyo.Param(initialize=carbon.price_cny_per_t, mutable=True, doc="carbon price, CNY/t")
    if carbon.price_cny_per_t or frame.is_mutable("carbon.price_cny_per_t"):
        for source, term in hourly.items():
            frame.add_hourly_cost("carbon", source, m.carbon_price_cny_per_t, term)


def report(frame: ModelFrame, values: Values) -> dict:
    m = frame.m
    emitters = list(m.emitters)
    hourly = np.zeros((len(emitters), len(frame.hours)))
    for g, f, k in _emitting(frame):
        hourly[emitters.index(g)] += k * values.term(frame.fuel_use(g, f))
    by_tech = values.annual(hourly).reshape(len(emitters), len(frame.periods))
    other = {s: values.term(frame.emissions.total([s], frame.n_hours)) for s in m.other_emission_sources}
    hourly_total = hourly.sum(axis=0) + sum(other.values(), np.zeros(len(frame.hours)))
    n = len(frame.periods)
    cap, shadow = caps_and_shadow_prices(frame, "carbon_cap")
    zeros = [g for g in frame.data.technologies.index if g not in emitters]
    outputs = {
        "emissions_t": Output(
            ("technology", "period"), np.r_[by_tech, np.zeros((len(zeros), n))], "tCO2/yr", "CO2 emissions by technology", emitters + zeros
        ),
        "emissions_t_per_h": Output(("time",), hourly_total, "tCO2/h", "CO2 emissions per hour (all sources)"),
        "emissions_total_t": Output(("period",), values.annual(hourly_total), "tCO2/yr", "total CO2 emissions (all sources)"),
        "carbon_cap_t": Output(("period",), cap, "tCO2/yr", "CO2 cap (NaN: no cap)"),
        "carbon_price_cny_per_t": Output((), pyo.value(m.carbon_price_cny_per_t), "CNY/tCO2", "carbon price in the objective"),
        "carbon_shadow_price_cny_per_t": Output(
            ("period",), shadow, "CNY/tCO2", "shadow price of the CO2 cap (NaN: no cap); in a pathway, per tonne in that period's money"
        ),
    }
    captured = _per_technology(frame, _capturing(frame))
    if captured:
        names = list(captured)
        yearly = values.annual(np.array([values.term(captured[g]) for g in names])).reshape(len(names), n)
        outputs["co2_captured_t"] = Output(
            ("technology", "period"), yearly, "tCO2/yr", "CO2 captured (sent to transport and storage)", names
        )
        outputs["co2_captured_total_t"] = Output(("period",), yearly.sum(axis=0), "tCO2/yr", "total CO2 captured")
    for source, series in other.items():
        outputs[f"emissions_{source}_t"] = Output(
            ("period",), values.annual(series), "tCO2/yr", f"CO2 emissions from {source.replace('_', ' ')}"
        )
    return outputs
