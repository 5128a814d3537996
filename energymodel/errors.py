"""User-facing errors: bad input (exit code 2) and solver failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found and why it is wrong."""

    file: str
    location: str
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        shown = "" if self.value is None else f" (value: {self.value!r})"
        return f"{where}: {self.message}{shown}"


class EnergyModelError(Exception):
    """Base class for errors that are reported to the user without a traceback."""

    exit_code = 1


class InputError(EnergyModelError):
    """The run file or dataset is invalid; carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class SolveError(EnergyModelError):
    """The solver did not return an optimal solution; nothing is written."""

    exit_code = 3

    def __init__(self, message: str, status: str | None = None):
        super().__init__(message)
        self.status = status  # e.g. 'provenInfeasible'

    @property
    def infeasible(self) -> bool:
        return self.status in ("provenInfeasible", "infeasibleOrUnbounded")
