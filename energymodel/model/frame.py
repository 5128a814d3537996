"""The shared pieces every model module works with: the Pyomo model, the registers and the hourly algebra.

Family modules (thermal, renewables, ...) never refer to each other. Each one adds
 * supply terms to the hourly demand balance of its region (:meth:`ModelFrame.add_supply`),
 * heat to the hourly heat balance of its heat network (:meth:`ModelFrame.add_heat`),
 * heat input to the fuel ledger (:meth:`ModelFrame.add_heat_input`, :meth:`ModelFrame.add_fuel_switch`),
 * cost terms to the objective, by cost component and technology (:meth:`ModelFrame.add_cost`),
and the balance, fuels, carbon, reserves, policy and objective modules read these registers.
Every hourly quantity is a :class:`~energymodel.model.linear.Lin` (one row per modelled hour);
registers are frozen once read (registers.py). The model reads ``frame.config`` (the run's options)
and ``frame.data`` (the inputs) and never writes to either.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..inputs import InputData, retrofit_base
from ..periods import interpolate
from ..physics import capital_recovery_factor
from .linear import Block, Lin, VarLayout, pyomo_to_lin
from .registers import ContractError, Register

COST_COMPONENTS = ("investment", "fixed_om", "variable_om", "fuel", "carbon", "co2_storage", "start_up", "lost_load", "demand_shifting")
"""Cost components of the objective, all in CNY/yr."""


def previous_hours(block: np.ndarray) -> np.ndarray:
    """Index of the hour before each hour, wrapping around within each block of consecutive hours."""
    n = len(block)
    prev = np.arange(n) - 1
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    ends = np.r_[starts[1:], n] - 1
    prev[starts] = ends
    return prev


class ModelFrame:
    """A Pyomo model under construction plus the registers modules add to."""

    def __init__(self, data: InputData, mutable: frozenset[str] = frozenset()):
        self.data = data
        self.config = data.config  # the run's options (read only)
        self.mutable = frozenset(mutable)
        self.module = "frame"  # the module being built now (named in contract errors)
        self.m = pyo.ConcreteModel(name=self.config.name)
        self.blocks: dict[str, Block] = {}  # hourly constraint families held as sparse arrays (linear.py)
        self.index_roles: dict[str, tuple[str, ...]] = {}  # component -> role of each index entry, where not m.T / m.P
        self.materialised = False  # True once the blocks are ordinary Pyomo constraints (the diagnosis)
        self.solution = None  # compile.Solution of the last solve: values, duals and the LP's labels
        self._layouts: dict[int, VarLayout] = {}
        self._capacity_lin: dict[str, Lin] = {}
        self._capacity: dict[tuple[str, int], object] = {}
        self._techs: dict[str, dict] | None = None
        self.n_hours = len(data.time)
        self.hours = range(self.n_hours)
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
        prices = data.fuels["price_cny_per_gj"]
        self.m.fuel_price_cny_per_gj = pyo.Param(
            list(data.fuels.index), initialize={f: float(prices[f]) for f in data.fuels.index}, mutable=True, doc="fuel price, CNY/GJ"
        )
        self.supplied_fuels: set[str] = set()  # fuels paid for by a supply module, not at the fuel price

        def building() -> str:
            return self.module

        self.supply = Register("supply", "MW", building)  # region -> power injections into its demand balance
        self.hydrogen = Register("hydrogen", "MW (H2, LHV)", building)  # region -> hydrogen injections into its balance
        self.heat = Register("heat", "MW_th", building)  # heat network -> heat supplied into its balance
        self.heat_input = Register("heat input", "GJ/h", building)  # technology -> heat input of its own fuel
        self.fuel = Register("fuel", "GJ/h", building)  # (technology, fuel) -> heat input by fuel (the fuel ledger)
        self.emissions = Register("emissions", "tCO2/h", building)  # source that is not a technology -> CO2
        self.outputs = Register("outputs", "MW", building)  # generator -> electric output
        self.reserve_headroom = Register("reserve headroom", "MW", building)  # technology -> upward headroom
        self.costs = Register("costs", "CNY/yr", building)  # (component, key, period) -> (rate, one-row Lin)
        self.retrofits: dict[str, list[tuple[str, float]]] = {}  # base plant -> (retrofit, MW of base per MW of retrofit)
        self.yearly_co2: dict[int, object] = {}  # period -> CO2 of the period, tCO2/yr (carbon.py; read by myopic.py)
        techs = data.technologies
        for g in techs.index[(techs["max_mw"] > 0) | (techs["existing_mw"] > 0)] if len(techs) else []:
            base = retrofit_base(techs, g)
            if base is not None:
                self.retrofits.setdefault(base, []).append((g, self.tech(base, "efficiency") / self.tech(g, "efficiency")))

    # -- adding to the registers -------------------------------------------------------------
    def add_supply(self, region: str, term: Lin) -> None:
        """Add an hourly power injection (MW, negative for withdrawals) to a region's demand balance."""
        self.supply.add(region, term)

    def add_heat(self, network: str, term: Lin) -> None:
        """Add an hourly heat supply (MW_th) to a heat network's balance (CHP plants, heat boilers)."""
        self.heat.add(network, term)

    def add_output(self, technology: str, term: Lin) -> None:
        """Register a technology's hourly electric output (MW) for policies that count generation."""
        self.outputs.add(technology, term)

    def add_reserve_provider(self, technology: str, headroom: Lin) -> None:
        """Offer a technology's hourly upward headroom (MW) to the operating reserve."""
        self.reserve_headroom.add(technology, headroom)

    def add_hydrogen(self, region: str, term: Lin) -> None:
        """Add an hourly hydrogen injection (MW of H2 at LHV; negative for withdrawals) to a region's hydrogen balance."""
        self.hydrogen.add(region, term)

    def add_heat_input(self, technology: str, term: Lin) -> None:
        """Add hourly heat input (GJ/h) of a technology, burning its own fuel (the ``fuel`` column)."""
        self.heat_input.add(technology, term)
        self.fuel.add((technology, self.tech(technology, "fuel")), term)

    def add_fuel_switch(self, technology: str, from_fuel: str, to_fuel: str, term: Lin) -> None:
        """Move hourly heat input (GJ/h) of a technology from one fuel to another (e.g. natural gas to hydrogen)."""
        self.fuel.add((technology, from_fuel), -term)
        self.fuel.add((technology, to_fuel), term)

    def add_emissions(self, source: str, term: Lin) -> None:
        """Add hourly CO2 (t/h) from a source that is not a technology (e.g. bought grey hydrogen)."""
        self.emissions.add(source, term)

    def add_cost(self, component: str, key: str, expr, period: int = 0) -> None:
        """Add a yearly cost (CNY/yr) in one period, a small Pyomo expression (e.g. an annuity times capacity).

        The objective weighs each period's yearly costs by its discounted years (PeriodPlan).
        """
        self._check_component(component)
        self.costs.add((component, key, period), (1.0, pyomo_to_lin(expr, self.layout)))

    def add_hourly_cost(self, component: str, key: str, rate, term: Lin) -> None:
        """Add ``rate`` (CNY per unit; a number or a mutable Pyomo parameter) times an hourly quantity, summed to a
        yearly cost in every period."""
        self._check_component(component)
        for p in self.periods:
            self.costs.add((component, key, p), (rate, self.yearly(term, p)))

    def add_variable_om(self, technology: str, output_mw: Lin) -> None:
        """Charge the technology's variable O&M (CNY/MWh) on an hourly output (MW)."""
        vom = self.tech(technology, "variable_om_cny_per_mwh")
        if vom:
            self.add_hourly_cost("variable_om", technology, vom, output_mw)

    @staticmethod
    def _check_component(component: str) -> None:
        if component not in COST_COMPONENTS:
            raise ContractError(f"unknown cost component {component!r}: one of {', '.join(COST_COMPONENTS)}")

    # -- reading the registers ---------------------------------------------------------------
    def fuel_use(self, technology: str, fuel: str | None = None) -> Lin:
        """Hourly heat input (GJ/h) of a technology, of one fuel or of all its fuels."""
        return self.fuel.total([k for k in self.fuel.keys() if k[0] == technology and fuel in (None, k[1])], self.n_hours)

    def output(self, technologies) -> Lin:
        """Total hourly electric output (MW) of the given technologies."""
        return self.outputs.total(technologies, self.n_hours)

    def is_mutable(self, path: str) -> bool:
        """Will this run-file value (dotted path) change between solves of this model (a sweep)?"""
        return path in self.mutable

    # -- hourly expressions ------------------------------------------------------------------
    def layout(self, var) -> VarLayout:
        """Positions of a Pyomo variable's elements (cached)."""
        layout = self._layouts.get(id(var))
        if layout is None:
            layout = self._layouts[id(var)] = VarLayout(var)
        return layout

    def zero(self) -> Lin:
        """Zero in every modelled hour."""
        return Lin(self.n_hours)

    def var(self, var, *key) -> Lin:
        """``var[(*key, t)]`` for every modelled hour t (the hour is the variable's last index)."""
        n = self.n_hours
        return Lin(n, [(var, np.arange(n), self.layout(var).hours(key, n), np.ones(n))])

    def var_at(self, var, keys) -> Lin:
        """``var[keys[t]]`` in each hour t (e.g. a per-day variable repeated over the day's hours)."""
        layout = self.layout(var)
        pos = np.fromiter((layout.position(k) for k in keys), dtype=np.int64)
        return Lin(len(pos), [(var, np.arange(len(pos)), pos, np.ones(len(pos)))])

    def in_force(self, expression_of_period) -> Lin:
        """A small Pyomo expression per period (e.g. a capacity) in force in every hour of that period."""
        n = self.n_hours
        lin = Lin(n)
        for p in self.periods:
            hours = self.hours_of(p)
            in_period = np.zeros(n)
            in_period[hours.start : hours.stop] = 1.0
            one = pyomo_to_lin(expression_of_period(p), self.layout, n)
            lin = lin + (one * in_period if self.plan.count > 1 else one)
        return lin

    def capacity(self, name: str) -> Lin:
        """Installed capacity of a technology in the period of each hour (MW)."""
        lin = self._capacity_lin.get(name)
        if lin is None:
            lin = self._capacity_lin[name] = self.in_force(lambda p: self.capacity_mw(name, p))
        return lin

    def yearly(self, quantity: Lin, period: int = 0) -> Lin:
        """Sum of an hourly quantity over one period's hours, weighted to count as a year (a one-row Lin)."""
        hours = self.hours_of(period)
        weights = np.zeros(self.n_hours)
        weights[hours.start : hours.stop] = self.weight_h[hours.start : hours.stop]
        return quantity.sum(weights)

    def pyomo(self, lin: Lin):
        """A one-row Lin as a Pyomo linear expression (for the small constraints kept in Pyomo)."""
        return lin.row_expressions(self.layout)[0]

    # -- per-period expressions (Pyomo) ------------------------------------------------------
    def standing(self, new, name: str, period: int, lifetime_yr: float, weights=None):
        """Sum of ``new[name, b]`` (times ``weights[b]``, if given) over the builds b that still stand in ``period``."""
        return sum((1.0 if weights is None else weights[b]) * new[name, b] for b in self.periods if self.plan.alive(b, period, lifetime_yr))

    def built_mw(self, name: str, period: int):
        """New capacity of a technology built in any period up to ``period`` that still stands in it (MW)."""
        return self.standing(self.m.new_capacity_mw, name, period, self.tech(name, "lifetime_yr"))

    def annuity_cny_per_mw_yr(self, name: str, capex_cny_per_kw: float) -> float:
        """Yearly payment (CNY/MW/yr) for an overnight cost in CNY/kW, over the technology's lifetime."""
        crf = capital_recovery_factor(self.data.settings["discount_rate"], self.tech(name, "lifetime_yr"))
        return crf * capex_cny_per_kw * 1000.0

    def capex_factors(self, name: str) -> list[float]:
        """Overnight cost of capacity built in each period relative to the dataset's (pathway ``capex_factor``)."""
        pathway = self.config.pathway
        by_year = pathway.capex_factor.get(self.tech(name, "technology"), {}) if pathway else {}
        return self.setting_by_period(by_year, 1.0)

    def capacity_mw(self, name: str, period: int):
        """Installed capacity in a period: the existing fleet left plus what was built and still stands (MW),
        less what was converted by retrofits that still stand (at MW of this plant per MW of retrofit)."""
        key = (name, period)
        if key not in self._capacity:
            self._capacity[key] = (
                float(self.plan.existing_mw.at[name, period])
                + self.built_mw(name, period)
                - sum(ratio * self.built_mw(r, period) for r, ratio in self.retrofits.get(name, ()))
            )
        return self._capacity[key]

    # -- constraints ---------------------------------------------------------------------------
    def add_constraints(self, name: str, keys, rule, doc: str = "", replace: bool = False) -> None:
        """Add a family of hourly constraints ``name[key, t]``: ``rule(key)`` returns Rows over the hours (or None).

        ``replace`` rebuilds an existing family (a sweep's update); otherwise a name may be used once.
        """
        if (name in self.blocks or hasattr(self.m, name)) and not replace:
            raise ContractError(f"module {self.module}: constraint family {name!r} exists already")
        built = [(k, rule(k)) for k in keys]
        built = [(k, r) for k, r in built if r is not None]
        self.blocks[name] = Block(name, [k for k, _ in built], [r for _, r in built], doc)

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

    def dual(self, name: str, keys=((),), over: str = "hour") -> np.ndarray:
        """Duals of a constraint family after a solve, as (keys, hours) (``over='hour'``), (keys, periods)
        (``'period'``) or (keys, 1) (``'none'``); NaN where a row is absent or nothing was solved.

        Duals are in objective units (CNY, or CNY present value, per unit of the row): divide by
        :meth:`price_weight` (hours) or the period's objective factor to get prices.
        """
        keys = list(keys)
        n = {"hour": self.n_hours, "period": self.plan.count}.get(over, 1)
        if self.solution is None:
            return np.full((len(keys), n), np.nan)
        return self.solution.dual(name, keys, n, over)

    def materialise(self) -> None:
        """Turn the constraint blocks into Pyomo constraints named as the blocks (for the diagnosis's slacks)."""
        from .linear import materialise

        if not self.materialised:
            for block in self.blocks.values():
                self.index_roles[block.name] = ("key",) * _key_length(block) + ("hour",)
            materialise(self)
            self.materialised = True

    # -- helpers -------------------------------------------------------------------------------
    def setting_by_period(self, values: dict[int, float], default):
        """A per-year setting (run file ``pathway``) as one value per period, interpolated between years."""
        return interpolate(values, self.plan.years, default)

    def hourly_values(self, per_period) -> np.ndarray:
        """One number per period spread to the hours of each period."""
        return np.asarray(per_period, dtype=float)[self.period_of]

    def hours_of(self, period: int) -> range:
        """The modelled hours of one period (consecutive indices)."""
        hours = np.flatnonzero(self.period_of == period)
        return range(int(hours[0]), int(hours[-1]) + 1)

    def price_weight(self) -> np.ndarray:
        """Objective weight of one MW in each hour: hours represented x discounted years (duals / this = CNY/MWh)."""
        return self.weight_h * self.plan.objective_factor[self.period_of]

    def region(self, name: str) -> str:
        """The region a technology (id) is in."""
        return self.data.technologies.at[name, "region"]

    def tech(self, name: str, column: str):
        """One technology parameter from the technologies table (numbers as Python floats)."""
        if self._techs is None:  # pandas look-ups are slow inside rules: read the table once
            self._techs = {
                g: {c: (float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) else v) for c, v in row.items()}
                for g, row in self.data.technologies.to_dict("index").items()
            }
        return self._techs[name][column]


def _key_length(block: Block) -> int:
    key = block.keys[0] if block.keys else ()
    return len(key) if isinstance(key, tuple) else 1


class Output:
    """One result variable reported by a module.

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
    """Solved values as numpy arrays: variables, hourly expressions (Lin), capacities, yearly sums."""

    def __init__(self, frame: ModelFrame):
        self.frame = frame
        self.n = frame.n_hours
        self._by_var: dict[int, np.ndarray] = {}

    @staticmethod
    def scalar(component) -> float:
        v = pyo.value(component, exception=False)
        return float("nan") if v is None else float(v)

    def of_var(self, var) -> np.ndarray:
        """A variable's values in position order (NaN-free: unset values are 0)."""
        values = self._by_var.get(id(var))
        if values is None:
            values = np.array([v.value for v in self.frame.layout(var).data()], dtype=float)
            values = self._by_var[id(var)] = np.nan_to_num(values)
        return values

    def hourly(self, var, names: list[str]) -> np.ndarray:
        """Values of a Var indexed (name, t) as an array (len(names), hours)."""
        layout, values = self.frame.layout(var), self.of_var(var)
        out = np.empty((len(names), self.n))
        for i, name in enumerate(names):
            out[i] = values[layout.hours((name,), self.n)]
        return out

    def term(self, lin: Lin) -> np.ndarray:
        """An hourly expression's solved value in every row."""
        return lin.values(self.of_var)

    def capacity(self, names: list[str]) -> np.ndarray:
        """Capacity (MW) of the given technologies in each period: (names, periods)."""
        f = self.frame
        return np.array([[pyo.value(f.capacity_mw(g, p)) for p in f.periods] for g in names], dtype=float).reshape(
            len(names), len(f.periods)
        )

    def hourly_capacity(self, names: list[str]) -> np.ndarray:
        """Capacity (MW) of the given technologies in the period of each hour: (names, hours)."""
        return self.capacity(names)[:, self.frame.period_of]

    def annual(self, hourly: np.ndarray) -> np.ndarray:
        """Hourly values (..., hours) summed to yearly values per period (..., periods)."""
        f = self.frame
        weighted = np.asarray(hourly, dtype=float) * f.weight_h
        return np.stack([weighted[..., f.period_of == p].sum(axis=-1) for p in f.periods], axis=-1)
