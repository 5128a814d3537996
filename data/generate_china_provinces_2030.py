"""Generate data/china-provinces-2030: the 2030 six-grid case (data/china-6grid) by province, for capacity expansion.

Every number is a province's share of its grid in ``data/china-6grid`` (written by ``generate_china_6grid.py``,
imported, not copied), split by the same provincial keys as the 2024 provincial dataset
(``generate_china_provinces.py``, README "Splitting"), so that the provinces of each grid sum to that grid:
existing capacity, and build limits (max_mw) where the grid has one; where the grid's build is unlimited, every
province of the grid may build. Each province's demand has its own monthly and daily shape (raked to its grid
in every hour and to its NBS 2024 share of the grid's 2030 year); its heat shape is its grid's, its weather its own
(china_province_weather.py).
The corridors are those of the 2024 provincial dataset, those between two grids scaled to the six grids' 2030
lines, all expandable. Hydrogen: grey and blue at the grid's cost, green made in the three provinces that had
the capacity in 2025 (china_hydrogen.py).

    python data/generate_china_provinces_2030.py            # rewrites data/china-provinces-2030/
    python data/generate_china_provinces_2030.py --out DIR  # writes the files elsewhere

Deterministic: it draws no random numbers of its own (the grid series are those of the six-grid generator,
seeded there), so two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import china_hydrogen
import generate_china_provinces as provinces
import numpy as np
import pandas as pd

grid6, base = provinces.grid6, provinces.base
OUT_DEFAULT = Path(__file__).resolve().parent / "china-provinces-2030"


def grid_series(idx: pd.DatetimeIndex) -> dict[str, dict[str, np.ndarray]]:
    """The six-grid 2030 hourly series (demand MW, capacity factors and inflow per MW by grid, heat MW_th by
    grid.network), as generate_china_6grid writes them."""
    onshore, offshore = grid6.wind_frames(idx)
    return {
        "demand": grid6.demand_frame(idx),
        "onshore_wind": onshore,
        "offshore_wind": offshore,
        "solar_pv": grid6.solar_frame(idx),
        "hydro": grid6.hydro_frame(idx),
        "heat": grid6.heat_demand(idx),
    }


def settings_yaml() -> str:
    return base.settings_yaml(
        name="china-provinces-2030",
        description="China's 2030 power system by province (31 regions), the six-grid 2030 case split by province, for capacity expansion",
        region=None,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DEFAULT, help="output folder (default: data/china-provinces-2030)")
    args = parser.parse_args(argv)
    idx = base.hourly_index()
    series = grid_series(idx)
    grid_twh = {grid: float(mw.sum()) / 1e6 for grid, mw in series["demand"].items()}
    tables = {
        "settings": settings_yaml(),
        "fuels": base.fuels_table(),
        "lines": provinces.lines_table(grid6.lines_table()),
        "hydrogen_supply": china_hydrogen.hydrogen_supply_table(
            provinces.PROVINCES, provinces.GRID_OF, china_hydrogen.GREEN_CAPACITY_BY_PROVINCE_T_PER_YR
        ),
    }
    provinces.write_provinces(
        args.out, idx=idx, grid_techs=grid6.technologies_table(), series=series, grid_twh=grid_twh, seed=base.SEED, **tables
    )


if __name__ == "__main__":
    main()
