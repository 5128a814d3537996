"""Near-optimal alternatives of the default case in one process against on Dask workers, measured in one run.

    python benchmarks/bench_alternatives.py                         # 16 typical days, 2 workers
    python benchmarks/bench_alternatives.py --representative-days 8 --workers 2

Both routes solve the optimum in this process; then the six alternatives of docs/alternatives.md
(min and max coal, min CO2, max wind + solar, two random directions) either one after another from
the last basis (one process), or on a LocalCluster, each worker building the model once and starting
from the optimum's basis. Prints the wall time of each route, their ratio, and the largest
difference in the optimised aggregates (the objectives are unique, the solutions need not be).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import highspy
import numpy as np

from energymodel.alternatives_run import alternatives_file

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"minimise": ("coal", "co2"), "maximise": ("coal", "wind+solar"), "random": 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--representative-days", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slack", type=float, default=0.02)
    parser.add_argument("--keep", type=Path, help="Keep the two NetCDF files in this new folder (default: a temporary one).")
    args = parser.parse_args()
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: give a new or empty folder (finished parts there would be reused, not solved)")
    changes = {"hours.representative_days": args.representative_days}
    results, seconds = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = args.keep or tmp
        for route, workers in (("one process", 1), (f"{args.workers} Dask workers", args.workers)):
            start = time.perf_counter()
            ds, _ = alternatives_file(
                ROOT / "runs" / "china-2030.yaml",
                Path(tmp) / f"alternatives-{workers}-workers.nc",
                args.slack,
                changes=changes,
                workers=workers,
                progress=print,
                **TARGETS,
            )
            seconds[route] = time.perf_counter() - start
            results[route] = ds
    one, many = results.values()
    difference = np.nanmax(
        np.abs(one.alternative_value.values[1:] - many.alternative_value.values[1:]) / np.abs(one.alternative_value.values[1:])
    )
    print(f"\nHiGHS {highspy.Highs().version()} (dual simplex), {args.representative_days} typical days, slack {args.slack:.0%}")
    for route, s in seconds.items():
        print(f"{route:>18}: {s:7.1f} s for the optimum and {one.sizes['alternative'] - 1} alternatives")
    first, second = seconds.values()
    print(f"{'ratio':>18}: {second / first:.2f} (Dask / one process)")
    print(f"largest relative difference in the optimised aggregates: {difference:.1e}")


if __name__ == "__main__":
    main()
