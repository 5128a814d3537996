"""User-facing errors: bad input (exit code 2) and solver failures.

The same functions are called from Python and from the command line, so an error never words an
option itself: it names it with :func:`option`, by the library's parameter name, and the wording
is chosen when the error is shown.

* ``option("region")``: the option itself, ``region`` in Python;
* ``option("overwrite", True)``, ``option("kind", "dispatch")``, ``option("point", {"h2_blend": 0.3})``,
  ``option("sets", ["h2_blend=0,0.3"])``: the option given a value (JSON-able), in Python
  ``overwrite=True``, ``kind='dispatch'``, ``point={'h2_blend': 0.3}``, ``sets=['h2_blend=0,0.3']``;
* :data:`ARGUMENTS`: where the arguments came from (a :class:`Problem`'s ``file``), ``arguments``.

The command line writes the same tokens as its own options (flag, flag and value, repeated flag for
a list or dict; ``command line`` for :data:`ARGUMENTS`): the table of flags is in ``cli.py``.

``str()`` of an :class:`EnergyModelError` or a :class:`Problem` gives the Python wording;
``error.text(wording)`` renders with another one: ``energymodel/cli.py`` passes the command line's
(flag names live there only). Messages hold the options as tokens (``option()`` returns one), so
messages can be composed from pieces and the raw fields of :class:`Problem` keep them; an error
that wraps another uses ``error.raw``, not ``str(error)``. Progress messages, figure titles and
notes are not errors: they name no option at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Wording = Callable[..., str]
"""``wording(name)`` or ``wording(name, value)`` -> how an option is written (see :func:`option`)."""

_OPEN, _SEP, _CLOSE = "\x0e", "\x1f", "\x0f"  # JSON escapes control characters: never inside a value
_TOKEN = re.compile(f"{_OPEN}([^{_OPEN}{_SEP}{_CLOSE}]*)(?:{_SEP}([^{_CLOSE}]*))?{_CLOSE}")


def option(name: str, *value: Any) -> str:
    """A token naming the option ``name`` (a parameter name of the library), with or without a value
    (JSON-able: a flag's ``True``, a text, a number, a list or a dict), for an error's message."""
    if len(value) > 1:
        raise TypeError("option() takes one value at most")
    return _OPEN + name + "".join(_SEP + json.dumps(v, default=str) for v in value) + _CLOSE


ARGUMENTS = option("arguments")
"""Where the caller's arguments came from, for a :class:`Problem`'s ``file``."""


def python_wording(name: str, *value: Any) -> str:
    """An option as Python code names it: ``region``, ``overwrite=True``, ``kind='dispatch'``."""
    return f"{name}={value[0]!r}" if value else name


def render(text: str, wording: Wording = python_wording) -> str:
    """``text`` with the :func:`option` tokens written by ``wording``."""
    return _TOKEN.sub(lambda m: wording(m[1], *([] if m[2] is None else [json.loads(m[2])])), text)


def _shown(value: Any, limit: int = 200) -> str:
    """``repr(value)``, cut after ``limit`` characters with the value's length (a hostile file's 5 MB field stays out of the message)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = f"{len(value):,} characters" if isinstance(value, str) else f"{len(text):,} characters written out"
    return f"{text[:limit]}... ({length})"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found and why it is wrong."""

    file: str
    location: str
    value: Any
    message: str

    def text(self, wording: Wording = python_wording) -> str:
        return render(self.raw, wording)

    @property
    def raw(self) -> str:
        """The problem as one line, with the option tokens unrendered."""
        where = f"{self.file}: {self.location}" if self.location else self.file
        shown = "" if self.value is None else f" (value: {_shown(self.value)})"
        return f"{where}: {self.message}{shown}"

    def __str__(self) -> str:
        return self.text()


class EnergyModelError(Exception):
    """Base class for errors that are reported to the user without a traceback."""

    exit_code = 1

    @property
    def raw(self) -> str:
        """The message with the option tokens unrendered (to compose a new message from this one)."""
        return str(self.args[0]) if self.args else ""

    def text(self, wording: Wording = python_wording) -> str:
        """The message, options written by ``wording`` (the Python wording by default)."""
        return render(self.raw, wording)

    def __str__(self) -> str:
        return self.text()


class InputError(EnergyModelError):
    """The run file or dataset is invalid; carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p.raw}" for p in self.problems]
        super().__init__("\n".join(lines))


class ResultsError(EnergyModelError):
    """A results file (NetCDF) that cannot be read or used: damaged, another tool's, another layout; exit code 2.

    ``file`` names it; the library raises it with ``file=None`` about a Dataset, and the command that
    read the Dataset from a file names the file (:meth:`naming`). ``reason`` is the message without the file.
    """

    exit_code = 2

    def __init__(self, reason: str, file: str | None = None):
        self.reason, self.file = reason, None if file is None else str(file)
        super().__init__(reason if file is None else f"{file}: {reason}")

    def naming(self, file) -> ResultsError:
        """The same error, naming ``file`` (unless it names one already)."""
        return self if self.file is not None else ResultsError(self.reason, file)


class SolveError(EnergyModelError):
    """The solver did not return an optimal solution; nothing is written."""

    exit_code = 3

    def __init__(self, message: str, status: str | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.status = status  # e.g. 'provenInfeasible'
        if exit_code is not None:  # 2: the inputs contradict themselves, found before solving
            self.exit_code = exit_code

    @property
    def infeasible(self) -> bool:
        return self.status in ("provenInfeasible", "infeasibleOrUnbounded")
