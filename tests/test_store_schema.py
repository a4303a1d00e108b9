"""The Core declarations (store/schema.py, the pillars' tables.py) are the schema the
migrations build: every table, column (type affinity, nullability, primary key, default)
and index is compared, so the two cannot drift apart."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from veilleur.store import legacy, migrations
from veilleur.store.schema import load_all
from veilleur.store.search_sqlite import FTS_COLUMNS
from veilleur.store.sqlite import SQLiteStore


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared type (https://sqlite.org/datatype3.html, 3.1)."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in upper or not upper:
        return "BLOB"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'posts_fts%' AND name != 'alembic_version' ORDER BY name"
    )
    return [r[0] for r in rows]


def _describe(conn: sqlite3.Connection) -> dict[str, Any]:
    """Each table as SQLite sees it: columns, primary key, indexes, rowid or not."""
    described: dict[str, Any] = {}
    for table in _tables(conn):
        pk = [
            r[1]
            for r in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5])
            if r[5]
        ]
        columns = [
            # A primary key column is never NULL in practice: compare its NOT NULL as such.
            (name, _affinity(declared), bool(notnull) or name in pk, default)
            for _cid, name, declared, notnull, default, _pk in conn.execute(
                f"PRAGMA table_info({table})"
            )
        ]
        indexes = set()
        for _seq, index, unique, origin, _partial in conn.execute(f"PRAGMA index_list({table})"):
            if origin == "pk":
                continue  # the primary key, compared above
            keys = tuple(
                (r[2], r[4])  # column name, collation
                for r in conn.execute(f"PRAGMA index_xinfo({index})")
                if r[5]  # key columns only
            )
            name = index if origin == "c" else "(unique constraint)"
            indexes.add((name, bool(unique), keys))
        without_rowid = conn.execute(
            "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
        described[table] = {
            "columns": columns,
            "primary key": pk,
            "indexes": sorted(indexes),
            "without rowid": bool(without_rowid),
        }
    return described


def test_declarations_match_the_schema_the_migrations_build(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite"
    SQLiteStore(migrated).close()
    declared = tmp_path / "declared.sqlite"
    engine = create_engine(f"sqlite:///{declared}")
    load_all().create_all(engine)
    engine.dispose()

    with sqlite3.connect(migrated) as a, sqlite3.connect(declared) as b:
        from_migrations, from_declarations = _describe(a), _describe(b)
    assert sorted(from_declarations) == sorted(from_migrations)
    for table, expected in from_migrations.items():
        assert from_declarations[table] == expected, table


def test_a_new_workspace_gets_schema_6_the_search_index_and_the_baseline(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "new.sqlite") as store:
        assert legacy.schema_version(store.conn) == legacy.LATEST == 6
        fts = store.conn.execute("SELECT * FROM posts_fts LIMIT 0")
        assert tuple(d[0] for d in fts.description) == FTS_COLUMNS
        index = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'posts_author_nocase'"
        ).fetchone()
        assert index is not None and "NOCASE" in index[0]
        assert store.conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrations.HEAD,)
        ]
