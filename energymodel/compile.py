"""Compile a built model into the LP handed to HiGHS, with a label on every row and column.

The large hourly constraint families are blocks of coordinate arrays (model/linear.py): they are
assembled here with numpy. The small Pyomo constraints (per period or per year) go through Pyomo's
standard-form compiler and are re-numbered onto the same columns. The objective is the frame's
(model/objective.py) unless the Pyomo model carries an active objective of its own (the diagnosis).

Every row and column carries metadata (:class:`Labels`): its family (constraint or variable name),
its key (region, technology, line or (technology, fuel) ... : the index without period and hour),
its period and its hour (-1 where it has none: yearly and investment rows and columns). Duals are
read back by family and key through :meth:`Solution.dual`; the diagnosis and the coming time
decomposition read the same labels.
"""

from __future__ import annotations

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.core.base.set import SetProduct
from pyomo.core.expr.visitor import identify_variables
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
from scipy import sparse

from .errors import SolveError
from .model import objective

INF = highspy.kHighsInf


class Labels:
    """Family, key, period and hour of each row (or column) of a compiled LP.

    ``family[i]`` indexes ``families``; ``key[i]`` indexes ``keys[family[i]]`` (tuples); ``period[i]``
    and ``hour[i]`` are -1 where the row or column has none.
    """

    def __init__(self):
        self.families: list[str] = []
        self.keys: list[list[tuple]] = []
        self._key_index: list[dict] = []
        self._parts: list[tuple] = []
        self._by_family: dict[str, np.ndarray] | None = None
        self._joined: tuple | None = None

    def family_code(self, name: str) -> int:
        if name not in self.families:
            self.families.append(name)
            self.keys.append([])
            self._key_index.append({})
        return self.families.index(name)

    def key_code(self, family: int, key: tuple) -> int:
        where = self._key_index[family]
        if key not in where:
            where[key] = len(self.keys[family])
            self.keys[family].append(key)
        return where[key]

    def add(self, family: int, key, period, hour) -> None:
        """Label the next rows: one family; key codes, periods and hours as arrays or scalars (broadcast)."""
        key, period, hour = (np.atleast_1d(np.asarray(a, dtype=np.int64)) for a in (key, period, hour))
        lengths = (len(key), len(period), len(hour))
        n = 0 if 0 in lengths else max(lengths)  # a family with no rows here (e.g. must-run outside its months)
        self._parts.append((np.full(n, family, dtype=np.int32), *(np.broadcast_to(a, (n,)) for a in (key, period, hour))))
        self._by_family = self._joined = None

    def __len__(self) -> int:
        return sum(len(p[0]) for p in self._parts)

    def _arrays(self):
        if self._joined is None:
            empty = (np.zeros(0, dtype=np.int64),) * 4
            self._joined = tuple(np.concatenate([p[i] for p in self._parts]) for i in range(4)) if self._parts else empty
        return self._joined

    @property
    def family(self) -> np.ndarray:
        return self._arrays()[0]

    @property
    def key(self) -> np.ndarray:
        return self._arrays()[1]

    @property
    def period(self) -> np.ndarray:
        return self._arrays()[2]

    @property
    def hour(self) -> np.ndarray:
        return self._arrays()[3]

    def of(self, name: str) -> np.ndarray:
        """Positions of the rows (columns) of one family."""
        if self._by_family is None:
            family = self.family
            order = np.argsort(family, kind="stable")
            bounds = np.searchsorted(family[order], np.arange(len(self.families) + 1))
            self._by_family = {f: order[bounds[i] : bounds[i + 1]] for i, f in enumerate(self.families)}
        return self._by_family.get(name, np.zeros(0, dtype=np.int64))

    def table(self):
        """All labels as a pandas DataFrame (family, key, period, hour), one line per row or column."""
        import pandas as pd

        family, key, period, hour = self._arrays()
        keys = [self.keys[f][k] for f, k in zip(family.tolist(), key.tolist())]
        return pd.DataFrame({"family": pd.Categorical.from_codes(family, self.families), "key": keys, "period": period, "hour": hour})


def index_roles(component, frame) -> tuple[str, ...]:
    """What each entry of a component's index is: 'hour', 'period' or 'key' (declared roles win)."""
    declared = frame.index_roles.get(component.name)
    if declared is not None:
        return declared
    if not component.is_indexed():
        return ()
    index = component.index_set()
    roles = []
    for factor in index.subsets() if isinstance(index, SetProduct) else [index]:
        role = "hour" if factor is frame.m.T else "period" if factor is frame.m.P else "key"
        roles += [role] * max(factor.dimen if isinstance(factor.dimen, int) else 1, 1)
    return tuple(roles)


def _split(index, roles: tuple[str, ...]) -> tuple[tuple, int, int]:
    """(key, period, hour) of one index tuple, by the roles of its entries."""
    index = index if isinstance(index, tuple) else (() if index is None else (index,))
    key, period, hour = [], -1, -1
    for role, value in zip(roles, index):
        if role == "hour":
            hour = int(value)
        elif role == "period":
            period = int(value)
        else:
            key.append(value)
    key += list(index[len(roles) :])
    return tuple(key), period, hour


class Solution:
    """A solved LP's values and duals with the labels of its rows and columns."""

    def __init__(self, col_value: np.ndarray, row_dual: np.ndarray, rows: Labels, columns: Labels, period_of: np.ndarray):
        self.col_value, self.row_dual, self.rows, self.columns = col_value, row_dual, rows, columns
        self.period_of = period_of
        self.capacity_value = None  # explain.CapacityValue: what the built capacity is paid for (set after the solve)

    def dual(self, family: str, keys, n: int, over: str = "hour") -> np.ndarray:
        """Duals of one constraint family as (keys, n): n hours (``over='hour'``), periods, or 1 (``'none'``).

        NaN where a row is absent. A constraint split over two LP rows gets the sum of their duals.
        """
        keys = [k if isinstance(k, tuple) else (k,) for k in keys]
        out = np.full((len(keys), n), np.nan)
        rows = self.rows.of(family)
        if not len(rows):
            return out
        f = self.rows.families.index(family)
        lookup = self.rows._key_index[f]
        where = np.full(len(self.rows.keys[f]), -1, dtype=np.int64)
        for j, k in enumerate(keys):
            if k in lookup:
                where[lookup[k]] = j
        target = where[self.rows.key[rows]]
        slot = {"hour": self.rows.hour, "period": self.rows.period}.get(over)
        last = np.zeros(len(rows), dtype=np.int64) if slot is None else slot[rows]
        keep = (target >= 0) & (last >= 0)
        sums = np.zeros((len(keys), n))
        np.add.at(sums, (target[keep], last[keep]), self.row_dual[rows[keep]])
        seen = np.zeros((len(keys), n), dtype=bool)
        seen[target[keep], last[keep]] = True
        out[seen] = sums[seen]
        return out


class CompiledLP:
    """The LP handed to HiGHS, its labels, and how to put a solution back on the model."""

    def __init__(self, lp, rows: Labels, columns: Labels, load, column=None):
        self.lp, self.rows, self.columns, self._load, self._column = lp, rows, columns, load, column

    def column(self, var, positions) -> np.ndarray:
        """The LP columns of a Pyomo variable's elements at ``positions`` (its layout order)."""
        return self._column(var, np.asarray(positions, dtype=np.int64))

    def load(self, solution) -> Solution:
        """Set the Pyomo variables' values and the frame's :class:`Solution` (values and duals); returns it."""
        return self._load(solution)


def make_lp(n_cols: int, cost, offset: float, lower, upper, matrix, row_lower, row_upper) -> highspy.HighsLp:
    """A HiGHS LP from arrays and a sparse matrix (column-wise)."""
    matrix = matrix.tocsc()
    matrix.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.offset_ = float(offset)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    return lp


_PLAIN = (int, float, type(None))


def _bounds(var) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of a variable's elements in position order (fixed: both at the value)."""
    lower, upper = [], []
    for v in var.values():
        if v.fixed:
            lo = hi = v.value
        elif v._domain is pyo.Reals and type(v._lb) in _PLAIN and type(v._ub) in _PLAIN:
            lo, hi = v._lb, v._ub
        else:
            lo, hi = v.lb, v.ub
        lower.append(-INF if lo is None else lo)
        upper.append(INF if hi is None else hi)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def _label_columns(labels: Labels, var, frame) -> None:
    """Family, key, period and hour of each element of one variable (in position order)."""
    family = labels.family_code(var.name)
    layout = frame.layout(var)
    if not layout.factors:
        labels.add(family, labels.key_code(family, ()), -1, -1)
        return
    roles = index_roles(var, frame)
    sizes = [len(ordering) for _, ordering in layout.factors]
    coords = np.unravel_index(np.arange(len(var)), sizes) if len(var) else [np.zeros(0, dtype=np.int64)] * len(sizes)
    period, hour = np.full(len(var), -1), np.full(len(var), -1)
    key_factors, at = [], 0
    for (dimen, ordering), coord in zip(layout.factors, coords):
        role = roles[at] if at < len(roles) else "key"
        if role == "hour":
            hour = coord
        elif role == "period":
            period = coord
        else:
            key_factors.append((list(ordering), coord))
        at += dimen
    if len(hour) and (hour >= 0).all() and (period < 0).all():
        period = frame.period_of[hour]
    if not key_factors:
        labels.add(family, np.full(len(var), labels.key_code(family, ())), period, hour)
        return
    key_sizes = [len(elements) for elements, _ in key_factors]
    flat = np.ravel_multi_index([coord for _, coord in key_factors], key_sizes)
    combos = [()]
    for elements, _ in key_factors:
        combos = [(*c, *(e if isinstance(e, tuple) else (e,))) for c in combos for e in elements]
    codes = np.array([labels.key_code(family, c) for c in combos], dtype=np.int64)
    labels.add(family, codes[flat], period, hour)


def contradiction(frame) -> SolveError:
    """The error for rows that no solution can satisfy: no free variable is left in them (every column
    in them fixed by the inputs, e.g. capacities with ``new_capacity: false``) and the fixed left side
    breaks a bound. Exit code 2: the inputs contradict themselves, known before solving.
    """
    found = []
    for con in frame.m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        if next(identify_variables(con.body, include_fixed=False), None) is not None:
            continue
        value, lower, upper = pyo.value(con.body), pyo.value(con.lower), pyo.value(con.upper)
        component = con.parent_component()
        family = component.name
        if lower is not None and value < lower - 1e-9 * max(1.0, abs(lower)):
            need, gap = f"at least {_amount(lower, family)}", f"{_amount(lower - value, family)} short"
        elif upper is not None and value > upper + 1e-9 * max(1.0, abs(upper)):
            need, gap = f"at most {_amount(upper, family)}", f"{_amount(value - upper, family)} over"
        else:
            continue
        key, period, _ = _split(con.index(), index_roles(component, frame))
        where = [f"region {k}" if k in frame.data.regions else str(k) for k in key]
        if period >= 0 and frame.plan.count > 1:
            where.append(str(frame.plan.years[period]))
        found.append(
            f"{family} ({', '.join(where) or 'system'}): its left side is fixed by the inputs at {_amount(value, family)}, "
            f"it must be {need} ({gap})"
        )
    found += fixed_block_rows(frame)
    lines = "\n".join(f"  - {text}" for text in found[:10]) + (f"\n  - ... and {len(found) - 10} more" if len(found) > 10 else "")
    return SolveError(
        f"the inputs contradict themselves: {len(found)} constraint(s) cannot hold whatever the solver does "
        f"(nothing in them may change):\n{lines}",
        status="provenInfeasible",
        exit_code=2,
    )


def fixed_block_rows(frame) -> list[str]:
    """The hourly rows of the capacity families (CAPACITY_ROWS) that no solution can satisfy: every column in them
    fixed and the fixed left side breaking the bound; one line per key, at its worst hour."""
    found, fixed, values = [], {}, {}

    def of(var):
        if id(var) not in fixed:
            data = frame.layout(var).data()
            fixed[id(var)] = np.array([v.fixed for v in data], dtype=bool)
            values[id(var)] = np.array([v.value if v.fixed and v.value is not None else 0.0 for v in data], dtype=float)
        return values[id(var)]

    for block in frame.blocks.values():
        if block.name not in CAPACITY_ROWS or block.materialised:
            continue
        for key, spec in zip(block.keys, block.rows):
            lin, free = spec.lin, np.zeros(spec.lin.n, dtype=bool)
            value = lin.values(of)  # the fixed columns at their values, the free ones at 0
            for var, r, p, c in lin.parts:
                free[r[(c != 0) & ~fixed[id(var)][p]]] = True
            left = value + spec.right  # lin = left - right
            gap = {">=": -value, "<=": value, "==": np.abs(value)}[spec.sense]
            kept = spec.kept()
            bad = kept[~free[kept] & (gap[kept] > 1e-9 * np.maximum(1.0, np.abs(spec.right[kept])))]
            if not len(bad):
                continue
            t = int(bad[np.argmax(gap[bad])])
            need = {">=": "at least", "<=": "at most", "==": "exactly"}[spec.sense]
            keys = key if isinstance(key, tuple) else (key,)
            where = [f"region {k}" if k in frame.data.regions else str(k) for k in keys]
            if frame.plan.count > 1:
                where.append(str(frame.plan.years[frame.period_of[t]]))
            found.append(
                f"{block.name} ({', '.join(where) or 'system'}; {len(bad)} of its {len(kept)} hourly rows, worst "
                f"{frame.data.time[t]:%Y-%m-%d %H:%M}): its left side is fixed by the inputs at {_amount(left[t], block.name)}, "
                f"it must be {need} {_amount(spec.right[t], block.name)} ({_amount(gap[t], block.name)} "
                f"{'short' if spec.sense == '>=' else 'off'})"
            )
    return found


CAPACITY_ROWS = {"build_rate_max", "capacity_max", "retrofit_max", "line_capacity_max", "planning_reserve", "wind_solar_min"}
"""Pyomo constraint families over capacities only (MW): the rows a fixed fleet can leave with nothing free."""


def _amount(value: float, family: str) -> str:
    """A row's value, in MW or GW for the capacity rows, else as a plain number."""
    if family not in CAPACITY_ROWS:
        return f"{value:,.6g}"
    return f"{value / 1e3:,.1f} GW" if abs(value) >= 1e4 else f"{value:,.1f} MW"


def compile_lp(frame) -> CompiledLP:
    """The frame's model as a HiGHS LP (column-wise sparse matrix) with labelled rows and columns."""
    m = frame.m
    variables = list(m.component_objects(pyo.Var, active=True, descend_into=True))
    offsets, lower, upper, n = {}, [], [], 0
    columns = Labels()
    for var in variables:
        offsets[id(var)] = n
        lo, hi = _bounds(var)
        lower.append(lo)
        upper.append(hi)
        n += len(lo)
        _label_columns(columns, var, frame)
    lower = np.concatenate(lower) if lower else np.zeros(0)
    upper = np.concatenate(upper) if upper else np.zeros(0)

    def column(var, positions):
        return offsets[id(var)] + positions

    # the small Pyomo constraints, through Pyomo's compiler, re-numbered onto our columns
    try:
        repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    except InfeasibleConstraintException:
        raise contradiction(frame) from None
    kind = np.fromiter((row.bound_type for row in repn.rows), dtype=np.int8, count=len(repn.rows))
    rhs = np.asarray(repn.rhs, dtype=float)
    coo = repn.A.tocoo()
    col_map = np.fromiter(
        (offsets[id(v.parent_component())] + frame.layout(v.parent_component()).position(v.index()) for v in repn.columns),
        dtype=np.int64,
        count=len(repn.columns),
    )
    rows, cols, vals = [coo.row.astype(np.int64)], [col_map[coo.col]], [coo.data]
    lows, highs = [np.where(kind <= 0, rhs, -INF)], [np.where(kind >= 0, rhs, INF)]
    labels = Labels()
    for row in repn.rows:
        con = row.constraint
        component = con.parent_component()
        family = labels.family_code(component.name)
        key, period, hour = _split(con.index(), index_roles(component, frame))
        labels.add(family, labels.key_code(family, key), period, hour)
    n_rows = len(repn.rows)

    # the blocks: each kept row of each key becomes one LP row, labelled with its hour
    for block in [] if frame.materialised else frame.blocks.values():
        family = labels.family_code(block.name)
        for key, spec in zip(block.keys, block.rows):
            kept = spec.kept()
            row_of = np.full(spec.lin.n, -1, dtype=np.int64)
            row_of[kept] = n_rows + np.arange(len(kept))
            for var, r, p, c in spec.lin.parts:
                keep = (row_of[r] >= 0) & (c != 0)
                rows.append(row_of[r[keep]])
                cols.append(column(var, p[keep]))
                vals.append(c[keep])
            rhs = -spec.lin.const[kept]
            lows.append(rhs if spec.sense in (">=", "==") else np.full(len(kept), -INF))
            highs.append(rhs if spec.sense in ("<=", "==") else np.full(len(kept), INF))
            labels.add(family, labels.key_code(family, key if isinstance(key, tuple) else (key,)), frame.period_of[kept], kept)
            n_rows += len(kept)

    if any(o.active for o in m.component_data_objects(pyo.Objective, active=True)):
        cost = np.zeros(n)
        if repn.c.shape[0]:
            np.add.at(cost, col_map, np.asarray(repn.c.toarray()[0], dtype=float))
        offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    else:
        total = objective.objective_lin(frame)
        cost = np.zeros(n)
        for var, _, p, c in total.parts:
            np.add.at(cost, column(var, p), c)
        offset = float(total.const[0])
    if not frame.materialised and fixed_block_rows(frame):
        raise contradiction(frame)
    matrix = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, n))
    lp = make_lp(n, cost, offset, lower, upper, matrix, np.concatenate(lows), np.concatenate(highs))

    def load(solution) -> Solution:
        values = np.asarray(solution.col_value, dtype=float)
        for var in variables:
            start = offsets[id(var)]
            for v, x in zip(frame.layout(var).data(), values[start : start + len(var)].tolist()):
                v.set_value(x, skip_validation=True)
        frame.solution = Solution(values, np.asarray(solution.row_dual, dtype=float), labels, columns, frame.period_of)
        return frame.solution

    return CompiledLP(lp, labels, columns, load, column)
