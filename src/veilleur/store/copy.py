"""``veilleur copy --to postgresql://…``: a SQLite workspace moved into PostgreSQL, verified.

Every table of the schema is copied in the order of its foreign keys with PostgreSQL's
``COPY`` (fast), in ONE transaction of the target: an interruption or an error leaves the
target as it was. Then the sequences are moved past the copied keys, the search index
(``posts_search``) is built, and each table is verified: the same number of rows and the
same checksum (SHA-256 over its rows in key order, values printed the same way on both
sides) — a difference rolls everything back. The target must be empty (a new database, or
one ``veilleur migrate`` prepared): nothing is merged.

PostgreSQL's text refuses U+0000, which SQLite keeps: each one is copied as U+FFFD, as an
import into PostgreSQL stores it (:func:`veilleur.store.postgres.without_nul`), and the
checksum of the workspace's side is taken over its rows so changed — the verification still
proves that every other character, and every row, arrived unchanged.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.query.analysis import RULES_VERSION
from veilleur.store.pgterms import POSITIONS, POSITIONS_SETTING
from veilleur.store.postgres import (
    PgSearch,
    PostgresStore,
    _unreachable,
    create,
    pg_metadata,
    shown,
    without_nul,
)
from veilleur.store.search_sqlite import RULES_SETTING
from veilleur.store.sqlite import SQLiteStore

BATCH = 5000


@dataclass(slots=True)
class TableCopy:
    """One table moved: its rows and checksum (equal on both sides, or nothing is kept)."""

    table: str
    rows: int
    checksum: str


def _value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, memoryview | bytes | bytearray):
        return "x" + bytes(value).hex()
    return f"{type(value).__name__[0]}{value}"


def checksum(rows: Iterable[Iterable[Any]]) -> tuple[int, str]:
    """(rows, SHA-256) of rows read in key order; ints and texts are printed with their
    kind, so that ``1`` and ``"1"`` differ."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update("\x1f".join(_value(v) for v in row).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def _refuse_other_applications(url: str) -> None:
    """A database holding tables but no veilleur schema belongs to something else: refuse
    it before the migrations would write into it."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    engine = create(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
    except (SQLAlchemyError, OSError) as exc:
        raise _unreachable(url, exc) from None
    finally:
        engine.dispose()
    if names and "alembic_version" not in names:
        raise UsageError(
            t(
                "{url} holds tables of another application ({tables}): copy into an empty database",
                url=shown(url),
                tables=", ".join(names[:5]),
            )
        )


def copy_to(
    source: SQLiteStore,
    url: str,
    progress: Callable[[str, int], object] | None = None,
) -> list[TableCopy]:
    """Copy every table of ``source`` into the empty PostgreSQL database at ``url``;
    ``progress(table, rows)`` after each batch. Returns what each table holds, verified."""
    metadata = pg_metadata()
    _refuse_other_applications(url)  # before opening: opening migrates the database
    target = PostgresStore(url)
    try:
        copied: list[TableCopy] = []
        with target.transaction() as tx:
            # Opening an empty database stamped the search rules: that row does not count.
            tx.execute(
                "DELETE FROM settings WHERE key IN (?, ?)", (RULES_SETTING, POSITIONS_SETTING)
            )
            for table in metadata.sorted_tables:
                if tx.execute(f"SELECT 1 FROM {table.name} LIMIT 1").fetchone() is not None:
                    raise UsageError(
                        t(
                            "{url} already holds data (table {table}): copy into an empty database",
                            url=shown(url),
                            table=table.name,
                        )
                    )
            raw = target.pg.raw
            for table in metadata.sorted_tables:
                columns = [c.name for c in table.columns]
                key = [c.name for c in table.primary_key.columns] or columns
                select = f"SELECT {', '.join(columns)} FROM {table.name} ORDER BY {', '.join(key)}"
                try:
                    rows = source.conn.execute(select)
                except sqlite3.OperationalError as exc:
                    if "no such table" not in str(exc):
                        raise  # a damaged or locked table is an error, not a table to skip
                    continue
                with raw.cursor().copy(
                    f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
                ) as copy:
                    done = 0
                    for row in rows:
                        copy.write_row(without_nul(row))
                        done += 1
                        if progress is not None and done % BATCH == 0:
                            progress(table.name, BATCH)
                    if progress is not None and done % BATCH:
                        progress(table.name, done % BATCH)
                generated = table.autoincrement_column
                if generated is not None and len(table.primary_key.columns) == 1:
                    tx.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                        f"'{generated.name}'), coalesce(max({generated.name}), 1), "
                        f"max({generated.name}) IS NOT NULL) FROM {table.name}"
                    )
                # What the target must hold: the workspace's rows, NULs as PostgreSQL keeps them.
                expected = checksum(map(without_nul, source.conn.execute(select)))
                found = checksum(tx.execute(select))
                if found != expected:
                    raise UsageError(
                        t(
                            "table {table} differs after the copy ({found} rows, {expected} "
                            "in the workspace): nothing was kept",
                            table=table.name,
                            found=found[0],
                            expected=expected[0],
                        )
                    )
                copied.append(TableCopy(table.name, found[0], found[1]))
            search = PgSearch(target.pg)
            search.index_after(tx, 0)
            target._put_setting(RULES_SETTING, RULES_VERSION)
            target._put_setting(POSITIONS_SETTING, str(POSITIONS))  # the index just built has them
        # The planner's statistics and the visibility map, which the newest-first search's
        # index-only reads of dates need (without it they visit every row: ~1.5× slower,
        # benchmarks/README.md); autovacuum would come to it, later. Outside a transaction.
        side = target.side_connection()
        try:
            side.execute("VACUUM (ANALYZE) posts, posts_search")
        finally:
            side.close()
        return copied
    finally:
        target.close()
