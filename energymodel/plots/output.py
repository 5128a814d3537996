"""Writing figures: image formats, atomic saves, one call from Dataset to file."""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from ..files import replaced_atomically
from .draw import DPI
from .errors import PlotError
from .figures import figure

FORMATS = (".png", ".svg", ".pdf")


def save(fig, path: str | Path) -> Path:
    """Write the figure to a temporary file beside ``path``, then rename: a failure leaves no file and keeps an old one."""
    path = Path(path)
    check_output(path)
    with replaced_atomically(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lower()[1:], dpi=DPI)
    return path


def check_output(path: Path) -> None:
    """Refuse an image format we do not write (before any work is done)."""
    if Path(path).suffix.lower() not in FORMATS:
        raise PlotError(f"{path}: the image must end in {', '.join(FORMATS)}")


def plot(
    ds: xr.Dataset,
    kind: str,
    path: str | Path,
    region: str | None = None,
    period=None,
    time: str | None = None,
    point: dict | None = None,
    quantity: str | None = None,
) -> Path:
    """Draw one kind of plot of a results Dataset to ``path`` (.png, .svg or .pdf); ``quantity``: the map's (see figure)."""
    check_output(Path(path))
    return save(figure(ds, kind, region, period, time, point, quantity), path)
