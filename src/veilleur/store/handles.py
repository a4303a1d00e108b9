"""The handles the pillars' ``tables.py`` modules run their statements on.

A statement function takes either the store (a read on the store's own connection) or the
object ``store.transaction()`` yields (a read that sees the transaction's writes, or a
write that joins it). Both end up as the driver connection; :func:`connection` says which.
Only ``store/`` and ``tables.py`` modules call it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TypeAlias

from veilleur.store.sqlite import SQLiteStore

Tx: TypeAlias = sqlite3.Connection
"""What ``store.transaction()`` yields; a statement given it joins that transaction."""

Db: TypeAlias = "SQLiteStore | Tx"
"""The store (a read on its connection) or a transaction (a read that sees its writes)."""


def conn(db: Db) -> Tx:
    """The driver connection behind ``db``."""
    return db.conn if isinstance(db, SQLiteStore) else db


def open_read_only(path: str) -> Tx:
    """A read-only connection of its own to the database at ``path``, for a process that
    must share nothing with the one that writes (the watch index's worker). ``path`` may
    be a PostgreSQL URL (:attr:`veilleur.store.SQLiteStore.location`): a read-only session."""
    from veilleur.store.dialect import is_url

    if is_url(path):
        from typing import cast

        import psycopg

        from veilleur.store.dialect import PgConnection
        from veilleur.store.postgres import libpq_url

        raw = psycopg.connect(libpq_url(path), autocommit=True)
        raw.execute("SET default_transaction_read_only = on")
        return cast(Tx, PgConnection(raw))
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)  # no new file
    conn.execute("PRAGMA query_only = ON")
    return conn
