"""Does the solver's status line slow the solve? The same LP solved with and without it, side by side.

    python benchmarks/bench_progress.py                  # 4 summer weeks, dual simplex, 3 rounds
    python benchmarks/bench_progress.py --weeks 8 --solver ipm --rounds 5

Each round solves the LP once in each way, in turn, a different way first in each round (so that a
busy machine slows all of them alike):
  * without        : as a library call: HiGHS logs nothing (output_flag off), no status;
  * terminal       : as `energymodel run` on a terminal: HiGHS's log lines feed the status line, which
                     rich redraws 4 times a second (the terminal here is an in-memory console);
  * log file       : as `energymodel run` with stderr to a file: status lines at the usual 15 s;
  * +simplex cb    : the terminal way plus a Python callback at every simplex iteration (the
                     cbSimplexInterrupt route not taken: it gives the iteration count only).
Prints the fastest and median HiGHS run time of each, and the ratio of fastest times to 'without'.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

from rich.console import Console

from energymodel import progress, solve
from energymodel.config import load_run
from energymodel.inputs import load_inputs
from energymodel.model import build_model

ROOT = Path(__file__).resolve().parents[1]


class _EverySimplexIteration:
    """Patches solve.new_highs to add a cheap Python callback at every simplex iteration."""

    def __init__(self):
        self.iteration = 0
        self.original = solve.new_highs

    def record(self, event) -> None:
        self.iteration = event.data_out.simplex_iteration_count

    def __enter__(self):
        def new_highs(options, tee):
            h, log = self.original(options, tee)
            h.cbSimplexInterrupt += self.record
            return h, log

        solve.new_highs = new_highs
        return self

    def __exit__(self, *exc):
        solve.new_highs = self.original


def _ways():
    def terminal():
        return progress.cli(console=Console(file=io.StringIO(), force_terminal=True, width=200))

    def log_file():
        return progress.cli(console=Console(file=io.StringIO(), force_terminal=False))

    @contextlib.contextmanager
    def with_callback():
        with terminal(), _EverySimplexIteration():
            yield

    return {"without": contextlib.nullcontext, "terminal": terminal, "log file": log_file, "+simplex cb": with_callback}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", default=str(ROOT / "runs" / "china-2030-week.yaml"))
    parser.add_argument("--weeks", type=int, default=4, help="weeks from July 1")
    parser.add_argument("--solver", default="simplex", help="HiGHS 'solver' option (simplex, ipm, ...)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    end = (date(2030, 7, 1) + timedelta(days=7 * args.weeks - 1)).isoformat()
    changes = {"hours.start": "2030-07-01", "hours.end": end}
    config = load_run(args.run, changes)
    options = {**config.solver.options, "solver": args.solver, "threads": args.threads}
    data = load_inputs(config)
    frame = build_model(data)
    times: dict[str, list[float]] = {name: [] for name in _ways()}
    objectives = set()
    ways = list(_ways().items())
    for round_ in range(args.rounds):
        for name, way in ways[round_ % len(ways) :] + ways[: round_ % len(ways)]:  # each way first in turn
            with way():
                info = solve.solve(frame, options)
            times[name].append(info.highs_time_s)
            objectives.add(f"{info.objective_cny:.8e}")
    print(
        f"HiGHS {info.solver_version} (highspy {version('highspy')}), options {options}; "
        f"{len(data.time)} hours (2030-07-01 to {end}), {args.rounds} rounds"
    )
    base = min(times["without"])
    print(f"{'way':<14} {'fastest s':>10} {'median s':>10} {'ratio':>7}")
    for name, seconds in times.items():
        print(f"{name:<14} {min(seconds):10.3f} {statistics.median(seconds):10.3f} {min(seconds) / base:7.3f}")
    print(f"objective(s): {', '.join(sorted(objectives))} CNY/yr (HiGHS run time; ratio of the fastest to 'without')")


if __name__ == "__main__":
    main()
