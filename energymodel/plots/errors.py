"""The errors of the plots: a kind that does not apply, a time window that cannot be used."""

from __future__ import annotations

from ..errors import EnergyModelError


class PlotError(EnergyModelError):
    """A plot that does not apply to these results (e.g. a pathway plot of one year); exit code 2."""

    exit_code = 2


class TimeWindowError(PlotError):
    """A time window that cannot be read or used: ``window`` is the text given, ``reason`` says why."""

    def __init__(self, window: str, reason: str):
        super().__init__(f"time window {window!r}: {reason}")
        self.window, self.reason = window, reason
