"""Time the stages of one run and compare solve paths side by side, in one process.

    python benchmarks/bench_solve.py                       # every 7th day of the default case
    python benchmarks/bench_solve.py --every-nth-day 1     # the full year (several minutes)

Paths compared on the same model:
  * direct      : Pyomo's standard-form compiler, matrix passed to highspy (what `energymodel run` uses)
  * lp-file     : Pyomo's LP writer, then highspy reads the file and solves
for each HiGHS method given with --methods. Prints seconds and the ratio to the first path.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import highspy
from pyomo.common.tee import capture_output

from energymodel.config import load_run
from energymodel.inputs import load_inputs
from energymodel.model import build_model
from energymodel.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def lp_file_path(data, options) -> tuple[float, float, float]:
    """(write s, read+solve s, objective) via an LP file read by highspy."""
    frame = build_model(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.lp"

        def write():
            frame.materialise()  # the hourly blocks as Pyomo constraints, so that Pyomo can write them
            frame.m.write(str(path), io_options={"symbolic_solver_labels": False})

        _, t_write = timed(write)
        with capture_output(capture_fd=True):
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
        for key, value in options.items():
            h.setOptionValue(key, value)

        def read_and_run():
            h.readModel(str(path))
            h.run()

        _, t_solve = timed(read_and_run)
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.getModelStatus()
        return t_write, t_solve, h.getInfo().objective_function_value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", default=str(ROOT / "runs" / "china-2030.yaml"))
    parser.add_argument("--every-nth-day", type=int, default=7)
    parser.add_argument("--methods", default="ipm,simplex", help="HiGHS 'solver' option values to compare")
    args = parser.parse_args()

    config = load_run(args.run)
    config.hours.every_nth_day = args.every_nth_day
    data, t_load = timed(lambda: load_inputs(config))
    print(f"case: {config.name}, {len(data.time)} hours, {len(data.technologies)} technologies")
    print(f"load inputs: {t_load:7.2f} s")
    rows = []
    for method in args.methods.split(","):
        options = {"solver": method, "threads": 2}
        frame, t_build = timed(lambda: build_model(data))
        info = solve(frame, options)
        rows.append((f"direct {method}", t_build, info.solve_time_s, info.highs_time_s, info.objective_cny))
        t_write, t_solve, objective = lp_file_path(data, options)
        rows.append((f"lp-file {method}", t_build + t_write, t_solve, t_solve, objective))
    base = rows[0][1] + rows[0][2]
    print(f"{'path':<22} {'build+transfer s':>16} {'solve s':>9} {'HiGHS s':>9} {'total s':>9} {'ratio':>6} {'objective CNY/yr':>18}")
    for name, t_build, t_solve, t_highs, objective in rows:
        total = t_build + t_solve
        print(f"{name:<22} {t_build:16.2f} {t_solve:9.2f} {t_highs:9.2f} {total:9.2f} {total / base:6.2f} {objective:18.6e}")
    print("(direct 'solve s' includes compiling and passing the model to HiGHS; lp-file 'build' includes writing the file)")


if __name__ == "__main__":
    main()
