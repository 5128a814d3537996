"""``energymodel init``: a copy of the shipped cases to edit (shipped.py)."""

from __future__ import annotations

from pathlib import Path

import click

from .group import main


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--case", metavar="NAME", help="Copy only this run file and its dataset (see --list); default: every shipped case.")
@click.option("--force", is_flag=True, help="Copy into a folder that is not empty (files of the same name are replaced).")
@click.option("--list", "show", is_flag=True, help="List the shipped cases and datasets; copy nothing.")
def init(folder: Path, case: str | None, force: bool, show: bool) -> None:
    """Copy runnable cases into FOLDER (default: the current one): run files in FOLDER/runs, the datasets
    they use in FOLDER/data, results to FOLDER/results when run. Edit them, then
    ``energymodel run FOLDER/runs/NAME.yaml``."""
    from .. import shipped

    if show:
        for title, items in (("cases (run files)", shipped.run_files()), ("datasets", shipped.datasets())):
            click.echo(f"{title}:")
            width = max(map(len, items))
            for item in items.values():
                click.echo(f"  {item.name:<{width}}  {item.description}")
        return
    written = shipped.init(folder, case, force)
    runs = sorted(p for p in written if p.suffix == ".yaml")
    click.echo(f"copied {len(runs)} run file(s) and {len(written) - len(runs)} dataset(s) into {folder}")
    click.echo(f"next: energymodel run {runs[0] if len(runs) == 1 else folder / 'runs' / 'china-2030-week.yaml'}")
