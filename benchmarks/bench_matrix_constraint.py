"""Could Pyomo's MatrixConstraint replace the Block store? Today's compile against Pyomo's own compiler.

    python benchmarks/bench_matrix_constraint.py                    # full year and 8760x10, 3 repeats
    python benchmarks/bench_matrix_constraint.py --cases year --repeats 2

Routes, each run in a fresh process per case and repeat (medians printed, peak RSS from getrusage):
  today        build_model + compile_lp (numpy assembly of the blocks) + Highs.passModel
  matrix       build_model; every block as a ``pyomo.core.base.matrix_constraint.MatrixConstraint``
               (CSR over one global column list = the variables' elements, lb/ub from sense and
               -const) plus the objective as a Pyomo Objective; LinearStandardFormCompiler().write(
               m, mixed_form=True, set_sense=None, column_order=True); the standard form as a HighsLp;
               passModel. Pyomo 6.10's MatrixConstraint cannot be iterated by any writer (see the probe
               printed first), so this route uses it with the two smallest fixes that make it work.
  materialise  the alternative Pyomo offers as-is: every block as an ordinary indexed Constraint
               (frame.materialise(), one LinearExpression per row), then the same compiler and hand-over.
Printed: versions; a probe of the stock component in the compiler; a table per case and route of
the median seconds in each step (build_model, compile_lp; blocks to components, the objective as a
Pyomo Objective, LinearStandardFormCompiler.write, its standard form to a HighsLp; passModel),
their total, peak RSS and total / today (verdict against 1.2x); before it, a check on the week
case (runs/china-2030-week.yaml) that all routes give LPs with the same rows and columns and
objectives equal to 1e-9 relative (all three solved by HiGHS).
The machine is shared and small (2 cores): repeat before trusting differences of a few per cent.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROUTES = ("today", "matrix", "materialise")
CASES = {"year": "runs/china-2030.yaml", "8760x10": None, "week": "runs/china-2030-week.yaml"}


def load_frame(case: str, tmp: str):
    from energymodel.config import load_run
    from energymodel.inputs import load_inputs

    if CASES[case] is None:  # synthetic hours x regions, as bench_pypsa.py --build-only
        sys.path.insert(0, str(HERE))
        from synthetic import write_case

        hours, regions = map(int, case.split("x"))
        run = write_case(Path(tmp), regions, hours)
    else:
        run = ROOT / CASES[case]
    return load_inputs(load_run(run), str(run))


def matrix_constraint_class(fixed: bool):
    """Pyomo's MatrixConstraint, stock or with the two fixes the writers need (Pyomo 6.10.1)."""
    from pyomo.core.base.matrix_constraint import MatrixConstraint, _MatrixConstraintData

    if not fixed:
        return MatrixConstraint

    class Row(_MatrixConstraintData):
        __slots__ = ()

        def to_bounded_expression(self, evaluate_bounds=False):  # ConstraintData's reads self._expr, never set here
            return self.lower, self.body, self.upper

    class Fixed(MatrixConstraint):
        # collections.abc.Mapping.values()/keys()/items() hide IndexedComponent's, which take `sort`
        def values(self, sort=None):
            return iter(self._data)

        def keys(self, sort=None):
            return iter(range(len(self._data)))

        def items(self, sort=None):
            return enumerate(self._data)

        def construct(self, data=None):
            import weakref

            if not self._constructed:
                self._constructed = True
                ref = weakref.ref(self)
                self._data = tuple(Row(i, ref) for i in range(len(self._lower)))

    return Fixed


def _cat(parts: list, dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def add_matrix_constraints(frame, cls) -> None:
    """Every block as one MatrixConstraint component over all variables' elements (CSR)."""
    import pyomo.environ as pyo
    from scipy import sparse

    offsets, x = {}, []
    for var in frame.m.component_objects(pyo.Var, active=True, descend_into=True):
        offsets[id(var)] = len(x)
        x.extend(frame.layout(var).data())
    x = tuple(x)  # MatrixConstraint does tuple(x): a tuple is shared, not copied
    for block in frame.blocks.values():
        rows, cols, vals, lb, ub, n = [], [], [], [], [], 0
        for spec in block.rows:
            kept = spec.kept()
            row_of = np.full(spec.lin.n, -1, dtype=np.int64)
            row_of[kept] = n + np.arange(len(kept))
            for var, r, p, c in spec.lin.parts:
                keep = (row_of[r] >= 0) & (c != 0)
                rows.append(row_of[r[keep]])
                cols.append(offsets[id(var)] + p[keep])
                vals.append(c[keep])
            rhs = (-spec.lin.const[kept]).tolist()
            none = [None] * len(kept)
            lb += rhs if spec.sense in (">=", "==") else none
            ub += rhs if spec.sense in ("<=", "==") else none
            n += len(kept)
        if not n:
            continue
        a = sparse.csr_matrix((_cat(vals, float), (_cat(rows, np.int64), _cat(cols, np.int64))), shape=(n, len(x)))
        a.sum_duplicates()
        frame.m.add_component(block.name, cls(a.data.tolist(), a.indices.tolist(), a.indptr.tolist(), lb, ub, x))


def add_objective(frame) -> None:
    import pyomo.environ as pyo

    from energymodel.model import objective

    frame.m.add_component("bench_objective", pyo.Objective(expr=frame.pyomo(objective.objective_lin(frame)), sense=pyo.minimize))


def standard_form_lp(m):
    """LinearStandardFormCompiler's mixed form as a HighsLp: (lp, seconds in write, seconds in the conversion)."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from energymodel.compile import INF, make_lp

    t = time.perf_counter()
    repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None, column_order=True)
    write_s = time.perf_counter() - t
    t = time.perf_counter()
    n = len(repn.columns)
    lower = np.array([-INF if v.lb is None else v.lb for v in repn.columns], dtype=float)
    upper = np.array([INF if v.ub is None else v.ub for v in repn.columns], dtype=float)
    kind = np.fromiter((row.bound_type for row in repn.rows), dtype=np.int8, count=len(repn.rows))
    rhs = np.asarray(repn.rhs, dtype=float)
    cost = np.asarray(repn.c.toarray()[0], dtype=float) if repn.c.shape[0] else np.zeros(n)
    offset = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    lp = make_lp(n, cost, offset, lower, upper, repn.A, np.where(kind <= 0, rhs, -INF), np.where(kind >= 0, rhs, INF))
    return lp, write_s, time.perf_counter() - t


def run_route(route: str, case: str, solve: bool = False) -> dict:
    import highspy

    from energymodel.compile import compile_lp
    from energymodel.model import build_model

    with tempfile.TemporaryDirectory() as tmp:
        data = load_frame(case, tmp)
        out = {"route": route, "case": case}
        t = time.perf_counter()
        frame = build_model(data)
        out["build_s"] = time.perf_counter() - t
        t = time.perf_counter()
        if route == "today":
            lp = compile_lp(frame).lp
            out["compile_s"] = time.perf_counter() - t
        else:
            if route == "matrix":
                add_matrix_constraints(frame, matrix_constraint_class(fixed=True))
            else:
                frame.materialise()
            out["convert_s"] = time.perf_counter() - t
            t = time.perf_counter()
            add_objective(frame)
            out["objective_s"] = time.perf_counter() - t
            lp, out["write_s"], out["to_lp_s"] = standard_form_lp(frame.m)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        t = time.perf_counter()
        h.passModel(lp)
        out["pass_s"] = time.perf_counter() - t
        out["total_s"] = sum(v for k, v in out.items() if k.endswith("_s"))
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.update(rows=h.getNumRow(), cols=h.getNumCol(), nnz=h.getNumNz())
        if solve:
            h.setOptionValue("threads", 2)
            h.run()
            out["status"] = h.modelStatusToString(h.getModelStatus())
            out["objective"] = h.getInfo().objective_function_value
    return out


def probe_stock() -> str:
    """What the stock MatrixConstraint does in the standard-form compiler (a 2-row example)."""
    import pyomo.environ as pyo
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    m = pyo.ConcreteModel()
    m.v = pyo.Var(range(3))
    m.c = matrix_constraint_class(fixed=False)(
        [1.0, -1.0, 1.0, -1.0], [0, 1, 1, 2], [0, 2, 4], [None, None], [0.0, 0.0], list(m.v.values())
    )
    m.o = pyo.Objective(expr=m.v[0])
    try:
        LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    except Exception as e:  # noqa: BLE001 - reported
        return f"REJECTED: {type(e).__name__}: {e}"
    return "accepted"


def child(route: str, case: str, solve: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--one", f"{route}:{case}"] + ["--solve"] * solve
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"{route} {case} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default="year,8760x10")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--solve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        route, case = args.one.split(":")
        print(json.dumps(run_route(route, case, args.solve)))
        return

    import highspy
    import pyomo.version

    print(f"Pyomo {pyomo.version.version}, highspy {highspy.Highs().version()}, Python {sys.version.split()[0]}")
    print(f"stock MatrixConstraint in LinearStandardFormCompiler: {probe_stock()}")
    print("(route 'matrix' uses MatrixConstraint with values/keys/items(sort) and to_bounded_expression fixed)\n")

    week = {r: child(r, "week", solve=True) for r in ROUTES}
    ref = week["today"]
    print("week check (runs/china-2030-week.yaml, solved by HiGHS):")
    for r, w in week.items():
        rel = abs(w["objective"] / ref["objective"] - 1)
        same = (w["rows"], w["cols"]) == (ref["rows"], ref["cols"])
        print(
            f"  {r:11s} rows {w['rows']:,} cols {w['cols']:,} nnz {w['nnz']:,} {w['status']} objective {w['objective']:.10e}"
            f"  rel. diff {rel:.1e}  {'OK' if same and rel <= 1e-9 else 'MISMATCH'}"
        )
    print()

    steps = ("build_s", "compile_s", "convert_s", "objective_s", "write_s", "to_lp_s", "pass_s", "total_s")
    print(f"median of {args.repeats} fresh processes per route; seconds, peak RSS in MB; 2 shared cores")
    print(
        "| case | route | rows | cols | build | compile_lp | blocks to components | Objective | LSFC write | to HighsLp | passModel | total | RSS | total / today |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for case in args.cases.split(","):
        runs = {r: [] for r in ROUTES}
        for _ in range(args.repeats):
            for r in ROUTES:  # interleaved, so that drift of the machine hits all routes alike
                runs[r].append(child(r, case))
                print(f"{case} {r}: {runs[r][-1]['total_s']:.2f} s", file=sys.stderr, flush=True)
        med = {r: rs[0] | {k: statistics.median(x[k] for x in rs) for k in (*steps, "rss_mb") if k in rs[0]} for r, rs in runs.items()}
        base = med["today"]["total_s"]
        for r, x in med.items():
            cells = " | ".join(f"{x[k]:.2f}" if k in x else "–" for k in steps)
            ratio = x["total_s"] / base
            verdict = "" if r == "today" else f" ({'within' if ratio <= 1.2 else 'NOT within'} 1.2x)"
            print(f"| {case} | {r} | {x['rows']:,} | {x['cols']:,} | {cells} | {x['rss_mb']:.0f} | {ratio:.2f}{verdict} |", flush=True)


if __name__ == "__main__":
    main()
