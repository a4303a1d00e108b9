"""The sources pillar's table and every statement on it.

Table: ``sources`` (what to collect, and where each collection stopped); the collectors
also ask ``posts`` which ids it holds already.

The rest of the pillar calls the functions below and never speaks SQL. Each takes either
the store (``Db``: the statement runs on its connection, outside any transaction) or what
``store.transaction()`` yields (``Tx``: the statement joins that transaction — the state
of a source is saved in the transaction of the posts it led to).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Integer, Table, Text, text

from veilleur.store.batching import rows_in
from veilleur.store.handles import Db, Tx, conn
from veilleur.store.schema import metadata

# -- schema (SQLAlchemy Core) ----

sources_table = Table(
    "sources",
    metadata,
    Column("name", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("params", Text, nullable=False),  # JSON
    Column("enabled", Integer, nullable=False, server_default=text("1")),
    Column("state", Text),  # JSON: ETag, cursor, last ids, next time due
    Column("last_success", Text),
    Column("last_error", Text),
    Column("posts_collected", Integer, nullable=False, server_default=text("0")),
    Column("created_at", Text, nullable=False),
)


# -- statements ----


SOURCE_COLUMNS = "name, type, params, enabled, state, last_success, last_error, posts_collected"
"""The columns of the rows :func:`source_rows` returns, in this order."""


def source_rows(db: Db, names: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
    """Every source (or those of ``names`` that exist), by name (columns:
    :data:`SOURCE_COLUMNS`). A worker's job reads its own few sources, not all of them."""
    if names is not None:
        sql = f"SELECT {SOURCE_COLUMNS} FROM sources WHERE name IN ({{marks}})"
        return sorted(rows_in(conn(db), sql, dict.fromkeys(names)))
    rows: list[tuple[Any, ...]] = (
        conn(db).execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY name").fetchall()
    )
    return rows


def source_names(db: Db) -> set[str]:
    return {r[0] for r in conn(db).execute("SELECT name FROM sources")}


def insert_source(tx: Tx, name: str, type_: str, params: str, created_at: str) -> bool:
    """Register a source (``params``: JSON), enabled, with no state yet; False when the
    name is taken (nothing else of the transaction is undone)."""
    # ON CONFLICT, not catching the driver's IntegrityError: on PostgreSQL an error aborts
    # the whole transaction.
    cursor = tx.execute(
        "INSERT INTO sources (name, type, params, enabled, state, posts_collected, "
        "created_at) VALUES (?, ?, ?, 1, '{}', 0, ?) ON CONFLICT (name) DO NOTHING",
        (name, type_, params, created_at),
    )
    return cursor.rowcount == 1


def delete_source(tx: Tx, name: str) -> None:
    tx.execute("DELETE FROM sources WHERE name = ?", (name,))


def known_ids(db: Db, network: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` the store already holds for ``network``."""
    sql = "SELECT id FROM posts WHERE id IN ({marks}) AND network = ?"
    return {r[0] for r in rows_in(conn(db), sql, dict.fromkeys(ids), (network,))}


def record_success(tx: Tx, name: str, state: str, when: str, new_posts: int) -> None:
    """A collection succeeded: its new state (JSON), ``last_success`` moved, error cleared."""
    tx.execute(
        "UPDATE sources SET state = ?, last_success = ?, last_error = NULL, "
        "posts_collected = posts_collected + ? WHERE name = ?",
        (state, when, new_posts, name),
    )


def record_failure(tx: Tx, name: str, state: str, error: str, new_posts: int) -> None:
    """A collection failed: its new state (JSON) and the error; ``last_success`` stays."""
    tx.execute(
        "UPDATE sources SET state = ?, last_error = ?, "
        "posts_collected = posts_collected + ? WHERE name = ?",
        (state, error, new_posts, name),
    )
