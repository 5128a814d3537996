"""``energymodel alternatives``: the near-optimal alternatives of a run file, resumable and on Dask.

The optimum is solved here first; its results and its basis go into the parts folder beside the output
(``<output stem>.parts``). Each alternative is then a point, as in a sweep: solved in this process from
the optimum's basis, or on Dask workers (a LocalCluster of ``workers`` processes, or the cluster at
``scheduler``), each worker building the model once and starting from the optimum's basis. Every
finished alternative is written at once as a part file, so a run that is stopped and started again
solves only what is missing (the optimum is reused whatever the slack). The parts are then combined
into one NetCDF with an ``alternative`` dimension, the optimum first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from .alternatives import (
    Alternative,
    AlternativesSession,
    capacity_by_technology_mw,
    check_slack,
    combine,
    describe,
    directions,
    parse_aggregate,
    unique_aggregates,
)
from .errors import EnergyModelError, InputError, Problem
from .sweep import Point, PointResult, existing_part, solve_on_dask, write_part

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """What every alternative of one run shares (it travels with each Dask task)."""

    key: str  # the run and the slack: a worker's model is reused for the same key
    data: object = field(repr=False)  # InputData
    options: dict
    slack: float
    optimum_cny: float
    basis: tuple[np.ndarray, np.ndarray] = field(repr=False)  # the optimum's (alternatives.AlternativesSession.basis)
    scale_mw: dict = field(repr=False)  # the optimum's capacity by technology: the random directions' scale
    measured: tuple[str, ...]  # the named aggregates, measured in every alternative
    seed: int


_SESSION: dict[str, AlternativesSession] = {}
"""The model this process solved last, by Job.key (one kept, to bound memory)."""


def solve_point(job: Job, point: Point) -> PointResult:
    """Solve one alternative, reusing this process's model when the job is the same (a Dask task)."""
    from .model import build_model

    start = time.perf_counter()
    try:
        session = _SESSION.get(job.key)
        if session is None:
            _SESSION.clear()
            measured = [parse_aggregate(text, job.data.technologies) for text in job.measured]
            session = AlternativesSession(build_model(job.data), job.options, measured)
            session.bound_cost(job.optimum_cny, job.slack, job.basis)
            _SESSION[job.key] = session
        alternative, _ = session.solve_direction(point.values["sense"], point.values["aggregate"], job.seed, job.scale_mw)
        ds = alternative.dataset.assign_attrs(alternative_value=alternative.value)
        return PointResult(point.index, point.key, "optimal", "", time.perf_counter() - start, ds)
    except EnergyModelError as exc:
        return PointResult(point.index, point.key, "failed", str(exc), time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one alternative's unexpected error must not stop the others
        return PointResult(point.index, point.key, "error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start)


def plan_points(run_key: str, slack: float, seed: int, measured: tuple[str, ...], wanted: list[tuple[str, str]]) -> list[Point]:
    """The optimum (point 0) and each (sense, aggregate) wanted. Keys: the run and the aggregates measured in every
    part (so the parts combine), and for the alternatives the slack, the direction and, if random, the seed."""
    optimum_key = hashlib.sha1(json.dumps([run_key, measured]).encode()).hexdigest()[:10]
    points = [Point(0, {"sense": "optimum", "aggregate": ""}, optimum_key)]
    for i, (sense, text) in enumerate(wanted, start=1):
        what = json.dumps([optimum_key, slack, sense, text, seed if sense == "random" else None])
        points.append(Point(i, {"sense": sense, "aggregate": text}, hashlib.sha1(what.encode()).hexdigest()[:10]))
    return points


def basis_path(folder: Path, run_key: str) -> Path:
    return folder / f"optimum-{run_key}-basis.npz"


def optimum_part(folder: Path, point: Point, run_key: str, data, options: dict, measured, say):
    """The optimum's results, C* and basis: from the parts folder if there; else solved here, from the saved optimal
    basis if there is one (the same run measuring other aggregates: no simplex iterations), and saved.
    Returns (Dataset, C*, basis, the session or None if all came from disk)."""
    from .model import build_model
    from .reading import load_netcdf

    saved, basis_file = existing_part(folder, point), basis_path(folder, run_key)
    basis = None
    if basis_file.is_file():
        with np.load(basis_file) as arrays:
            basis, optimum_cny = (arrays["col_status"], arrays["row_status"]), float(arrays["optimum_cny"])
        if saved is not None and saved.suffix == ".nc":
            say(f"optimum: {optimum_cny:.6e} CNY (from {saved.name})")
            return load_netcdf(saved), optimum_cny, basis, None
    session = AlternativesSession(build_model(data), options, measured)
    if basis is not None:
        session.set_basis(basis)
    ds, seconds = session.solve_optimum()
    say(f"optimum: {session.optimum_cny:.6e} CNY ({seconds:.1f} s{', from the saved basis' if basis is not None else ''})")
    basis = session.basis()
    write_part(folder, point, PointResult(0, point.key, "optimal", "", seconds, ds.assign_attrs(alternative_value=np.nan)))
    tmp = basis_file.with_name(f".{basis_file.stem}.tmp.npz")
    np.savez(tmp, col_status=basis[0], row_status=basis[1], optimum_cny=session.optimum_cny)
    tmp.replace(basis_file)
    return ds, session.optimum_cny, basis, session


def combine_parts(folder: Path, points: list[Point], slack: float) -> xr.Dataset:
    """One Dataset over ``alternative`` from the part files (NaN where an alternative failed)."""
    from .reading import load_netcdf

    alternatives, labels, status = [], [], []
    for point in points:
        path = existing_part(folder, point)
        if path is None:
            raise EnergyModelError(f"the part of alternative {point.index} is missing in {folder}")
        labels.append((point.values["sense"], point.values["aggregate"]))
        if path.suffix == ".nc":
            ds = load_netcdf(path)
            alternatives.append(Alternative(*labels[-1], float(ds.attrs.get("alternative_value", np.nan)), ds))
            status.append(("optimal", ""))
        else:
            record = json.loads(path.read_text())
            alternatives.append(None)
            status.append((record["status"], record["message"]))
    return combine(alternatives, slack, labels, status)


def alternatives_file(
    path,
    output=None,
    slack: float = 0.02,
    minimise: tuple[str, ...] = (),
    maximise: tuple[str, ...] = (),
    random: int = 0,
    seed: int = 0,
    changes: dict | None = None,
    overwrite: bool = False,
    progress=None,
    workers: int = 1,
    scheduler: str | None = None,
    retry_failed: bool = False,
) -> tuple[xr.Dataset, Path]:
    """Near-optimal alternatives of a run file, one LP each; the NetCDF at ``output`` (default: the run's output with
    '-alternatives' added), its parts in ``<stem>.parts`` beside it (kept, reused on the next run). Bad input
    (slack, aggregates, run file) fails before any solving; nothing is written then."""
    from .config import load_run
    from .inputs import load_inputs
    from .progress import bar, reporter, status
    from .results import write_netcdf
    from .runner import check_output

    say = reporter(log, progress)
    check_slack(slack)
    path = Path(path)
    config = load_run(path, {**(changes or {}), "solver.decomposition": None})
    out = config.resolved_output()
    target = Path(output) if output is not None else out.with_name(out.stem + "-alternatives" + out.suffix)
    check_output(target, overwrite, str(path))
    data = load_inputs(config, str(path))
    targets = [("min", parse_aggregate(t, data.technologies, "--minimise")) for t in minimise]
    targets += [("max", parse_aggregate(t, data.technologies, "--maximise")) for t in maximise]
    if not targets and not random:
        raise InputError([Problem("command line", "--minimise/--maximise/--random", None, "give at least one aggregate or --random N")])
    measured = unique_aggregates(targets)
    run_key = hashlib.sha1(config.model_dump_json().encode()).hexdigest()[:10]
    points = plan_points(run_key, slack, seed, tuple(a.text for a in measured), directions(targets, random))
    folder = target.with_name(target.stem + ".parts")
    folder.mkdir(parents=True, exist_ok=True)
    say(f"{len(points) - 1} alternatives within {slack:.1%} of the optimum's cost; parts in {folder}")
    optimum, optimum_cny, basis, session = optimum_part(folder, points[0], run_key, data, config.solver.options, measured, say)
    todo = []
    for point in points[1:]:
        found = existing_part(folder, point)
        if found is not None and retry_failed and found.suffix == ".json":
            found.unlink()
            found = None
        if found is None:
            todo.append(point)
    say(f"{len(points) - 1 - len(todo)} alternatives already done")
    job = Job(
        f"{run_key}-{slack!r}",
        data,
        dict(config.solver.options),
        slack,
        optimum_cny,
        basis,
        capacity_by_technology_mw(optimum),
        tuple(a.text for a in measured),
        seed,
    )
    if session is not None and workers <= 1 and scheduler is None:  # go on from the optimum's HiGHS instance
        session.bound_cost(optimum_cny, slack)
        _SESSION.clear()
        _SESSION[job.key] = session
    with bar(len(todo), "solving alternatives") as advance:

        def finished(result: PointResult) -> None:
            point = next(p for p in todo if p.index == result.index)
            write_part(folder, point, result)
            if result.status == "optimal":
                label = Alternative(
                    point.values["sense"], point.values["aggregate"], result.dataset.attrs["alternative_value"], result.dataset
                )
                say(describe(label, result.seconds))
            else:
                say(f"{point.values['sense']} {point.values['aggregate']}: {result.status}: {result.message.splitlines()[0]}")
            advance()

        if workers <= 1 and scheduler is None:
            for point in todo:
                with status(f"{point.values['sense']} {point.values['aggregate']}"):
                    result = solve_point(job, point)
                finished(result)
        else:
            solve_on_dask(solve_point, [(point, (job, point)) for point in todo], workers, scheduler, finished, say)
    _SESSION.clear()
    with status("combining the parts and writing"):
        ds = combine_parts(folder, points, slack)
        write_netcdf(ds, target)
    return ds, target
