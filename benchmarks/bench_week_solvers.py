"""One week's operation (a Benders subproblem's size: capacities fixed) solved cold by each HiGHS LP algorithm,
side by side in one run; the figure that decides how long one iteration of the decomposition takes.

    python benchmarks/bench_week_solvers.py                                   # the 31 provinces, 1-7 January
    python benchmarks/bench_week_solvers.py --run runs/china-6grid-2030.yaml

The week's planning LP (run file, first 7 days) is solved by interior point; its capacities (every column without
an hour) are then fixed and the operation solved from scratch by dual simplex, primal simplex and interior point
with crossover (duals for the cuts need a basis or crossover), threads=1, with a time limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_decompose import config_for  # noqa: E402 - the same run settings

from energymodel.compile import compile_lp  # noqa: E402
from energymodel.inputs import load_inputs  # noqa: E402
from energymodel.model import build_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ALGORITHMS = {
    "dual simplex": {"solver": "simplex", "simplex_strategy": 1},
    "primal simplex": {"solver": "simplex", "simplex_strategy": 4},
    "ipm + crossover": {"solver": "ipm"},
}


def solve(lp, options: dict) -> tuple[highspy.Highs, float]:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    t0 = time.perf_counter()
    h.run()
    return h, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=ROOT / "runs" / "china-provinces-2030.yaml")
    parser.add_argument("--time-limit", type=float, default=300.0, help="s per solve")
    args = parser.parse_args()
    frame = build_model(load_inputs(config_for(args.run, 1, 1e-3, 1)))
    compiled = compile_lp(frame)
    lp = compiled.lp
    print(f"HiGHS {highspy.Highs().version()}, threads=1, time limit {args.time_limit:g} s; {args.run.name}, one week")
    print(f"LP rows x columns: {lp.num_row_:,} x {lp.num_col_:,}")
    h, wall = solve(lp, {"threads": 1, "solver": "ipm", "run_crossover": "off"})
    print(f"{'planning week, ipm (no crossover)':<36} {wall:>8.1f} s  {h.modelStatusToString(h.getModelStatus())}", flush=True)
    planned = np.asarray(h.getSolution().col_value)
    fixed = compiled.columns.hour < 0
    lp.col_lower_ = np.where(fixed, planned, lp.col_lower_)
    lp.col_upper_ = np.where(fixed, planned, lp.col_upper_)
    for name, options in ALGORITHMS.items():
        h, wall = solve(lp, {"threads": 1, "time_limit": args.time_limit, **options})
        status = h.modelStatusToString(h.getModelStatus())
        print(
            f"{'operation, ' + name:<36} {wall:>8.1f} s  {status}, {h.getInfo().simplex_iteration_count:,} simplex iterations", flush=True
        )


if __name__ == "__main__":
    main()
