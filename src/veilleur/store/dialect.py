"""The one dialect layer between the statements of ``tables.py`` and PostgreSQL.

The pillars' statements are written once, in the SQL both engines share, with ``?``
placeholders, and run on a DB-API connection (``tx.execute(sql, params)``). On SQLite
that is the ``sqlite3`` connection itself; on PostgreSQL it is :class:`PgConnection`, a
thin wrapper of a psycopg 3 connection that behaves as the store's code expects of
``sqlite3`` and rewrites each statement once (:func:`translate`, cached):

* ``?`` → ``%s`` (and a literal ``%`` → ``%%``), outside quoted strings;
* ``INSERT OR IGNORE INTO …`` → ``INSERT INTO … ON CONFLICT DO NOTHING``;
* ``INSERT OR REPLACE INTO t (cols) …`` → ``… ON CONFLICT (t's key) DO UPDATE SET`` every
  other column (``excluded``): what SQLite does for a conflict on the primary key;
* ``BEGIN IMMEDIATE`` → ``BEGIN`` (the store then takes its write lock, see
  :meth:`veilleur.store.postgres.PostgresStore.transaction`);
* an ``INSERT`` into a table whose key is one generated integer gets ``RETURNING`` that
  key, which becomes the cursor's ``lastrowid``.

What the wrapper also gives: ``total_changes`` (the sum of the rows each statement changed,
as SQLite counts them), ``in_transaction``, ``IntegrityError``, and sums loaded as ``int``
(PostgreSQL's ``sum(bigint)`` is ``numeric``, which psycopg would load as ``Decimal``).

Statements run through a client-side binding cursor (``psycopg.ClientCursor``): values
are bound as literals, as SQLite's untyped parameters behave (``coalesce(?, likes)``, ``?
IS NULL``), where server-side binding would ask for a type PostgreSQL cannot infer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_url(value: str | None) -> bool:
    """Whether ``value`` names a PostgreSQL database (this module imports nothing heavy:
    every workspace asks it on opening)."""
    return bool(value) and str(value).split(":", 1)[0].lower() in SCHEMES


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\s", re.IGNORECASE)
_OR_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*$", re.IGNORECASE)


def _placeholders(sql: str) -> str:
    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%") if token.startswith("'") else token

    return _TOKENS.sub(swap, sql)


@lru_cache(maxsize=1)
def _keys() -> dict[str, tuple[tuple[str, ...], str | None]]:
    """Each table's primary key columns, and its generated integer key if it has one."""
    from sqlalchemy import Integer

    from veilleur.store.schema import load_all

    keys: dict[str, tuple[tuple[str, ...], str | None]] = {}
    for name, table in load_all().tables.items():
        columns = tuple(c.name for c in table.primary_key.columns)
        generated = table.autoincrement_column
        keys[name] = (
            columns,
            generated.name
            if generated is not None and isinstance(generated.type, Integer)
            else None,
        )
    return keys


@lru_cache(maxsize=2048)
def translate(sql: str, many: bool = False) -> tuple[str, bool]:
    """``sql`` as PostgreSQL runs it; and whether it returns the generated key."""
    begin = _BEGIN.match(sql)
    if begin:
        return "BEGIN", False
    returning = False
    replace = _OR_REPLACE.match(sql)
    if replace:
        table, columns = replace.group(1), [c.strip() for c in replace.group(2).split(",")]
        key = _keys()[table][0]
        others = [c for c in columns if c not in key]
        sql = re.sub(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO", "INSERT INTO", sql, flags=re.I)
        action = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others)
            if others
            else "DO NOTHING"
        )
        sql = f"{sql.rstrip().rstrip(';')} ON CONFLICT ({', '.join(key)}) {action}"
    elif _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO ", sql, count=1)
        sql = f"{sql.rstrip().rstrip(';')} ON CONFLICT DO NOTHING"
    insert = _INSERT.match(sql)
    if insert and not many and "RETURNING" not in sql.upper():
        generated = _keys().get(insert.group(1), ((), None))[1]
        if generated is not None:
            sql = f"{sql.rstrip().rstrip(';')} RETURNING {generated}"
            returning = True
    return _placeholders(sql), returning


def _params(params: Any) -> Any:
    if params is None:
        return ()
    if isinstance(params, dict):
        return params
    return [bytes(v) if isinstance(v, memoryview) else v for v in params]


class PgCursor:
    """The answer to one statement, as a ``sqlite3.Cursor`` gives it."""

    def __init__(self, cursor: Any, lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount: int = cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchone(self) -> Any:
        if self._cursor.description is None:
            return None
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchall())

    def fetchmany(self, size: int = 1) -> list[Any]:
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchmany(size))

    def __iter__(self) -> Iterator[Any]:
        if self._cursor.description is None:
            return iter(())
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()


class PgConnection:
    """A psycopg 3 connection (autocommit, transactions ours) that runs the store's
    ``?`` statements (see the module's docstring)."""

    def __init__(self, raw: Any) -> None:
        import psycopg
        from psycopg.types.numeric import NumericLoader

        class IntegralNumeric(NumericLoader):
            """``sum()`` of integers as ``int``; other numerics as ``float``."""

            def load(self, data: Any) -> Any:
                value = super().load(data)
                if isinstance(value, Decimal):
                    return int(value) if value == value.to_integral_value() else float(value)
                return value

        self.raw = raw
        raw.adapters.register_loader("numeric", IntegralNumeric)
        self.IntegrityError = psycopg.IntegrityError
        self.Error = psycopg.Error
        self._client_cursor = psycopg.ClientCursor
        self.total_changes = 0
        # The store's staging table (PostgresStore._send), temporary, ``ON COMMIT DELETE
        # ROWS``: created on this connection (unless a rollback may have undone it), and
        # holding rows of the open transaction.
        self.staging_ready = False
        self.staging_filled = False

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def _cursor(self) -> Any:
        return self._client_cursor(self.raw)

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        statement, returning = translate(sql)
        cursor = self._cursor()
        cursor.execute(statement, _params(params))
        lastrowid = None
        if returning:
            row = cursor.fetchone()
            lastrowid = int(row[0]) if row else None
        result = PgCursor(cursor, lastrowid)
        if result.rowcount > 0 and not statement.lstrip().upper().startswith("SELECT"):
            self.total_changes += result.rowcount
        return result

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        statement, _ = translate(sql, many=True)
        cursor = self._cursor()
        rows = [_params(p) for p in seq]
        if not rows:
            return PgCursor(cursor)
        cursor.executemany(statement, rows)
        result = PgCursor(cursor)
        if result.rowcount > 0:
            self.total_changes += result.rowcount
        return result

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")
        self.staging_filled = False

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")
        self.staging_filled = self.staging_ready = False

    def close(self) -> None:
        self.raw.close()
