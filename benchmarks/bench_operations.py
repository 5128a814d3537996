"""What operating limits and reserves cost in solve time and in system cost, side by side in one run.

    python benchmarks/bench_operations.py                          # 4 January weeks of the default case
    python benchmarks/bench_operations.py --start 2030-07-01 --end 2030-07-28 --methods ipm simplex

Variants of the default run (runs/china-2030.yaml) on the same hours:
  * none        : no operations, no reserves
  * default     : the default run's operations and reserves with the shipped data
                  (coal committed with 40 % minimum load and start-up costs, nuclear ramp-limited,
                  heating-season coal CHP, operating reserve, 15 % planning margin)
  * full-commit : as default, plus gas CCGTs and nuclear committed and coal ramp-limited to 50 %/h
Prints build and HiGHS seconds, LP size, total cost and the ratio of each time to 'none'.
"""

from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

from energymodel.config import parse_run, read_run_yaml
from energymodel.inputs import load_inputs
from energymodel.model import build_model
from energymodel.solve import compile_lp, solve

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "runs" / "china-2030.yaml"
COMMIT_MORE = {
    "gas_ccgt": {"min_load_fraction": 0.3, "startup_cny_per_mw": 200},
    "gas_ccs": {"min_load_fraction": 0.3, "startup_cny_per_mw": 200},
    "gas_ccs_retrofit": {"min_load_fraction": 0.3, "startup_cny_per_mw": 200},
    "nuclear": {"min_load_fraction": 0.5, "startup_cny_per_mw": 2000},
    **{g: {"ramp_fraction_per_h": 0.5} for g in ("coal", "coal_usc", "coal_ccs", "coal_ccs_retrofit")},
}


def variants(raw: dict) -> dict[str, dict]:
    none = copy.deepcopy(raw)
    none.pop("operations", None)
    none.pop("reserves", None)
    full = copy.deepcopy(raw)
    full.setdefault("overrides", {}).setdefault("technologies", {}).update(COMMIT_MORE)
    return {"none": none, "default": raw, "full-commit": full}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", default="2030-01-01")
    parser.add_argument("--end", default="2030-01-28")
    parser.add_argument("--methods", nargs="+", default=["ipm", "simplex"], help="HiGHS 'solver' option values")
    args = parser.parse_args()
    base = read_run_yaml(RUN)
    base["hours"] = {"start": args.start, "end": args.end}
    print(f"{RUN.name}, hours {args.start} .. {args.end}")
    print(f"{'variant':<12} {'method':<8} {'rows':>8} {'cols':>8} {'build s':>8} {'HiGHS s':>8} {'x none':>7} {'cost bn CNY/yr':>15}")
    reference: dict[str, float] = {}
    for name, raw in variants(base).items():
        for method in args.methods:
            raw = copy.deepcopy(raw)
            raw["solver"]["options"]["solver"] = method
            config = parse_run(raw, str(RUN), RUN.parent)
            data = load_inputs(config)
            start = time.perf_counter()
            frame = build_model(data)
            build_s = time.perf_counter() - start
            start = time.perf_counter()
            info = solve(frame, config.solver.options)
            solve_s = time.perf_counter() - start
            reference.setdefault(method, solve_s)
            cost = info.objective_cny / 1e9
            lp = compile_lp(frame).lp  # the LP handed to HiGHS (not timed)
            print(
                f"{name:<12} {method:<8} {lp.num_row_:>8} {lp.num_col_:>8} {build_s:>8.1f} {solve_s:>8.1f} "
                f"{solve_s / reference[method]:>7.2f} {cost:>15,.1f}   {info.termination}"
            )


if __name__ == "__main__":
    main()
