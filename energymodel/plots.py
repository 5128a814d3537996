"""Plots of results files (matplotlib, drawn off-screen to a file)."""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from .errors import EnergyModelError
from .summary import format_coordinate

KINDS = ("abatement",)


def plot_abatement(ds: xr.Dataset, path: str | Path) -> Path:
    """CO2 abated and abatement cost against the hydrogen blend, one line per value of the other axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dims = json.loads(ds.attrs.get("sweep_dims", "[]"))
    if "h2_blend" not in dims or "co2_abated_t" not in ds:
        raise EnergyModelError("the abatement plot needs a sweep over h2_blend that includes 0 (energymodel sweep --set h2_blend=0,...)")
    others = [d for d in dims if d != "h2_blend"]
    lines = ds[["co2_abated_t", "abatement_cost_cny_per_t", "extra_cost_cny"]]
    lines = lines.stack(case=others) if others else lines.expand_dims(case=[0])
    fig, (ax_co2, ax_cost) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    blend = 100 * ds["h2_blend"].values
    for i in range(lines.sizes["case"]):
        case = lines.isel(case=i)
        label = ", ".join(f"{d}={format_coordinate(case[d].values)}" for d in others) or ds.attrs.get("run_name", "")
        ax_co2.plot(blend, case["co2_abated_t"].values / 1e6, marker="o", label=label)
        ax_cost.plot(blend, case["abatement_cost_cny_per_t"].values, marker="o", label=label)
    ax_co2.set(xlabel="hydrogen in gas-turbine fuel (vol %)", ylabel="CO2 abated vs 0 vol% (Mt/yr)", title="CO2 abated")
    ax_cost.set(xlabel="hydrogen in gas-turbine fuel (vol %)", ylabel="abatement cost (CNY/tCO2)", title="Cost per tonne avoided")
    for ax in (ax_co2, ax_cost):
        ax.grid(alpha=0.3)
    ax_cost.legend(fontsize=8)
    fig.suptitle(f"{ds.attrs.get('run_name', '')}: hydrogen blending ({ds.attrs.get('currency', 'CNY')})")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(path)
    return path
