"""Saved watches (the ``watches`` table): a name, a query, a description."""

from __future__ import annotations

from veilleur.model import Watch, format_datetime, parse_datetime, utcnow
from veilleur.store.sqlite import SQLiteStore


def save_watch(store: SQLiteStore, watch: Watch, *, replace: bool = False) -> bool:
    """Save ``watch``; returns False (and changes nothing) when the name is taken and
    ``replace`` is not set."""
    created = format_datetime(watch.created_at or utcnow())
    with store.transaction() as tx:
        if replace:
            tx.execute(
                "INSERT INTO watches (name, query, description, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "description = excluded.description",
                (watch.name, watch.query, watch.description, created),
            )
            return True
        cursor = tx.execute(
            "INSERT INTO watches (name, query, description, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO NOTHING",
            (watch.name, watch.query, watch.description, created),
        )
        return cursor.rowcount == 1


def _watch(row: tuple[str, str, str | None, str]) -> Watch:
    return Watch(name=row[0], query=row[1], description=row[2], created_at=parse_datetime(row[3]))


def get_watch(store: SQLiteStore, name: str) -> Watch | None:
    row = store.conn.execute(
        "SELECT name, query, description, created_at FROM watches WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else _watch(row)


def list_watches(store: SQLiteStore) -> list[Watch]:
    rows = store.conn.execute(
        "SELECT name, query, description, created_at FROM watches ORDER BY name"
    ).fetchall()
    return [_watch(r) for r in rows]


def remove_watch(store: SQLiteStore, name: str) -> bool:
    """Delete the watch ``name``; False when there was none."""
    with store.transaction() as tx:
        return tx.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount == 1
