"""Bounded work on hostile input files: every file is refused over a size limit before it is read,
YAML is read with its aliases and nesting limited, and a CSV's shape is limited (docs/inputs.md §3).

A few hundred bytes of YAML anchors nested a few levels deep (a "billion laughs") load fast, as
aliases share one Python object, but expand to billions of values when the structure is walked
(validation, merging ``--set`` values, the run's JSON record), and 10,000 nested ``[`` overflow the
recursion of PyYAML's composer. So the limits are enforced while the document is composed, before
any Python value is built: at most :data:`YAML_MAX_NODES` values with every alias expanded, nested
at most :data:`YAML_MAX_DEPTH` levels (aliases expanded too), and no alias inside the node it names.

Every YAML input (run files, ``settings.yaml``, ``--set`` values) is read by :func:`read_yaml` or
:func:`load_yaml`; every CSV's size is checked by :func:`size_problem` (``inputs/tables.py``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

YAML_MAX_NODES = 100_000
"""Values (scalars, lists, mappings; keys count) in a YAML document with its aliases expanded:
the shipped run files hold at most a few hundred, ``settings.yaml`` about a dozen."""
YAML_MAX_DEPTH = 50
"""Nesting levels of a YAML document with its aliases expanded: the shipped files nest at most 5."""
CSV_MAX_COLUMNS = 10_000
"""Columns of a CSV, counted on its header row before pandas reads it (whose header parsing alone
grows faster than the column count: a million columns take minutes). The shipped files have at
most 30; a series has one column per technology or region."""
TABLE_MAX_ROWS = 10_000
"""Rows read from technologies.csv, fuels.csv and lines.csv (the shipped ones: at most 94). The
hourly series are read to one row more than a leap year's 8,784 hours at most."""
SIZE_LIMITS = {"yaml": ("ENERGYMODEL_MAX_YAML_MB", 1.0), "csv": ("ENERGYMODEL_MAX_CSV_MB", 100.0)}
"""Kind of file -> (environment variable that raises the limit, default limit in MB of 10**6 bytes).
The shipped files: run files and settings at most 4 kB, CSVs at most 4.6 MB (the 31 provinces' hourly
capacity factors). PyYAML reads 1 MB in 1 to 3 seconds, a CSV read as text takes about 15 times its
size in memory: the defaults keep the worst case to seconds and about 1.5 GB."""


def size_limit(kind: str) -> float:
    """The size limit (MB) for a ``kind`` ("yaml" or "csv") of input file: its environment variable
    or the default. Raises InputError if the variable is not a positive number."""
    variable, default = SIZE_LIMITS[kind]
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        limit = float(text)
    except ValueError:
        limit = 0.0
    if not limit > 0 or limit == float("inf"):
        raise InputError([Problem(f"environment variable {variable}", "", text, "must be a positive number of megabytes")])
    return limit


def size_problem(path: Path, kind: str) -> Problem | None:
    """A problem if the file at ``path`` is larger than the limit for its ``kind``, else None."""
    limit = size_limit(kind)
    size = path.stat().st_size
    if size <= limit * 1e6:
        return None
    variable = SIZE_LIMITS[kind][0]
    return Problem(
        str(path),
        "",
        None,
        f"refused unread: {size:,} bytes, over the limit of {limit:g} MB for a {kind.upper()} input file "
        f"(set the environment variable {variable} to a larger number of MB to read it)",
    )


class _Refused(Exception):
    """The document passes a limit; ``mark`` is where (a PyYAML mark)."""

    def __init__(self, message: str, mark):
        super().__init__(message)
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts the values of the document as it is composed, each alias as the
    values it stands for, and the nesting depth, and stops as soon as a limit is passed."""

    def __init__(self, stream):
        super().__init__(stream)
        self._values = 0  # so far, aliases expanded
        self._depth = 0  # of the node being composed
        self._deepest = 0  # deepest level reached (within the anchored node being composed)
        self._measured: dict[int, tuple[int, int]] = {}  # id(anchored node) -> (values, levels), once composed

    def _count(self, values: int, depth: int, mark) -> None:
        self._values += values
        self._deepest = max(self._deepest, depth)
        if self._values > YAML_MAX_NODES:
            raise _Refused(
                f"refused: more than {YAML_MAX_NODES:,} values once its aliases (*name) are expanded "
                "(nested aliases, a 'billion laughs'?); an input file holds a few hundred",
                mark,
            )
        if depth > YAML_MAX_DEPTH:
            raise _Refused(f"refused: nested more than {YAML_MAX_DEPTH} levels deep (aliases expanded)", mark)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)  # an undefined alias is PyYAML's error
            if node is not None:
                if id(node) not in self._measured:
                    raise _Refused(
                        f"refused: the alias *{event.anchor} is inside the node it names (a structure that contains itself)",
                        event.start_mark,
                    )
                values, levels = self._measured[id(node)]
                self._count(values, self._depth + levels, event.start_mark)
            return super().compose_node(parent, index)
        before, outer = self._values, self._deepest
        self._depth += 1
        self._count(1, self._depth, event.start_mark)
        if event.anchor is not None:
            self._deepest = self._depth
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self._measured[id(node)] = (self._values - before, self._deepest - self._depth + 1)
            self._deepest = max(outer, self._deepest)
        self._depth -= 1
        return node


def load_yaml(text: str, file: str, location: str = "") -> Any:
    """The value of the one YAML document in ``text`` (None if empty), read within the limits.
    Raises InputError naming ``file`` and ``location`` (or the line) for a document that is not
    valid YAML, passes a limit, or holds a value that cannot be built (a date 2030-13-45)."""
    try:
        loader = _BoundedLoader(text)  # the reader refuses control characters here
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _Refused as exc:
        where = location or f"line {exc.mark.line + 1}, column {exc.mark.column + 1}"
        raise InputError([Problem(file, where, None, str(exc))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, location, None, f"not valid YAML: {exc}")]) from None
    except (ValueError, OverflowError) as exc:  # raised by a value's constructor, e.g. int() of 5,000 digits
        raise InputError([Problem(file, location, None, f"a value cannot be read: {exc}")]) from None


def read_yaml(path: Path) -> Any:
    """The value of the YAML file at ``path`` (which exists), refused unread over the size limit.
    Raises InputError naming the file (see :func:`load_yaml`)."""
    too_big = size_problem(path, "yaml")
    if too_big is not None:
        raise InputError([too_big])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), f"byte {exc.start}", None, "not UTF-8 text")]) from None
    return load_yaml(text, str(path))
