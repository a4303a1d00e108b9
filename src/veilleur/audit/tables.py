"""The audit pillar's statements on the store: the handles of the workspace's accounts.

The rest of the pillar calls the functions below and never speaks SQL.
"""

from __future__ import annotations

from veilleur.store import SQLiteStore


def handles(store: SQLiteStore, network: str | None = None) -> list[str]:
    """Every author handle with posts in the workspace (on ``network`` when given)."""
    sql = "SELECT DISTINCT author FROM posts"
    params: list[str] = []
    if network:
        sql += " WHERE network = ?"
        params.append(network)
    with store.read() as handle:
        return sorted(str(row[0]) for row in handle.execute(sql, params) if row[0])
