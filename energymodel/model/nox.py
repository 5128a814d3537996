"""NOx: from the fuel ledger, rising with the hydrogen share of a turbine's heat, and an optional yearly cap.

With F[g,t] the heat input of technology g (GJ/h, all its fuels) and H[g,t] its hydrogen heat input
(the ledger's hydrogen fuel), n_g = ``nox_kg_per_gj`` and k_g = ``nox_h2_rise_per_energy_share``:
    nox_kg[g,t] = n_g * F[g,t] + n_g * k_g * H[g,t]                      (kg/h; = n_g (1 + k_g e) F at energy share e)
    yearly[p]   = sum_{t in p} w_t sum_g nox_kg[g,t] / 1000              (t/yr)
    cap:          yearly[p] <= cap[p]                                    (dual -> NOx shadow price, CNY/t)
Linear, since H is a variable of its own. The cap is ``nox.cap_t_per_yr``, in a pathway
``pathway.nox_cap_t_per_yr`` per year (interpolated, falling back to the former); the shared pattern
of caps.py, a mutable parameter.
"""

from __future__ import annotations

import numpy as np

from .caps import add_yearly_cap, caps_and_shadow_prices, set_caps
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable, Updatable

KG_PER_T = 1000.0


def _hourly_t(frame: ModelFrame) -> dict:
    """Hourly NOx (t/h, a Lin) of each technology with a NOx factor that burns fuel."""
    h2 = frame.config.hydrogen.fuel
    burning = sorted({g for g, _ in frame.fuel.keys()})
    out = {}
    for g in burning:
        factor_t_per_gj = frame.tech(g, "nox_kg_per_gj") / KG_PER_T
        if factor_t_per_gj > 0:
            rise = frame.tech(g, "nox_h2_rise_per_energy_share")
            out[g] = factor_t_per_gj * frame.fuel_use(g) + factor_t_per_gj * rise * frame.fuel_use(g, h2)
    return out


def caps_by_period(frame: ModelFrame, cap_t_per_yr: float | None) -> list[float | None]:
    """The NOx cap of each period (None: no cap)."""
    pathway = frame.config.pathway
    return frame.setting_by_period(pathway.nox_cap_t_per_yr if pathway else {}, cap_t_per_yr)


def _update_cap(frame: ModelFrame, _config, _path: str, value) -> None:
    set_caps(frame, "nox_cap", caps_by_period(frame, value))


SPEC = ModuleSpec(relaxable=(Relaxable("nox_cap"),), updatable=(Updatable(r"nox\.cap_t_per_yr", _update_cap),))


def build(frame: ModelFrame) -> None:
    caps = caps_by_period(frame, frame.config.nox.cap_t_per_yr)
    hourly = _hourly_t(frame)
    everything = sum(hourly.values(), frame.zero())
    yearly = {p: frame.pyomo(frame.yearly(everything, p)) for p in frame.periods}
    add_yearly_cap(frame, "nox_cap", yearly, caps, "NOx cap, t/yr", always=frame.is_mutable("nox.cap_t_per_yr"))


def report(frame: ModelFrame, values: Values) -> dict:
    techs = list(frame.data.technologies.index)
    hourly = np.zeros((len(techs), frame.n_hours))
    for g, lin in _hourly_t(frame).items():
        hourly[techs.index(g)] = values.term(lin)
    total = hourly.sum(axis=0)
    cap, shadow = caps_and_shadow_prices(frame, "nox_cap")
    return {
        "nox_t": Output(("technology", "period"), values.annual(hourly), "t/yr", "NOx emissions by technology", techs),
        "nox_by_technology_t_per_h": Output(("technology", "time"), hourly, "t/h", "NOx emissions by technology and hour", techs),
        "nox_t_per_h": Output(("time",), total, "t/h", "NOx emissions per hour"),
        "nox_total_t": Output(("period",), values.annual(total), "t/yr", "total NOx emissions"),
        "nox_cap_t": Output(("period",), cap, "t/yr", "NOx cap (NaN: no cap)"),
        "nox_shadow_price_cny_per_t": Output(("period",), shadow, "CNY/t", "shadow price of the NOx cap (NaN: no cap)"),
    }
