"""Objectives of four reference cases, to prove that a refactor of the model layer changes no answer.

    python benchmarks/check_objectives.py --write benchmarks/objectives-reference.json   # before the change
    python benchmarks/check_objectives.py --check benchmarks/objectives-reference.json   # after: |rel. diff| <= 1e-9

Cases (about 5 minutes on 2 cores):
  week     runs/china-2030-week.yaml (one summer week, one region);
  6grid    runs/china-6grid-2030.yaml (six grids and lines, every 7th day);
  pathway  runs/china-pathway-2060.yaml (2030-2060, 8 typical days);
  sweep    runs/china-2030-week.yaml moved to 4-10 January with a 3 Gt cap, hydrogen mode 'fixed',
           h2_blend = 0, 0.1, 0.3 x carbon_price = 0, 100 CNY/t (6 points on one model, warm re-solves).
The total cost is the LP's objective (CNY/yr, or CNY present value for the pathway). Exits 1 if a
case differs by more than the tolerance.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-9
SWEEP = ["h2_blend=0,0.1,0.3", "carbon_price=0,100"]


def run_case(name: str) -> list[float]:
    """The objective(s) of one case (a list: one per sweep point, in order)."""
    from energymodel.config import load_run
    from energymodel.runner import run_config
    from energymodel.sweep import plan_sweep, run_sweep

    runs = ROOT / "runs"
    if name == "sweep":
        with tempfile.TemporaryDirectory() as folder:
            raw = yaml.safe_load((runs / "china-2030-week.yaml").read_text())
            raw["dataset"] = str((runs / raw["dataset"]).resolve())
            raw["hydrogen"]["mode"] = "fixed"
            raw["hours"] = {"start": "2030-01-04", "end": "2030-01-10"}
            raw["carbon"] = {"cap_t_per_yr": 3.0e9}
            run = Path(folder) / "week-fixed.yaml"
            run.write_text(yaml.safe_dump(raw))
            plan = plan_sweep(run, SWEEP, Path(folder) / "sweep.nc")
            ds = run_sweep(plan, workers=1)
            return [float(v) for v in ds["total_cost_cny"].values.ravel()]
    file = {"week": "china-2030-week.yaml", "6grid": "china-6grid-2030.yaml", "pathway": "china-pathway-2060.yaml"}[name]
    ds = run_config(load_run(runs / file), str(runs / file))
    return [float(ds["total_cost_cny"])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="record the objectives in this JSON file")
    group.add_argument("--check", type=Path, help="compare with the objectives in this JSON file")
    parser.add_argument("--cases", default="week,6grid,pathway,sweep", help="comma-separated subset")
    args = parser.parse_args()
    import highspy

    found = {}
    for name in args.cases.split(","):
        start = time.perf_counter()
        found[name] = run_case(name)
        print(f"{name:8s} {', '.join(f'{v:.12e}' for v in found[name])} CNY  ({time.perf_counter() - start:.0f} s)", flush=True)
    h = highspy.Highs()
    print(f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}, options as in each run file")
    if args.write:
        args.write.write_text(json.dumps(found, indent=1) + "\n")
        print(f"wrote {args.write}")
        return 0
    reference = json.loads(args.check.read_text())
    worst, failed = 0.0, []
    for name, values in found.items():
        for i, (new, old) in enumerate(zip(values, reference[name], strict=True)):
            rel = abs(new - old) / max(abs(old), 1.0)
            worst = max(worst, rel)
            if rel > TOLERANCE:
                failed.append(f"{name}[{i}]: {new:.12e} vs {old:.12e} (relative {rel:.1e})")
    print(f"largest relative difference {worst:.1e} (tolerance {TOLERANCE:.0e})")
    for line in failed:
        print("DIFFERS", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
