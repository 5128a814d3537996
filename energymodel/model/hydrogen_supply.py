"""Hydrogen supply: bought from the dataset's sources, or made by electrolysers and stored.

Active when the dataset has electrolysers (family 'electrolyser'), hydrogen storage ('h2_storage') or
hydrogen_supply.csv; otherwise all hydrogen burnt is simply bought at the hydrogen fuel's price (fuels.py).
All hydrogen flows are in MW of H2 at its lower heating value (MWh per hour); k = 3.6 / LHV (MJ/kg) is the
tonnes of H2 per MWh (0.030 t at 119.96 MJ/kg).

Sources s, each in one region r(s) and of one kind (grey, blue, green): the rows of hydrogen_supply.csv;
without that file, one source per region (kind 'bought') at the hydrogen fuel's price and CO2 in fuels.csv,
unlimited. A region without a source can only burn what its electrolysers make.
    bought:        0 <= bought[s,t] <= max_t_per_h[s] / k                       (MW_H2)
    h2_supply_yearly_max[s,p]:  k * sum_{t in p} w_t bought[s,t] <= max_t_per_yr[s]   (t/yr; sources with a limit)
    electrolyser:  0 <= electrolysis_mw[e,t] <= capacity_mw[e]                  (electricity, MW_e)
                   made[e,t] = efficiency[e] * electrolysis_mw[e,t]              (MW_H2; 52 kWh/kg ~ 0.64)
    hydrogen_balance[r,t]:  sum_{s in r} bought[s,t] + sum_e made[e,t] + sum_h (discharge - charge)[h,t] = burnt[r,t]
                   over the electrolysers e, stores h and burners g in region r (no hydrogen moves between
                   regions), with burnt[r,t] = sum_g fuel_use_gj[g, hydrogen, t] / 3.6
    cost:          sum_s 1000 k price_cny_per_kg[s] sum_t w_t bought[s,t]        (CNY/yr; component 'fuel', key 'h2_purchase')
    CO2:           sum_s k co2_kg_per_kg[s] bought[s,t]                          (t/h; source 'h2_bought'): the CO2 of
                   making bought hydrogen is charged on what is bought, never on what electrolysers make.
The dual of h2_supply_yearly_max is the value of one more tonne a year from that source (reported in CNY/t).
Electrolysers take their power from the demand balance, so they can use wind and solar that would
otherwise be curtailed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from ..inputs.schema import H2_KIND_AT_FUEL_PRICE
from ..physics import GJ_PER_MWH
from .frame import ModelFrame, Output, Values
from .spec import ModuleSpec, Relaxable

SPEC = ModuleSpec(relaxable=(Relaxable("h2_supply_yearly_max"),))


def active(frame: ModelFrame) -> bool:
    data = frame.data
    return bool(data.names("electrolyser") or data.names("h2_storage") or not data.hydrogen_supply.empty)


def t_per_mwh(frame: ModelFrame) -> float:
    """Tonnes of hydrogen per MWh (LHV) of the run's hydrogen fuel."""
    return GJ_PER_MWH / float(frame.data.fuels.at[frame.config.hydrogen.fuel, "lhv_mj_per_kg"])


def sources(frame: ModelFrame) -> pd.DataFrame:
    """The hydrogen sources, indexed by name: region, kind, price_cny_per_kg, co2_kg_per_kg, max_t_per_yr, max_t_per_h.

    hydrogen_supply.csv's rows; without it one per region (named as the region) from fuels.csv, unlimited.
    """
    table = frame.data.hydrogen_supply
    if not table.empty:
        return table
    fuel = frame.data.fuels.loc[frame.config.hydrogen.fuel]
    lhv_gj_per_kg = float(fuel["lhv_mj_per_kg"]) / 1000.0
    regions = list(frame.m.R)
    return pd.DataFrame(
        {
            "region": regions,
            "kind": H2_KIND_AT_FUEL_PRICE,
            "price_cny_per_kg": float(fuel["price_cny_per_gj"]) * lhv_gj_per_kg,
            "co2_kg_per_kg": float(fuel["co2_t_per_gj"]) * lhv_gj_per_kg * 1000.0,
            "max_t_per_yr": np.inf,
            "max_t_per_h": np.inf,
        },
        index=pd.Index(regions, name="name"),
    )


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
    _bought(frame, h2)

    def burnt_mw(r):
        burners = [key for key in frame.fuel.keys() if key[1] == h2 and frame.region(key[0]) == r]
        return frame.fuel.total(burners, frame.n_hours) / GJ_PER_MWH

    frame.add_constraints(
        "hydrogen_balance",
        list(m.R),
        lambda r: frame.hydrogen.total([r], frame.n_hours) == burnt_mw(r),
        doc="hourly hydrogen balance, MW (LHV)",
    )


def _bought(frame: ModelFrame, h2: str) -> None:
    """The sources' purchases: their bounds, yearly limits, cost and CO2, into the regions' hydrogen balances."""
    m, k = frame.m, t_per_mwh(frame)
    table = sources(frame)
    m.h2_source = pyo.Set(initialize=list(table.index), ordered=True, doc="hydrogen sources")
    hourly_max = {s: (None if np.isinf(v) else float(v) / k) for s, v in table["max_t_per_h"].items()}
    m.h2_bought_mw = pyo.Var(m.h2_source, m.T, bounds=lambda _, s, t: (0, hourly_max[s]), doc="hydrogen bought, MW (LHV)")
    bought = {s: frame.var(m.h2_bought_mw, s) for s in table.index}
    for s, row in table.iterrows():
        frame.add_hydrogen(row["region"], bought[s])
    limited = [s for s in table.index if np.isfinite(table.at[s, "max_t_per_yr"])]
    m.h2_limited_source = pyo.Set(initialize=limited, ordered=True, doc="hydrogen sources with a yearly limit")
    m.h2_supply_yearly_max = pyo.Constraint(
        m.h2_limited_source,
        m.P,
        rule=lambda _, s, p: k * frame.pyomo(frame.yearly(bought[s], p)) <= float(table.at[s, "max_t_per_yr"]),
        doc="yearly hydrogen bought from a source, t/yr",
    )
    if data_has_table(frame):
        for s in table.index:
            price_cny_per_mwh = 1000.0 * k * float(table.at[s, "price_cny_per_kg"])
            if price_cny_per_mwh:
                frame.add_hourly_cost("fuel", "h2_purchase", price_cny_per_mwh, bought[s])
    else:  # the hydrogen fuel's price, a parameter a sweep may change
        frame.add_hourly_cost("fuel", "h2_purchase", GJ_PER_MWH * m.fuel_price_cny_per_gj[h2], sum(bought.values(), frame.zero()))
    emitting = [s for s in table.index if table.at[s, "co2_kg_per_kg"] > 0]
    if emitting:
        co2 = sum((k * float(table.at[s, "co2_kg_per_kg"]) * bought[s] for s in emitting), frame.zero())
        frame.add_emissions("h2_bought", co2)


def data_has_table(frame: ModelFrame) -> bool:
    """Does the dataset give its own hydrogen sources (hydrogen_supply.csv)?"""
    return not frame.data.hydrogen_supply.empty


def report(frame: ModelFrame, values: Values) -> dict:
    m, data = frame.m, frame.data
    if not active(frame):
        return {}
    k = t_per_mwh(frame)
    names = list(m.electrolyser)
    power = values.hourly(m.electrolysis_mw, names)
    made = power * data.technologies.loc[names, "efficiency"].to_numpy(dtype=float)[:, None]
    table = sources(frame)
    bought_by_source = values.hourly(m.h2_bought_mw, list(table.index))  # (s, t), MW
    bought = bought_by_source.sum(axis=0)
    n_periods = len(frame.periods)
    yearly_by_source = values.annual(bought_by_source).reshape(len(table), n_periods) * k  # t/yr
    out = {
        "electrolysis_mw": Output(("technology", "time"), power, "MW", "electricity used by electrolysers", names),
        "h2_made_t_per_h": Output(("time",), made.sum(axis=0) * k, "t/h", "hydrogen made by electrolysis"),
        "h2_bought_t_per_h": Output(("time",), bought * k, "t/h", "hydrogen bought"),
        "h2_made_t": Output(("period",), values.annual(made.sum(axis=0)) * k, "t/yr", "hydrogen made by electrolysis"),
        "h2_bought_t": Output(("period",), values.annual(bought) * k, "t/yr", "hydrogen bought"),
        "h2_made_by_technology_t": Output(
            ("technology", "period"),
            values.annual(made).reshape(len(names), n_periods) * k,
            "t/yr",
            "hydrogen made by electrolyser",
            names,
        ),
        "h2_bought_by_source_t": Output(("h2_source", "period"), yearly_by_source, "t/yr", "hydrogen bought from each source"),
        "h2_bought_by_source_t_per_h": Output(("h2_source", "time"), bought_by_source * k, "t/h", "hydrogen bought from each source"),
    }
    limited = list(m.h2_limited_source)
    if limited:
        duals = frame.dual("h2_supply_yearly_max", [(s,) for s in limited], over="period")  # CNY per t/yr, in the objective
        shadow = np.zeros((len(table), n_periods))
        for i, s in enumerate(limited):
            shadow[list(table.index).index(s)] = -duals[i] / frame.plan.objective_factor
        out["h2_supply_yearly_max_dual"] = Output(
            ("h2_source", "period"), shadow, "CNY/t", "value of one more tonne a year from a source with a yearly limit (0: not binding)"
        )
    return out
