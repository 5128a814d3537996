"""Every table of docs/performance.md's first half from one command (about 10 minutes on 2 cores).

    pip install -e '.[bench]'
    python benchmarks/run_all.py                 # stages, side by side with PyPSA, build-only at scale
    python benchmarks/run_all.py --quick         # the same without the full-year solve (~8 minutes)

Runs, one after the other (each size in a fresh process, so the figures are comparable):
  1. bench_scaling.py                                   our stages against highspy alone;
  2. bench_pypsa.py  168x1,720x1,2184x1,168x4,720x4     both tools solve (and 8760x1 unless --quick);
  3. bench_pypsa.py  8760x{1,2,4,6,10} --build-only      build + hand-over and peak memory at scale.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> None:
    print(f"\n$ python benchmarks/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the full-year solves")
    args = parser.parse_args()
    run("bench_scaling.py")
    solved = "168x1,720x1,2184x1,168x4,720x4" + ("" if args.quick else ",8760x1")
    run("bench_pypsa.py", "--sizes", solved)
    run("bench_pypsa.py", "--sizes", "8760x1,8760x2,8760x4,8760x6,8760x10", "--build-only")


if __name__ == "__main__":
    main()
