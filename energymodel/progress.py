"""Progress of runs and sweeps: log messages, spinners, progress bars and the solver's status line (rich, on stderr).

Modules report progress through :mod:`logging` (a logger per module) and wrap long steps in
:func:`status` (a spinner with the elapsed time) or :func:`bar` (a progress bar over sweep points).
While HiGHS runs, :func:`solver_status` adds its latest iteration, objective and infeasibilities
(parsed from the lines of its log) to the line showing, or logs them every ``PLAIN_INTERVAL_S``
seconds when stderr is a file or pipe. All this does nothing unless the command line has switched
the display on with :func:`cli`; library users see only warnings (Python's default), or whatever
logging they configure themselves.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator

PACKAGE_LOGGER = "energymodel"
HIGHS_LOGGER = "energymodel.highs"
"""The HiGHS log is passed, line by line, to this logger (solves with ``tee``)."""
STATUS_LOGGER = "energymodel.solve"
"""The solver's status lines when stderr is not a terminal."""

REFRESH_PER_S = 4
"""How often a terminal's spinners, bars and solver status line are redrawn."""
PLAIN_INTERVAL_S = 15.0
"""Seconds between the solver's status lines when stderr is a file or pipe (none for a shorter solve)."""

_console = None  # the rich Console of the command line while it shows spinners and bars
_plain = False  # the command line writes its progress to a file or pipe (not quiet)
_lines: list[_Line] = []  # the spinners and bars showing (the innermost last)
_steps: list[str] = []  # the texts of the steps under way (spinners, bars), the innermost last


def reporter(logger: logging.Logger, callback: Callable[[str], None] | None = None) -> Callable[[str], None]:
    """A function that logs a progress message on ``logger`` (messages starting 'warning:' as warnings)
    and also hands it to ``callback`` if one is given (e.g. ``list.append`` in tests)."""

    def report(message: str) -> None:
        logger.log(logging.WARNING if message.startswith("warning:") else logging.INFO, message)
        if callback is not None:
            callback(message)

    return report


class _Line:
    """What a spinner or bar shows after its text: nested steps and the solver's status, ' · '-separated."""

    def __init__(self, shown, task=None):
        self.shown, self.task, self.parts = shown, task, []

    def __format__(self, spec: str) -> str:  # rich formats it at every refresh
        return "".join(f" · {text}" for text in map(str, self.parts) if text)


def _text(template: str):
    """A column of plain text, cut short (…) rather than wrapped on a narrow terminal."""
    from rich.progress import TextColumn
    from rich.table import Column

    return TextColumn(template, markup=False, table_column=Column(no_wrap=True, overflow="ellipsis"))


@contextlib.contextmanager
def _step(text: str) -> Iterator[None]:
    _steps.append(text)
    try:
        yield
    finally:
        _steps.pop()


@contextlib.contextmanager
def _shown(columns, text: str, total: int | None) -> Iterator[_Line]:
    """A rich Progress with one task (``text``), its line on top of ``_lines`` while the block runs."""
    from rich.progress import Progress

    with Progress(*columns, console=_console, transient=True, refresh_per_second=REFRESH_PER_S) as shown, _step(text):
        line = _Line(shown)
        line.task = shown.add_task(text, total=total, line=line)
        _lines.append(line)
        try:
            yield line
        finally:
            _lines.remove(line)


@contextlib.contextmanager
def status(text: str) -> Iterator[None]:
    """Show a spinner with ``text`` and the elapsed time while the block runs (command line only).

    Inside another spinner or a bar, ``text`` joins that line instead (e.g. a sweep point's label).
    """
    if _lines:
        line = _lines[-1]
        line.parts.append(text)
        try:
            with _step(text):
                yield
        finally:
            line.parts.remove(text)
        return
    if _console is None:
        with _step(text):
            yield
        return
    from rich.progress import SpinnerColumn, TimeElapsedColumn

    with _shown((SpinnerColumn(), _text("{task.description}{task.fields[line]}"), TimeElapsedColumn()), text, None):
        yield


@contextlib.contextmanager
def bar(total: int, text: str) -> Iterator[Callable[[], None]]:
    """A progress bar over ``total`` steps (command line only); yields the function that advances it."""
    if _console is None:
        with _step(text):
            yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn, TimeRemainingColumn

    # what the line adds (a point's label, the solver's status) at its end: the bar stays in place
    columns = (
        _text("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        _text("{task.fields[line]}"),
    )
    with _shown(columns, text, total) as line:
        yield lambda: line.shown.advance(line.task)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _short(value: float) -> str:
    return "0" if value == 0 else f"{value:.1e}"


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}" if minutes >= 60 else f"{minutes}:{seconds:02d}"


_METHOD = (
    (re.compile(r"Using (dual|primal) simplex solver"), r"\1 simplex"),
    (re.compile(r"^Interior point solve|^Running HiPO"), "interior point"),
    (re.compile(r"Solving with cuPDLP|^Using PDLP"), "PDLP"),
    (re.compile(r"^Running crossover"), "crossover"),
)
_SIMPLEX = re.compile(r"^\s*(\d+)\s+(\S+)\s+Pr:\s*\d+\(([^)]*)\)(?:;\s*Du:\s*\d+\(([^)]*)\))?")
_NUMBERS = re.compile(r"^\s*(\d+)\*?((?:\s+[-+]?(?:\d[\d.]*(?:[eE][-+]?\d+)?|inf))+)\s*$")


class SolverStatus:
    """The latest numbers HiGHS has logged while solving (its method, iteration, objective,
    infeasibilities, IPM gap), fed its log line by line; ``str()`` gives the status line's text.

    HiGHS logs a simplex line every 5 s (every 50 s after 1000 s), an interior point line every
    iteration. When stderr is a file or pipe (``plain``), a log line with the numbers follows an
    iteration line at most every ``PLAIN_INTERVAL_S`` seconds, and one at the end of a solve that
    lasted that long.
    """

    def __init__(self, plain: bool = False, step: str = "solving with HiGHS"):
        self.plain, self.step = plain, step
        self.method = ""
        self.iteration: int | None = None
        self.objective = self.gap = self.primal = self.dual = None
        self.start = self.last_line = time.monotonic()
        self.unsaid = False  # numbers not yet in a plain line

    def feed(self, line: str) -> None:
        for pattern, name in _METHOD:
            found = pattern.search(line)
            if found:
                self.method = found.expand(name)
                self.iteration = self.gap = self.primal = self.dual = None
                return
        found = _SIMPLEX.match(line)
        if found:
            self.method = self.method or "simplex"  # a warm start logs no method
            self.iteration, self.objective = int(found[1]), _number(found[2])
            self.primal, self.dual = _number(found[3]), _number(found[4]) if found[4] is not None else None
        elif self.method in ("interior point", "PDLP") and (found := _NUMBERS.match(line)):
            values = [_number(v) for v in found[2].split()]
            self.iteration, self.objective = int(found[1]), values[0]
            if len(values) == 6:  # IPX: primal obj, dual obj, pinf, dinf, gap, time
                self.primal, self.dual, self.gap = values[2], values[3], values[4]
        else:
            return
        self.unsaid = True
        if self.plain and time.monotonic() - self.last_line >= PLAIN_INTERVAL_S:
            self.say()

    def __str__(self) -> str:
        parts = [self.method] if self.method else []
        if self.iteration is not None:
            parts.append(f"iteration {self.iteration:,}")
        if self.objective is not None:
            parts.append(f"objective {self.objective:.4e}")
        if self.gap is not None:
            parts.append(f"gap {_short(self.gap)}")
        if self.iteration is not None and self.primal is not None:
            parts.append(f"primal inf {_short(self.primal)}")
        if self.iteration is not None and self.dual is not None:
            parts.append(f"dual inf {_short(self.dual)}")
        return " · ".join(parts)

    def say(self) -> None:
        """Log the numbers (plain output)."""
        self.last_line = time.monotonic()
        self.unsaid = False
        logging.getLogger(STATUS_LOGGER).info(f"{self.step}: {self} ({_clock(self.last_line - self.start)})")

    def close(self) -> None:
        if self.plain and self.unsaid and time.monotonic() - self.start >= PLAIN_INTERVAL_S:
            self.say()


def showing() -> bool:
    """Is the command line showing progress (a terminal's display, or log lines to a file or pipe)?"""
    return _console is not None or _plain


@contextlib.contextmanager
def solver_status(tee: bool = False) -> Iterator[SolverStatus | None]:
    """The status that a solve's HiGHS log lines feed while the block runs, shown on the line of the
    innermost spinner or bar (terminal: redrawn ``REFRESH_PER_S`` times a second, and once more at the
    end so that the last numbers are seen), or logged now and then (a file or pipe; not with ``tee``:
    the HiGHS log itself is shown). None without the command line's display (library use, ``quiet``).
    """
    if not showing():
        yield None
        return
    watch = SolverStatus(plain=_console is None and not tee, step=_steps[-1] if _steps else "solving with HiGHS")
    line = _lines[-1] if _lines else None
    if line is not None:
        line.parts.append(watch)
    try:
        yield watch
    finally:
        if line is not None:
            line.shown.refresh()
            line.parts.remove(watch)
        watch.close()


class HighsLog:
    """Collects the fragments HiGHS sends to its logging callback: each line goes to the
    'energymodel.highs' logger (``tee``) and to the solver status being shown (``watch``), if any."""

    def __init__(self, tee: bool = True):
        self.logger = logging.getLogger(HIGHS_LOGGER)
        self.pending = ""
        self.tee = tee
        self.watch: SolverStatus | None = None

    def __call__(self, event) -> None:
        self.pending += getattr(event, "message", str(event))
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.line(line)

    def line(self, line: str) -> None:
        if self.tee:
            self.logger.info(line)
        if self.watch is not None:
            self.watch.feed(line)

    def flush(self) -> None:
        if self.pending:
            self.line(self.pending)
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
    global _console, _plain
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
    previous = _console, _plain
    _console = console if console.is_terminal and not quiet else None
    _plain = not console.is_terminal and not quiet
    try:
        yield
    finally:
        _console, _plain = previous
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
