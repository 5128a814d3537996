"""Investment periods: one modelled year (the default) or a pathway of several (run file ``pathway``).

A pathway repeats the dataset's modelled hours once per period (demand scaled by the period's
growth factor) and tells the model, per period:
  * ``years``: the calendar year of the period (e.g. 2030);
  * ``represented_yr``: how many years it stands for (up to the next period; the last one as long
    as the gap before it);
  * ``objective_factor``: the sum of discount factors over those years, relative to the base
    year, so that the objective is the present value of the yearly costs within the horizon;
  * ``existing_mw``: the existing fleet still standing (it retires linearly to zero by each
    technology's ``existing_retired_by_yr``, if given).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class PeriodPlan:
    """Per-period facts the model needs (arrays over periods unless named otherwise)."""

    years: list[int]
    represented_yr: np.ndarray
    objective_factor: np.ndarray
    hour_period: np.ndarray  # period index of every modelled hour
    existing_mw: pd.DataFrame  # technologies x period index

    @property
    def count(self) -> int:
        return len(self.years)

    def alive(self, built: int, period: int, lifetime_yr: float) -> bool:
        """Does capacity built at the start of period ``built`` still stand in ``period``?"""
        return built <= period and self.years[period] - self.years[built] < lifetime_yr


def single_year(technologies: pd.DataFrame, year: int, n_hours: int) -> PeriodPlan:
    """The plan of an ordinary run: one period, one year, no discounting."""
    return PeriodPlan(
        years=[int(year)],
        represented_yr=np.ones(1),
        objective_factor=np.ones(1),
        hour_period=np.zeros(n_hours, dtype=int),
        existing_mw=pd.DataFrame({0: technologies["existing_mw"].astype(float)}),
    )


def interpolate(values: dict[int, float], years: list[int], default: float | None) -> list[float | None]:
    """Values per year: given years as they are, years between them linearly, outside held at the ends."""
    if not values:
        return [default] * len(years)
    known = sorted(values)
    return [float(np.interp(y, known, [values[k] for k in known])) for y in years]


def discount_factors(years: list[int], represented: np.ndarray, base_year: int, rate: float) -> np.ndarray:
    """Sum over the represented years of 1 / (1 + rate) ** (year - base_year), per period."""
    return np.array([sum((1 + rate) ** -(y + i - base_year) for i in range(int(n))) for y, n in zip(years, represented)])


def existing_fleet(technologies: pd.DataFrame, data_year: int, years: list[int]) -> pd.DataFrame:
    """Existing capacity per period: linear decline from the dataset year to ``existing_retired_by_yr``."""
    columns = {}
    retire = technologies.get("existing_retired_by_yr", pd.Series(np.nan, index=technologies.index)).astype(float)
    for p, year in enumerate(years):
        share = np.ones(len(technologies))
        finite = np.isfinite(retire.to_numpy())
        span = np.where(finite, retire.to_numpy() - data_year, 1.0)
        left = np.where(span > 0, (retire.to_numpy() - year) / np.where(span > 0, span, 1.0), 0.0)
        share = np.where(finite, np.clip(left, 0.0, 1.0), share)
        share = np.where(finite & (year <= data_year), 1.0, share)
        columns[p] = technologies["existing_mw"].astype(float).to_numpy() * share
    return pd.DataFrame(columns, index=technologies.index)


def expand(data, years: list[int], base_year: int, demand_growth: dict[int, float]):
    """Repeat ``data``'s modelled hours once per period; returns new InputData with its PeriodPlan.

    Demand in period p is the dataset's demand times the growth factor for that year (1 if not
    given; interpolated between given years); heat demand stays as given. Blocks and representative-day sequences are
    repeated per period, so levels never carry over from one period to the next.
    """
    n, count = len(data.time), len(years)
    growth = interpolate(demand_growth, years, 1.0)
    gaps = np.diff(years)
    represented = np.r_[gaps, gaps[-1] if len(gaps) else 1].astype(float)
    factor = discount_factors(years, represented, base_year, float(data.settings["discount_rate"]))
    blocks = int(data.block.max()) + 1
    demand = pd.concat([data.demand_mw * g for g in growth], ignore_index=True)
    plan = PeriodPlan(
        years=list(years),
        represented_yr=represented,
        objective_factor=factor,
        hour_period=np.repeat(np.arange(count), n),
        existing_mw=existing_fleet(data.technologies, int(data.settings["year"]), years),
    )
    changes = dict(
        time=pd.DatetimeIndex(np.tile(data.time.values, count)),
        weight_h=np.tile(data.weight_h, count),
        block=np.concatenate([data.block + p * blocks for p in range(count)]),
        demand_mw=demand,
        peak_demand_mw=None
        if data.peak_demand_mw is None
        else pd.DataFrame([data.peak_demand_mw.iloc[0] * g for g in growth], index=range(count)),
        capacity_factor=pd.concat([data.capacity_factor] * count, ignore_index=True),
        inflow_per_mw=pd.concat([data.inflow_per_mw] * count, ignore_index=True),
        heat_demand_mw=pd.concat([data.heat_demand_mw] * count, ignore_index=True)
        if not data.heat_demand_mw.empty
        else data.heat_demand_mw,
        periods=plan,
    )
    if data.day_sequence is not None:
        days = len(data.day_sequence)
        changes["day_sequence"] = np.concatenate([data.day_sequence + p * blocks for p in range(count)])
        changes["day_dates"] = pd.DatetimeIndex(np.tile(data.day_dates.values, count))
        changes["day_period"] = np.repeat(np.arange(count), days)
    return dataclasses.replace(data, **changes)


def first_periods(data, count: int):
    """The same inputs restricted to the pathway's first ``count`` periods (a myopic window, myopic.py).

    Every period keeps what it has in the whole pathway (year, represented years, discount factor,
    existing fleet, hours, demand), so a period's costs weigh the same in a window as in the whole.
    """
    plan = data.periods
    if plan is None or count >= plan.count:
        return data
    n = int(np.count_nonzero(plan.hour_period < count))  # hours are grouped by period, in order
    kept = PeriodPlan(
        years=plan.years[:count],
        represented_yr=plan.represented_yr[:count].copy(),
        objective_factor=plan.objective_factor[:count].copy(),
        hour_period=plan.hour_period[:n].copy(),
        existing_mw=plan.existing_mw[list(range(count))].copy(),
    )
    changes = dict(
        time=data.time[:n],
        weight_h=data.weight_h[:n],
        block=data.block[:n],
        demand_mw=data.demand_mw.iloc[:n],
        peak_demand_mw=None if data.peak_demand_mw is None else data.peak_demand_mw.iloc[:count],
        capacity_factor=data.capacity_factor.iloc[:n],
        inflow_per_mw=data.inflow_per_mw.iloc[:n],
        heat_demand_mw=data.heat_demand_mw.iloc[:n] if not data.heat_demand_mw.empty else data.heat_demand_mw,
        periods=kept,
    )
    if data.day_sequence is not None and data.day_period is not None:
        days = data.day_period < count
        changes["day_sequence"] = data.day_sequence[days]
        changes["day_dates"] = data.day_dates[days]
        changes["day_period"] = data.day_period[days]
    return dataclasses.replace(data, **changes)
