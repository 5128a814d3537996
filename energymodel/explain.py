"""What each built MW is paid for: the annualised cost of new capacity split over the services its
capacity gives (energy, operating reserve, planning margin, must-run ...), read from the LP's duals.

For an investment column k (``new_capacity_mw[g, b]``: technology g built in period b) with cost
c_k in the objective (the annuity and fixed O&M of one MW over the periods it stands, present
value), HiGHS's row duals y and reduced cost d_k satisfy, at the optimum,

    c_k = sum_r A_rk * y_r + d_k

(HiGHS's convention, minimising: y_r >= 0 on a binding ``>=`` row, <= 0 on a binding ``<=`` row;
so -availability * y_r >= 0 on ``output <= availability * capacity``). A capacity strictly between
its bounds has d_k = 0: its cost equals the value it earns from the rows it appears in. Each row
belongs to a family (compile.py labels); :data:`FAMILY_SERVICE` maps families to services, so
that the parts ``A_rk * y_r`` add up by service. A capacity at its upper bound has d_k < 0: the
ceiling's rent (``limit``). Whatever else is left (d_k of a capacity between its bounds, 0 up to
solver tolerance in one LP; larger after a decomposition stopped at a gap) is ``unexplained``.

Rows that a capacity reaches only through another column are passed through it
(:data:`PASS_THROUGH`): committed plants' capacity bounds ``online_mw``, whose value comes from
output (energy), headroom (operating reserve), minimum load and start-ups (commitment); a headroom
row ``reserve <= capacity - output`` passes through ``reserve_mw`` to the reserve requirement. For
the passed column j in row r: A_rj y_r = -sum_{s != r} A_sj y_s + (c_j - d_j), so the part A_rk y_r
is split over the families of the rows s (recursively), the rest (c_j - d_j: the passed column's
own cost and bound) to the family's own service. Without this, a degenerate optimum (a headroom row
binding while no reserve is held: it then only limits output) would show reserve paying for
capacity at a reserve price of zero.

:func:`capacity_value` works on the LP (no model needed: called once after the solve, solve.py and
decompose/); :func:`report` turns it into the results variable ``capacity_value_cny_per_kw_yr``
(region, technology, service[, period]): CNY per kW per year the capacity stands, summing over
``service`` to the capacity's annualised cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import numpy as np
from scipy import sparse

from .model.frame import Output

SERVICES = (
    "energy",
    "heat",
    "operating_reserve",
    "planning_margin",
    "must_run",
    "commitment",
    "ramping",
    "policy",
    "limit",
    "other",
    "unexplained",
)
"""What new capacity is paid for, in the order reported."""

FAMILY_SERVICE = (
    # (row family pattern, service): the first match wins; a family matching none is "other"
    ("thermal_output_max", "energy"),
    ("boiler_heat_max", "heat"),  # a heat boiler's capacity serves the heat balance
    ("heat_pump_heat_max", "heat"),  # as does a heat pump's
    ("thermal_output_online", "energy"),
    ("renewable_output_max", "energy"),
    ("hydro_output_max", "energy"),
    ("charge_max", "energy"),
    ("discharge_max", "energy"),
    ("electrolysis_max", "energy"),
    ("storage_duration_*", "energy"),
    ("*_balance", "energy"),  # reservoir inflow per MW of turbine
    ("*_level_max", "energy"),
    ("*_level_min", "energy"),
    ("*_day_link", "energy"),
    ("*_high_bound", "energy"),
    ("*_low_bound", "energy"),
    ("reserve_*", "operating_reserve"),
    ("operating_reserve*", "operating_reserve"),
    ("planning_*", "planning_margin"),
    ("firm_*", "planning_margin"),
    ("must_run*", "must_run"),
    ("online_max", "commitment"),
    ("min_load", "commitment"),
    ("startup_*", "commitment"),
    ("ramp_*", "ramping"),
    ("wind_solar_min", "policy"),
    ("non_fossil_*", "policy"),
    ("carbon_*", "policy"),
    ("nox_*", "policy"),
    ("h2_*", "policy"),
    ("capacity_max", "limit"),
    ("build_rate_max", "limit"),
    ("retrofit_max", "limit"),
)

PASS_THROUGH = {"online_max": ("online_mw", "commitment"), "reserve_headroom": ("reserve_mw", "energy")}
"""Row family -> (the column family through which its value reaches the capacity, the service of that column's own
cost and bound). A headroom row binding while no reserve is held (reserve_mw at 0) limits output: energy."""

INVESTMENT = "new_capacity_mw"
BUILT_MW = 1e-3
"""Capacity below this (MW) counts as not built (no explanation)."""

VARIABLE = "capacity_value_cny_per_kw_yr"


def service_of(family: str) -> str:
    """The service a row family's duals pay for (``other`` if no pattern matches)."""
    return next((service for pattern, service in FAMILY_SERVICE if fnmatchcase(family, pattern)), "other")


@dataclass
class CapacityValue:
    """Value of each investment column to each service (objective units: CNY, or CNY present value, per MW)."""

    columns: np.ndarray  # positions of the investment columns in the LP
    value: np.ndarray  # (columns, SERVICES)
    cost: np.ndarray  # the columns' objective cost per MW (the sum of value over services)
    built_mw: np.ndarray
    other_families: list[str] = field(default_factory=list)  # row families counted as "other"


def _matrix(lp) -> sparse.csc_matrix:
    a = lp.a_matrix_
    return sparse.csc_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)), shape=(lp.num_row_, lp.num_col_))


def capacity_value(lp, solution) -> CapacityValue | None:
    """Split the cost of every investment column over services, from ``solution``'s duals (None: no investment columns)."""
    cols = solution.columns.of(INVESTMENT)
    if not len(cols) or solution.row_dual is None or len(solution.row_dual) != lp.num_row_:
        return None
    matrix, y, rows = _matrix(lp), np.asarray(solution.row_dual, dtype=float), solution.rows
    services = np.array([SERVICES.index(service_of(f)) for f in rows.families], dtype=np.int64)
    x = np.asarray(solution.col_value, dtype=float)
    lower, upper = np.asarray(lp.col_lower_, dtype=float), np.asarray(lp.col_upper_, dtype=float)
    between = (x > lower + _tolerance(lower)) & (x < upper - _tolerance(upper))
    costs = np.asarray(lp.col_cost_, dtype=float)
    context = (matrix, y, rows, services[rows.family] if len(rows) else np.zeros(0, dtype=np.int64), solution.columns, between, costs)
    part = matrix[:, cols].tocoo()
    v = part.data * y[part.row]
    table = np.zeros((len(cols), len(SERVICES)))
    np.add.at(table, part.col, _attribute(context, part.row, v))
    cost = costs[cols]
    reduced = cost - table.sum(axis=1)
    x, upper = x[cols], upper[cols]
    at_upper = np.isfinite(upper) & (x >= upper - _tolerance(upper))
    table[:, SERVICES.index("limit")] += np.where(at_upper, reduced, 0.0)
    table[:, SERVICES.index("unexplained")] += np.where(at_upper, 0.0, reduced)
    other = np.isin(rows.family[part.row], np.flatnonzero(services == SERVICES.index("other"))) & (v != 0)
    return CapacityValue(cols, table, cost, x, sorted({rows.families[f] for f in np.unique(rows.family[part.row[other]])}))


def _tolerance(bound: np.ndarray) -> np.ndarray:
    """How close to a bound a value counts as at it (finite for infinite bounds)."""
    return 1e-6 * np.maximum(1.0, np.abs(np.where(np.isfinite(bound), bound, 0.0)))


def _attribute(context, entry_rows: np.ndarray, values: np.ndarray, depth: int = 0) -> np.ndarray:
    """Services of parts ``values`` (A_rk y_r) of rows ``entry_rows``: (entries, SERVICES). Rows of a
    :data:`PASS_THROUGH` family are split over the rows of the column they pass through (recursively)."""
    matrix, y, rows, row_service, columns, between, costs = context
    out = np.zeros((len(values), len(SERVICES)))
    direct = np.ones(len(values), dtype=bool)
    for family, (through, rest) in PASS_THROUGH.items() if depth < 3 else ():
        if family not in rows.families or not len(columns.of(through)):
            continue
        code = rows.families.index(family)
        here = np.flatnonzero((rows.family[entry_rows] == code) & (values != 0))
        if not len(here):
            continue
        inner = matrix[entry_rows[here]][:, columns.of(through)].tocsr()
        here = here[np.diff(inner.indptr) == 1]  # rows holding exactly one column to pass through
        inner = inner[np.diff(inner.indptr) == 1]
        if not len(here):
            continue
        j = columns.of(through)[inner.indices]
        factor = values[here] / (inner.data * y[entry_rows[here]])  # A_rk / A_rj
        unique, back = np.unique(j, return_inverse=True)
        inside = matrix[:, unique].tocsc()
        count = np.diff(inside.indptr)[back]
        entry = np.repeat(np.arange(len(here)), count)
        at = np.repeat(inside.indptr[back] - np.r_[0, np.cumsum(count)[:-1]], count) + np.arange(count.sum())
        s = inside.indices[at]
        keep = rows.family[s] != code
        entry, s = entry[keep], s[keep]
        split = -factor[entry] * inside.data[at[keep]] * y[s]  # A_rj y_r = -sum_{s != r} A_sj y_s + (c_j - d_j)
        by_service = np.zeros((len(here), len(SERVICES)))
        np.add.at(by_service, entry, _attribute(context, s, split, depth + 1))
        # the rest is the passed column's own cost and bound: f (c_j - d_j), with d_j = 0 between its bounds
        left = values[here] - by_service.sum(axis=1)
        own = np.where(between[j], factor * costs[j], left)
        by_service[:, SERVICES.index(rest)] += own
        by_service[:, SERVICES.index("unexplained")] += left - own  # 0 at an optimum; not after a decomposition's gap
        out[here] += by_service
        direct[here] = False
    out[np.flatnonzero(direct), row_service[entry_rows[direct]]] += values[direct]
    return out


def report(frame) -> dict[str, Output]:
    """The results variable: value of new capacity to each service, CNY/kW per year it stands (NaN: not built)."""
    solution = frame.solution
    found = getattr(solution, "capacity_value", None)
    if found is None:
        return {}
    names = list(frame.data.technologies.index)
    plan = frame.plan
    out = np.full((len(names), len(SERVICES), plan.count), np.nan)
    keys = solution.columns.keys[solution.columns.families.index(INVESTMENT)]
    key, period = solution.columns.key[found.columns], solution.columns.period[found.columns]
    for i in np.flatnonzero(found.built_mw > BUILT_MW):
        g, b = keys[key[i]][0], int(period[i])
        if g not in names or b < 0:
            continue
        lifetime = frame.tech(g, "lifetime_yr")
        years = sum(float(plan.objective_factor[p]) for p in frame.periods if plan.alive(b, p, lifetime))
        if years > 0:
            out[names.index(g), :, b] = found.value[i] / years / 1000.0
    long_name = (
        "what the new capacity is paid for: its annualised cost split over the services its capacity gives, "
        "from the duals (sums over service to the annualised cost)"
    )
    return {VARIABLE: Output(("technology", "service", "period"), out, "CNY/kW/yr", long_name)}


def other_families(frame) -> list[str]:
    """Row families counted as ``other`` in the last explanation (named in the variable's attributes)."""
    found = getattr(frame.solution, "capacity_value", None)
    return [] if found is None else found.other_families
