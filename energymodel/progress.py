"""Progress of runs and sweeps: log messages, spinners and progress bars (rich, on stderr).

Modules report progress through :mod:`logging` (a logger per module) and wrap long steps in
:func:`status` (a spinner with the elapsed time) or :func:`bar` (a progress bar over sweep points).
Both do nothing unless the command line has switched the display on with :func:`cli`; library
users see only warnings (Python's default), or whatever logging they configure themselves.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator

PACKAGE_LOGGER = "energymodel"
HIGHS_LOGGER = "energymodel.highs"
"""The HiGHS log is passed, line by line, to this logger (solves with ``tee``)."""

_console = None  # the rich Console of the command line while it shows spinners and bars


def reporter(logger: logging.Logger, callback: Callable[[str], None] | None = None) -> Callable[[str], None]:
    """A function that logs a progress message on ``logger`` (messages starting 'warning:' as warnings)
    and also hands it to ``callback`` if one is given (e.g. ``list.append`` in tests)."""

    def report(message: str) -> None:
        logger.log(logging.WARNING if message.startswith("warning:") else logging.INFO, message)
        if callback is not None:
            callback(message)

    return report


@contextlib.contextmanager
def status(text: str) -> Iterator[None]:
    """Show a spinner with ``text`` and the elapsed time while the block runs (command line only)."""
    if _console is None:
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=_console, transient=True) as shown:
        shown.add_task(text, total=None)
        yield


@contextlib.contextmanager
def bar(total: int, text: str) -> Iterator[Callable[[], None]]:
    """A progress bar over ``total`` steps (command line only); yields the function that advances it."""
    if _console is None:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=_console, transient=True) as shown:
        task = shown.add_task(text, total=total)
        yield lambda: shown.advance(task)


class HighsLog:
    """Collects the fragments HiGHS sends to its logging callback and logs them line by line."""

    def __init__(self):
        self.logger = logging.getLogger(HIGHS_LOGGER)
        self.pending = ""

    def __call__(self, event) -> None:
        self.pending += getattr(event, "message", str(event))
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.logger.info(line)

    def flush(self) -> None:
        if self.pending:
            self.logger.info(self.pending)
            self.pending = ""


class _Elapsed(logging.Formatter):
    """'[   1.2 s] message': seconds since the command started."""

    def __init__(self, start: float):
        super().__init__()
        self.start = start

    def format(self, record: logging.LogRecord) -> str:
        return f"[{record.created - self.start:7.1f} s] {record.getMessage()}"


@contextlib.contextmanager
def cli(quiet: bool = False, console=None) -> Iterator[None]:
    """Show progress on stderr while the block runs: log messages (INFO and up; only warnings and
    errors with ``quiet``), and on a terminal rich log lines, spinners and bars. The HiGHS log is
    among the messages when the solve is asked for it (``tee``).
    """
    global _console
    from rich.console import Console
    from rich.logging import RichHandler
    from rich.text import Text

    start = time.time()
    console = console or Console(file=sys.stderr, stderr=True)
    if console.is_terminal:
        handler = RichHandler(
            console=console,
            show_path=False,
            show_level=False,
            markup=False,
            omit_repeated_times=False,
            log_time_format=lambda moment: Text(f"[{moment.timestamp() - start:7.1f} s]"),
        )
    else:  # a file or pipe: plain lines, no animation
        handler = logging.StreamHandler(console.file)
        handler.setFormatter(_Elapsed(start))
    logger = logging.getLogger(PACKAGE_LOGGER)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    previous, _console = _console, (console if console.is_terminal and not quiet else None)
    try:
        yield
    finally:
        _console = previous
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
