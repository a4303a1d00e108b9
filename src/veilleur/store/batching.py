"""Queries over many values: ``WHERE x IN (…)`` in parts small enough for SQLite.

SQLite limits the parameters of one statement (999 in older builds), so a lookup of
thousands of keys is sent in parts of ``SIZE``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

SIZE = 900


def rows_in(
    conn: sqlite3.Connection, sql: str, values: Iterable[Any], after: Sequence[Any] = ()
) -> Iterator[Any]:
    """The rows of ``sql`` for all ``values``: ``{marks}`` in ``sql`` stands for the list,
    and the parameters ``after`` follow it."""
    items: Sequence[Any] = list(values)
    for start in range(0, len(items), SIZE):
        part = items[start : start + SIZE]
        yield from conn.execute(sql.format(marks=",".join("?" * len(part))), [*part, *after])
