"""The plant studies' figures (docs/plants.md), read from the model's own results.

    python examples/plant_figures.py results/plants

reads ``junliangcheng-coal.nc``, ``junliangcheng-gas.nc`` and ``huizhou.nc`` (the sweep) from that
folder, as written by the commands of docs/plants.md, and prints the figures the page quotes. Every
figure comes from result variables (``energy_mwh``, ``fuel_use_gj``, ``emissions_total_t``,
``h2_use_t``, ``h2_use_nm3``, ``co2_abated_t``, ``extra_cost_cny``, ``abatement_cost_cny_per_t``);
the only constant is the definition of standard coal, 29.3076 GJ/tce.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import xarray as xr

GJ_PER_TCE = 29.3076  # 1 tce = 29.3076 GJ (standard coal)
PUBLISHED_CO2_AVOIDED_T = 1.8e6  # seed report: ~1.8 Mt CO2/yr at 4,500 h/yr (facts §6)


def _fuel(ds: xr.Dataset, fuel: str) -> float:
    return float(ds.fuel_use_gj.sel(fuel=fuel).sum()) if fuel in ds.fuel.values else 0.0


def junliangcheng(coal: xr.Dataset, gas: xr.Dataset) -> dict[str, float]:
    """Coal-to-gas: the coal unit's run against the 9HA.01's run of the same output."""
    energy = float(gas.energy_mwh.sum())
    hours = energy / float(gas.capacity_total_mw.sum())
    coal_tce = _fuel(coal, "coal") / GJ_PER_TCE
    gas_tce = _fuel(gas, "natural_gas") / GJ_PER_TCE
    avoided = float(coal.emissions_total_t) - float(gas.emissions_total_t)
    return {
        "output_mwh": energy,
        "full_load_hours": hours,
        "coal_gce_per_kwh": 1000 * coal_tce / float(coal.energy_mwh.sum()),
        "gas_gce_per_kwh": 1000 * gas_tce / energy,
        "coal_burnt_tce": coal_tce,
        "coal_equivalent_saved_tce": coal_tce - gas_tce,
        "co2_coal_t": float(coal.emissions_total_t),
        "co2_gas_t": float(gas.emissions_total_t),
        "co2_avoided_t": avoided,
        "co2_avoided_t_per_mwh": avoided / energy,
        # the plant size at which the same hours and factors avoid the published ~1.8 Mt
        "capacity_for_published_mw": PUBLISHED_CO2_AVOIDED_T / (avoided / energy) / hours,
    }


def huizhou(sweep: xr.Dataset) -> list[dict[str, float | str]]:
    """One row per hydrogen fuel and blend (vol%) of the Huizhou sweep."""
    rows = []
    for fuel in [str(f) for f in sweep.h2_fuel.values]:
        base = sweep.sel(h2_fuel=fuel, h2_blend=0.0)
        for blend in [float(b) for b in sweep.h2_blend.values if b > 0]:
            point = sweep.sel(h2_fuel=fuel, h2_blend=blend)
            cut = float(point.co2_abated_t)
            rows.append(
                {
                    "h2_fuel": fuel,
                    "vol_pct": 100 * blend,
                    "h2_t": float(point.h2_use_t),
                    "h2_million_nm3": float(point.h2_use_nm3) / 1e6,
                    "h2_energy_share_pct": 100 * float(point.h2_blend_energy_share.max()),
                    "co2_t": float(point.emissions_total_t),
                    "co2_cut_t": cut,
                    "co2_cut_pct": 100 * cut / float(base.emissions_total_t),
                    "extra_fuel_cost_million_cny": float(point.extra_cost_cny) / 1e6,
                    "cny_per_t_avoided": float(point.abatement_cost_cny_per_t) if cut > 0 else math.nan,
                }
            )
    return rows


def main(folder: Path) -> None:
    jc = junliangcheng(xr.open_dataset(folder / "junliangcheng-coal.nc"), xr.open_dataset(folder / "junliangcheng-gas.nc"))
    print("Tianjin Junliangcheng coal-to-gas")
    print(f"  output                        {jc['output_mwh'] / 1e6:.3f} TWh/yr ({jc['full_load_hours']:,.0f} full-load hours)")
    print(f"  coal unit                     {jc['coal_gce_per_kwh']:.1f} gce/kWh")
    print(f"  9HA.01 supply coal-equivalent {jc['gas_gce_per_kwh']:.1f} gce/kWh")
    print(f"  coal no longer burnt          {jc['coal_burnt_tce']:,.0f} tce/yr")
    print(f"  coal-equivalent saved         {jc['coal_equivalent_saved_tce']:,.0f} tce/yr")
    print(f"  CO2 coal / gas                {jc['co2_coal_t'] / 1e6:.3f} / {jc['co2_gas_t'] / 1e6:.3f} Mt/yr")
    print(f"  CO2 avoided                   {jc['co2_avoided_t'] / 1e6:.3f} Mt/yr ({jc['co2_avoided_t_per_mwh'] * 1000:.1f} kg/MWh)")
    print(f"  capacity for 1.8 Mt/yr        {jc['capacity_for_published_mw']:,.0f} MW")
    print()
    print("Guangdong Huizhou Dayawan, 2 x 9HA.01")
    print(
        "| hydrogen | vol% | energy % | H2 t/yr | H2 million Nm³/yr | CO2 Mt/yr | CO2 cut Mt/yr | CO2 cut % | extra fuel cost million CNY/yr | CNY/t avoided |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in huizhou(xr.open_dataset(folder / "huizhou.nc")):
        per_t = "–" if math.isnan(r["cny_per_t_avoided"]) else f"{r['cny_per_t_avoided']:,.0f}"
        print(
            f"| {r['h2_fuel']} | {r['vol_pct']:.0f} | {r['h2_energy_share_pct']:.1f} | {r['h2_t']:,.0f} | {r['h2_million_nm3']:,.1f} | "
            f"{r['co2_t'] / 1e6:.3f} | {r['co2_cut_t'] / 1e6:.3f} | {r['co2_cut_pct']:.1f} | {r['extra_fuel_cost_million_cny']:,.1f} | {per_t} |"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/plants"))
