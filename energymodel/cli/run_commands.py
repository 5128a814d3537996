"""The commands that solve a run file: ``run``, ``operate``, ``sweep``; and ``validate``, ``diagnose``."""

from __future__ import annotations

from pathlib import Path

import click

from ..progress import cli as show_progress
from .group import main, solving_options


@main.command()
@click.argument("run_file", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="[RUN_FILE|CASE]")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="NetCDF results path (default: the run file's 'output')."
)
@click.option(
    "--representative-days",
    type=click.IntRange(min=1),
    metavar="K",
    help="Model K typical days (clustered with tsam, storage linked across the year) instead of the run file's hours sampling.",
)
@click.option("--decompose", is_flag=True, help="Solve by Benders decomposition over weeks (see docs/decomposition.md).")
@click.option(
    "-w", "--workers", type=click.IntRange(min=1), help="Decomposition subproblems on N local Dask workers (implies --decompose)."
)
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Decomposition subproblems on an existing Dask cluster (implies --decompose).")
@solving_options
@click.pass_context
def run(ctx, run_file, output, representative_days, decompose, workers, scheduler, sets, **solving) -> None:
    """Solve RUN_FILE (a path or a shipped case's name, see ``init --list``; default: ./runs/china-2030.yaml,
    else the shipped China 2030 case) and write results to NetCDF (a shipped case: to ./results/)."""
    from ..runner import run_file as run_path
    from ..shipped import run_file_for

    run_file, results_here = run_file_for(run_file)
    output = output or results_here
    changes = {}
    if representative_days:  # typical days are one small LP: no decomposition
        changes = {"hours.representative_days": representative_days, "hours.every_nth_day": 1, "solver.decomposition": None}
    if workers is not None:
        changes["solver.decomposition.workers"] = workers
    if scheduler:
        changes["solver.decomposition.scheduler"] = scheduler
    decompose = decompose or workers is not None or bool(scheduler)
    _solve(ctx, lambda **kw: run_path(run_file, output, changes={**changes, **_parse_sets(sets)}, decompose=decompose, **kw), **solving)


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--fleet",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="RESULTS.nc",
    help="Results file of a run (e.g. a plan on typical days) whose capacities, storage energy and lines are held.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="NetCDF results path (default: the run file's 'output' with '-operate' added).",
)
@solving_options
@click.pass_context
def operate(ctx, run_file: Path, fleet: Path, output: Path | None, sets: tuple[str, ...], **solving) -> None:
    """Operate a given fleet over every hour of RUN_FILE: "plan on typical days, check every hour".

    Every investment decision (capacity, storage energy, lines) is held at its value in the --fleet
    results file; representative days or every n-th day in RUN_FILE are dropped, so the run's date
    range is solved hour by hour: dispatch, storage, prices, curtailment, lost load, CO2 and cost.
    See docs/operate.md.
    """
    from ..operate import operate_file

    _solve(ctx, lambda **kw: operate_file(run_file, fleet, output, changes=_parse_sets(sets), **kw), **solving)


def _solve(ctx, solve, summary: bool, quiet: bool, verbose: bool, overwrite: bool, accept_suboptimal: bool) -> None:
    """Call ``solve(tee=, overwrite=, accept_suboptimal=)`` -> (results, path) with progress shown; print the summary and the path."""
    from ..summary import format_summary

    with show_progress(quiet):
        ds, target = solve(tee=verbose, overwrite=overwrite, accept_suboptimal=accept_suboptimal)
    if summary:
        click.echo(format_summary(ds))
    click.echo(f"results: {target}")


def _parse_sets(sets) -> dict:
    """``PATH=VALUE`` items (YAML values; sweep aliases allowed) as dotted run-file paths -> values."""
    from ..errors import InputError, Problem
    from ..limits import load_yaml
    from ..sweep import ALIASES

    changes, problems = {}, []
    for item in sets:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            problems.append(Problem("command line", f"--set {item}", item, "expected PATH=VALUE, e.g. carbon.price_cny_per_t=600"))
            continue
        try:
            changes[ALIASES.get(name.strip(), name.strip())] = load_yaml(text, "command line", f"--set {item}")
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return changes


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=VALUES",
    help="Sweep a run-file value: h2_blend=0,0.1,0.3 or carbon.cap_t_per_yr=4e9:5e9:5e8 (start:stop:step) "
    "or overrides.fuels.hydrogen.price_cny_per_gj=100,150. Repeat for more axes (Cartesian product).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Combined NetCDF (default: <output>-sweep.nc).")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes on a local Dask cluster (1: solve in this process).",
)
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Send the points to an existing Dask cluster instead.")
@click.option("--annual-only", is_flag=True, help="Keep only yearly and scalar results (no hourly series) for large sweeps.")
@click.option("--retry-failed", is_flag=True, help="Solve again the points recorded as failed.")
@click.option("--dry-run", is_flag=True, help="List the points and which are already done; solve nothing.")
@click.option("--overwrite", is_flag=True, help="Replace the combined NetCDF if it exists (part files are always reused).")
@click.option("--decompose", is_flag=True, help="Solve every point by Benders decomposition over weeks (in its worker's process).")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_context
def sweep(ctx, run_file: Path, sets, output, workers, scheduler, annual_only, retry_failed, dry_run, overwrite, decompose, quiet) -> None:
    """Solve RUN_FILE over every combination of swept values; write one NetCDF with the sweep dimensions.

    Points already finished (part files in the sweep's .parts folder) are not solved again, so an
    interrupted sweep resumes where it stopped.
    """
    from ..summary import format_sweep_summary
    from ..sweep import existing_part, plan_sweep, run_sweep

    plan = plan_sweep(run_file, sets, output, decompose)
    if dry_run:
        for point in plan.points:
            state = "done" if existing_part(plan.folder, point) else "to do"
            click.echo(f"{point.index:5d}  {point.label(plan.axes)}  [{state}]")
        click.echo(f"{len(plan.points)} points; parts in {plan.folder}; output {plan.output}")
        return
    with show_progress(quiet):
        ds = run_sweep(plan, workers, scheduler, annual_only, retry_failed, overwrite=overwrite)
    click.echo(format_sweep_summary(ds))
    click.echo(f"results: {plan.output}")


def _checked_inputs(run_file: Path):
    """The run file and its dataset, loaded and validated (solver options included). Raises InputError."""
    from ..config import load_run
    from ..inputs import load_inputs
    from ..solve import check_options

    config = load_run(run_file)
    check_options(config.solver.options, str(run_file))
    return load_inputs(config, str(run_file))


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def validate(ctx, run_file: Path) -> None:
    """Check RUN_FILE and its dataset; list every problem found (exit code 2 if any)."""
    data = _checked_inputs(run_file)
    plan = data.period_plan()
    hours = f"{len(data.time) // plan.count} modelled hours" + (f" x {plan.count} periods" if plan.count > 1 else "")
    if data.day_sequence is not None:
        hours += f" ({len(data.time) // plan.count // 24} typical days)"
    where = f"{len(data.regions)} regions, {len(data.lines)} lines, " if len(data.regions) > 1 else ""
    click.echo(f"{run_file}: valid ({where}{len(data.technologies)} technologies, {len(data.fuels)} fuels, {hours})")


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def diagnose(ctx, run_file: Path) -> None:
    """Explain an infeasible RUN_FILE: relax demand, CO2 caps and targets and report what had to give."""
    from ..diagnose import diagnose as find
    from ..diagnose import format_diagnosis

    found = find(_checked_inputs(run_file))
    click.echo(format_diagnosis(found))
    if found:
        ctx.exit(3)


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slack", type=float, default=0.02, show_default=True, help="Cost allowed above the optimum's, as a share of it (0..1).")
@click.option(
    "--minimise", multiple=True, metavar="AGG", help="An aggregate to minimise: coal, wind+solar, output:gas_turbines, co2 ... (repeat)."
)
@click.option("--maximise", multiple=True, metavar="AGG", help="An aggregate to maximise (repeat).")
@click.option("--random", "random_n", type=click.IntRange(min=0), default=0, help="N random directions (random-vector MGA).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random directions.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="NetCDF (default: the run's output with '-alternatives')."
)
@click.option(
    "--set", "sets", multiple=True, metavar="PATH=VALUE", help="Change a run-file value (YAML), e.g. hours.representative_days=8."
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Alternatives on N local Dask workers.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Send the alternatives to an existing Dask cluster instead.")
@click.option("--retry-failed", is_flag=True, help="Solve again the alternatives that failed last time (finished ones are reused).")
@click.option("--overwrite", is_flag=True, help="Replace the NetCDF if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_context
def alternatives(
    ctx, run_file, slack, minimise, maximise, random_n, seed, output, sets, workers, scheduler, retry_failed, overwrite, quiet
) -> None:
    """Near-optimal alternatives of RUN_FILE: the optimum, then systems within --slack of its cost that minimise or
    maximise an aggregate (docs/alternatives.md). One LP each, re-solved from the optimum's basis; each finished one
    is kept in a parts folder, so a stopped run resumes."""
    from ..alternatives_run import alternatives_file

    with show_progress(quiet):
        ds, target = alternatives_file(
            run_file,
            output,
            slack,
            minimise,
            maximise,
            random_n,
            seed,
            _parse_sets(sets),
            overwrite,
            workers=workers,
            scheduler=scheduler,
            retry_failed=retry_failed,
        )
    for i in range(ds.sizes["alternative"]):
        one = ds.isel(alternative=i)
        label = f"{str(one.alternative_sense.values)} {str(one.alternative_aggregate.values)}".strip()
        if str(one.status.values) != "optimal":
            click.echo(f"{i}: {label:<40} {one.status.values}: {str(one.message.values).splitlines()[0]}")
            continue
        value = "" if i == 0 else f", value {float(one.alternative_value):.6g}"
        click.echo(f"{i}: {label:<40} cost {float(one.total_cost_cny):.6e} CNY{value}")
    click.echo(f"results: {target}")
