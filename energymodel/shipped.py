"""The datasets and run files shipped with energymodel, and ``energymodel init``'s copy of them.

They live once in the repository (``data/``, ``runs/``). A wheel or sdist carries them inside the
package (``energymodel/data``, ``energymodel/runs``: pyproject.toml maps the folders), a checkout
reads them beside the package. Either way the run files name their dataset as ``../data/NAME`` and
write to ``../results/``, so a copy keeps working wherever it is put, as long as the two folders
travel together.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, Problem, option
from .limits import read_yaml


def root() -> Path:
    """The folder holding ``data/`` and ``runs/``: inside the installed package, else the source tree."""
    inside = Path(str(resources.files("energymodel")))
    return inside if (inside / "runs").is_dir() else inside.parent


def is_shipped(path: Path) -> bool:
    """Is ``path`` one of the shipped files (inside :func:`root`'s ``data/`` or ``runs/``)?"""
    path = Path(path).resolve()
    return any(path.is_relative_to(root() / part) for part in ("data", "runs"))


@dataclass(frozen=True)
class Shipped:
    """A shipped dataset or run file: its name (folder or file stem), path and one-line description."""

    name: str
    path: Path
    description: str


def datasets() -> dict[str, Shipped]:
    """The shipped datasets by name (folders of ``data/`` with a settings.yaml), described by their README's title."""
    found = {}
    for folder in sorted((root() / "data").iterdir()):
        if (folder / "settings.yaml").is_file():
            title = (folder / "README.md").read_text(encoding="utf-8").splitlines()[0] if (folder / "README.md").is_file() else ""
            found[folder.name] = Shipped(folder.name, folder, re.sub(r"^#\s*`[^`]*`:\s*", "", title).strip())
    return found


def run_files() -> dict[str, Shipped]:
    """The shipped run files by name (file stem), described by their ``description`` field."""
    found = {}
    for path in sorted((root() / "runs").glob("*.yaml"), key=lambda p: p.stem):
        raw = read_yaml(path)
        found[path.stem] = Shipped(path.stem, path, str(raw.get("description", "")))
    return found


DEFAULT_CASE = "china-2030"
"""The run solved by ``energymodel run`` with no run file."""


def run_file_for(argument: str | Path | None) -> tuple[Path, Path | None]:
    """The run file that RUN_FILE names, and where its results go unless the command says otherwise
    (None: where the run file says).

    A path is itself. No argument is ``./runs/china-2030.yaml`` if there is one (a checkout, a folder
    made by ``init``), else the shipped default. A shipped case's name (``china-2030-week``) is its
    run file. A shipped run file taken by name writes to ``./results/NAME.nc`` of the current folder,
    never beside the installed package.
    """
    if argument is None:
        here = Path("runs") / f"{DEFAULT_CASE}.yaml"
        if here.is_file():
            return here, None
        argument = DEFAULT_CASE
    path = Path(argument)
    if path.exists() or len(path.parts) > 1 or path.suffix:
        return path, None
    runs = run_files()
    if path.name not in runs:
        raise InputError([Problem(str(path), "", None, f"is neither a run file nor a shipped case ({', '.join(runs)})")])
    return runs[path.name].path, Path("results") / f"{path.name}.nc"


def dataset_named(name: str, source: str) -> Path:
    """The folder of the shipped dataset ``name``; an InputError listing the shipped ones if there is none."""
    shipped = datasets()
    if name in shipped:
        return shipped[name].path
    raise InputError([Problem(source, "dataset", name, f"is neither a dataset folder nor a shipped dataset ({', '.join(shipped)})")])


def _dataset_of(run: Shipped) -> str:
    """The name of the dataset a shipped run file uses (its ``dataset: ../data/NAME``)."""
    return Path(read_yaml(run.path)["dataset"]).name


def init(folder: Path, case: str | None = None, force: bool = False) -> list[Path]:
    """Copy the shipped run files (only ``case``, if given) and the datasets they use into ``folder``:
    ``folder/runs/*.yaml``, ``folder/data/NAME/``. Refuses a non-empty ``folder`` unless ``force``
    (then the copied files replace theirs; nothing else there is touched). Returns the paths written."""
    folder = Path(folder)
    runs = run_files()
    if case is not None and case not in runs:
        raise InputError([Problem(option("arguments"), "case", case, f"not a shipped case ({', '.join(runs)})")])
    chosen = [runs[case]] if case is not None else list(runs.values())
    if folder.exists() and not folder.is_dir():
        raise InputError([Problem(option("arguments"), "folder", str(folder), "is a file, not a folder")])
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError(
            [Problem(option("arguments"), "folder", str(folder), f"is not empty; pass {option('force', True)} to copy into it anyway")]
        )
    written = []
    for name in sorted({_dataset_of(run) for run in chosen}):
        target = folder / "data" / name
        shutil.copytree(datasets()[name].path, target, dirs_exist_ok=True)
        written.append(target)
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    for run in chosen:
        written.append(Path(shutil.copy2(run.path, folder / "runs" / run.path.name)))
    return written
