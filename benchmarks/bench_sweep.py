"""An 11-point hydrogen-blend sweep, warm re-solves against 11 cold runs, measured in one process.

    python benchmarks/bench_sweep.py                      # every 7th day of the default case
    python benchmarks/bench_sweep.py --every-nth-day 1    # full year (long)

Cold: for each blend, load inputs, build the model and solve it from scratch (as `energymodel run`).
Warm: `energymodel sweep` in one process: one model, mutable blend share, re-solved by dual simplex
from the previous basis. The case uses a fixed blend (mode fixed) under a binding 3 Gt cap so that
every point changes the solution. Target: warm total <= 0.4 x cold total.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from energymodel.config import load_run
from energymodel.runner import run_config
from energymodel.sweep import plan_sweep, run_sweep

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every-nth-day", type=int, default=7)
    parser.add_argument("--method", default="simplex", help="HiGHS 'solver' for the cold runs and the first warm solve")
    args = parser.parse_args()
    blends = [round(0.1 * i, 1) for i in range(11)]
    with tempfile.TemporaryDirectory() as tmp:
        run = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
        run.update(
            dataset=str(ROOT / "data" / "china-2030"),
            output=str(Path(tmp) / "bench.nc"),
            carbon={"cap_t_per_yr": 3.0e9},
            hydrogen={"blend_vol_fraction": 0.0, "mode": "fixed"},
            hours={"every_nth_day": args.every_nth_day},
            solver={"options": {"solver": args.method, "threads": 1}},
        )
        run_file = Path(tmp) / "bench.yaml"
        run_file.write_text(yaml.safe_dump(run))

        start = time.perf_counter()
        cold = []
        for blend in blends:
            config = load_run(run_file)
            config.hydrogen.blend_vol_fraction = blend
            cold.append(float(run_config(config).total_cost_cny))
        t_cold = time.perf_counter() - start

        start = time.perf_counter()
        ds = run_sweep(plan_sweep(run_file, [f"h2_blend={','.join(map(str, blends))}"]), annual_only=True)
        t_warm = time.perf_counter() - start

    worst = max(abs(float(ds.total_cost_cny.sel(h2_blend=b)) - c) / c for b, c in zip(blends, cold))
    hours = ds.attrs["hours_modelled"]
    print(
        f"case: default data, every {args.every_nth_day}th day ({hours} h), 3 Gt cap, fixed blend 0..100 vol%, HiGHS {args.method}, 1 thread"
    )
    print(f"11 cold runs (load + build + solve each): {t_cold:8.1f} s")
    print(f"one warm sweep (build once, re-solve):    {t_warm:8.1f} s  (incl. part files and combined NetCDF)")
    print(f"ratio warm / cold:                         {t_warm / t_cold:8.2f}   (target <= 0.40)")
    print(f"largest relative objective difference:     {worst:.1e}")


if __name__ == "__main__":
    main()
