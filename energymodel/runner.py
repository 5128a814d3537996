"""One run end to end: run file -> inputs -> model -> HiGHS -> results Dataset (-> NetCDF)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path

import xarray as xr

from .config import RunConfig, load_run
from .diagnose import diagnose, format_diagnosis
from .errors import InputError, Problem, SolveError, option
from .inputs import InputData, load_inputs
from .model import ModelFrame, build_model
from .progress import reporter, status
from .results import build_dataset, write_netcdf
from .solve import check_options, solve

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
"""An extra receiver of progress messages (they are always logged on this module's logger)."""

Prepare = Callable[[ModelFrame], object]
"""Changes a built model before it is solved (and before its diagnosis), e.g. operate.py fixing a fleet; its return value is ignored."""


def check_output(target: Path, overwrite: bool, source: str = "run file") -> None:
    """Refuse, before any solving, an output that could not be written (under a file, in a folder
    without write permission) or that would replace an existing results file unless asked to."""
    folder = Path(target).absolute().parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        why = "is not a folder" if not folder.is_dir() else "is a folder this user may not write in"
        raise InputError([Problem(source, "output", str(target), f"cannot be written: {folder} {why}")])
    if target.is_dir():
        raise InputError([Problem(source, "output", str(target), "is a folder: give a file name, e.g. results/run.nc")])
    if target.exists() and not overwrite:
        raise InputError(
            [
                Problem(
                    source,
                    "output",
                    str(target),
                    f"exists already; pass {option('overwrite', True)} to replace it, or choose another path with {option('output')}",
                )
            ]
        )


def run_config(
    config: RunConfig,
    run_file: str = "run file",
    progress: Progress | None = None,
    tee: bool = False,
    accept_suboptimal: bool = False,
    prepare: Prepare | None = None,
    metadata: dict | None = None,
) -> xr.Dataset:
    """Load, build, solve and report one run; returns the results Dataset (nothing written).

    ``tee`` passes the HiGHS log to the ``energymodel.highs`` logger; ``prepare`` and ``metadata``
    as in :func:`run_inputs`.
    """
    check_options(config.solver.options, run_file)
    say = reporter(log, progress)
    t0 = time.perf_counter()
    say(f"loading dataset {config.dataset}")
    with status("loading the dataset"):
        data = load_inputs(config, run_file)
    t_load = time.perf_counter() - t0
    say(f"loaded {len(data.time)} hours, {len(data.technologies)} technologies ({t_load:.1f} s)")
    return run_inputs(data, progress, tee, t_load, accept_suboptimal, prepare, metadata)


def run_inputs(
    data: InputData,
    progress: Progress | None = None,
    tee: bool = False,
    load_time_s: float = 0.0,
    accept_suboptimal: bool = False,
    prepare: Prepare | None = None,
    metadata: dict | None = None,
) -> xr.Dataset:
    """Build, solve and report already-loaded inputs.

    ``prepare(frame)`` changes the built model before the solve, and the diagnosis's model if the
    LP is infeasible; ``metadata`` is added to the results' attributes.
    """
    say = reporter(log, progress)
    pathway = data.config.pathway
    extra = {}
    if pathway is not None and pathway.foresight == "myopic":
        from .myopic import solve_myopic, windows

        spans = len(windows(len(pathway.periods), pathway.horizon_periods))
        say(f"myopic foresight: {spans} window(s) of up to {pathway.horizon_periods} period(s), one period kept at a time")
        frame, info, windows, t_build = solve_myopic(data, say, tee, accept_suboptimal, prepare)
        extra = {"solve_time_s": float(sum(windows["solve"])), "last_window_solve_time_s": info.solve_time_s}
        return _results(frame, info, say, load_time_s, t_build, extra, metadata, windows)
    t0 = time.perf_counter()
    say("building the model")
    with status("building the model"):
        frame = build_model(data)
        if prepare is not None:
            prepare(frame)
    t_build = time.perf_counter() - t0
    say(f"built the model ({t_build:.1f} s); solving with HiGHS")
    decomposition = data.config.solver.decomposition
    try:
        if decomposition is not None:
            info, extra = _solve_decomposed(frame, data, say, accept_suboptimal)
        else:
            with status("solving with HiGHS"):
                info = solve(frame, data.config.solver.options, tee=tee, accept_suboptimal=accept_suboptimal)
    except SolveError as exc:
        if not exc.infeasible:
            raise
        say("infeasible: re-solving with elastic slacks to find what has to give")
        with status("diagnosing the infeasibility"):
            found = diagnose(data, prepare)
        raise SolveError(f"{exc.raw}\n{format_diagnosis(found)}", status=exc.status, exit_code=exc.exit_code) from None
    return _results(frame, info, say, load_time_s, t_build, extra, metadata)


def _results(frame, info, say, load_time_s: float, t_build: float, extra: dict, metadata: dict | None, windows: dict | None = None):
    """The results Dataset of a solved model, with the run's timings and metadata (and a myopic run's window record)."""
    say(f"LP coefficient ranges: {info.numerics}")
    for warning in info.warnings:
        say(f"warning: {warning}")
    if info.status != "optimal":
        say(f"warning: not optimal ({info.termination}); saving the feasible point, as asked (suboptimal results accepted)")
    unit = "CNY/yr" if frame.plan.count == 1 else "CNY (present value)"
    say(
        f"solved: {info.termination}, objective {info.objective_cny:.4e} {unit} (HiGHS {info.highs_time_s:.1f} s, with transfer {info.solve_time_s:.1f} s)"
    )
    t1 = time.perf_counter()
    with status("collecting results"):
        ds = build_dataset(
            frame,
            {
                "solver": "HiGHS",
                "solver_version": info.solver_version,
                "solver_status": info.status,
                "solver_termination": info.termination,
                "pyomo_version": package_version("pyomo"),
                "highspy_version": package_version("highspy"),
                "load_time_s": load_time_s,
                "build_time_s": t_build,
                "solve_time_s": info.solve_time_s,
                "highs_time_s": info.highs_time_s,
                "lp_ranges": info.numerics,
                **(info.health.attrs() if info.health is not None else {}),
                **extra,
                **(metadata or {}),
            },
        )
    pathway = frame.config.pathway
    if windows is not None:
        from .myopic import add_window_record

        ds = add_window_record(ds, windows, pathway.horizon_periods)
    elif pathway is not None:
        ds.attrs["pathway_foresight"] = "perfect"
        ds.attrs["pathway_horizon_periods"] = frame.plan.count
    ds.attrs["results_time_s"] = time.perf_counter() - t1
    say(f"collected results ({ds.attrs['results_time_s']:.1f} s)")
    return ds


def _solve_decomposed(frame, data: InputData, say, accept_suboptimal: bool):
    """Benders over subperiods (decompose/); one progress line per iteration; the metadata for the results."""
    from .decompose import solve_decomposed

    penalty_said = [None]

    def iteration(it) -> None:
        if it.penalty != penalty_said[0]:  # the slacks' penalty, when it is set or rises (benders.run_benders)
            say(f"penalised slack at {it.penalty:.3g} CNY per unit from iteration {it.number}")
            penalty_said[0] = it.penalty
        say(f"iteration {it.number}: lower {it.lower:.6e}, upper {it.upper:.6e}, gap {it.gap:.3%} ({it.seconds:.1f} s)")

    settings = data.config.solver.decomposition
    with status("solving by decomposition"):
        info, done = solve_decomposed(
            frame,
            settings,
            data.config.solver.options,
            data.sources.get("run_file", "run file"),
            iteration,
            accept_suboptimal,
            settings.workers,
            settings.scheduler,
            say,
        )
    say(f"decomposition: {done.subperiods} subperiods of {settings.subperiod_days} days, {done.iterations} iterations, gap {done.gap:.3%}")
    return info, done.attrs()


def run_and_write(
    config: RunConfig,
    source: str,
    target: Path,
    progress: Progress | None = None,
    tee: bool = False,
    overwrite: bool = False,
    accept_suboptimal: bool = False,
    prepare: Prepare | None = None,
    metadata: dict | None = None,
) -> tuple[xr.Dataset, Path]:
    """Solve a run (:func:`run_config`) and write its NetCDF to ``target`` (refused, before solving, if it exists)."""
    check_output(target, overwrite, source)
    ds = run_config(config, source, progress, tee, accept_suboptimal, prepare, metadata)
    with status(f"writing {target}"):
        write_netcdf(ds, target)
    reporter(log, progress)(f"wrote {target}")
    return ds, target


def run_file(
    path: str | Path,
    output: str | Path | None = None,
    progress: Progress | None = None,
    tee: bool = False,
    changes: dict | None = None,
    overwrite: bool = False,
    accept_suboptimal: bool = False,
    decompose: bool = False,
) -> tuple[xr.Dataset, Path]:
    """Run a YAML run file and write its NetCDF (``output`` overrides the run file's path).

    ``changes`` maps dotted run-file paths to values that replace the file's (e.g. from the CLI);
    ``decompose`` adds ``solver.decomposition`` (its defaults) if the file has none.
    An existing results file is replaced only with ``overwrite``.
    """
    config = load_run(path, changes, decompose)
    target = Path(output) if output is not None else config.resolved_output()
    return run_and_write(config, str(path), target, progress, tee, overwrite, accept_suboptimal)
