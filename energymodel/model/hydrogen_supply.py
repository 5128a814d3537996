"""Hydrogen supply: bought at the hydrogen fuel's price, or made by electrolysers and stored.

Active when the dataset has electrolysers (family 'electrolyser') or hydrogen storage ('h2_storage');
otherwise all hydrogen burnt is simply bought at the fuel price (fuels.py). All hydrogen flows are in
MW of H2 at its lower heating value (MWh per hour; 1 MWh = 3.6 GJ = 30.0 kg at 119.96 MJ/kg).

    electrolyser:  0 <= electrolysis_mw[e,t] <= capacity_mw[e]        (electricity, MW_e)
                   made[e,t] = efficiency[e] * electrolysis_mw[e,t]     (MW_H2; 52 kWh/kg ~ 0.64)
    hydrogen_balance[r,t]:  bought[r,t] + sum_e made[e,t] + sum_s (discharge - charge)[s,t] = burnt[r,t]
                   over the electrolysers e, stores s and burners g in region r (no hydrogen moves
                   between regions), with burnt[r,t] = sum_g fuel_use_gj[g, hydrogen, t] / 3.6
    cost:          price_cny_per_gj[hydrogen] * 3.6 * sum_r,t w_t * bought[r,t]   (CNY/yr; component 'fuel')
    CO2:           co2_t_per_gj[hydrogen] * 3.6 * sum_r bought[r,t]  (t/h; source 'h2_bought'): the CO2 of making
                   grey hydrogen is charged on what is bought, never on what electrolysers make.
Electrolysers take their power from the demand balance, so they can use wind and solar that would
otherwise be curtailed.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..physics import GJ_PER_MWH
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec

SPEC = ModuleSpec()


def active(frame: ModelFrame) -> bool:
    data = frame.data
    return bool(data.names("electrolyser") or data.names("h2_storage"))


def build(frame: ModelFrame) -> None:
    m, data = frame.m, frame.data
    names = data.names("electrolyser")
    m.electrolyser = pyo.Set(initialize=names, ordered=True, doc="electrolysers")
    if not active(frame):
        return
    h2 = frame.config.hydrogen.fuel
    frame.supplied_fuels.add(h2)
    m.electrolysis_mw = pyo.Var(m.electrolyser, m.T, bounds=(0, None), doc="electricity into electrolysis, MW")
    frame.add_constraints(
        "electrolysis_max", names, lambda e: frame.var(m.electrolysis_mw, e) <= frame.capacity(e), doc="electrolyser limit, MW"
    )
    for e in names:
        power = frame.var(m.electrolysis_mw, e)
        frame.add_supply(frame.region(e), -power)
        frame.add_hydrogen(frame.region(e), frame.tech(e, "efficiency") * power)
        frame.add_variable_om(e, power)

    m.h2_bought_mw = pyo.Var(m.R, m.T, bounds=(0, None), doc="hydrogen bought, MW (LHV)")
    bought = {r: frame.var(m.h2_bought_mw, r) for r in m.R}
    for r in m.R:
        frame.add_hydrogen(r, bought[r])

    def burnt_mw(r):
        burners = [key for key in frame.fuel.keys() if key[1] == h2 and frame.region(key[0]) == r]
        return frame.fuel.total(burners, frame.n_hours) / GJ_PER_MWH

    frame.add_constraints(
        "hydrogen_balance",
        list(m.R),
        lambda r: frame.hydrogen.total([r], frame.n_hours) == burnt_mw(r),
        doc="hourly hydrogen balance, MW (LHV)",
    )
    bought_mw = sum(bought.values(), frame.zero())
    frame.add_hourly_cost("fuel", "h2_purchase", GJ_PER_MWH * m.fuel_price_cny_per_gj[h2], bought_mw)
    co2_t_per_gj = float(data.fuels.at[h2, "co2_t_per_gj"])
    if co2_t_per_gj > 0:
        frame.add_emissions("h2_bought", co2_t_per_gj * GJ_PER_MWH * bought_mw)


def report(frame: ModelFrame, values: Values) -> dict:
    m, data = frame.m, frame.data
    if not active(frame):
        return {}
    t_per_mwh = GJ_PER_MWH / data.fuels.at[frame.config.hydrogen.fuel, "lhv_mj_per_kg"]  # t of H2 per MWh (LHV)
    names = list(m.electrolyser)
    power = values.hourly(m.electrolysis_mw, names)
    made = power * data.technologies.loc[names, "efficiency"].to_numpy(dtype=float)[:, None]
    bought = values.hourly(m.h2_bought_mw, list(m.R)).sum(axis=0)
    return {
        "electrolysis_mw": Output(("technology", "time"), power, "MW", "electricity used by electrolysers", names),
        "h2_made_t_per_h": Output(("time",), made.sum(axis=0) * t_per_mwh, "t/h", "hydrogen made by electrolysis"),
        "h2_bought_t_per_h": Output(("time",), bought * t_per_mwh, "t/h", "hydrogen bought"),
        "h2_made_t": Output(("period",), values.annual(made.sum(axis=0)) * t_per_mwh, "t/yr", "hydrogen made by electrolysis"),
        "h2_bought_t": Output(("period",), values.annual(bought) * t_per_mwh, "t/yr", "hydrogen bought"),
        "h2_made_by_technology_t": Output(
            ("technology", "period"),
            values.annual(made).reshape(len(names), len(frame.periods)) * t_per_mwh,
            "t/yr",
            "hydrogen made by electrolyser",
            names,
        ),
    }
