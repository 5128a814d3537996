"""Command line: ``energymodel run | operate | sweep | validate | diagnose | summary | plot | compare | export``.

User errors print a message and exit non-zero without a traceback (``--debug`` shows it):
exit 2 for bad input, 3 when the solver finds no optimal solution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import EnergyModelError, option, render
from .progress import cli as show_progress

DEFAULT_RUN = "runs/china-2030.yaml"

FLAGS = {
    "accept_suboptimal": "--accept-suboptimal",
    "annual_only": "--annual-only",
    "arguments": "command line",
    "folder": "--output",
    "kind": "--kind",
    "output": "-o",
    "overwrite": "--overwrite",
    "period": "--period",
    "point": "--select",
    "region": "--region",
    "sets": "--set",
    "tee": "--verbose",
    "time": "--time",
}
"""The library's parameter names (as errors name them, see ``errors.option``) -> this command line's words."""


def cli_option(name: str, *value) -> str:
    """An option as the command line writes it: ``--overwrite``, ``--kind dispatch``, ``--select h2_blend=0.3``
    (a dict or list: the flag repeated for each item)."""
    flag = FLAGS.get(name, "--" + name.replace("_", "-"))
    if not value or value[0] is True:
        return flag
    if isinstance(value[0], dict):
        return " ".join(f"{flag} {k}={v}" for k, v in value[0].items())
    if isinstance(value[0], list):
        return " ".join(f"{flag} {v}" for v in value[0])
    return f"{flag} {value[0]}"


def cli_wording(error: EnergyModelError | str) -> str:
    """An error's message (or a message with option tokens) with the options written as flags."""
    return error.text(cli_option) if isinstance(error, EnergyModelError) else render(error, cli_option)


def default_run_file() -> Path:
    """The shipped default run: ./runs/china-2030.yaml, else the one beside the package's source."""
    here = Path(DEFAULT_RUN)
    if here.is_file():
        return here
    return Path(__file__).resolve().parents[1] / DEFAULT_RUN


def _fail(ctx: click.Context, exc: Exception):
    """Print ``exc`` as one line and exit: its own exit code, 2 for a file that cannot be read or
    written, 1 (a bug: say so) for anything else. ``--debug`` raises it instead."""
    if (ctx.find_root().obj or {}).get("debug"):
        raise exc
    if isinstance(exc, EnergyModelError):
        text = cli_wording(exc)
    elif isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or exc}"
    else:
        text = f"internal error ({type(exc).__name__}: {exc}); this is a bug: rerun with --debug for the traceback and report it"
    click.echo(f"error: {text}", err=True)
    ctx.exit(getattr(exc, "exit_code", 2 if isinstance(exc, OSError) else 1))


class Commands(click.Group):
    """The commands; an error none of them reported is shown by :func:`_fail`, never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that turns any error into a message
            _fail(ctx, exc)


SOLVING_OPTIONS = (
    click.option("--summary/--no-summary", default=True, show_default=True, help="Print the summary after solving."),
    click.option("-v", "--verbose", is_flag=True, help="Show the HiGHS log (on stderr, with the progress messages)."),
    click.option("-q", "--quiet", is_flag=True, help="No progress messages (warnings and errors only)."),
    click.option("--overwrite", is_flag=True, help="Replace the results file if it exists (otherwise the run refuses to start)."),
    click.option(
        "--accept-suboptimal",
        is_flag=True,
        help="At a time or iteration limit, save the best feasible point (marked as such) instead of failing.",
    ),
    click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="PATH=VALUE",
        help="Change one run-file value, e.g. --set carbon.price_cny_per_t=600 or --set operations.unit_commitment=false "
        "(YAML value; the sweep aliases h2_blend, carbon_cap, ... work too). Repeatable.",
    ),
)
"""The options of the commands that solve a run file (run, operate)."""


def _solving_options(command):
    """Add the SOLVING_OPTIONS to a command (its function gets them as keyword arguments for :func:`_solve`)."""
    for decorate in reversed(SOLVING_OPTIONS):
        command = decorate(command)
    return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="energymodel")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """energymodel: least-cost capacity expansion and hourly dispatch under a carbon cap."""
    ctx.ensure_object(dict)["debug"] = debug


@main.command()
@click.argument("run_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
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
@_solving_options
@click.pass_context
def run(ctx, run_file, output, representative_days, decompose, workers, scheduler, sets, **solving) -> None:
    """Solve RUN_FILE (default: the shipped China 2030 case) and write results to NetCDF."""
    from .runner import run_file as run_path

    run_file = run_file or default_run_file()
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
@_solving_options
@click.pass_context
def operate(ctx, run_file: Path, fleet: Path, output: Path | None, sets: tuple[str, ...], **solving) -> None:
    """Operate a given fleet over every hour of RUN_FILE: "plan on typical days, check every hour".

    Every investment decision (capacity, storage energy, lines) is held at its value in the --fleet
    results file; representative days or every n-th day in RUN_FILE are dropped, so the run's date
    range is solved hour by hour: dispatch, storage, prices, curtailment, lost load, CO2 and cost.
    See docs/operate.md.
    """
    from .operate import operate_file

    _solve(ctx, lambda **kw: operate_file(run_file, fleet, output, changes=_parse_sets(sets), **kw), **solving)


def _solve(ctx, solve, summary: bool, quiet: bool, verbose: bool, overwrite: bool, accept_suboptimal: bool) -> None:
    """Call ``solve(tee=, overwrite=, accept_suboptimal=)`` -> (results, path) with progress shown; print the summary and the path."""
    from .summary import format_summary

    with show_progress(quiet):
        ds, target = solve(tee=verbose, overwrite=overwrite, accept_suboptimal=accept_suboptimal)
    if summary:
        click.echo(format_summary(ds))
    click.echo(f"results: {target}")


def _parse_sets(sets) -> dict:
    """``PATH=VALUE`` items (YAML values; sweep aliases allowed) as dotted run-file paths -> values."""
    from .errors import InputError, Problem
    from .limits import load_yaml
    from .sweep import ALIASES

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
    from .summary import format_sweep_summary
    from .sweep import existing_part, plan_sweep, run_sweep

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
    from .config import load_run
    from .inputs import load_inputs
    from .solve import check_options

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
    from .diagnose import diagnose as find
    from .diagnose import format_diagnosis

    found = find(_checked_inputs(run_file))
    click.echo(format_diagnosis(found))
    if found:
        ctx.exit(3)


def _reading(ctx, paths, what: str, use, check=None) -> None:
    """A command that reads results files: ``check()`` its options, open ``paths`` checked, ``use(*datasets)``.

    A file that cannot be read or used is an error naming it (exit code 2, see reading.py), never a
    traceback; outputs are written atomically, so nothing is left behind when ``use`` fails.
    """
    from .reading import read_results, used

    try:
        if check is not None:
            check()
        datasets = [read_results(path) for path in paths]
        with used(paths, what):
            use(*datasets)
    except EnergyModelError as exc:
        _fail(ctx, exc)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def summary(ctx, results: Path) -> None:
    """Print capacity mix, generation shares, emissions, costs and H2 use of a results file."""
    from .summary import format_summary, format_sweep_summary

    def show(ds):
        click.echo(format_sweep_summary(ds) if "sweep_dims" in ds.attrs else format_summary(ds))

    _reading(ctx, [results], "the summary", show)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["dispatch", "capacity", "generation", "prices", "storage", "emissions", "hydrogen", "abatement", "pathway"]),
    default="abatement",
    show_default=True,
    help="dispatch: hourly supply stack and demand; capacity: existing and new GW; generation: TWh and shares; "
    "prices: price-duration curves; storage: storage and reservoir levels; emissions: CO2 by technology and the cap; "
    "hydrogen: H2 burnt, blend, made vs bought; abatement: CO2 abated and cost against the blend (h2_blend sweeps); "
    "pathway: capacity, output and CO2 by period.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Image file (.png, .svg, .pdf).")
@click.option("--region", help="Only this region (default: all regions, summed or side by side).")
@click.option("--period", type=int, help="Only this investment period of a pathway (dispatch and storage default to the last).")
@click.option(
    "--time",
    "time_window",
    metavar="START:END",
    help="Hours to show, e.g. 2030-07-15:2030-07-17 (dispatch, prices, storage; default for dispatch: a week around peak demand).",
)
@click.option(
    "--select",
    "selects",
    multiple=True,
    metavar="DIM=VALUE",
    help="One point of a sweep, e.g. --select h2_blend=0.3 (repeat for each dimension).",
)
@click.pass_context
def plot(ctx, results: Path, kind: str, output: Path, region, period, time_window, selects) -> None:
    """Draw a figure from RESULTS (a NetCDF written by run or sweep); see docs/plots.md."""
    from .plots import HOURLY_KINDS, PlotError, TimeWindowError, check_output, figure, save

    point = {}

    def check():
        for item in selects:
            if "=" not in item:
                raise PlotError(f"--select {item!r}: expected DIM=VALUE, e.g. h2_blend=0.3")
            dim, value = item.split("=", 1)
            point[dim.strip()] = value.strip()
        check_output(output)

    def draw(ds):
        try:
            fig = figure(ds, kind, region=region, period=period, time=time_window, point=point)
        except TimeWindowError as exc:  # the library words time-window errors without the option: name it here
            if kind not in HOURLY_KINDS:
                raise PlotError(f"--time applies to the hourly kinds ({', '.join(HOURLY_KINDS)}), not to --kind {kind}") from exc
            raise PlotError(f"--time {exc.window!r}: {exc.reason}") from exc
        save(fig, output)
        click.echo(f"wrote {output}")

    _reading(ctx, [results], f"the plot {option('kind', kind)}", draw, check)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="HTML file (self-contained, works offline)."
)
@click.pass_context
def report(ctx, results: Path, output: Path) -> None:
    """Write one HTML page of RESULTS: interactive charts, key tables and the run configuration."""
    from .report import write_report

    def write(ds):
        write_report(ds, output)
        click.echo(f"wrote {output}")

    _reading(ctx, [results], "the report", write)


@main.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output.")
@click.pass_context
def compare(ctx, results: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Compare RESULTS files (two or more): capacity, generation, emissions, costs, prices and H2 use,
    with each file's difference from the first (absolute and %).

    Every value is a system total: hours weighted over the year and regions summed. Sweep points
    and pathway periods are not summed: each is compared on its own rows (column 'where').
    """
    from .compare import labels_for, render, side_by_side, totals
    from .files import write_text
    from .reading import used

    if len(results) < 2:
        _fail(ctx, EnergyModelError("compare needs at least two results files"))
        return

    def use(*datasets):
        found = {}
        for label, path, ds in zip(labels_for(list(results)), results, datasets):
            with used(path, "the comparison"):
                found[label] = totals(ds)
        text = render(side_by_side(found), fmt)
        if output is None:
            click.echo(text)
        else:
            write_text(output, text if text.endswith("\n") else text + "\n")
            click.echo(f"wrote {output}", err=True)

    _reading(ctx, results, "the comparison", use)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv: one file per table; parquet: one file per table (needs pyarrow); xlsx: one workbook, a sheet per table "
    "(needs openpyxl). pip install 'energymodel[export]' for both.",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write (created).")
@click.option("--overwrite", is_flag=True, help="Replace the folder if it exists and is not empty (otherwise refused).")
@click.pass_context
def export(ctx, results: Path, fmt: str, output: Path, overwrite: bool) -> None:
    """Write RESULTS as tidy tables, one per group of variables with the same dimensions, plus a README
    and a 'variables' table with every variable's units (run configuration in the README)."""
    from .export import export as export_results

    def write(ds):
        written = export_results(ds, output, fmt, overwrite)
        click.echo(f"wrote {len(written)} table file(s) to {output}")

    _reading(ctx, [results], "the export", write)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
