"""A planning LP (capacity expansion, one LP) solved by HiGHS interior point with and without crossover, side by
side in one run: what crossover costs, and how far the plans and prices of the two answers are apart.

    python benchmarks/bench_plan_solvers.py                                      # the 31 provinces, every 30th day
    python benchmarks/bench_plan_solvers.py --run runs/china-6grid-2030.yaml --every-nth-day 7

The run file's LP is compiled once and handed to a fresh HiGHS instance per route (threads as given, the run
file's other options kept). For each route: HiGHS's time, interior-point and crossover iterations, the
objective; against the first route: the plan's distance (the largest difference of a column without an hour,
new capacity MW, storage MWh or line MW, over the largest such value) and the prices' distance (the largest
difference of a demand-balance dual over the largest |dual|). Without crossover HiGHS returns the interior
point's primal and dual values, which are optimal within its tolerances but not a vertex.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_week_solvers import solve  # noqa: E402 - one HiGHS from scratch, timed

from energymodel.compile import compile_lp  # noqa: E402
from energymodel.config import load_run  # noqa: E402
from energymodel.inputs import load_inputs  # noqa: E402
from energymodel.model import build_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ROUTES = {
    "ipm + crossover": {"solver": "ipm", "run_crossover": "on"},
    "ipm, no crossover": {"solver": "ipm", "run_crossover": "off"},
}


def apart(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a - b| over the largest |a| (0 for empty or all-zero a)."""
    scale = float(np.abs(a).max()) if a.size else 0.0
    return float(np.abs(a - b).max()) / scale if scale > 0 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=ROOT / "runs" / "china-provinces-2030.yaml")
    parser.add_argument("--every-nth-day", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    config = load_run(args.run, {"hours": {"every_nth_day": args.every_nth_day}})
    options = {k: v for k, v in config.solver.options.items() if k not in ("solver", "run_crossover")}
    options["threads"] = args.threads
    compiled = compile_lp(build_model(load_inputs(config)))
    lp = compiled.lp
    plan_cols = np.flatnonzero(compiled.columns.hour < 0)
    balance_rows = compiled.rows.of("demand_balance")
    print(f"HiGHS {highspy.Highs().version()}; {args.run.name}, every {args.every_nth_day}th day; options {options}")
    print(f"LP rows x columns: {lp.num_row_:,} x {lp.num_col_:,}")
    print(
        f"{'route':<20} {'HiGHS s':>8} {'status':<8} {'ipm its':>7} {'crossover its':>13} {'objective CNY/yr':>17} {'plan apart':>10} {'prices apart':>12}"
    )
    first = None
    for name, route in ROUTES.items():
        h, wall = solve(lp, {**options, **route})
        info, solution = h.getInfo(), h.getSolution()
        x, duals = np.asarray(solution.col_value), np.asarray(solution.row_dual)
        plan, prices = x[plan_cols], duals[balance_rows]
        first = first or (plan, prices)
        print(
            f"{name:<20} {wall:>8.1f} {h.modelStatusToString(h.getModelStatus()):<8} {info.ipm_iteration_count:>7} "
            f"{info.crossover_iteration_count:>13,} {info.objective_function_value:>17.6e} "
            f"{apart(first[0], plan):>10.1e} {apart(first[1], prices):>12.1e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
