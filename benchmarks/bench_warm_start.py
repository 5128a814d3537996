"""The decomposition's warm start (a typical-days plan, decompose/warm_start.py) solved by dual simplex and by
interior point without crossover, side by side in one run, on the full year of each run file given.

    python benchmarks/bench_warm_start.py                                         # default, six grids, provinces
    python benchmarks/bench_warm_start.py --runs runs/china-2030.yaml --days 8 16 --time-limit 600

For each run and number of typical days: the wall time of each solver (threads=1; building the typical-days
LP, a few seconds, is included), the plan's objective and
how far the two plans' master points (new capacity, storage energy, lines) are apart: the largest difference over
the largest value. A warm start is a point, not a basis, so interior point without crossover is enough if its
point is as good; Benders then evaluates it exactly.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_decompose import config_for  # noqa: E402 - the same full-year run settings

from energymodel.compile import compile_lp  # noqa: E402
from energymodel.decompose.warm_start import WARM_START_SOLVER, typical_days_plan  # noqa: E402
from energymodel.errors import SolveError  # noqa: E402
from energymodel.inputs import load_inputs  # noqa: E402
from energymodel.model import build_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNS = ["china-2030.yaml", "china-6grid-2030.yaml", "china-provinces-2030.yaml"]
SOLVERS = {
    "dual simplex": {"threads": 1, "solver": "simplex"},
    "ipm, no crossover": {"threads": 1, **WARM_START_SOLVER},  # what the decomposition uses
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=Path, nargs="+", default=[ROOT / "runs" / r for r in RUNS])
    parser.add_argument("--days", type=int, nargs="+", default=[8])
    parser.add_argument("--time-limit", type=float, default=900.0, help="s per solve")
    args = parser.parse_args()
    print(f"HiGHS {highspy.Highs().version()}, threads=1, time limit {args.time_limit:g} s; full year, typical days")
    print(f"{'run':<28} {'days':>4} {'solver':<18} {'wall s':>8} {'objective CNY/yr':>17} {'point apart':>11}")
    for run in args.runs:
        frame = build_model(load_inputs(config_for(run, 52, 1e-3, 1)))
        columns = compile_lp(frame).columns
        master_cols = np.flatnonzero(columns.hour < 0)
        for days in args.days:
            points = {}
            for name, options in SOLVERS.items():
                t0 = time.perf_counter()
                try:
                    point, objective = typical_days_plan(frame, days, {**options, "time_limit": args.time_limit}, master_cols, columns)
                except SolveError as exc:
                    print(f"{run.name:<28} {days:>4} {name:<18} {time.perf_counter() - t0:>8.1f} not solved: {exc.status}", flush=True)
                    continue
                wall = time.perf_counter() - t0
                points[name] = np.nan_to_num(point)
                apart = ""
                if len(points) == 2:
                    a, b = points.values()
                    apart = f"{np.abs(a - b).max() / max(np.abs(a).max(), 1.0):.1e}"
                print(f"{run.name:<28} {days:>4} {name:<18} {wall:>8.1f} {objective:>17.6e} {apart:>11}", flush=True)


if __name__ == "__main__":
    main()
