"""Build + hand-over time of two versions of energymodel side by side (e.g. before and after a refactor).

    git worktree add /tmp/before <commit>                     # the version to compare with
    python benchmarks/bench_build.py --before /tmp/before      # this tree against /tmp/before

For each case (the default full year runs/china-2030.yaml: 8,760 h with unit commitment and
reserves; and the synthetic 8,760 h x 10 regions of synthetic.py) and each version, in a fresh
process each time and alternating between the versions (so that machine noise hits both alike),
it measures: build_model (s), compiling the LP and passing it to HiGHS (s, "hand-over") and the
peak RSS (MB). Prints the medians of ``--repeat`` runs and the ratio after/before. No solve.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = ("default-8760", "synthetic-8760x10")


def measure(case: str) -> dict:
    """One case in this process, with whichever energymodel is first on sys.path."""
    import highspy

    from energymodel.config import load_run
    from energymodel.inputs import load_inputs
    from energymodel.model import build_model
    from energymodel.solve import compile_lp

    with tempfile.TemporaryDirectory() as tmp:
        if case == "default-8760":
            run_file = HERE.parent / "runs" / "china-2030.yaml"
        else:
            sys.path.insert(0, str(HERE))
            from synthetic import write_case

            run_file = write_case(Path(tmp), 10, 8760)
        data = load_inputs(load_run(run_file))
        t = time.perf_counter()
        frame = build_model(data)
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        old_api = hasattr(frame.m, "_em_frame")  # before the model layer took the frame
        lp = compile_lp(frame.m if old_api else frame).lp
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        handover_s = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "build_s": build_s,
        "handover_s": handover_s,
        "total_s": build_s + handover_s,
        "rss_mb": rss,
        "rows": lp.num_row_,
        "cols": lp.num_col_,
    }


def child(tree: Path, case: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, __file__, "--child", case], env=env, capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="source tree of the version to compare with (a git worktree)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    import highspy
    import pyomo

    trees = {"before": args.before.resolve(), "after": HERE.parent} if args.before else {"this": HERE.parent}
    h = highspy.Highs()
    print(
        f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()} (passModel only, no solve), Pyomo {pyomo.__version__}, "
        f"{os.cpu_count()} cores; medians of {args.repeat} fresh processes per version, alternating"
    )
    for case in args.cases.split(","):
        runs = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                runs[name].append(child(tree, case))
        print(f"\n{case}: {runs[next(iter(trees))][0]['rows']:,} rows x {runs[next(iter(trees))][0]['cols']:,} columns")
        print(f"  {'version':8s} {'build s':>8s} {'hand-over s':>12s} {'total s':>8s} {'peak MB':>8s}")
        medians = {}
        for name in trees:
            medians[name] = {k: statistics.median(r[k] for r in runs[name]) for k in ("build_s", "handover_s", "total_s", "rss_mb")}
            m = medians[name]
            print(f"  {name:8s} {m['build_s']:8.2f} {m['handover_s']:12.2f} {m['total_s']:8.2f} {m['rss_mb']:8.0f}")
        if len(trees) == 2:
            before, after = medians["before"], medians["after"]
            print(
                f"  ratio after/before: build {after['build_s'] / before['build_s']:.2f}, hand-over "
                f"{after['handover_s'] / before['handover_s']:.2f}, total {after['total_s'] / before['total_s']:.2f}, "
                f"peak memory {after['rss_mb'] / before['rss_mb']:.2f}"
            )


if __name__ == "__main__":
    main()
