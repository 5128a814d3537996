"""Parameter sweeps: the Cartesian product of run-file values, solved with warm re-solves on Dask.

A sweep is a base run file plus axes (``PATH=VALUES`` items or a ``sweep:`` section). Each point of
the product is a complete run. Points that differ only in values that enter the model through
mutable parameters (hydrogen blend, carbon cap and price, fuel prices) share one built model and are
re-solved from the previous basis; other changes start a new model. Work runs on Dask distributed:
a ``LocalCluster`` of worker processes by default, or an existing cluster (``scheduler``). Each
worker keeps its last model and re-solves the points it is given.

Every finished point is written at once, atomically, as a part file in the sweep's parts folder,
so a sweep that is stopped and started again solves only the points that are missing. A point that
fails (e.g. infeasible) is recorded with its status and message; the others still finish. At the end
the parts are combined into one NetCDF whose variables carry the sweep dimensions.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .cluster import dask_client
from .config import RunConfig, parse_run, read_run_yaml, set_by_path, with_decomposition
from .errors import ARGUMENTS, EnergyModelError, InputError, Problem, option
from .inputs import load_inputs
from .progress import bar, reporter, status
from .reading import load_netcdf
from .results import write_netcdf
from .session import ModelSession, is_updatable

ALIASES = {
    "h2_blend": "hydrogen.blend_vol_fraction",
    "h2_mode": "hydrogen.mode",
    "h2_fuel": "hydrogen.fuel",
    "h2_fleet_min": "hydrogen.fleet.min_energy_share",
    "carbon_cap": "carbon.cap_t_per_yr",
    "carbon_price": "carbon.price_cny_per_t",
    "nox_cap": "nox.cap_t_per_yr",
}
"""Short names accepted for common sweep paths; they are also the dimension names in the results."""

DIM_NAMES = {path: alias for alias, path in ALIASES.items()}

Progress = Callable[[str], None]
"""An extra receiver of progress messages (they are always logged on this module's logger)."""

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- axes and points


@dataclass(frozen=True)
class Axis:
    """One swept run-file value: its dotted path, dimension name and values."""

    path: str
    values: tuple

    @property
    def dim(self) -> str:
        """Dimension name: an alias for common paths, else the last two path parts (e.g. coal_usc_max_mw)."""
        return DIM_NAMES.get(self.path, "_".join(self.path.split(".")[-2:]))

    @property
    def updatable(self) -> bool:
        return is_updatable(self.path)

    def coordinate(self) -> np.ndarray:
        """Coordinate values for the results; None ('none': no limit) becomes +inf on a numeric axis."""
        if all(v is None or isinstance(v, (int, float)) for v in self.values):
            return np.array([np.inf if v is None else float(v) for v in self.values])
        return np.array(["none" if v is None else str(v) for v in self.values])


@dataclass
class Point:
    """One run of the sweep: its position, values by path, and a key identifying its part file."""

    index: int
    values: dict[str, Any]
    key: str = ""
    config: RunConfig | None = field(default=None, repr=False)

    def label(self, axes: list[Axis]) -> str:
        return ", ".join(f"{a.dim}={self.values[a.path]}" for a in axes)


def _number(text: str):
    text = text.strip()
    if text.lower() in ("none", "null", "~"):
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_values(text: str | list | float | int) -> list:
    """Values from ``'0,0.1,0.5'``, a range ``'0:1:0.25'`` (start:stop:step, stop included), or a list."""
    if isinstance(text, list):
        return [_number(v) if isinstance(v, str) else v for v in text]
    if not isinstance(text, str):
        return [text]
    if text.count(":") == 2 and "," not in text:
        start, stop, step = (float(x) for x in text.split(":"))
        if step <= 0 or stop < start:
            raise ValueError(f"range '{text}' needs start <= stop and step > 0")
        count = int(math.floor((stop - start) / step + 1e-9)) + 1
        return [round(start + i * step, 12) for i in range(count)]
    return [_number(v) for v in text.split(",") if v.strip() != ""]


def parse_axes(sweep_section: dict, sets: list[str], source: str) -> list[Axis]:
    """Axes from the run file's ``sweep:`` section and the ``sets`` items ``PATH=VALUES`` (the latter win)."""
    raw: dict[str, Any] = {}
    for name, values in (sweep_section or {}).items():
        raw[ALIASES.get(name, name)] = values
    problems = []
    for item in sets:
        if "=" not in item:
            problems.append(Problem(ARGUMENTS, option("sets", [item]), item, "expected PATH=VALUES, e.g. h2_blend=0,0.1,0.3"))
            continue
        name, values = item.split("=", 1)
        raw[ALIASES.get(name.strip(), name.strip())] = values
    axes = []
    for path, values in raw.items():
        try:
            parsed = parse_values(values)
        except ValueError as exc:
            problems.append(Problem(source, f"sweep.{path}", values, str(exc)))
            continue
        if not parsed:
            problems.append(Problem(source, f"sweep.{path}", values, "no values"))
            continue
        if len(set(map(repr, parsed))) != len(parsed):
            problems.append(Problem(source, f"sweep.{path}", values, "values repeat"))
            continue
        axes.append(Axis(path, tuple(parsed)))
    if problems:
        raise InputError(problems)
    if not axes:
        raise InputError(
            [Problem(source, "sweep", None, f"nothing to sweep: give {option('sets', ['PATH=VALUES'])} or a 'sweep:' section")]
        )
    # structural axes outermost, so consecutive points share a model; updatable axes innermost
    return sorted(axes, key=lambda a: a.updatable)


def make_points(axes: list[Axis], base_raw: dict, base_dir: Path, source: str) -> list[Point]:
    """Every combination of axis values, validated as a run configuration (all problems at once)."""
    base = {k: v for k, v in base_raw.items() if k not in ("sweep", "output")}
    base_hash = json.dumps(base, sort_keys=True, default=str)
    points, problems = [], []
    for index, combo in enumerate(itertools.product(*(a.values for a in axes))):
        values = {a.path: v for a, v in zip(axes, combo)}
        raw = copy.deepcopy(base)
        for path, value in values.items():
            set_by_path(raw, path, value)
        key = hashlib.sha1((base_hash + json.dumps(values, sort_keys=True, default=str)).encode()).hexdigest()[:10]
        try:
            config = parse_run(raw, source, base_dir)
        except InputError as exc:
            label = ", ".join(f"{a.dim}={v}" for a, v in zip(axes, combo))
            problems += [Problem(p.file, f"{p.location} (point {label})", p.value, p.message) for p in exc.problems]
            continue
        points.append(Point(index, values, key, config))
    if problems:
        raise InputError(problems)
    return points


def structural_key(point: Point, axes: list[Axis]) -> str:
    """Points with the same key can share one built model."""
    return json.dumps({a.path: point.values[a.path] for a in axes if not a.updatable}, sort_keys=True, default=str)


# --------------------------------------------------------------------------- worker side

_SESSION: dict[str, ModelSession] = {}
"""The model this process solved last, by structural key (one kept, to bound memory)."""


@dataclass
class PointResult:
    index: int
    key: str
    status: str
    message: str
    seconds: float
    dataset: xr.Dataset | None = None


def summary_only(ds: xr.Dataset) -> xr.Dataset:
    """Drop hourly variables, keeping yearly and scalar ones (for very large sweeps)."""
    return ds.drop_vars([n for n, v in ds.data_vars.items() if "time" in v.dims]).drop_dims("time")


def solve_point(group: str, data, mutable: frozenset[str], point: Point, annual_only: bool) -> PointResult:
    """Solve one point, reusing this process's model when the structural key matches (Dask task)."""
    start = time.perf_counter()
    try:
        session = _SESSION.get(group)
        if session is None:
            _SESSION.clear()
            session = _SESSION[group] = ModelSession(copy.deepcopy(data), mutable)
        updatable = {p: v for p, v in point.values.items() if is_updatable(p)}
        ds = session.solve_point(point.config, updatable)
        if annual_only:
            ds = summary_only(ds)
        return PointResult(point.index, point.key, "optimal", "", time.perf_counter() - start, ds)
    except EnergyModelError as exc:
        return PointResult(point.index, point.key, "failed", str(exc), time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - a point's unexpected error must not stop the sweep
        return PointResult(point.index, point.key, "error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start)


# --------------------------------------------------------------------------- parts


def part_path(folder: Path, point: Point, outcome: str = "optimal") -> Path:
    suffix = "nc" if outcome == "optimal" else "failed.json"
    return folder / f"point-{point.index:05d}-{point.key}.{suffix}"


def existing_part(folder: Path, point: Point) -> Path | None:
    for outcome in ("optimal", "failed"):
        path = part_path(folder, point, outcome)
        if path.is_file():
            return path
    return None


def write_part(folder: Path, point: Point, result: PointResult) -> Path:
    """Write one finished point atomically (NetCDF if solved, JSON with the message if not)."""
    if result.status == "optimal":
        ds = result.dataset.assign_attrs(sweep_point=json.dumps(point.values, default=str), sweep_point_index=point.index)
        return write_netcdf(ds, part_path(folder, point))
    path = part_path(folder, point, "failed")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(
        json.dumps({"index": point.index, "values": point.values, "status": result.status, "message": result.message}, default=str)
    )
    tmp.replace(path)
    return path


# --------------------------------------------------------------------------- combining


def combine(axes: list[Axis], points: list[Point], folder: Path, base_raw: dict) -> xr.Dataset:
    """One Dataset over the sweep dimensions from the part files (NaN where a point failed)."""
    parts: dict[int, xr.Dataset | None] = {}
    status: dict[int, tuple[str, str]] = {}
    for point in points:
        path = existing_part(folder, point)
        if path is None:
            raise EnergyModelError(f"sweep part for point {point.index} is missing in {folder}")
        if path.suffix == ".nc":
            parts[point.index] = load_netcdf(path)  # a part of an --annual-only sweep has no hourly series
            status[point.index] = ("optimal", "")
        else:
            record = json.loads(path.read_text())
            parts[point.index] = None
            status[point.index] = (record["status"], record["message"])
    solved = [ds for ds in parts.values() if ds is not None]
    if not solved:
        raise EnergyModelError("no point of the sweep was solved; see the messages in " + str(folder))
    template = solved[0]
    empty = xr.full_like(template, np.nan).assign_coords(template.coords)
    datasets = [(parts[p.index] if parts[p.index] is not None else empty).drop_attrs() for p in points]
    combined = xr.concat(datasets, dim="point", data_vars="all", coords="minimal", compat="override", join="override")
    combined["status"] = ("point", np.array([status[p.index][0] for p in points], dtype=str))
    combined["message"] = ("point", np.array([status[p.index][1] for p in points], dtype=str))
    # points are in itertools.product order of the axes, so 'point' reshapes to the axes' grid
    dims = [a.dim for a in axes]
    shape = [len(a.values) for a in axes]
    variables = {}
    for name, var in combined.data_vars.items():
        var = var.transpose("point", ...)
        variables[name] = (dims + list(var.dims[1:]), var.values.reshape(shape + list(var.shape[1:])), var.attrs)
    coords = {a.dim: a.coordinate() for a in axes}
    coords.update({name: c for name, c in combined.coords.items() if "point" not in c.dims})
    combined = xr.Dataset(variables, coords=coords)
    for name, var in combined.data_vars.items():
        if name in template:
            var.attrs = dict(template[name].attrs)
    combined["status"].attrs = {"long_name": "solver outcome of the point (optimal, failed, error)"}
    combined["message"].attrs = {"long_name": "why the point failed (empty if solved)"}
    for a in axes:
        combined[a.dim].attrs = {"long_name": f"swept run-file value {a.path}", "run_file_path": a.path}
    _add_abatement(combined, axes)
    combined.attrs = {
        k: v
        for k, v in template.attrs.items()
        if k in ("energymodel_version", "currency", "modelled_year", "hours_modelled", "Conventions", "solver", "solver_version")
    }
    combined.attrs.update(
        {
            "title": f"energymodel sweep: {base_raw.get('name', '?')}",
            "run_name": str(base_raw.get("name", "")),
            "base_run_config": json.dumps({k: v for k, v in base_raw.items() if k != "sweep"}, default=str),
            "sweep_dims": json.dumps(dims),
            "sweep_paths": json.dumps({a.dim: a.path for a in axes}),
            "points": len(points),
            "points_failed": sum(1 for s, _ in status.values() if s != "optimal"),
        }
    )
    return combined


ABATEMENT_PATHS = {"hydrogen.blend_vol_fraction": "zero-blend", "hydrogen.fleet.min_energy_share": "zero-mandate"}
"""Axes whose point at 0 is the reference of ``co2_abated_t`` and the abatement cost (the first such axis that has 0)."""


def abatement_axis(axes: list[Axis]) -> Axis | None:
    """The axis the abatement is measured along: the blend, else the fleet mandate, if it includes 0."""
    return next((a for path in ABATEMENT_PATHS for a in axes if a.path == path and 0 in a.values), None)


def _add_abatement(ds: xr.Dataset, axes: list[Axis]) -> None:
    """CO2 abated and abatement cost of each blend (or fleet mandate) against the zero point with the same other values."""
    axis = abatement_axis(axes)
    if axis is None:
        return
    zero = ABATEMENT_PATHS[axis.path]
    ref = ds.sel({axis.dim: 0.0}, drop=True)
    abated = ref["emissions_total_t"] - ds["emissions_total_t"]
    extra_cost = ds["total_cost_cny"] - ref["total_cost_cny"]
    ds["co2_abated_t"] = abated.assign_attrs(units="tCO2/yr", long_name=f"CO2 avoided against the {zero} point")
    ds["extra_cost_cny"] = extra_cost.assign_attrs(units="CNY/yr", long_name=f"total cost above the {zero} point")
    cost = (extra_cost / abated).where(abated > 1e-6 * ref["emissions_total_t"])
    ds["abatement_cost_cny_per_t"] = cost.assign_attrs(
        units="CNY/tCO2", long_name=f"extra cost per tonne of CO2 avoided against the {zero} point (NaN if nothing avoided)"
    )


# --------------------------------------------------------------------------- driver


@dataclass
class SweepPlan:
    run_file: Path
    base_raw: dict
    axes: list[Axis]
    points: list[Point]
    folder: Path
    output: Path


def plan_sweep(run_file: str | Path, sets: list[str] = (), output: str | Path | None = None, decompose: bool = False) -> SweepPlan:
    """Read the base run file, build and validate every point; no solving (``decompose``: every point by Benders)."""
    run_file = Path(run_file)
    base_raw = read_run_yaml(run_file)
    if decompose:
        with_decomposition(base_raw)
    base = parse_run(copy.deepcopy(base_raw), str(run_file), run_file.parent)
    axes = parse_axes(base_raw.get("sweep") or {}, list(sets), str(run_file))
    points = make_points(axes, base_raw, run_file.parent, str(run_file))
    if output is None:
        output = base.sweep_output()
    output = Path(output)
    folder = output.with_name(output.stem + ".parts")
    return SweepPlan(run_file, base_raw, axes, points, folder, output)


def run_sweep(
    plan: SweepPlan,
    workers: int = 1,
    scheduler: str | None = None,
    annual_only: bool = False,
    retry_failed: bool = False,
    progress: Progress | None = None,
    overwrite: bool = False,
) -> xr.Dataset:
    """Solve the missing points of a plan (in-process, on a LocalCluster or on ``scheduler``), then combine.

    An existing combined file is replaced only with ``overwrite`` (checked before any solving);
    finished part files are always kept and reused.
    """
    from .runner import check_output

    progress = reporter(log, progress)
    check_output(plan.output, overwrite, str(plan.run_file))
    plan.folder.mkdir(parents=True, exist_ok=True)
    todo = []
    for point in plan.points:
        found = existing_part(plan.folder, point)
        if found is not None and retry_failed and found.suffix == ".json":
            found.unlink()
            found = None
        if found is None:
            todo.append(point)
    progress(
        f"sweep of {len(plan.points)} points over {', '.join(a.dim for a in plan.axes)}; "
        f"{len(plan.points) - len(todo)} already done in {plan.folder}"
    )
    if todo:
        groups = _load_groups(plan, todo, progress)
        mutable = frozenset(a.path for a in plan.axes if a.updatable)
        tasks = [(structural_key(p, plan.axes), p) for p in todo]
        done = 0
        with bar(len(todo), "solving sweep points") as advance:

            def finished(result: PointResult) -> None:
                nonlocal done
                done += 1
                point = next(p for p in todo if p.index == result.index)
                write_part(plan.folder, point, result)
                extra = f": {result.message.splitlines()[0]}" if result.message else ""
                progress(f"point {done}/{len(todo)} ({point.label(plan.axes)}) {result.status} in {result.seconds:.1f} s{extra}")
                advance()

            if workers <= 1 and scheduler is None:
                for group, point in tasks:
                    with status(point.label(plan.axes)):  # on the bar's line, with the solver's status
                        result = solve_point(group, groups[group], mutable, point, annual_only)
                    finished(result)
                _SESSION.clear()
            else:
                jobs = [(point, (group, groups[group], mutable, point, annual_only)) for group, point in tasks]
                solve_on_dask(solve_point, jobs, workers, scheduler, finished, progress)
    progress("combining the parts")
    with status("combining the parts and writing"):
        combined = combine(plan.axes, plan.points, plan.folder, plan.base_raw)
        write_netcdf(combined, plan.output)
    progress(f"wrote {plan.output}")
    return combined


def _load_groups(plan: SweepPlan, todo: list[Point], progress: Progress) -> dict:
    """Load and validate the inputs once per structural group (all problems reported before solving)."""
    groups, problems = {}, []
    for point in todo:
        group = structural_key(point, plan.axes)
        if group in groups:
            continue
        try:
            with status("loading the dataset"):
                groups[group] = load_inputs(point.config, str(plan.run_file))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    progress(f"loaded inputs for {len(groups)} model(s)")
    return groups


def solve_on_dask(function, jobs: list[tuple[Point, tuple]], workers: int, scheduler: str | None, finished, progress) -> None:
    """``function(*args)`` (returning a PointResult) for each (point, args) of ``jobs`` on Dask; ``finished`` gets
    each result as it comes (a point whose worker died too often: status 'error')."""
    import dask
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    with dask_client(workers, scheduler, progress) as client:
        # the inputs travel inside each task (under 1 MB for a full year), not scattered: data scattered to
        # workers is lost with them, a task's own arguments are not, so a point whose worker died is re-run
        futures = [client.submit(function, *args, pure=False, key=f"point-{point.index}-{point.key}") for point, args in jobs]
        points = {future.key: point for future, (point, _) in zip(futures, jobs)}
        for future in as_completed(futures):
            try:
                result = future.result()
            except KilledWorker:  # the scheduler ran it on another worker until allowed-failures was reached
                tries = dask.config.get("distributed.scheduler.allowed-failures") + 1
                point = points[future.key]
                result = PointResult(
                    point.index,
                    point.key,
                    "error",
                    f"the Dask worker solving it died {tries} times (killed, or out of memory?); retry with --retry-failed",
                    0.0,
                )
            finished(result)
