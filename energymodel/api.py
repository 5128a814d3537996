"""Python API for results: ``energymodel.open_results`` and the ``ds.em`` accessor.

Importing :mod:`energymodel` registers the accessor on every ``xarray.Dataset``::

    ds = energymodel.open_results("results/china-2030-week.nc")
    ds.em.capacity_factors()        # DataArray (region, technology), fraction of the year

Every function reduces over ``time`` (weighted by ``weight_h``, the hours of the year each modelled
hour stands for) and keeps whatever other dimensions the results have: ``region``, ``period``
(pathways) and sweep dimensions (e.g. ``h2_blend``, ``carbon_cap``). Results carry ``units`` and
``long_name`` attributes. All functions return ``xarray.DataArray`` except :func:`curtailment`,
which returns an ``xarray.Dataset`` of three variables (MWh/yr and a share).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from .errors import ResultsError, option
from .physics import GJ_PER_MWH, H2_LHV_MJ_PER_KG

LCOE_COMPONENTS = ("investment", "fixed_om", "variable_om", "fuel")
"""Cost components counted in the LCOE by default (add ``"carbon"`` to include the carbon price paid)."""


def open_results(path: str | Path, expect: str = "any") -> xr.Dataset:
    """Open a results NetCDF (run or sweep) fully into memory; ``ds.em`` gives the analysis functions.

    A file that is not energymodel results (damaged, another tool's, another layout) or not of the
    kind ``expect`` ("run", "sweep" or "any") raises ResultsError naming the file and what is wrong."""
    from .reading import read_results

    return read_results(path, expect)


# --------------------------------------------------------------------------- helpers


def _labelled(da: xr.DataArray, units: str, long_name: str, name: str | None = None) -> xr.DataArray:
    da = da.copy()
    da.attrs = {"units": units, "long_name": long_name}
    return da.rename(name) if name else da


def annual(ds: xr.Dataset, values: str | xr.DataArray) -> xr.DataArray:
    """Sum an hourly variable over ``time`` weighted by ``weight_h`` (MW -> MWh/yr, t/h -> t/yr).

    Keeps every other dimension; NaN where a variable does not apply (all hours NaN).
    """
    if "time" not in ds.dims or "weight_h" not in ds:
        raise ResultsError(f"these results have no hourly series (an {option('annual_only', True)} sweep?); this quantity needs them")
    da = ds[values] if isinstance(values, str) else values
    return (da * ds["weight_h"]).sum("time", min_count=1)


def _regions(da: xr.DataArray, by_region: bool) -> xr.DataArray:
    """Sum over regions unless ``by_region`` (NaN stays NaN where no region has the technology)."""
    return da if by_region or "region" not in da.dims else da.sum("region", min_count=1)


def hours_per_year(ds: xr.Dataset) -> xr.DataArray:
    """Hours of the modelled year (h): the sum of ``weight_h`` (per period), else the calendar year's hours."""
    if "weight_h" in ds and "time" in ds["weight_h"].dims:
        return _labelled(ds["weight_h"].sum("time"), "h", "hours in the year")
    year = int(ds.attrs.get("modelled_year", 2030))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _labelled(xr.DataArray(8784.0 if leap else 8760.0), "h", "hours in the year")


def _zero(ds: xr.Dataset) -> xr.DataArray:
    """Zero with the dimensions of a yearly system total (period, sweep dims)."""
    return xr.zeros_like(ds["emissions_total_t"])


def _ratio(numerator: xr.DataArray, denominator: xr.DataArray) -> xr.DataArray:
    """numerator / denominator, NaN where the denominator is not positive."""
    return numerator / denominator.where(denominator > 0)


# --------------------------------------------------------------------------- quantities


def generation_shares(ds: xr.Dataset, by_region: bool = True) -> xr.DataArray:
    """Share of each technology in yearly electricity output (1; storage discharge counts as output).

    Sums to 1 over ``technology`` in each region (or the system with ``by_region=False``).
    """
    energy = _regions(ds["energy_mwh"], by_region)
    share = _ratio(energy, energy.sum("technology"))
    return _labelled(share, "1", "share of yearly electricity output", "generation_share")


def capacity_factors(ds: xr.Dataset, by_region: bool = True) -> xr.DataArray:
    """Capacity factor (1) = yearly output (MWh) / (total capacity (MW) x hours in the year); NaN with no capacity."""
    energy = _regions(ds["energy_mwh"], by_region)
    capacity = _regions(ds["capacity_total_mw"], by_region)
    factor = _ratio(energy, capacity * hours_per_year(ds))
    return _labelled(factor, "1", "capacity factor: yearly output / (capacity x hours in the year)", "capacity_factor")


def curtailment(ds: xr.Dataset, by_region: bool = True) -> xr.Dataset:
    """Curtailment of variable renewables (a Dataset; ``technology`` only the variable renewables).

    * ``available_mwh`` (MWh/yr): capacity x hourly capacity factor, summed over the year;
    * ``curtailed_mwh`` (MWh/yr): available - generated;
    * ``share`` (1): curtailed / available (NaN where nothing is available).
    """
    renewable = ds["technology"].values[ds["family"].values == "variable_renewable"]
    curtailed = _regions(annual(ds, "curtailment_mw").sel(technology=renewable), by_region)
    available = curtailed + _regions(ds["energy_mwh"].sel(technology=renewable), by_region)
    return xr.Dataset(
        {
            "available_mwh": _labelled(available, "MWh/yr", "available renewable output (capacity x capacity factor)"),
            "curtailed_mwh": _labelled(curtailed, "MWh/yr", "available renewable output not used"),
            "share": _labelled(_ratio(curtailed, available), "1", "curtailed share of the available output"),
        }
    )


def lcoe(ds: xr.Dataset, by_region: bool = True, components: tuple[str, ...] = LCOE_COMPONENTS) -> xr.DataArray:
    """Levelised cost of electricity (CNY/MWh) by technology: its yearly costs / its yearly output.

    Costs are the technology's ``cost_cny`` over ``components`` (default: annualised investment, fixed
    and variable O&M, fuel; pass ``components=(*LCOE_COMPONENTS, "carbon")`` to add the carbon price).
    Storage counts its discharge as output and not the cost of the electricity it charges. NaN where
    a technology produced nothing.
    """
    cost = _regions(ds["cost_cny"].sel(component=list(components)).sum("component", min_count=1), by_region)
    energy = _regions(ds["energy_mwh"], by_region)
    return _labelled(_ratio(cost, energy), "CNY/MWh", f"levelised cost of electricity ({', '.join(components)})", "lcoe")


def cost_breakdown(ds: xr.Dataset) -> xr.DataArray:
    """Yearly system cost (CNY/yr) by ``component`` and ``source``: each technology (summed over regions),
    plus ``other`` for costs not tied to a technology (lines, bought hydrogen, lost load).

    Its sum is the yearly system cost (``total_cost_cny`` of a one-year run; per period in a pathway).
    Regional detail: ``ds.cost_cny``.
    """
    by_technology = _regions(ds["cost_cny"], by_region=False).rename(technology="source").drop_vars("family", errors="ignore")
    other = ds["cost_not_by_technology_cny"].expand_dims(source=["other"])
    table = xr.concat([by_technology, other], dim="source", coords="minimal", compat="override", join="outer")
    return _labelled(table, "CNY/yr", "yearly cost by component and source", "cost_cny")


def emissions(ds: xr.Dataset) -> xr.DataArray:
    """Yearly CO2 emissions (tCO2/yr) by ``source``: each technology (summed over regions), plus
    ``h2_bought`` (CO2 of making bought grey hydrogen) when the results have it.

    Its sum over ``source`` is the total (``ds.emissions_total_t``). Regional detail: ``ds.emissions_t``.
    """
    parts = [_regions(ds["emissions_t"], by_region=False).rename(technology="source").drop_vars("family", errors="ignore")]
    if "emissions_h2_bought_t" in ds:
        parts.append(ds["emissions_h2_bought_t"].expand_dims(source=["h2_bought"]))
    table = xr.concat(parts, dim="source", coords="minimal", compat="override", join="outer")
    return _labelled(table, "tCO2/yr", "yearly CO2 emissions by source", "emissions_t")


def emissions_by_fuel(ds: xr.Dataset) -> xr.DataArray:
    """Yearly CO2 emitted (tCO2/yr) by ``fuel`` burnt, after carbon capture.

    Each technology's fuel use times the fuel's ``co2_t_per_gj``, scaled by the share of the CO2 it
    produced that it emitted (1 - capture rate). The CO2 of making bought hydrogen is not a fuel
    burnt: it is ``emissions()`` source ``h2_bought``.
    """
    if "co2_t_per_gj" not in ds.coords:
        raise ResultsError("emissions by fuel need results written by energymodel >= this version (fuel coordinate co2_t_per_gj)")
    produced = ds["fuel_use_gj"] * ds["co2_t_per_gj"]  # (region, technology, fuel, ...)
    per_technology = produced.sum("fuel")
    emitted_share = _ratio(ds["emissions_t"], per_technology).fillna(0.0)
    table = (produced * emitted_share).sum([d for d in ("region", "technology") if d in produced.dims])
    return _labelled(
        table.drop_vars(["family", "co2_t_per_gj", "lhv_mj_per_kg"], errors="ignore"),
        "tCO2/yr",
        "yearly CO2 emitted by fuel burnt",
        "emissions_by_fuel_t",
    )


def _h2_t_per_mwh(ds: xr.Dataset) -> float:
    """Tonnes of hydrogen per MWh (LHV), from the run's hydrogen fuel in the results (else 119.96 MJ/kg)."""
    import json

    fuel = json.loads(ds.attrs.get("run_config", "{}")).get("hydrogen", {}).get("fuel", "hydrogen")
    lhv = H2_LHV_MJ_PER_KG
    if "lhv_mj_per_kg" in ds.coords and fuel in ds["fuel"].values and np.isfinite(float(ds["lhv_mj_per_kg"].sel(fuel=fuel))):
        lhv = float(ds["lhv_mj_per_kg"].sel(fuel=fuel))
    return GJ_PER_MWH / lhv


HYDROGEN_FLOWS = ("bought", "made", "burnt", "stored", "withdrawn")


def hydrogen_balance(ds: xr.Dataset) -> xr.DataArray:
    """Yearly hydrogen flows (t/yr) by ``flow``: bought, made (electrolysis), burnt (in gas turbines),
    stored (put into hydrogen storage) and withdrawn (taken out of it).

    bought + made + withdrawn - stored = burnt. Without hydrogen supply in the dataset, all hydrogen
    burnt is bought at the fuel price. Storage flows convert MWh (LHV) to t with the hydrogen fuel's
    ``lhv_mj_per_kg`` (a coordinate on ``fuel``), else 119.96 MJ/kg.
    """
    zero = _zero(ds)
    burnt = ds["h2_use_t"] if "h2_use_t" in ds else zero
    supply = "h2_made_t" in ds
    made = ds["h2_made_t"] if supply else zero
    bought = ds["h2_bought_t"] if supply else burnt
    t_per_mwh = _h2_t_per_mwh(ds)

    def storage(name: str) -> xr.DataArray:
        if name not in ds:
            return zero + np.nan if supply and "time" not in ds.dims else zero
        return _regions(annual(ds, name), by_region=False).sum("technology") * t_per_mwh

    flows = [bought, made, burnt, storage("h2_storage_charge_mw"), storage("h2_storage_discharge_mw")]
    table = xr.concat(
        [f.drop_attrs() for f in flows],
        dim=xr.DataArray(list(HYDROGEN_FLOWS), dims="flow", name="flow"),
        coords="minimal",
        compat="override",
        join="outer",
    )
    return _labelled(table, "t/yr", "yearly hydrogen flows", "h2_t")


def hydrogen_sources(ds: xr.Dataset) -> xr.DataArray:
    """Yearly hydrogen supplied (t/yr) by ``region`` and ``kind``: bought per kind (hydrogen_supply.csv's grey, blue,
    green; ``bought`` at the fuel price without that file) and ``electrolysis`` (made in the region).

    No hydrogen moves between regions, so what a region burns over the year is what it is supplied here (less
    storage losses). Empty (no ``kind``) when the run has no hydrogen supply module (all burnt hydrogen bought at
    the fuel price: see :func:`hydrogen_balance`).
    """
    one_region = "region" not in ds.dims  # results squeezed to one region
    regions = [None] if one_region else list(ds["region"].values)
    flows: dict[tuple[str, str], xr.DataArray] = {}
    if "h2_bought_by_source_t" in ds:
        source_regions = [None] * ds.sizes["h2_source"] if one_region else ds["h2_source_region"].values
        for i, (region, kind) in enumerate(zip(source_regions, ds["h2_source_kind"].values)):
            part = ds["h2_bought_by_source_t"].isel(h2_source=i, drop=True).drop_attrs()
            flows[(region, kind)] = flows[(region, kind)] + part if (region, kind) in flows else part
    if "h2_made_by_technology_t" in ds and (ds["family"].values == "electrolyser").any():
        made = ds["h2_made_by_technology_t"].drop_attrs().sum("technology")
        for region in regions:
            flows[(region, "electrolysis")] = made if one_region else made.sel(region=region, drop=True)
    kinds = list(dict.fromkeys(kind for _, kind in flows))
    zero = _zero(ds).drop_attrs()
    by_region = [
        xr.concat([flows.get((r, k), zero) for k in kinds], dim=xr.DataArray(kinds, dims="kind")) if kinds else zero.expand_dims(kind=[])
        for r in regions
    ]
    table = by_region[0] if one_region else xr.concat(by_region, dim=xr.DataArray(regions, dims="region"))
    return _labelled(table, "t/yr", "yearly hydrogen supplied by region and kind", "h2_t")


def average_price(ds: xr.Dataset, by_region: bool = True) -> xr.DataArray:
    """Demand-weighted mean marginal price of electricity (CNY/MWh) over the year."""
    paid = _regions(annual(ds, ds["marginal_price_cny_per_mwh"] * ds["demand_mw"]), by_region)
    demand = _regions(annual(ds, "demand_mw"), by_region)
    return _labelled(_ratio(paid, demand), "CNY/MWh", "demand-weighted mean marginal price", "average_price")


# --------------------------------------------------------------------------- accessor

CAPACITY_VALUE = "capacity_value_cny_per_kw_yr"


def capacity_services(ds: xr.Dataset, by_region: bool = True):
    """What the new capacity is paid for: a tidy ``pandas.DataFrame``, one line per (region, technology,
    [period, sweep point,] service) built, with ``value_cny_per_kw_yr`` (CNY per kW per year the capacity
    stands, from the duals; summing over services to its annualised cost) and ``share`` (of that cost;
    negative for a service that costs it, e.g. must-run or the ceiling's rent ``limit``).

    With ``by_region=False`` the regions' values are averaged, weighted by the capacity each built.
    """
    if CAPACITY_VALUE not in ds:
        raise ResultsError(f"these results have no {CAPACITY_VALUE} (results written before it existed, or a run with no new capacity)")
    value = ds[CAPACITY_VALUE]
    if not by_region and "region" in value.dims:
        new = ds["capacity_new_mw"].where(value.notnull().any("service"))
        value = (value * new).sum("region", min_count=1) / new.sum("region", min_count=1)
    cost = value.sum("service", min_count=1)
    table = xr.Dataset({"value_cny_per_kw_yr": value, "share": value / cost.where(cost != 0)}).to_dataframe()
    table = table.dropna(subset=["value_cny_per_kw_yr"]).reset_index()
    return table[[c for c in table.columns if c not in ("value_cny_per_kw_yr", "share")] + ["value_cny_per_kw_yr", "share"]]


def alternatives_table(ds: xr.Dataset, technologies: list[str] | None = None):
    """One row per near-optimal alternative (``energymodel alternatives``): what it optimised, its cost (CNY/yr, and
    % above the optimum), CO2 (Mt/yr), the value of each named aggregate (``coal (MW)`` ...) and the capacity of each
    technology (GW, summed over regions and periods)."""
    import pandas as pd

    if "alternative" not in ds.dims:
        raise ValueError("not an alternatives results file: no 'alternative' dimension (energymodel alternatives writes one)")
    cost = ds["total_cost_cny"].values.astype(float)
    capacity = ds["capacity_total_mw"]
    capacity = capacity.sum([d for d in capacity.dims if d not in ("alternative", "technology")]) / 1e3
    table = pd.DataFrame(
        {
            "sense": ds["alternative_sense"].values.astype(str),
            "aggregate": ds["alternative_aggregate"].values.astype(str),
            "value": ds["alternative_value"].values,
            "cost_cny": cost,
            "cost_above_optimum_pct": 100 * (cost / cost[0] - 1),
            "co2_mt": ds["emissions_total_t"].values.reshape(len(cost), -1).sum(axis=1) / 1e6,
        },
        index=pd.Index(ds["alternative"].values, name="alternative"),
    )
    if "aggregate_value" in ds:  # the value of each named aggregate in each alternative
        for text, unit in zip(ds["aggregate"].values, ds["aggregate_unit"].values):
            table[f"{text} ({unit})"] = ds["aggregate_value"].sel(aggregate=text).values
    names = technologies or [str(t) for t in ds["technology"].values if float(abs(capacity.sel(technology=t)).max()) > 1e-3]
    for name in names:
        table[f"{name}_gw"] = capacity.sel(technology=name).values
    return table


@xr.register_dataset_accessor("em")
class EnergyModelAccessor:
    """``ds.em``: analysis of energymodel results (see :mod:`energymodel.api` for units and definitions)."""

    def __init__(self, ds: xr.Dataset):
        self._ds = ds

    def annual(self, values: str | xr.DataArray) -> xr.DataArray:
        """Weighted sum over ``time`` of an hourly variable (per hour -> per year)."""
        return annual(self._ds, values)

    def hours_per_year(self) -> xr.DataArray:
        """Hours in the modelled year (h)."""
        return hours_per_year(self._ds)

    def generation_shares(self, by_region: bool = True) -> xr.DataArray:
        """Share of yearly output by technology (1)."""
        return generation_shares(self._ds, by_region)

    def capacity_factors(self, by_region: bool = True) -> xr.DataArray:
        """Yearly output / (capacity x hours in the year) (1)."""
        return capacity_factors(self._ds, by_region)

    def curtailment(self, by_region: bool = True) -> xr.Dataset:
        """Available and curtailed renewable output (MWh/yr) and curtailed share (1)."""
        return curtailment(self._ds, by_region)

    def lcoe(self, by_region: bool = True, components: tuple[str, ...] = LCOE_COMPONENTS) -> xr.DataArray:
        """Levelised cost of electricity by technology (CNY/MWh)."""
        return lcoe(self._ds, by_region, components)

    def cost_breakdown(self) -> xr.DataArray:
        """Yearly system cost by component and source (CNY/yr)."""
        return cost_breakdown(self._ds)

    def emissions(self) -> xr.DataArray:
        """Yearly CO2 by source (tCO2/yr); ``.sum('source')`` is the total."""
        return emissions(self._ds)

    def emissions_by_fuel(self) -> xr.DataArray:
        """Yearly CO2 emitted by fuel burnt, after capture (tCO2/yr)."""
        return emissions_by_fuel(self._ds)

    def hydrogen_balance(self) -> xr.DataArray:
        """Yearly hydrogen bought, made, burnt, stored, withdrawn (t/yr)."""
        return hydrogen_balance(self._ds)

    def hydrogen_sources(self) -> xr.DataArray:
        """Yearly hydrogen supplied by region and kind (grey, blue, green, electrolysis), t/yr."""
        return hydrogen_sources(self._ds)

    def average_price(self, by_region: bool = True) -> xr.DataArray:
        """Demand-weighted mean marginal price (CNY/MWh)."""
        return average_price(self._ds, by_region)

    def capacity_services(self, by_region: bool = True):
        """What the new capacity is paid for, by service (a tidy DataFrame, CNY/kW/yr and shares)."""
        return capacity_services(self._ds, by_region)

    def alternatives(self, technologies: list[str] | None = None):
        """The near-optimal alternatives as a table (a DataFrame): aggregate, cost, CO2, capacities in GW."""
        return alternatives_table(self._ds, technologies)
