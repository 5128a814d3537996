"""The command group and what every command shares: option wording, error reporting, the solving options.

User errors print a message and exit non-zero without a traceback (``--debug`` shows it):
exit 2 for bad input, 3 when the solver finds no optimal solution, 1 for a bug.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import EnergyModelError, render

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
    """The run of ``energymodel run`` without a run file: ./runs/china-2030.yaml, else the shipped one (shipped.py)."""
    from ..shipped import run_file_for

    return run_file_for(None)[0]


def fail(ctx: click.Context, exc: Exception):
    """Print ``exc`` as one line and exit: its own exit code, 2 for a file that cannot be read or
    written, 1 (a bug: say so) for anything else. ``--debug`` raises it instead."""
    if (ctx.find_root().obj or {}).get("debug"):
        raise exc
    if isinstance(exc, BrokenPipeError):  # the reader of the output left (`... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (Python flushes stdout again at exit)
        ctx.exit(1)
    if isinstance(exc, EnergyModelError):
        text = cli_wording(exc)
    elif isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or exc}"
    else:
        text = f"internal error ({type(exc).__name__}: {exc}); this is a bug: rerun with --debug for the traceback and report it"
    click.echo(f"error: {text}", err=True)
    ctx.exit(getattr(exc, "exit_code", 2 if isinstance(exc, OSError) else 1))


class Commands(click.Group):
    """The commands; an error none of them reported is shown by :func:`fail`, never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that turns any error into a message
            fail(ctx, exc)


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


def solving_options(command):
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
