"""The audit pillar's table and every statement it makes on the store.

Tables: ``audit_labels`` (the category a consultant gave a post, ``veilleur audit
label``); the audit reads ``posts`` too. The rest of the pillar calls the functions below
and never speaks SQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Table, Text

from veilleur.model import format_datetime, utcnow
from veilleur.store import SQLiteStore
from veilleur.store.schema import metadata

audit_labels_table = Table(
    "audit_labels",
    metadata,
    Column("network", Text, primary_key=True),
    Column("post_id", Text, primary_key=True),
    Column("category", Text, nullable=False),
    Column("labelled_at", Text, nullable=False),
)


def handles(store: SQLiteStore, network: str | None = None) -> list[str]:
    """Every author handle with posts in the workspace (on ``network`` when given)."""
    sql = "SELECT DISTINCT author FROM posts"
    params: list[str] = []
    if network:
        sql += " WHERE network = ?"
        params.append(network)
    with store.read() as handle:
        return sorted(str(row[0]) for row in handle.execute(sql, params) if row[0])


def authors(store: SQLiteStore, limit: int = 200) -> list[tuple[str, str, int]]:
    """``(handle, network, posts)`` of the accounts with the most posts, most first."""
    sql = (
        "SELECT author, network, count(*) AS n FROM posts WHERE author IS NOT NULL "
        "AND author != '' GROUP BY author, network ORDER BY n DESC, author LIMIT ?"
    )
    with store.read() as handle:
        return [(str(a), str(n), int(c)) for a, n, c in handle.execute(sql, (limit,))]


def post_networks(store: SQLiteStore, post_id: str) -> list[str]:
    """The networks that have a post of this id."""
    with store.read() as handle:
        rows = handle.execute("SELECT DISTINCT network FROM posts WHERE id = ?", (post_id,))
        return sorted(str(row[0]) for row in rows)


def set_label(store: SQLiteStore, network: str, post_id: str, category: str | None) -> None:
    """Keep ``category`` for the post (None forgets the label)."""
    with store.transaction() as tx:
        if category is None:
            tx.execute(
                "DELETE FROM audit_labels WHERE network = ? AND post_id = ?", (network, post_id)
            )
        else:
            tx.execute(
                "INSERT INTO audit_labels (network, post_id, category, labelled_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (network, post_id) DO UPDATE SET "
                "category = excluded.category, labelled_at = excluded.labelled_at",
                (network, post_id, category, format_datetime(utcnow())),
            )


def labels(store: SQLiteStore, networks: Iterable[str] = ()) -> dict[tuple[str, str], str]:
    """The labels kept, by ``(network, post id)`` (on ``networks`` when given)."""
    wanted = sorted(set(networks))
    sql = "SELECT network, post_id, category FROM audit_labels"
    if wanted:
        sql += f" WHERE network IN ({', '.join('?' * len(wanted))})"
    with store.read() as handle:
        return {(str(n), str(i)): str(c) for n, i, c in handle.execute(sql, wanted)}
