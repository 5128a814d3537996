"""Static plots of results files (matplotlib, drawn off-screen and written atomically).

Every kind starts from :func:`select` (region, period, time window, sweep point), reduces the
Dataset to a ``pandas.DataFrame`` (one column per technology or series, e.g. :func:`dispatch_frame`,
:func:`annual_frame`) and draws it with one of two stacking helpers, in the colours and order of
:data:`TECHNOLOGY_COLOURS`. The HTML report (``report.py``) reuses the same frames and colours.

Modules: ``style`` (colours, stacking order), ``selection`` (what to draw), ``data`` (the frames),
``draw`` (matplotlib building blocks), ``figures`` (one figure per kind), ``map`` (regions and lines at their
positions), ``output`` (writing files).
"""

from __future__ import annotations

from .data import (
    annual_frame,
    blend_share_frame,
    capacity_frame,
    captured_total_mt,
    dispatch_frame,
    emissions_frame,
    generation_frame,
    group_axis_label,
    group_dims,
    group_values,
    hydrogen_supply_frame,
    price_curves,
    storage_levels,
)
from .draw import DPI, SIZES, stack
from .errors import PlotError, TimeWindowError
from .figures import HOURLY_KINDS, KINDS, abatement_figure, figure
from .fleet import abatement_curve_figure, abatement_steps, fleet_classes, fleet_frames
from .map import line_table, map_selection, node_values, positions
from .output import FORMATS, check_output, plot, save
from .selection import WEEK_H, one_period, parse_time, peak_week, select, sweep_dims
from .style import (
    CHARGING,
    FAMILY_AFTER,
    FAMILY_COLOURS,
    MAP_GROUPS,
    NEW,
    TECHNOLOGY_COLOURS,
    families_of,
    map_group,
    series_styles,
    stacking_order,
)

__all__ = [
    "CHARGING",
    "DPI",
    "FAMILY_AFTER",
    "FAMILY_COLOURS",
    "FORMATS",
    "HOURLY_KINDS",
    "KINDS",
    "MAP_GROUPS",
    "NEW",
    "SIZES",
    "TECHNOLOGY_COLOURS",
    "WEEK_H",
    "PlotError",
    "TimeWindowError",
    "abatement_curve_figure",
    "abatement_figure",
    "abatement_steps",
    "annual_frame",
    "blend_share_frame",
    "capacity_frame",
    "captured_total_mt",
    "check_output",
    "dispatch_frame",
    "emissions_frame",
    "families_of",
    "figure",
    "fleet_classes",
    "fleet_frames",
    "generation_frame",
    "group_axis_label",
    "group_dims",
    "group_values",
    "hydrogen_supply_frame",
    "line_table",
    "map_group",
    "map_selection",
    "node_values",
    "one_period",
    "parse_time",
    "peak_week",
    "plot",
    "positions",
    "price_curves",
    "save",
    "select",
    "series_styles",
    "stack",
    "stacking_order",
    "storage_levels",
    "sweep_dims",
]
