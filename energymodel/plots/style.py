"""One colour registry and stacking order for every plot (and the HTML report)."""

from __future__ import annotations

import colorsys

import xarray as xr

# Colours of known technologies, in stacking order (first at the bottom of a stack).
TECHNOLOGY_COLOURS = {
    "nuclear": "#7b3294",
    "coal": "#333333",
    "coal_usc": "#555555",
    "coal_ccs": "#8c8c8c",
    "coal_ccs_retrofit": "#a6a6a6",
    "hydro": "#1f5fa8",
    "onshore_wind": "#3a9d5d",
    "offshore_wind": "#176a43",
    "wind": "#3a9d5d",
    "solar_pv": "#f4c20d",
    "solar": "#f4c20d",
    "gas_ccgt": "#e07b28",
    "gas_ccs": "#b5651d",
    "gas_ccs_retrofit": "#cf8f55",
    "gas_h2": "#49b6a6",
    "gas_ocgt": "#f4a95c",
    "pumped_hydro": "#6f9fd8",
    "battery": "#d45fa6",
    "h2_tank": "#8fd3c8",
    "electrolyser": "#2a9d8f",
    "net imports": "#b39b7c",
    "line losses": "#bdbdbd",
    "bought hydrogen": "#7fc8e8",
    "demand shifted": "#9edae5",
    "lost load": "#d62728",
}
# Colours for technologies not named above, by family (shades of the first for several in one family).
FAMILY_COLOURS = {
    "thermal": "#8a6d3b",
    "variable_renewable": "#7fbf4d",
    "reservoir_hydro": "#1f5fa8",
    "storage": "#9467bd",
    "electrolyser": "#2a9d8f",
    "h2_storage": "#8fd3c8",
    "heat_pump": "#e76f51",
}
# where a family's unknown technologies go in the stacking order: after this known one
FAMILY_AFTER = {
    "thermal": "gas_ocgt",
    "variable_renewable": "solar",
    "reservoir_hydro": "hydro",
    "storage": "battery",
    "electrolyser": "electrolyser",
    "h2_storage": "h2_tank",
    "heat_pump": "electrolyser",
}
# The map's technology groups (a pie per region has one slice per group), with the colour of a known technology each.
MAP_GROUPS = {
    "nuclear": TECHNOLOGY_COLOURS["nuclear"],
    "coal": TECHNOLOGY_COLOURS["coal"],
    "gas": TECHNOLOGY_COLOURS["gas_ccgt"],
    "other thermal": FAMILY_COLOURS["thermal"],
    "hydro": TECHNOLOGY_COLOURS["hydro"],
    "wind": TECHNOLOGY_COLOURS["wind"],
    "solar": TECHNOLOGY_COLOURS["solar"],
    "other renewables": FAMILY_COLOURS["variable_renewable"],
    "storage": TECHNOLOGY_COLOURS["battery"],
    "electrolysers": TECHNOLOGY_COLOURS["electrolyser"],
}
NOT_ON_THE_MAP = ("heat_boiler", "heat_pump", "h2_storage")
"""Families left out of the map's capacity and output: heat-only plants (MW_th) and hydrogen storage (not electricity)."""
CHARGING = " charging"  # suffix of a storage technology's withdrawals in the dispatch frame
NEW = " new"  # suffix of new capacity in the capacity frame


def _base(name: str) -> str:
    """A technology's plain name: ``north.coal`` -> ``coal``; series suffixes removed."""
    for suffix in (CHARGING, NEW):
        name = name.removesuffix(suffix)
    return name.rsplit(".", 1)[-1]


def _shade(colour: str, k: int) -> str:
    """The k-th shade of a colour (k = 0: itself), alternately lighter and darker."""
    import matplotlib.colors as mc

    if k == 0:
        return colour
    h, lightness, s = colorsys.rgb_to_hls(*mc.to_rgb(colour))
    step = 0.12 * ((k + 1) // 2) * (1 if k % 2 else -1)
    return mc.to_hex(colorsys.hls_to_rgb(h, min(0.9, max(0.1, lightness + step)), s))


def series_styles(names, families: dict[str, str] | None = None) -> dict[str, dict]:
    """Colour, hatch and legend label of each series name (technologies and pseudo-series), one registry for all plots.

    Unknown technologies take their family's colour (from ``families``, e.g. the ``family``
    coordinate), in distinct shades; ``X charging`` is a lighter X, ``X new`` a hatched X.
    """
    families = families or {}
    styles, seen = {}, {}
    for name in names:
        base = _base(name)
        if base in TECHNOLOGY_COLOURS:
            colour = TECHNOLOGY_COLOURS[base]
        else:
            family = families.get(name, families.get(base, ""))
            k = seen.setdefault(family, {}).setdefault(base, len(seen[family]))
            colour = _shade(FAMILY_COLOURS.get(family, "#17becf"), k)
        style = {"color": colour, "hatch": None, "label": name}
        if name.endswith(CHARGING):
            style["color"] = _shade(colour, 1)
        if name.endswith(NEW):
            style.update(hatch="//", label=name.removesuffix(NEW))  # one legend entry with the existing part
        styles[name] = style
    return styles


def stacking_order(names, families: dict[str, str] | None = None) -> list[str]:
    """Series names in stacking order (registry order; unknown technologies after their family's last known one)."""
    families = families or {}
    known = list(TECHNOLOGY_COLOURS)

    def key(name):
        base = _base(name)
        if base in TECHNOLOGY_COLOURS:
            rank = known.index(base)
        else:
            family = families.get(name, families.get(base, ""))
            rank = known.index(FAMILY_AFTER[family]) + 0.5 if family in FAMILY_AFTER else len(known) - 1.5
        return rank, name.endswith(NEW), name

    return sorted(names, key=key)


def map_group(technology: str, family: str) -> str | None:
    """The map group of a technology (a key of MAP_GROUPS): by its name's first word for thermal and variable
    renewable plants (``coal_chp`` -> coal, ``offshore_wind`` -> wind), else by family; None for NOT_ON_THE_MAP."""
    if family in NOT_ON_THE_MAP:
        return None
    words = technology.lower().split("_")
    if family == "thermal":
        return next((g for g in ("nuclear", "coal", "gas") if g == words[0]), "other thermal")
    if family == "variable_renewable":
        return next((g for g in ("wind", "solar") if g in words), "other renewables")
    return {"reservoir_hydro": "hydro", "storage": "storage", "electrolyser": "electrolysers"}.get(family, "other thermal")


def families_of(ds: xr.Dataset) -> dict[str, str]:
    """Technology -> family, from the ``family`` coordinate."""
    if "family" not in ds.coords:
        return {}
    return dict(zip(map(str, ds["technology"].values), map(str, ds["family"].values)))
