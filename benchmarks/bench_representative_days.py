"""Representative days against the full year: error in cost, emissions and capacities, and wall time.

    python benchmarks/bench_representative_days.py                     # K = 8, 16, 32 on the default case
    python benchmarks/bench_representative_days.py -k 8 -k 16 --cap 3e9 --run runs/china-6grid-2030.yaml

Each case is solved as `energymodel run` would (load, cluster, build, HiGHS, results), one after
the other in this process, so the times are comparable. The reference is the chronological full
year of the same run file (its `hours` section is replaced). Prints a Markdown table for
docs/validation.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml

from energymodel.config import parse_run
from energymodel.runner import run_config

ROOT = Path(__file__).resolve().parents[1]


def solve(path: Path, hours: dict, cap: float | None):
    raw = yaml.safe_load(path.read_text())
    raw["hours"] = hours
    raw.get("solver", {}).pop("decomposition", None)  # typical days and the full year both as one LP
    if cap is not None:
        raw.setdefault("carbon", {})["cap_t_per_yr"] = cap
    start = time.perf_counter()
    ds = run_config(parse_run(raw, str(path), path.parent), str(path))
    return ds, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=ROOT / "runs" / "china-2030.yaml")
    parser.add_argument("-k", "--days", type=int, action="append", help="typical days (repeat; default 8, 16, 32)")
    parser.add_argument("--cap", type=float, help="CO2 cap in t/yr instead of the run file's")
    args = parser.parse_args()
    days = args.days or [8, 16, 32]

    full, full_s = solve(args.run, {}, args.cap)
    print(f"full year: {full_s:.1f} s, objective {float(full.total_cost_cny):.6e} CNY/yr", flush=True)
    cap_full = full.capacity_total_mw.sum("region")
    rows = [("8,760 h (reference)", 8760, full_s, 0.0, 0.0, 0.0, 1.0)]
    for k in days:
        ds, seconds = solve(args.run, {"representative_days": k}, args.cap)
        cost_err = float(ds.total_cost_cny) / float(full.total_cost_cny) - 1
        co2_err = float(ds.emissions_total_t) / float(full.emissions_total_t) - 1
        cap = ds.capacity_total_mw.sum("region")
        cap_err = float(np.abs(cap - cap_full).sum() / cap_full.sum())  # share of total GW placed differently
        rows.append((f"K = {k}", 24 * k, seconds, cost_err, co2_err, cap_err, full_s / seconds))
        print(f"K = {k}: {seconds:.1f} s", flush=True)

    print(f"\nrun file: {args.run.name}" + (f", cap {args.cap:.3g} t/yr" if args.cap else ""))
    print("| case | hours | wall s | cost error | CO2 error | capacity moved | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for name, hours, seconds, cost, co2, cap, speed in rows:
        print(f"| {name} | {hours:,} | {seconds:.1f} | {100 * cost:+.2f} % | {100 * co2:+.2f} % | {100 * cap:.2f} % | {speed:.1f}x |")


if __name__ == "__main__":
    main()
