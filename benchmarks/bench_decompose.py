"""Benders over weeks against the one LP, side by side in one run (docs/decomposition.md).

    python benchmarks/bench_decompose.py                                  # 4 and 13 weeks, 1 and 2 workers
    python benchmarks/bench_decompose.py --weeks 52 --workers 1 2         # the default full year (52 = the whole year)
    python benchmarks/bench_decompose.py --run runs/china-6grid-2030.yaml --weeks 52 --no-monolithic --operations --workers 2
    python benchmarks/bench_decompose.py --weeks 4 --gap 1e-5 --workers 1 --regularisation none in-out --warm-start-days 0
    python benchmarks/bench_decompose.py --weeks 52 --workers 2 --no-monolithic --penalty top rising --planning-method hourly peak

The default run (runs/china-2030.yaml: unit commitment, ramps, reserves, storage, reservoir hydro) from
1 January over the given number of weeks ("52": all 8,760 hours), with the run's own carbon settings.
For each case it prints the one LP's HiGHS time (dual simplex, one thread) and the
decomposition's wall time with 1 and 2 workers, iterations, seconds per iteration, the master's, the
subproblems' and the warm start's shares, the gap, the objective against the one LP's, and peak memory
(MB; every route runs in a fresh process: the client's, plus the workers' largest). ``--penalty top`` holds the
slacks' penalty at its top value from the first iteration (the decomposition before the rising penalty).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import yaml

from energymodel.compile import compile_lp
from energymodel.config import parse_run
from energymodel.decompose import solve_decomposed
from energymodel.errors import SolveError
from energymodel.inputs import load_inputs
from energymodel.model import build_model

ROOT = Path(__file__).resolve().parents[1]


def config_for(
    run: Path,
    weeks: int,
    gap: float,
    max_iterations: int,
    regularisation: str = "in-out",
    warm_start_days: int = 8,
    operations: bool = False,
    planning_method: str | None = None,
):
    raw = yaml.safe_load(run.read_text())
    raw.pop("output", None)
    if planning_method:
        raw["reserves"] = {**raw.get("reserves", {}), "planning_method": planning_method}
    if operations:  # the default run's unit commitment, ramps, must-run and reserves
        default = yaml.safe_load((ROOT / "runs" / "china-2030.yaml").read_text())
        raw.update(operations=default["operations"], reserves=default["reserves"])
    raw["dataset"] = str((run.parent / raw["dataset"]).resolve())
    hours = dict(raw.get("hours") or {})
    hours.pop("every_nth_day", None)
    hours.pop("representative_days", None)
    if weeks < 52:
        hours.update(start="2030-01-01", end=(pd.Timestamp("2030-01-01") + pd.Timedelta(days=7 * weeks - 1)).strftime("%Y-%m-%d"))
    raw["hours"] = hours
    raw["solver"] = {
        "options": {"threads": 1},
        "decomposition": {
            "subperiod_days": 7,
            "gap": gap,
            "max_iterations": max_iterations,
            "regularisation": regularisation,
            "warm_start_days": warm_start_days,
        },
    }
    return parse_run(raw, str(run), run.parent)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def monolithic(
    run: Path, weeks: int, gap: float, max_iterations: int, operations: bool = False, planning_method: str | None = None
) -> dict:
    """The one LP (in a fresh process: its own peak memory)."""
    config = config_for(run, weeks, gap, max_iterations, operations=operations, planning_method=planning_method)
    frame = build_model(load_inputs(config))
    compiled = compile_lp(frame)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.passModel(compiled.lp)
    t0 = time.perf_counter()
    h.run()
    return {"wall_s": time.perf_counter() - t0, "objective": h.getInfo().objective_function_value, "peak_mb": peak_mb()}


def decomposed(
    run: Path,
    weeks: int,
    gap: float,
    max_iterations: int,
    workers: int,
    regularisation: str = "in-out",
    warm_start_days: int = 8,
    operations: bool = False,
    planning_method: str | None = None,
    penalty: str = "rising",
) -> dict:
    """Benders from the compiled LP to the loaded solution (in a fresh process)."""
    import energymodel.decompose as decompose

    if penalty == "top":  # the top penalty only, from the first iteration
        rising = decompose.penalty_ladder
        decompose.penalty_ladder = lambda cost, hourly: rising(cost, hourly)[-1:]
    config = config_for(run, weeks, gap, max_iterations, regularisation, warm_start_days, operations, planning_method)
    frame = build_model(load_inputs(config))
    t0 = time.perf_counter()

    def progress(it) -> None:  # one line per iteration on stderr: long cases show where they are
        print(
            f"  iteration {it.number}: lower {it.lower:.6e} upper {it.upper:.6e} gap {it.gap:.2e} ({it.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    try:
        info, done = solve_decomposed(
            frame, config.solver.decomposition, {"threads": 1}, workers=workers, accept_suboptimal=True, progress=progress
        )
    except SolveError as exc:  # a route that fails is a figure too
        return {"wall_s": time.perf_counter() - t0, "error": str(exc)[:120]}
    return {"wall_s": time.perf_counter() - t0, "objective": info.objective_cny, "done": done, "peak_mb": peak_mb()}


def in_fresh_process(function, *args) -> dict:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, default=ROOT / "runs" / "china-2030.yaml")
    parser.add_argument("--weeks", type=int, nargs="+", default=[4, 13])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--gap", type=float, default=1e-3)
    parser.add_argument("--max-iterations", type=int, default=200)
    parser.add_argument("--regularisation", nargs="+", default=["in-out"], choices=["in-out", "none"])
    parser.add_argument("--warm-start-days", type=int, default=8, help="0: no warm start")
    parser.add_argument("--operations", action="store_true", help="add the default run's unit commitment, ramps, must-run, reserves")
    parser.add_argument("--no-monolithic", action="store_true", help="skip the one LP (e.g. the six grids' full year)")
    parser.add_argument("--penalty", nargs="+", default=["rising"], choices=["rising", "top"], help="top: the top penalty from the start")
    parser.add_argument("--planning-method", nargs="+", default=[None], choices=["hourly", "peak"], help="default: the run file's")
    args = parser.parse_args()
    print(f"HiGHS {highspy.Highs().version()}, dual simplex, threads=1 per solve; {args.run.name}; gap {args.gap:g}")
    head = f"{'weeks':>5} {'route':<12} {'wall s':>8} {'x mono':>7} {'iters':>5} {'s/iter':>7} {'master':>7} {'subs':>6} {'warm s':>6} {'gap':>8} {'obj vs mono':>11} {'MB':>7}"
    print(head)
    for weeks, method in [(w, m) for w in args.weeks for m in args.planning_method]:
        case = (args.run, weeks, args.gap, args.max_iterations)
        label = f"{weeks}" + (f" {method}" if method else "")
        mono = (
            {"wall_s": np.nan, "objective": np.nan} if args.no_monolithic else in_fresh_process(monolithic, *case, args.operations, method)
        )
        if not args.no_monolithic:
            print(f"{label:>5} {'one LP':<12} {mono['wall_s']:>8.1f} {1:>7.2f} {'':>51} {mono['peak_mb']:>7.0f}", flush=True)
        routes = [(r, w, p) for r in args.regularisation for w in args.workers for p in args.penalty]
        for regularisation, workers, penalty in routes:
            out = in_fresh_process(decomposed, *case, workers, regularisation, args.warm_start_days, args.operations, method, penalty)
            route = f"{regularisation} x{workers}" + ("" if penalty == "rising" else " top")
            if "error" in out:
                print(f"{label:>5} {route:<12} {out['wall_s']:>8.1f} failed: {out['error']}", flush=True)
                continue
            done, wall = out["done"], out["wall_s"]
            busy = done.master_s + done.subproblems_s
            memory = f"{out['peak_mb']:.0f}" + (f"+{workers}x{done.worker_peak_mb:.0f}" if workers > 1 else "")
            print(
                f"{label:>5} {route:<12} {wall:>8.1f} {wall / mono['wall_s']:>7.2f} {done.iterations:>5} "
                f"{wall / max(done.iterations, 1):>7.2f} {done.master_s / busy:>7.1%} {done.subproblems_s / busy:>6.0%} "
                f"{done.warm_start_s:>6.1f} {done.gap:>8.2e} {(out['objective'] - mono['objective']) / mono['objective']:>11.2e} {memory:>7}",
                f" {out['objective']:.6e}",
                flush=True,
            )


if __name__ == "__main__":
    main()
