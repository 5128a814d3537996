"""Rows the master knows of each subperiod in advance: how far its boundary values can move within it.

Summed over a subperiod's hours, the rows of one family and key (a storage's level balance) telescope the
hourly levels between the subperiod's boundaries. For a reservoir (model/hydro.py),
    level[end] - level[start] = dt * sum_t (inflow[t] * P - generation[t] - spill[t]),
and with the hourly columns left in their own bounds (generation, spill >= 0) this leaves a row over the
master vector z = (capacities, boundary values, budgets) alone:
    level[end] - level[start] - dt * sum_t inflow[t] * P <= 0     (a week fills the reservoir by its inflow at most).
Every solution of the LP satisfies it, so it is a valid master row; without it the master proposes boundary
levels no week can reach, which the subproblems buy at the slacks' penalty (on the six grids, the first 25
points all needed slack, each week's reservoirs millions of MWh apart).

In general, for the rows R of a group (one subperiod, family and key), ``sum_R a_r . x`` lies in
``[sum_R lo_r, sum_R hi_r]``; split ``sum_R a_r = (h, g)`` over z and over the subperiod's own columns x_own, and
let ``[g_min, g_max]`` be the range of ``g . x_own`` over x_own's bounds (interval arithmetic). Then
    sum_R lo_r - g_max  <=  h . z  <=  sum_R hi_r - g_min        (each side where finite).
A group is kept where h reads two or more of the subperiod's boundary (linking) columns: a start and an end.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

CANCELLED = 1e-9
"""A summed coefficient below this share of the group's largest is taken as cancelled (interior levels: 1 - 1)."""


def reach_rows(a: sparse.csr_matrix, row_lo, row_hi, row_sub, row_group, col_lo, col_hi, z_index, first_linking: int, n_master: int):
    """Rows over z (csr matrix, lower, upper) from each subperiod's groups of rows (``row_group``: a code of
    family and key per row); ``z_index``: position in z of each master or linking column (-1: neither), the
    linking (boundary) columns from ``first_linking`` on."""
    empty = (sparse.csr_matrix((0, n_master)), np.zeros(0), np.zeros(0))
    hourly = np.flatnonzero(row_sub >= 0)
    if not len(hourly):
        return empty
    coo = a[hourly].tocoo()
    is_linking = np.zeros(a.shape[1], dtype=bool)
    is_linking[(z_index >= first_linking)] = True
    # one group per (subperiod, family and key); keep the groups that read a boundary column
    _, group = np.unique(np.stack([row_sub[hourly], row_group[hourly]]), axis=1, return_inverse=True)
    group = group.ravel()
    reads = np.zeros(group.max() + 1, dtype=bool)
    reads[group[coo.row[is_linking[coo.col]]]] = True
    keep_rows = reads[group]
    rows = hourly[keep_rows]
    if not len(rows):
        return empty
    _, g = np.unique(group[keep_rows], return_inverse=True)
    n_groups = int(g.max()) + 1
    sums = sparse.csr_matrix((np.ones(len(rows)), (g, np.arange(len(rows)))), shape=(n_groups, len(rows)))
    summed = (sums @ a[rows]).tocoo()
    scale = np.zeros(n_groups)
    np.maximum.at(scale, summed.row, np.abs(summed.data))
    live = np.abs(summed.data) > CANCELLED * scale[summed.row]
    r, c, v = summed.row[live], summed.col[live], summed.data[live]
    on_z = z_index[c] >= 0
    # range of g . x_own over the own columns' bounds
    low_part = np.where(v > 0, v * col_lo[c], v * col_hi[c])
    high_part = np.where(v > 0, v * col_hi[c], v * col_lo[c])
    own_min = np.bincount(r[~on_z], low_part[~on_z], minlength=n_groups)  # -inf where a bound is missing (nan never: v != 0)
    own_max = np.bincount(r[~on_z], high_part[~on_z], minlength=n_groups)
    lo_sum = sums @ row_lo[rows]
    hi_sum = sums @ row_hi[rows]
    with np.errstate(invalid="ignore"):  # inf - inf: the side is void
        upper = hi_sum - own_min
        lower = lo_sum - own_max
    upper = np.where(np.isfinite(upper), upper, np.inf)
    lower = np.where(np.isfinite(lower), lower, -np.inf)
    boundary = np.bincount(r[on_z & is_linking[c]], minlength=n_groups)
    useful = (boundary >= 2) & (np.isfinite(upper) | np.isfinite(lower))
    new_index = np.cumsum(useful) - 1
    take = on_z & useful[r]
    matrix = sparse.csr_matrix((v[take], (new_index[r[take]], z_index[c[take]])), shape=(int(useful.sum()), n_master))
    return matrix, lower[useful], upper[useful]
