"""Where the time goes, by problem size: energymodel's stages against HiGHS alone on the same LP.

    python benchmarks/bench_scaling.py                              # default sizes
    python benchmarks/bench_scaling.py --sizes 168x1,720x1,720x4 --solver ipm --threads 2

For each size (hours x regions, synthetic case from ``synthetic.py``) a fresh Python process runs
the whole `energymodel run` pipeline and reports: loading, Pyomo build, hand-over to HiGHS,
HiGHS's own time, results extraction, NetCDF write, peak memory (RSS), and the LP's rows, columns
and non-zeros. As the floor, the LP that energymodel hands to HiGHS is compiled again and
solved by highspy alone with identical options (no Pyomo; `floor pass` is the time to pass
the raw matrix, `floor solve` HiGHS's time). All sizes run one after the other in one invocation,
so the figures are comparable; the machine is shared, so repeat before trusting small differences.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(
    hours: int, regions: int, solver: str, threads: int, floor: bool, build_only: bool = False, options: dict | None = None
) -> dict:
    """Run one size in this process; return the timings (s), sizes and peak RSS (MB).

    ``build_only``: stop after handing the LP to HiGHS (for sizes too large to solve here).
    """
    sys.path.insert(0, str(HERE))
    from synthetic import write_case

    with tempfile.TemporaryDirectory() as tmp:
        run_file = write_case(Path(tmp), regions, hours, threads, solver, options)
        return {"hours": hours, "regions": regions, **measure_run_file(run_file, floor, build_only)}


def measure_run_file(run_file: Path, floor: bool = False, build_only: bool = False, changes: dict | None = None) -> dict:
    """The stages of `energymodel run` on one run file in this process: timings (s), LP size, peak RSS (MB)."""
    import highspy

    from energymodel.config import load_run
    from energymodel.inputs import load_inputs
    from energymodel.model import build_model
    from energymodel.results import build_dataset, write_netcdf
    from energymodel.solve import compile_lp, solve

    with tempfile.TemporaryDirectory() as tmp:
        out = {}
        t = time.perf_counter()
        data = load_inputs(load_run(run_file, changes))
        out["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        frame = build_model(data)
        out["build_s"] = time.perf_counter() - t
        if build_only:
            t = time.perf_counter()
            lp = compile_lp(frame).lp
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.passModel(lp)
            out["handover_s"] = time.perf_counter() - t
            out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            out.update(rows=lp.num_row_, cols=lp.num_col_, nnz=len(lp.a_matrix_.value_))
            return out
        info = solve(frame, data.config.solver.options)
        out["highs_s"] = info.highs_time_s
        out["handover_s"] = info.solve_time_s - info.highs_time_s
        out["objective"] = info.objective_cny
        t = time.perf_counter()
        ds = build_dataset(frame)
        out["results_s"] = time.perf_counter() - t
        t = time.perf_counter()
        write_netcdf(ds, Path(tmp) / "result.nc")
        out["write_s"] = time.perf_counter() - t
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lp = compile_lp(frame).lp  # the LP handed to HiGHS, again (not timed)
        out.update(rows=lp.num_row_, cols=lp.num_col_, nnz=len(lp.a_matrix_.value_))
        if floor:
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            for key, value in data.config.solver.options.items():
                h.setOptionValue(key, value)
            t = time.perf_counter()
            h.passModel(lp)
            out["floor_pass_s"] = time.perf_counter() - t
            t = time.perf_counter()
            h.run()
            out["floor_solve_s"] = time.perf_counter() - t
            out["floor_objective"] = h.getInfo().objective_function_value
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="168x1,720x1,2184x1,168x4,720x4,168x10,720x10", help="HOURSxREGIONS,...")
    parser.add_argument("--solver", default="ipm")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-floor", action="store_true", help="skip re-solving with highspy alone")
    parser.add_argument("--build-only", action="store_true", help="stop after the hand-over to HiGHS (large sizes)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        hours, regions = map(int, args.one.split("x"))
        print(json.dumps(measure(hours, regions, args.solver, args.threads, not args.no_floor, args.build_only)))
        return

    rows = []
    for size in args.sizes.split(","):
        cmd = [sys.executable, __file__, "--one", size, "--solver", args.solver, "--threads", str(args.threads)]
        cmd += ["--no-floor"] * args.no_floor + ["--build-only"] * args.build_only
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            print(f"{size}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["wall_s"] = time.perf_counter() - start
        rows.append(result)
        print(f"{size}: {result['wall_s']:.1f} s", file=sys.stderr, flush=True)

    print(f"solver {args.solver}, {args.threads} threads")
    print(
        "| hours x regions | rows | cols | nnz | load s | build s | hand-over s | HiGHS s | results s | write s "
        "| not HiGHS % | peak RSS MB | floor pass s | floor solve s | objective rel. diff |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if args.build_only:
            print(
                f"| {r['hours']:,} x {r['regions']} | {r['rows']:,} | {r['cols']:,} | {r['nnz']:,} | {r['load_s']:.2f} | {r['build_s']:.2f} "
                f"| {r['handover_s']:.2f} | – | – | – | – | {r['rss_mb']:.0f} | – | – | – |"
            )
            continue
        ours = r["load_s"] + r["build_s"] + r["handover_s"] + r["highs_s"] + r["results_s"] + r["write_s"]
        other = 100 * (ours - r["highs_s"]) / ours
        diff = abs(r.get("floor_objective", float("nan")) / r["objective"] - 1)
        print(
            f"| {r['hours']:,} x {r['regions']} | {r['rows']:,} | {r['cols']:,} | {r['nnz']:,} | {r['load_s']:.2f} | {r['build_s']:.2f} "
            f"| {r['handover_s']:.2f} | {r['highs_s']:.2f} | {r['results_s']:.2f} | {r['write_s']:.2f} | {other:.0f} | {r['rss_mb']:.0f} "
            f"| {r.get('floor_pass_s', float('nan')):.2f} | {r.get('floor_solve_s', float('nan')):.2f} | {diff:.1e} |"
        )


if __name__ == "__main__":
    main()
