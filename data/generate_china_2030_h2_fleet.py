#!/usr/bin/env python3
"""Generate the "China 2030, hydrogen turbine fleet" dataset (data/china-2030-h2-fleet).

Run from the repository root::

    python data/generate_china_2030_h2_fleet.py            # writes data/china-2030-h2-fleet/
    python data/generate_china_2030_h2_fleet.py --out DIR  # writes somewhere else

The dataset is data/china-2030 with its one combined-cycle row split into turbine classes that differ in
how much hydrogen they may burn (``h2_max_vol_fraction``, by volume). Nothing is random: the series
(demand, capacity factors, hydro inflow, district heat) and the fuels are copied byte for byte from data/china-2030,
settings.yaml gets its own name and description, and technologies.csv is data/china-2030's with

* ``gas_ccgt`` replaced by ``gas_ccgt_f`` (the existing F-class fleet, 10 vol%, nothing new of it),
  ``gas_ccgt_ha`` (new HA-class, 50 vol%) and ``gas_ccgt_f_h2`` (an H2-ready upgrade of the F-class
  fleet to 50 vol%: PyPSA-Ariadne's +15 % cost, -5 % efficiency);
* ``gas_ocgt`` limited to 30 vol%, and the gas capture retrofit converting ``gas_ccgt_f``;
* a new column ``h2_max_vol_fraction`` (blank: the run's ``hydrogen.blend_vol_fraction``).

Every number's source is in the folder's README.md (kept by hand). When data/china-2030 changes, rerun
this script: tests/test_data_generator.py checks that the shipped folder is what it writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent
PARENT = DATA / "china-2030"
OUT = DATA / "china-2030-h2-fleet"
COPIED = ("fuels.csv", "demand.csv", "capacity_factors.csv", "hydro_inflow.csv", "heat_demand.csv")
NAME = "china-2030-h2-fleet"
DESCRIPTION = (
    "China 2030 with the gas turbines split into hydrogen classes (F-class 10 vol%, HA-class 50 vol%, H2-ready upgrade, OCGT 30 vol%)"
)

# Hydrogen limits by volume (README: facts §4.3-4.4)
F_CLASS_VOL = 0.1  # F-class as installed (Huizhou 9HA.01 ordered for up to 10 vol%; 5-20 vol% on existing equipment)
HA_CLASS_VOL = 0.5  # GE 7HA.03 at Dania Beach: up to 50 vol%
OCGT_VOL = 0.3  # OEMs: existing turbines up to ~30 vol% without modification
UPGRADE_VOL = 0.5  # the H2-ready upgrade of the F-class fleet: to the HA-class limit
HA_EFFICIENCY = 0.6336  # GE 9HA.01, Tianjin Junliangcheng (facts §3.2, §6)
# PyPSA-Ariadne's CH4 -> H2 turbine retrofit: +15 % of the turbine's cost, -5 % efficiency
UPGRADE_COST_SHARE, UPGRADE_EFFICIENCY_FACTOR = 0.15, 0.95


def _number(value: float) -> str:
    """A number as the parent's CSV writes it: no trailing zeros, integers without a decimal point."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def technologies(parent_csv: str) -> str:
    """data/china-2030's technologies.csv with the gas turbines split into hydrogen classes."""
    rows = list(csv.DictReader(io.StringIO(parent_csv)))
    columns = [*rows[0].keys(), "h2_max_vol_fraction"]
    by_name = {r["name"]: r for r in rows}
    ccgt = by_name["gas_ccgt"]
    capex, fixed_om, efficiency = float(ccgt["capex_cny_per_kw"]), float(ccgt["fixed_om_cny_per_kw_yr"]), float(ccgt["efficiency"])
    existing = ccgt["existing_mw"]
    f_class = {**ccgt, "name": "gas_ccgt_f", "max_mw": existing, "h2_max_vol_fraction": _number(F_CLASS_VOL)}
    ha_class = {**ccgt, "name": "gas_ccgt_ha", "existing_mw": "0", "efficiency": _number(HA_EFFICIENCY)}
    ha_class["h2_max_vol_fraction"] = _number(HA_CLASS_VOL)
    upgrade_efficiency = round(UPGRADE_EFFICIENCY_FACTOR * efficiency, 6)
    upgrade = {
        **ccgt,
        "name": "gas_ccgt_f_h2",
        "existing_mw": "0",
        "capex_cny_per_kw": _number(UPGRADE_COST_SHARE * capex),
        # the turbine's fixed O&M per kW of heat input, so that the upgrade alone neither saves nor adds O&M
        "fixed_om_cny_per_kw_yr": _number(round(fixed_om * efficiency / upgrade_efficiency, 1)),
        "lifetime_yr": "25",
        "efficiency": _number(upgrade_efficiency),
        "retrofit_of": "gas_ccgt_f",
        "h2_max_vol_fraction": _number(UPGRADE_VOL),
    }
    out = []
    for row in rows:
        if row["name"] == "gas_ccgt":
            out += [f_class, ha_class, upgrade]
            continue
        row = {**row, "h2_max_vol_fraction": ""}
        if row["name"] == "gas_ocgt":
            row["h2_max_vol_fraction"] = _number(OCGT_VOL)
        if row["retrofit_of"] == "gas_ccgt":
            row["retrofit_of"] = "gas_ccgt_f"
        out.append(row)
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(out)
    return text.getvalue()


def settings(parent_yaml: str) -> str:
    """data/china-2030's settings.yaml with this dataset's name and description."""
    lines = parent_yaml.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("name:"):
            lines[i] = f"name: {NAME}\n"
        elif line.startswith("description:"):
            lines[i] = f"description: {DESCRIPTION}\n"
    return "".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: data/china-2030-h2-fleet)")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(PARENT / name, out / name)
    (out / "settings.yaml").write_text(settings((PARENT / "settings.yaml").read_text(encoding="utf-8")), encoding="utf-8", newline="\n")
    techs = technologies((PARENT / "technologies.csv").read_text(encoding="utf-8"))
    (out / "technologies.csv").write_text(techs, encoding="utf-8", newline="\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
