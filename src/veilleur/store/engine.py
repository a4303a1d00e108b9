"""The SQLAlchemy engine of a workspace's SQLite database.

Every connection the engine opens is set up the same way: WAL journal, ``synchronous =
NORMAL`` (durable at each checkpoint, safe against corruption), foreign keys on, a busy
timeout of 10 s, and the functions compiled queries call (``veilleur_match``, the
vocabulary table of wildcards: :func:`veilleur.store.search_sqlite.register_functions`).

Transactions are explicit: the engine is in SQLAlchemy's ``AUTOCOMMIT`` mode, so the driver
never opens one behind our back; :meth:`veilleur.store.SQLiteStore.transaction` issues
``BEGIN IMMEDIATE`` … ``COMMIT`` on the driver connection, and the migrations their own
(:mod:`veilleur.store.migrations`). ``NullPool``: a store holds one connection for its life,
and nothing stays open after :meth:`Engine.dispose`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any, cast

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from veilleur.store.search_sqlite import register_functions

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    conn = cast(sqlite3.Connection, dbapi_connection)
    conn.isolation_level = None  # autocommit: BEGIN is always ours
    for pragma in PRAGMAS:
        conn.execute(pragma)
    register_functions(conn)


def _on_connect_readonly(dbapi_connection: Any, _record: Any) -> None:
    # The journal mode is the database's (WAL, set by a writer): setting it needs a write.
    conn = cast(sqlite3.Connection, dbapi_connection)
    conn.isolation_level = None
    for pragma in PRAGMAS[1:]:
        conn.execute(pragma)
    register_functions(conn)  # before query_only: it creates a temp table
    conn.execute("PRAGMA query_only = ON")


def readonly_uri(path: Path | str) -> str:
    """The URI that opens the database at ``path`` read-only (``mode=ro``)."""
    file = Path(path).resolve()
    uri = file.as_uri() + "?mode=ro"
    shm = file.with_name(file.name + "-shm")
    if not shm.exists() and not os.access(file.parent, os.W_OK):
        # WAL needs a -shm file it cannot create here (a read-only mount): nobody
        # writes to such a database, so read it as immutable.
        uri += "&immutable=1"
    return uri


def create(path: Path | str, *, readonly: bool = False) -> Engine:
    """An engine on the SQLite database at ``path`` (created on first connection), or,
    ``readonly``, opened read-only (``mode=ro``: nothing is created, every write fails
    with SQLite's "attempt to write a readonly database")."""
    if readonly:
        uri = readonly_uri(path)

        def _connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)

        engine = create_engine(
            "sqlite://", poolclass=NullPool, creator=_connect, isolation_level="AUTOCOMMIT"
        )
        event.listen(engine, "connect", _on_connect_readonly)
        return engine
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy one (same transaction, same session)."""
    return cast(sqlite3.Connection, connection.connection.driver_connection)
