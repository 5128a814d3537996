"""The 31 provinces next to the six grids, measured in one invocation: the 2024 backcast or the 2030 plan.

    python benchmarks/bench_provinces.py                    # 2024 backcast, every 7th day (53 days), 2 threads
    python benchmarks/bench_provinces.py --every-nth-day 1  # the full year (long)
    python benchmarks/bench_provinces.py --year 2030 --every-nth-day 30   # the 2030 plan, 13 days (~10 min)

Each case runs in a fresh Python process (so peak memory is its own): loading, model build, hand-over to
HiGHS, HiGHS's own time, results extraction and NetCDF write (bench_scaling.measure_run_file), with
the LP's rows, columns and non-zeros, and the objective. 2024: dispatch LPs of the same 2024 fleet
(capacities fixed), so the difference is the 31 regions and 56 corridors against 6 and 8. 2030: capacity
expansion of the same 2030 case (the run files' options: IPM), the provinces within their shares of the
grids' build limits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CASES = {
    2024: {
        "six grids": ROOT / "runs" / "china-6grid-2024-backcast.yaml",
        "31 provinces": ROOT / "runs" / "china-provinces-2024-backcast.yaml",
    },
    2030: {"six grids": ROOT / "runs" / "china-6grid-2030.yaml", "31 provinces": ROOT / "runs" / "china-provinces-2030.yaml"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, choices=sorted(CASES), default=2024)
    parser.add_argument("--every-nth-day", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    changes = {"hours": {"every_nth_day": args.every_nth_day}, "solver.options.threads": args.threads}
    if args.one:
        sys.path.insert(0, str(HERE))
        from bench_scaling import measure_run_file

        print(json.dumps(measure_run_file(Path(args.one), changes=changes)))
        return
    import highspy

    rows = {}
    for name, run_file in CASES[args.year].items():
        start = time.perf_counter()
        cmd = [sys.executable, __file__, "--one", str(run_file), "--every-nth-day", str(args.every_nth_day), "--threads", str(args.threads)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        rows[name] = {**json.loads(done.stdout.strip().splitlines()[-1]), "wall_s": time.perf_counter() - start}
    print(
        f"HiGHS {highspy.Highs().version()}, {args.year}, run files' solver options, threads {args.threads}, every {args.every_nth_day}th day"
    )
    print(
        "| case | rows | cols | nnz | load s | build s | hand-over s | HiGHS s | results s | write s | wall s | peak RSS MB | objective CNY/yr |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['rows']:,} | {r['cols']:,} | {r['nnz']:,} | {r['load_s']:.2f} | {r['build_s']:.2f} | {r['handover_s']:.2f} "
            f"| {r['highs_s']:.2f} | {r['results_s']:.2f} | {r['write_s']:.2f} | {r['wall_s']:.1f} | {r['rss_mb']:.0f} | {r.get('objective', float('nan')):.6e} |"
        )
    if len(rows) == 2:
        six, provinces = rows.values()
        print(
            f"ratios (provinces / six grids): HiGHS {provinces['highs_s'] / six['highs_s']:.1f}x, rows {provinces['rows'] / six['rows']:.1f}x, memory {provinces['rss_mb'] / six['rss_mb']:.1f}x"
        )


if __name__ == "__main__":
    main()
