"""Vectorised linear expressions and constraint blocks: the large hourly parts of the LP as sparse arrays.

Pyomo builds one Python object per constraint and expression node, which costs ~20 µs per row to
build and as much again to compile. The hourly constraint families (balances, output limits,
storage levels ...) are therefore written with :class:`Lin`, a vector of linear expressions (one
per row, usually one per modelled hour) held as coordinate arrays over Pyomo variables:

    row i  =  sum over parts of  coef[k] * var[position[k]]   (for the entries k with rows[k] == i)  +  const[i]

Comparing two of them (``a <= b``, ``a >= b``, ``a == b``) gives :class:`Rows`, which a module hands
to :meth:`ModelFrame.add_constraints`. One-off solves pass the blocks to HiGHS as matrices
(``solve.compile_lp``, also for every point of a sweep); the diagnosis, which adds elastic slacks to
Pyomo constraints, turns them into ordinary Pyomo constraints first (:func:`materialise`). Either way
the same rows are solved. Variables stay Pyomo variables, so values and small constraints work as usual.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.set import SetProduct
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.core.expr.numvalue import as_numeric
from pyomo.repn import generate_standard_repn


def _dimen(factor) -> int:
    """Number of index entries of one factor set (its elements' tuple length)."""
    for v in factor:
        return len(v) if isinstance(v, tuple) else 1
    return 1


class VarLayout:
    """Positions of the elements of one Pyomo variable in its own index order (the order of ``var.values()``)."""

    def __init__(self, var):
        self.var = var
        self.factors: list[tuple[int, dict]] = []  # (number of index entries, position of each element) per factor set
        self.strides: list[int] = []
        if var.is_indexed():
            index = var.index_set()
            factors = list(index.subsets()) if isinstance(index, SetProduct) else [index]
            self.factors = [(_dimen(f), {v: i for i, v in enumerate(f)}) for f in factors]
            sizes = [len(ords) for _, ords in self.factors]
            self.strides = [int(np.prod(sizes[i + 1 :])) for i in range(len(sizes))]
        self._data = None

    def position(self, index) -> int:
        """Position of ``var[index]``."""
        if not self.factors:
            return 0
        key = index if isinstance(index, tuple) else (index,)
        if len(self.factors) == 1:
            return self.factors[0][1][key[0] if len(key) == 1 else key]
        pos, at = 0, 0
        for (dimen, ords), stride in zip(self.factors, self.strides):
            part = key[at] if dimen == 1 else key[at : at + dimen]
            pos += stride * ords[part]
            at += dimen
        return pos

    def hours(self, key: tuple, n: int) -> np.ndarray:
        """Positions of ``var[(*key, t)]`` for t = 0..n-1 (the hour is the last index, a range 0..n-1)."""
        return self.position((*key, 0)) + np.arange(n)

    def data(self) -> list:
        """The variable's elements in position order."""
        if self._data is None:
            self._data = list(self.var.values())
        return self._data


class Lin:
    """A vector of ``n`` linear expressions in coordinate form (see the module docstring)."""

    __slots__ = ("n", "parts", "const")
    __hash__ = None  # == builds constraints
    __array_ufunc__ = None  # numpy defers to Lin: array * lin and array <= lin use Lin's reflected operators

    def __init__(self, n: int, parts=(), const=None):
        self.n = int(n)
        self.parts = list(parts)  # (var, rows, positions, coefs)
        self.const = np.zeros(self.n) if const is None else np.broadcast_to(np.asarray(const, dtype=float), (self.n,)).copy()

    @classmethod
    def constant(cls, values, n: int) -> Lin:
        return cls(n, (), values)

    # -- arithmetic ----------------------------------------------------------------------------
    def _other(self, other) -> Lin:
        if isinstance(other, Lin):
            if other.n != self.n and other.n != 1:
                raise ValueError(f"cannot combine expressions over {self.n} and {other.n} rows")
            return other if other.n == self.n else other.broadcast(self.n)
        return Lin.constant(other, self.n)

    def __add__(self, other) -> Lin:
        other = self._other(other)
        return Lin(self.n, self.parts + other.parts, self.const + other.const)

    __radd__ = __add__

    def __neg__(self) -> Lin:
        return self * -1.0

    def __sub__(self, other) -> Lin:
        return self + (-self._other(other))

    def __rsub__(self, other) -> Lin:
        return (-self) + other

    def __mul__(self, k) -> Lin:
        """Scale by a number or by one number per row."""
        if isinstance(k, Lin):
            raise TypeError("a product of two expressions is not linear")
        k = np.asarray(k, dtype=float)
        if k.ndim == 0:
            kf = float(k)
            return Lin(self.n, [(v, r, p, c * kf) for v, r, p, c in self.parts], self.const * kf)
        return Lin(self.n, [(v, r, p, c * k[r]) for v, r, p, c in self.parts], self.const * k)

    __rmul__ = __mul__

    def __truediv__(self, k) -> Lin:
        return self * (1.0 / np.asarray(k, dtype=float))

    # -- reshaping -----------------------------------------------------------------------------
    def take(self, index) -> Lin:
        """A new Lin whose row i is this Lin's row ``index[i]`` (e.g. the previous hour of each hour)."""
        index = np.asarray(index, dtype=np.int64)
        parts = []
        for v, r, p, c in self.parts:
            order = np.argsort(r, kind="stable")
            r_sorted = r[order]
            starts = np.searchsorted(r_sorted, index, side="left")
            counts = np.searchsorted(r_sorted, index, side="right") - starts
            new_rows = np.repeat(np.arange(len(index)), counts)
            picks = order[np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts) + np.arange(counts.sum())]
            parts.append((v, new_rows, p[picks], c[picks]))
        return Lin(len(index), parts, self.const[index])

    def broadcast(self, n: int) -> Lin:
        """A one-row Lin repeated over ``n`` rows."""
        if self.n != 1:
            raise ValueError("only a one-row expression can be broadcast")
        return self.take(np.zeros(n, dtype=np.int64))

    def sum(self, weights=None) -> Lin:
        """The (weighted) sum of the rows as a one-row Lin."""
        w = np.ones(self.n) if weights is None else np.asarray(weights, dtype=float)
        return Lin(1, [(v, np.zeros(len(r), dtype=np.int64), p, c * w[r]) for v, r, p, c in self.parts], [float(self.const @ w)])

    # -- constraints ---------------------------------------------------------------------------
    def __le__(self, other) -> Rows:
        return Rows(self - other, "<=", right=self._other(other).const)

    def __ge__(self, other) -> Rows:
        return Rows(self - other, ">=", right=self._other(other).const)

    def __eq__(self, other) -> Rows:  # type: ignore[override]
        return Rows(self - other, "==", right=self._other(other).const)

    # -- evaluation ----------------------------------------------------------------------------
    def values(self, value_of) -> np.ndarray:
        """Each row's value, given ``value_of(var) -> array of the variable's values in position order``."""
        out = self.const.copy()
        for v, r, p, c in self.parts:
            np.add.at(out, r, c * value_of(v)[p])
        return out

    def row_expressions(self, layouts) -> list:
        """Each row as a Pyomo LinearExpression (for materialising into Pyomo constraints)."""
        if not self.parts:
            return [float(c) for c in self.const]
        rows = np.concatenate([r for _, r, _, _ in self.parts])
        coefs = np.concatenate([c for _, _, _, c in self.parts])
        which = np.concatenate([np.full(len(r), i) for i, (_, r, _, _) in enumerate(self.parts)])
        pos = np.concatenate([p for _, _, p, _ in self.parts])
        order = np.argsort(rows, kind="stable")
        bounds = np.searchsorted(rows[order], np.arange(self.n + 1))
        data = [layouts(v).data() for v, _, _, _ in self.parts]
        out = []
        for i in range(self.n):
            ks = order[bounds[i] : bounds[i + 1]]
            out.append(
                LinearExpression(
                    constant=float(self.const[i]),
                    linear_coefs=[float(coefs[k]) for k in ks],
                    linear_vars=[data[which[k]][pos[k]] for k in ks],
                )
            )
        return out


class Rows:
    """Constraints ``lin (sense) 0`` for each row of ``lin``, optionally only where ``mask`` is true.

    ``right`` is the constant the comparison had on its right side (``lin`` = left - right), for messages.
    """

    __slots__ = ("lin", "sense", "mask", "right")

    def __init__(self, lin: Lin, sense: str, mask=None, right=None):
        self.lin, self.sense = lin, sense
        self.mask = None if mask is None else np.asarray(mask, dtype=bool)
        self.right = np.zeros(lin.n) if right is None else np.broadcast_to(np.asarray(right, dtype=float), (lin.n,))

    def where(self, mask) -> Rows:
        """Keep only the rows where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        return Rows(self.lin, self.sense, mask if self.mask is None else self.mask & mask, self.right)

    def kept(self) -> np.ndarray:
        return np.arange(self.lin.n) if self.mask is None else np.flatnonzero(self.mask)


class Block:
    """One family of constraints indexed by (key, row): e.g. (technology, hour)."""

    def __init__(self, name: str, keys: list, rows: list[Rows], doc: str = ""):
        self.name, self.keys, self.rows, self.doc = name, list(keys), rows, doc
        self.materialised = False
        self.duals: np.ndarray | None = None  # (keys, rows); NaN for rows not built

    def index(self, key, row: int):
        key = key if isinstance(key, tuple) else (key,)
        return (*key, row)

    def n_rows(self) -> int:
        return max((r.lin.n for r in self.rows), default=0)


def pyomo_to_lin(expr, layouts, n: int = 1) -> Lin:
    """A small Pyomo linear expression (e.g. a capacity) as a Lin of ``n`` identical rows."""
    repn = generate_standard_repn(as_numeric(expr), quadratic=False, compute_values=True)
    if not repn.is_linear():
        raise ValueError(f"not a linear expression: {expr}")
    parts = []
    for coef, v in zip(repn.linear_coefs, repn.linear_vars):
        layout = layouts(v.parent_component())
        pos = layout.position(v.index())
        parts.append((v.parent_component(), np.arange(n), np.full(n, pos, dtype=np.int64), np.full(n, float(coef))))
    return Lin(n, parts, float(repn.constant))


def materialise(frame) -> None:
    """Turn every constraint block of the frame into a Pyomo constraint (named as the block)."""
    m = frame.m
    for block in frame.blocks.values():
        if block.materialised:
            continue
        index, bodies, senses = [], [], []
        for key, rows in zip(block.keys, block.rows):
            exprs = rows.lin.row_expressions(frame.layout)
            for i in rows.kept():
                index.append(block.index(key, int(i)))
                bodies.append(exprs[i])
                senses.append(rows.sense)
        rule_of = dict(zip(index, zip(bodies, senses)))

        def rule(_, *idx, rule_of=rule_of):
            body, sense = rule_of[idx]
            if isinstance(body, float):
                if _holds(body, sense):
                    return pyo.Constraint.Feasible
                body = LinearExpression(constant=body, linear_coefs=[], linear_vars=[])  # kept, so a slack can measure it
            return body <= 0 if sense == "<=" else body >= 0 if sense == ">=" else body == 0

        m.add_component(block.name, pyo.Constraint(index, rule=rule, doc=block.doc))
        block.materialised = True


def _holds(value: float, sense: str) -> bool:
    return value <= 1e-9 if sense == "<=" else value >= -1e-9 if sense == ">=" else abs(value) <= 1e-9
