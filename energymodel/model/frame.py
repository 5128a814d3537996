"""The shared pieces every family module adds to: the hourly balance, the fuel ledger and the costs.

Family modules (thermal, renewables, ...) never refer to each other. Each one adds
 * supply terms to the hourly demand balance of their region (:meth:`ModelFrame.add_supply`),
 * fuel use to the fuel ledger, by technology and fuel (:meth:`ModelFrame.add_fuel`),
 * cost terms to the objective, by cost component and technology (:meth:`ModelFrame.add_cost`).
The balance, fuel-cost, carbon and objective modules then read these registers.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from ..inputs import InputData, retrofit_base
from ..periods import interpolate
from .linear import Block, Lin, VarLayout, pyomo_to_lin

COST_COMPONENTS = ("investment", "fixed_om", "variable_om", "fuel", "carbon", "co2_storage", "start_up", "lost_load")
"""Cost components of the objective, all in CNY/yr."""

class Term:
    """An hourly linear quantity: sum of coef * var[key..., t] over its parts.

    Calling it with an hour gives the Pyomo expression for that hour (what constraints and costs
    are built from); ``Values.term`` evaluates it for every hour at once from the solved variable
    values, without walking Pyomo expressions (what results are built from).
    """

    __slots__ = ("parts",)

    def __init__(self, parts=()):
        self.parts = tuple((float(c), var, tuple(key)) for c, var, key in parts)

    @classmethod
    def of(cls, var, *key, coef: float = 1.0) -> Term:
        """``coef * var[key..., t]``."""
        return cls([(coef, var, key)])

    def __call__(self, t: int):
        parts = self.parts
        if len(parts) == 1:
            c, var, key = parts[0]
            x = var[(*key, t)]
            return x if c == 1.0 else c * x
        return sum(c * var[(*key, t)] for c, var, key in parts)

    def __add__(self, other: Term) -> Term:
        return Term(self.parts + other.parts)

    def __sub__(self, other: Term) -> Term:
        return self + (-other)

    def __neg__(self) -> Term:
        return self * -1.0

    def __mul__(self, k: float) -> Term:
        return Term([(c * float(k), var, key) for c, var, key in self.parts])

    __rmul__ = __mul__


def total(terms) -> Term:
    """The sum of several Terms (an empty Term if there are none)."""
    out = Term()
    for term in terms:
        out = out + term
    return out


HourTerm = Term | Lin
"""An hourly linear quantity: a Term (sum of coef * var[key, t]) or a Lin over the modelled hours."""


def previous_hours(block: np.ndarray) -> np.ndarray:
    """Index of the hour before each hour, wrapping around within each block of consecutive hours."""
    n = len(block)
    prev = np.arange(n) - 1
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    ends = np.r_[starts[1:], n] - 1
    prev[starts] = ends
    return prev


class ModelFrame:
    """A Pyomo model under construction plus the registers families add to."""

    def __init__(self, data: InputData, mutable: frozenset[str] = frozenset()):
        self.data = data
        self.mutable = frozenset(mutable)
        self.m = pyo.ConcreteModel(name=data.config.name)
        self.m._em_frame = self  # lets solve() find the constraint blocks kept outside Pyomo
        self.blocks: dict[str, Block] = {}  # hourly constraint families held as sparse arrays (linear.py)
        self._layouts: dict[int, VarLayout] = {}
        self._capacity_lin: dict[str, Lin] = {}
        self.materialised = False  # True once blocks and objective are ordinary Pyomo components
        self.hours = range(len(data.time))
        self.m.T = pyo.Set(initialize=self.hours, ordered=True, doc="modelled hours")
        self.m.R = pyo.Set(initialize=data.regions, ordered=True, doc="regions")
        self.weight_h = data.weight_h
        self.demand = {r: data.demand_mw[r].astype(float).tolist() for r in data.regions}  # MW, per region and hour
        self.plan = data.period_plan()
        self.periods = range(self.plan.count)
        self.period_of = self.plan.hour_period  # period index of each modelled hour
        self.m.P = pyo.Set(initialize=self.periods, ordered=True, doc="investment periods")
        self.prev = previous_hours(data.block)
        self.duration_h = 1.0  # length of one modelled time step, h
        self.supply_terms: dict[str, list[HourTerm]] = {r: [] for r in data.regions}
        self.hydrogen_terms: dict[str, list[HourTerm]] = {r: [] for r in data.regions}
        self.supplied_fuels: set[str] = set()  # fuels paid for by a supply module, not at the fuel price
        prices = data.fuels["price_cny_per_gj"]
        self.m.fuel_price_cny_per_gj = pyo.Param(list(data.fuels.index), initialize={f: float(prices[f]) for f in data.fuels.index},
                                                 mutable=True, doc="fuel price, CNY/GJ")
        self.fuel_terms: dict[tuple[str, str], list[HourTerm]] = defaultdict(list)
        self.emission_terms: dict[str, list[HourTerm]] = defaultdict(list)  # CO2 not tied to a technology
        self.outputs: dict[str, list[HourTerm]] = defaultdict(list)  # electric output by technology (generators)
        self.reserve_headroom: dict[str, HourTerm] = {}  # technology -> hourly upward headroom (MW) it could hold as reserve
        # yearly costs (CNY/yr) by (component, technology, period): ("hourly", rate, term) or ("other", expression)
        self.cost_parts: dict[tuple[str, str, int], list] = defaultdict(list)
        self._capacity: dict[tuple[str, int], object] = {}  # capacity expressions, built once
        self._techs: dict[str, dict] | None = None  # technologies table as dicts (see tech)
        self.retrofits: dict[str, list[tuple[str, float]]] = defaultdict(list)  # base plant -> (retrofit, MW of base per MW of retrofit)
        techs = data.technologies
        for g in techs.index[(techs["max_mw"] > 0) | (techs["existing_mw"] > 0)] if len(techs) else []:
            base = retrofit_base(techs, g)
            if base is not None:
                self.retrofits[base].append((g, self.tech(base, "efficiency") / self.tech(g, "efficiency")))

    # -- registers ---------------------------------------------------------------------------
    def add_supply(self, region: str, term: HourTerm) -> None:
        """Add an hourly power injection (MW, negative for withdrawals) to a region's demand balance."""
        self.supply_terms[region].append(term)

    def add_output(self, technology: str, term: HourTerm) -> None:
        """Register a technology's hourly electric output (MW) for policies that count generation."""
        self.outputs[technology].append(term)

    def add_reserve_provider(self, technology: str, headroom: HourTerm) -> None:
        """Offer a technology's hourly upward headroom (MW, an expression of the hour) to the operating reserve."""
        self.reserve_headroom[technology] = headroom

    def add_hydrogen(self, region: str, term: HourTerm) -> None:
        """Add an hourly hydrogen injection (MW of H2 at LHV; negative for withdrawals) to a region's hydrogen balance."""
        self.hydrogen_terms[region].append(term)

    def add_fuel(self, technology: str, fuel: str, term: HourTerm) -> None:
        """Add hourly fuel heat input (GJ per hour) of ``technology`` burning ``fuel``."""
        self.fuel_terms[(technology, fuel)].append(term)

    def fuel_input_gj(self, technology: str, t: int):
        """Total heat input of a technology over all fuels in hour ``t`` (GJ per hour), a Pyomo expression."""
        return self.fuel_use(technology)(t)

    def fuel_use(self, technology: str, fuel: str | None = None) -> Term:
        """Hourly heat input (GJ/h) of a technology, of one fuel or of all its fuels, as one Term."""
        return total(term for (tech, f), terms in self.fuel_terms.items() if tech == technology and fuel in (None, f) for term in terms)

    def add_emissions(self, source: str, term: HourTerm) -> None:
        """Add hourly CO2 (t/h) from a source that is not a technology (e.g. bought grey hydrogen)."""
        self.emission_terms[source].append(term)

    def add_cost(self, component: str, technology: str, expr, period: int = 0) -> None:
        """Add a yearly cost (CNY/yr) in one period to the objective, under a component and technology.

        The objective weighs each period's yearly costs by its discounted years (PeriodPlan).
        """
        if component not in COST_COMPONENTS:
            raise ValueError(f"unknown cost component {component!r}")
        self.cost_parts[(component, technology, period)].append(("other", expr))

    def add_hourly_cost(self, component: str, technology: str, rate, term: HourTerm) -> None:
        """Add ``rate`` (CNY per unit) times an hourly quantity, summed to a yearly cost in every period."""
        if component not in COST_COMPONENTS:
            raise ValueError(f"unknown cost component {component!r}")
        for p in self.periods:
            self.cost_parts[(component, technology, p)].append(("hourly", rate, term))

    def add_variable_om(self, technology: str, output_mw: HourTerm) -> None:
        """Charge the technology's variable O&M (CNY/MWh) on an hourly output (MW)."""
        vom = self.tech(technology, "variable_om_cny_per_mwh")
        if vom:
            self.add_hourly_cost("variable_om", technology, vom, output_mw)

    def is_mutable(self, path: str) -> bool:
        """Will this run-file value (dotted path) change between solves of this model (a sweep)?"""
        return path in self.mutable

    # -- vectorised expressions and constraint blocks (linear.py) --------------------------------
    def layout(self, var) -> VarLayout:
        """Positions of a Pyomo variable's elements (cached)."""
        layout = self._layouts.get(id(var))
        if layout is None:
            layout = self._layouts[id(var)] = VarLayout(var)
        return layout

    def var(self, var, *key) -> Lin:
        """``var[(*key, t)]`` for every modelled hour t, as a Lin over the hours."""
        return self.lin(Term.of(var, *key))

    def lin(self, quantity) -> Lin:
        """An hourly quantity (a Term or a Lin) as a Lin over the hours."""
        if isinstance(quantity, Lin):
            return quantity
        if isinstance(quantity, Term):
            n = len(self.hours)
            parts = [(var, np.arange(n), self.layout(var).hours(key, n), np.full(n, c)) for c, var, key in quantity.parts]
            return Lin(n, parts)
        raise TypeError(f"not an hourly linear quantity: {quantity!r}")

    def lin_total(self, quantities) -> Lin:
        """The sum of several hourly quantities as one Lin (zero if there are none)."""
        out = Lin(len(self.hours))
        for q in quantities:
            out = out + self.lin(q)
        return out

    def per_period(self, expression_of_period) -> Lin:
        """A small Pyomo expression per period (e.g. a capacity) in force in every hour of that period, as a Lin."""
        n = len(self.hours)
        lin = Lin(n)
        for p in self.periods:
            hours = self.hours_of(p)
            in_period = np.zeros(n)
            in_period[hours.start:hours.stop] = 1.0
            one = pyomo_to_lin(expression_of_period(p), self.layout, n)
            lin = lin + (one * in_period if self.plan.count > 1 else one)
        return lin

    def capacity(self, name: str) -> Lin:
        """Installed capacity of a technology in the period of each hour (MW), a Lin over the hours."""
        lin = self._capacity_lin.get(name)
        if lin is None:
            lin = self._capacity_lin[name] = self.per_period(lambda p: self.period_capacity_mw(name, p))
        return lin

    def var_at(self, var, keys) -> Lin:
        """``var[keys[t]]`` in each hour t (e.g. a per-day variable repeated over the day's hours), as a Lin."""
        layout = self.layout(var)
        pos = np.fromiter((layout.position(k) for k in keys), dtype=np.int64)
        return Lin(len(pos), [(var, np.arange(len(pos)), pos, np.ones(len(pos)))])

    def has_constraints(self, name: str) -> bool:
        """Does the model have the constraint family ``name`` (as a block or a Pyomo constraint)?"""
        return name in self.blocks or hasattr(self.m, name)

    def constraint_count(self, name: str) -> int:
        """Number of constraints in a family (0 if absent)."""
        block = self.blocks.get(name)
        if block is not None:
            return sum(len(r.kept()) for r in block.rows)
        component = getattr(self.m, name, None)
        return 0 if component is None else len(component)

    def by_hour_period(self, values) -> np.ndarray:
        """One value per period spread to the hours of each period."""
        return np.asarray(values, dtype=float)[self.period_of]

    def add_constraints(self, name: str, keys, rule, doc: str = "") -> None:
        """Add a family of hourly constraints ``name[key, t]``: ``rule(key)`` returns Rows over the hours (or None)."""
        keys = list(keys)
        built = [(k, rule(k)) for k in keys]
        built = [(k, r) for k, r in built if r is not None]
        self.blocks[name] = Block(name, [k for k, _ in built], [r for _, r in built], doc)

    def duals(self, name: str, keys) -> np.ndarray:
        """Duals of an hourly constraint family for the given keys: (keys, hours), NaN where absent or unsolved."""
        keys = list(keys)
        out = np.full((len(keys), len(self.hours)), np.nan)
        block = self.blocks.get(name)
        m = self.m
        if block is not None and not block.materialised:
            if block.duals is not None:
                where = {k: i for i, k in enumerate(block.keys)}
                for j, k in enumerate(keys):
                    if k in where:
                        out[j] = block.duals[where[k]]
            return out
        component = getattr(m, name, None)
        if component is None or not hasattr(m, "dual"):
            return out
        for j, k in enumerate(keys):
            key = k if isinstance(k, tuple) else (k,)
            for t in self.hours:
                if (*key, t) in component:
                    out[j, t] = m.dual.get(component[(*key, t)], np.nan)
        return out

    def objective_lin(self) -> Lin:
        """The objective (present value of all costs, CNY) as a one-row Lin."""
        factor = self.plan.objective_factor
        out = Lin(1)
        for (_, _, p), parts in self.cost_parts.items():
            for part in parts:
                if part[0] == "other":
                    out = out + pyomo_to_lin(part[1], self.layout) * float(factor[p])
                else:
                    _, rate, term = part
                    out = out + self.yearly_lin(term, p) * (float(pyo.value(rate)) * float(factor[p]))
        return out

    def yearly_lin(self, quantity, period: int = 0) -> Lin:
        """Sum of an hourly quantity over one period's hours, weighted to count as a year (one-row Lin)."""
        hours = self.hours_of(period)
        weights = np.zeros(len(self.hours))
        weights[hours.start:hours.stop] = self.weight_h[hours.start:hours.stop]
        return self.lin(quantity).sum(weights)

    def pyomo_expression(self, lin: Lin):
        """A one-row Lin as a Pyomo linear expression (for the small constraints kept in Pyomo)."""
        return lin.row_expressions(self.layout)[0]

    def materialise(self) -> None:
        """Turn the constraint blocks and the objective into Pyomo components (for the diagnosis, or Pyomo's writers)."""
        from . import objective
        from .linear import materialise

        if self.materialised:
            return
        materialise(self)
        objective.build_pyomo(self)
        self.materialised = True

    # -- helpers -----------------------------------------------------------------------------
    def by_period(self, values: dict[int, float], default):
        """A per-year setting (run file ``pathway``) as one value per period, interpolated between years."""
        return interpolate(values, self.plan.years, default)

    def hours_of(self, period: int) -> range:
        """The modelled hours of one period (consecutive indices)."""
        hours = np.flatnonzero(self.period_of == period)
        return range(int(hours[0]), int(hours[-1]) + 1)

    def yearly(self, term, period: int = 0):
        """Sum of an hourly quantity (Term or Lin) over one period's modelled hours, weighted to count as a year
        (a Pyomo linear expression)."""
        return self.pyomo_expression(self.yearly_lin(term, period))

    def price_weight(self) -> np.ndarray:
        """Objective weight of one MW in each hour: hours represented x discounted years (duals / this = CNY/MWh)."""
        return self.weight_h * self.plan.objective_factor[self.period_of]

    def annual(self, hourly: np.ndarray) -> np.ndarray:
        """Solved hourly values (..., hours) summed to yearly values per period (..., periods)."""
        weighted = np.asarray(hourly, dtype=float) * self.weight_h
        return np.stack([weighted[..., self.period_of == p].sum(axis=-1) for p in self.periods], axis=-1)

    def region(self, name: str) -> str:
        """The region a technology (id) is in."""
        return self.data.technologies.at[name, "region"]

    def tech(self, name: str, column: str):
        """One technology parameter from the technologies table (numbers as Python floats)."""
        if self._techs is None:  # pandas look-ups are slow inside per-hour rules: read the table once
            self._techs = {g: {c: (float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) else v)
                               for c, v in row.items()} for g, row in self.data.technologies.to_dict("index").items()}
        return self._techs[name][column]

    def period_capacity_mw(self, name: str, period: int):
        """Installed capacity in a period: the existing fleet left plus what was built and still stands (MW),
        less what was converted by retrofits that still stand (at MW of this plant per MW of retrofit)."""
        key = (name, period)
        if key not in self._capacity:
            self._capacity[key] = float(self.plan.existing_mw.at[name, period]) + self.built_mw(name, period) - sum(
                ratio * self.built_mw(r, period) for r, ratio in self.retrofits.get(name, ()))
        return self._capacity[key]

    def built_mw(self, name: str, period: int):
        """New capacity of a technology built in any period up to ``period`` that still stands in it (MW)."""
        lifetime = self.tech(name, "lifetime_yr")
        return sum(self.m.new_capacity_mw[name, b] for b in self.periods if self.plan.alive(b, period, lifetime))


class Output:
    """One result variable reported by a family module.

    ``technologies`` names the rows of ``data`` along the ``technology`` dimension when the module
    reports only its own technologies; the results module places them in the full dimension
    (NaN where a variable does not apply) and merges reports of the same name.
    """

    def __init__(self, dims, data, units: str, long_name: str, technologies: list[str] | None = None):
        self.dims = tuple(dims)
        self.data = np.asarray(data, dtype=float)
        self.units = units
        self.long_name = long_name
        self.technologies = technologies


class Values:
    """Read solved values out of Pyomo components as numpy arrays."""

    def __init__(self, frame: ModelFrame):
        self.frame = frame
        self.n = len(frame.data.time)

    @staticmethod
    def scalar(component) -> float:
        v = pyo.value(component, exception=False)
        return float("nan") if v is None else float(v)

    def hourly(self, var, names: list[str]) -> np.ndarray:
        """Values of a Var indexed (name, t) as an array (len(names), hours)."""
        raw = var.extract_values()
        out = np.empty((len(names), self.n))
        for i, name in enumerate(names):
            out[i] = [raw[name, t] for t in range(self.n)]
        return np.nan_to_num(out.astype(float))

    def series(self, var) -> np.ndarray:
        """Values of a Var indexed by t as an array (hours,)."""
        raw = var.extract_values()
        return np.array([raw[t] for t in range(self.n)], dtype=float)

    def term(self, term: Term | Lin) -> np.ndarray:
        """A Term's (or Lin's) solved value in every hour (fast: reads variable values, no expression walking)."""
        if isinstance(term, Lin):
            return term.values(lambda var: np.nan_to_num(np.array([v.value for v in self.frame.layout(var).data()], dtype=float)))
        out = np.zeros(self.n)
        for c, var, key in term.parts:
            out += c * self._var_values(var, key)
        return out

    def _var_values(self, var, key: tuple) -> np.ndarray:
        cache = self.__dict__.setdefault("_cache", {})
        raw = cache.get(id(var))
        if raw is None:
            raw = cache[id(var)] = var.extract_values()
        values = np.array([raw.get((*key, t)) for t in range(self.n)], dtype=float)
        return np.nan_to_num(values)

    def capacity(self, names: list[str]) -> np.ndarray:
        """Capacity (MW) of the given technologies in each period: (names, periods)."""
        f = self.frame
        return np.array([[pyo.value(f.period_capacity_mw(g, p)) for p in f.periods] for g in names], dtype=float).reshape(len(names), len(f.periods))

    def hourly_capacity(self, names: list[str]) -> np.ndarray:
        """Capacity (MW) of the given technologies in the period of each hour: (names, hours)."""
        return self.capacity(names)[:, self.frame.period_of]
