"""Command line: ``energymodel run | validate | summary``.

User errors print a message and exit non-zero without a traceback (``--debug`` shows it):
exit 2 for bad input, 3 when the solver finds no optimal solution.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .errors import EnergyModelError

DEFAULT_RUN = "runs/china-2030.yaml"


def default_run_file() -> Path:
    """The shipped default run: ./runs/china-2030.yaml, else the one beside the package's source."""
    here = Path(DEFAULT_RUN)
    if here.is_file():
        return here
    return Path(__file__).resolve().parents[1] / DEFAULT_RUN


class _Progress:
    def __init__(self, quiet: bool):
        self.start = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"[{time.perf_counter() - self.start:7.1f} s] {message}", err=True)


def _fail(ctx: click.Context, exc: Exception):
    if ctx.obj.get("debug"):
        raise exc
    click.echo(f"error: {exc}", err=True)
    ctx.exit(getattr(exc, "exit_code", 1))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="energymodel")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """energymodel: least-cost capacity expansion and hourly dispatch under a carbon cap."""
    ctx.ensure_object(dict)["debug"] = debug


@main.command()
@click.argument("run_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="NetCDF results path (default: the run file's 'output').")
@click.option("--summary/--no-summary", default=True, show_default=True, help="Print the summary after solving.")
@click.option("-v", "--verbose", is_flag=True, help="Show the HiGHS log.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@click.pass_context
def run(ctx, run_file: Path | None, output: Path | None, summary: bool, verbose: bool, quiet: bool) -> None:
    """Solve RUN_FILE (default: the shipped China 2030 case) and write results to NetCDF."""
    from .runner import run_file as run_path
    from .summary import format_summary

    run_file = run_file or default_run_file()
    try:
        ds, target = run_path(run_file, output, progress=_Progress(quiet), tee=verbose)
    except EnergyModelError as exc:
        _fail(ctx, exc)
        return
    if summary:
        click.echo(format_summary(ds))
    click.echo(f"results: {target}")


@main.command()
@click.argument("run_file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def validate(ctx, run_file: Path) -> None:
    """Check RUN_FILE and its dataset; list every problem found (exit code 2 if any)."""
    from .config import load_run
    from .inputs import load_inputs
    from .solve import check_options

    try:
        config = load_run(run_file)
        check_options(config.solver.options, str(run_file))
        data = load_inputs(config, str(run_file))
    except EnergyModelError as exc:
        _fail(ctx, exc)
        return
    click.echo(f"{run_file}: valid ({len(data.technologies)} technologies, {len(data.fuels)} fuels, {len(data.time)} modelled hours)")


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def summary(ctx, results: Path) -> None:
    """Print capacity mix, generation shares, emissions, costs and H2 use of a results file."""
    from .results import open_results
    from .summary import format_summary

    try:
        ds = open_results(results)
    except (OSError, ValueError) as exc:
        _fail(ctx, EnergyModelError(f"{results}: cannot be read as energymodel results ({exc})"))
        return
    try:
        click.echo(format_summary(ds))
    except KeyError as exc:
        _fail(ctx, EnergyModelError(f"{results}: not an energymodel results file (missing {exc})"))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
