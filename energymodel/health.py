"""Numerical health of a solution: how far it breaks the LP's rows and bounds, computed from the
solution itself (the matrix times the column values), not taken from the solver's report.

For rows ``l <= A x <= u`` and bounds ``lo <= x <= hi`` with solution ``x``:

* row violation ``v_i = max(l_i - (A x)_i, (A x)_i - u_i, 0)``, relative ``v_i / max(1, |bound broken|)``;
* bound violation ``w_j = max(lo_j - x_j, x_j - hi_j, 0)``;
* the hourly demand balance (rows ``demand_balance``, MW) is reported on its own, in MW.

HiGHS's feasibility tolerance is 1e-7 on its scaled problem; a relative violation above
:data:`TOLERANCE` (100 times that) is worth a warning: a decomposition's assembled solution
breaks rows by a few 1e-6 (the default full year: 6e-6 on a storage balance, 5e-6 MW on the hourly balance).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

TOLERANCE = 1e-5
"""Largest relative violation of a row or bound accepted without a warning."""

BALANCE = "demand_balance"


@dataclass(frozen=True)
class Health:
    """The largest violations of a solution (0 when it holds exactly)."""

    balance_mw: float  # largest hourly demand-balance violation, MW
    row_relative: float  # largest relative row violation
    row_where: str  # the row with it ('' if none is broken)
    bound: float  # largest bound violation (the column's own unit)
    bound_relative: float
    bound_where: str

    def attrs(self) -> dict:
        """For the results' attributes."""
        return {
            "max_balance_violation_mw": self.balance_mw,
            "max_row_violation_relative": self.row_relative,
            "max_row_violation_where": self.row_where,
            "max_bound_violation": self.bound,
            "max_bound_violation_relative": self.bound_relative,
            "max_bound_violation_where": self.bound_where,
        }

    def warnings(self) -> list[str]:
        out = []
        if self.row_relative > TOLERANCE:
            out.append(
                f"the solution breaks a row by {self.row_relative:.1e} (relative; {self.row_where}); the largest hourly "
                f"balance violation is {self.balance_mw:.3g} MW: check the LP's coefficient ranges"
            )
        if self.bound_relative > TOLERANCE:
            out.append(f"the solution breaks a bound by {self.bound:.3g} ({self.bound_relative:.1e} relative; {self.bound_where})")
        return out


def _violation(value: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Absolute and relative violations of ``lower <= value <= upper`` (infinite bounds never broken)."""
    lower = np.where(lower <= -highspy.kHighsInf, -np.inf, lower)
    upper = np.where(upper >= highspy.kHighsInf, np.inf, upper)
    below, above = lower - value, value - upper
    absolute = np.maximum(np.maximum(below, above), 0.0)
    bound = np.where(below >= above, lower, upper)
    relative = absolute / np.maximum(1.0, np.abs(np.where(np.isfinite(bound), bound, 0.0)))
    return absolute, relative


def _where(labels, i: int) -> str:
    family = labels.families[labels.family[i]]
    key = labels.keys[labels.family[i]][labels.key[i]]
    parts = [family, *map(str, key)]
    if labels.period[i] >= 0:
        parts.append(f"period {labels.period[i]}")
    if labels.hour[i] >= 0:
        parts.append(f"hour {labels.hour[i]}")
    return " ".join(parts)


def check(lp: highspy.HighsLp, col_value: np.ndarray, rows, columns) -> Health:
    """The violations of ``col_value`` in ``lp`` (labels ``rows`` and ``columns`` name where)."""
    x = np.asarray(col_value, dtype=float)
    a = lp.a_matrix_
    matrix = sparse.csc_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)), shape=(lp.num_row_, lp.num_col_))
    row_abs, row_rel = _violation(matrix @ x, np.asarray(lp.row_lower_), np.asarray(lp.row_upper_))
    col_abs, col_rel = _violation(x, np.asarray(lp.col_lower_), np.asarray(lp.col_upper_))
    balance = rows.of(BALANCE)
    i = int(np.argmax(row_rel)) if row_rel.size else -1
    j = int(np.argmax(col_rel)) if col_rel.size else -1
    return Health(
        balance_mw=float(row_abs[balance].max(initial=0.0)),
        row_relative=float(row_rel[i]) if i >= 0 else 0.0,
        row_where=_where(rows, i) if i >= 0 and row_rel[i] > 0 else "",
        bound=float(col_abs[j]) if j >= 0 else 0.0,
        bound_relative=float(col_rel[j]) if j >= 0 else 0.0,
        bound_where=_where(columns, j) if j >= 0 and col_rel[j] > 0 else "",
    )
