"""What the numerical-health check (energymodel/health.py) costs on the full-year default LP.

Prints the time to compile the LP (which the decomposed route does once more after Benders, to check
its solution) and the time of the check itself (A x against the row and column bounds), for the
default run file's 8,760 hours. The check reads any column values: here the midpoints of the bounds
(the cost does not depend on the values).

    python benchmarks/bench_health.py [RUN_FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import highspy
import numpy as np

from energymodel.compile import compile_lp
from energymodel.config import load_run
from energymodel.health import check
from energymodel.inputs import load_inputs
from energymodel.model import build_model

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    run_file = sys.argv[1] if len(sys.argv) > 1 else ROOT / "runs" / "china-2030.yaml"
    frame = build_model(load_inputs(load_run(run_file)))
    start = time.perf_counter()
    compiled = compile_lp(frame)
    compile_s = time.perf_counter() - start
    lp = compiled.lp
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    x = np.where(np.isfinite(upper) & (upper < highspy.kHighsInf), (lower + upper) / 2, lower)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        check(lp, x, compiled.rows, compiled.columns)
        times.append(time.perf_counter() - start)
    print(f"{run_file}: {lp.num_col_:,} columns, {lp.num_row_:,} rows, {len(lp.a_matrix_.value_):,} non-zeros")
    print(f"compile_lp: {compile_s:.2f} s (the decomposed route compiles once more to check its solution)")
    print(f"health check: fastest {min(times):.3f} s, median {sorted(times)[2]:.3f} s of 5")


if __name__ == "__main__":
    main()
