"""The commands that read results files: ``summary``, ``plot``, ``report``, ``compare``, ``export``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EnergyModelError, option
from ..plot_kinds import KINDS, MAP_QUANTITIES
from .group import fail, main


def _reading(ctx, paths, what: str, use, check=None) -> None:
    """A command that reads results files: ``check()`` its options, open ``paths`` checked, ``use(*datasets)``.

    A file that cannot be read or used is an error naming it (exit code 2, see reading.py), never a
    traceback; outputs are written atomically, so nothing is left behind when ``use`` fails.
    """
    from ..reading import read_results, used

    try:
        if check is not None:
            check()
        datasets = [read_results(path) for path in paths]
        with used(paths, what):
            use(*datasets)
    except EnergyModelError as exc:
        fail(ctx, exc)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def summary(ctx, results: Path) -> None:
    """Print capacity mix, generation shares, emissions, costs and H2 use of a results file."""
    from ..summary import format_summary, format_sweep_summary

    def show(ds):
        click.echo(format_sweep_summary(ds) if "sweep_dims" in ds.attrs else format_summary(ds))

    _reading(ctx, [results], "the summary", show)


@main.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="abatement",
    show_default=True,
    help="dispatch: hourly supply stack and demand; capacity: existing and new GW; generation: TWh and shares; "
    "prices: price-duration curves; storage: storage and reservoir levels; emissions: CO2 by technology and the cap; "
    "hydrogen: H2 burnt, blend, made vs bought; fleet: H2 burnt and blend reached (vol%) by turbine class, the fleet's share; "
    "abatement: CO2 abated and cost against the blend (h2_blend sweeps); "
    "macc: marginal abatement cost curve by turbine class (h2_blend or h2_fleet_min sweeps); "
    "pathway: capacity, output and CO2 by period; "
    "map: regions at their positions (regions.csv) with lines, their capacity and net flows.",
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
@click.option(
    "--quantity",
    type=click.Choice(MAP_QUANTITIES),
    help="What the map shows per region: capacity (GW, the default), generation (TWh/yr) or prices (CNY/MWh); --kind map only.",
)
@click.pass_context
def plot(ctx, results: Path, kind: str, output: Path, region, period, time_window, selects, quantity) -> None:
    """Draw a figure from RESULTS (a NetCDF written by run or sweep); see docs/plots.md."""
    from ..plots import HOURLY_KINDS, PlotError, TimeWindowError, check_output, figure, save

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
            fig = figure(ds, kind, region=region, period=period, time=time_window, point=point, quantity=quantity)
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
    from ..report import write_report

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
    from ..compare import labels_for, render, side_by_side, totals
    from ..files import write_text
    from ..reading import used

    if len(results) < 2:
        fail(ctx, EnergyModelError("compare needs at least two results files"))
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
    from ..export import export as export_results

    def write(ds):
        written = export_results(ds, output, fmt, overwrite)
        click.echo(f"wrote {len(written)} table file(s) to {output}")

    _reading(ctx, [results], "the export", write)
