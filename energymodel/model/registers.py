"""Registers: the shared ledgers family modules add hourly terms to, frozen once read.

A register maps a key (a region, a technology, a (technology, fuel) pair, a cost key ...) to a list
of :class:`~energymodel.model.linear.Lin` terms. Family modules only add; the module that owns the
balance or sum (balance, fuels, carbon, objective ...) reads. Reading a key freezes the whole
register, so a term added after someone has read it, which would be silently lost, raises an error
naming the module that added it and the module that read it.
"""

from __future__ import annotations

from collections import defaultdict

from .linear import Lin


class ContractError(RuntimeError):
    """A module broke the build order (e.g. added a supply term after the balance was built)."""


class Register:
    """Hourly terms by key; see the module docstring."""

    def __init__(self, name: str, unit: str, module_of):
        self.name, self.unit = name, unit
        self._module_of = module_of  # () -> name of the module being built now
        self._terms: dict = defaultdict(list)
        self.frozen_by: str | None = None

    def add(self, key, term) -> None:
        """Add a term (a Lin; in the cost register a (rate, one-row Lin) pair) under ``key``."""
        lin = term[1] if isinstance(term, tuple) else term
        if not isinstance(lin, Lin):
            raise TypeError(f"{self.name} register: expected a Lin, got {type(lin).__name__}")
        if self.frozen_by is not None:
            raise ContractError(
                f"module {self._module_of()} added to the {self.name} register ({key!r}) after module "
                f"{self.frozen_by} had read it: move it before {self.frozen_by} in model.MODULES"
            )
        self._terms[key].append(term)

    def _freeze(self) -> None:
        if self.frozen_by is None:
            self.frozen_by = self._module_of()

    def keys(self) -> list:
        """The keys with terms, in the order they were first added."""
        self._freeze()
        return list(self._terms)

    def terms(self, key) -> list:
        self._freeze()
        return list(self._terms.get(key, ()))

    def total(self, keys, n: int) -> Lin:
        """The sum of the terms of several keys, as one Lin over ``n`` rows (zero if there are none)."""
        self._freeze()
        out = Lin(n)
        for key in keys:
            for term in self._terms.get(key, ()):
                out = out + term
        return out
