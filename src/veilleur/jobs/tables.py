"""The jobs' table and every statement on it: claims, so that one job runs once at a time.

Table: ``job_claims``, one row per job being done or waiting in the broker's queue — a key
(``collect:SOURCE``, ``publish:POST_ID``, ``alerts:check``…), the owner's token (a queued
message's, then the worker's that took it over) and the time the claim expires. A claim
whose time has passed is free: a killed worker's claim frees itself, and the scheduler
enqueues the job again.

Taking a claim is ONE statement, atomic on its own: an insert that, on a conflicting key,
replaces the row only when its time has passed (``ON CONFLICT … DO UPDATE … WHERE``). On
SQLite the statement takes the database's write lock; on PostgreSQL (issue 17, next) the
same upsert locks the row, or a ``SELECT … FOR UPDATE SKIP LOCKED`` over a table of due
jobs replaces it — these functions are the seam. Two schedulers that see the same job due
both try; one statement succeeds, the other changes no row. A batch of jobs (the scheduler's
message of ``queue.batch`` sources, a worker's renewal) runs its statements in one write
transaction: one lock and one commit for the batch, each key still taken or not on its own.

The statements run on a connection of the jobs' own (:func:`connect`), in autocommit mode,
never inside the store's transactions: a worker renews its claim from a heartbeat thread
while the step writes posts on the store's connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Column, Table, Text

from veilleur.store.handles import Tx
from veilleur.store.schema import metadata
from veilleur.store.sqlite import SQLiteStore

job_claims_table = Table(
    "job_claims",
    metadata,
    Column("key", Text, primary_key=True),
    Column("owner", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("claimed_at", Text, nullable=False),
)


class Claims:
    """The claims of one workspace, on a connection of their own (thread-safe), opened
    beside the store (which brought the schema up to date)."""

    def __init__(self, store: SQLiteStore) -> None:
        self._conn: Tx = store.side_connection()
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def claim(self, key: str, owner: str, now: str, expires: str) -> bool:
        """Take ``key`` for ``owner`` until ``expires`` unless someone holds it past ``now``."""
        return bool(self.claim_many([key], owner, now, expires))

    def hand_over(self, key: str, owner: str, new_owner: str, expires: str) -> bool:
        """Give ``owner``'s claim on ``key`` to ``new_owner`` (or renew it, the same owner)
        until ``expires``; False when ``owner`` no longer holds it."""
        return bool(self.hand_over_many([key], owner, new_owner, expires))

    @contextmanager
    def _batch(self) -> Iterator[Tx]:
        """One write transaction for many statements (one lock and one commit, not one per
        key: the scheduler claims thousands of jobs per pass)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def claim_many(self, keys: Sequence[str], owner: str, now: str, expires: str) -> list[str]:
        """Take each key for ``owner`` until ``expires`` unless someone holds it past
        ``now``, in one transaction; the keys taken, in order."""
        taken: list[str] = []
        with self._batch() as tx:
            for key in keys:
                cursor = tx.execute(
                    "INSERT INTO job_claims (key, owner, expires_at, claimed_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, "
                    "expires_at = excluded.expires_at, claimed_at = excluded.claimed_at "
                    "WHERE job_claims.expires_at <= excluded.claimed_at",
                    (key, owner, expires, now),
                )
                if cursor.rowcount == 1:
                    taken.append(key)
        return taken

    def hand_over_many(
        self, keys: Sequence[str], owner: str, new_owner: str, expires: str
    ) -> list[str]:
        """Give ``owner``'s claims on ``keys`` to ``new_owner`` (or renew them, the same
        owner) until ``expires``, in one transaction; the keys ``owner`` still held."""
        moved: list[str] = []
        with self._batch() as tx:
            for key in keys:
                cursor = tx.execute(
                    "UPDATE job_claims SET owner = ?, expires_at = ? WHERE key = ? AND owner = ?",
                    (new_owner, expires, key, owner),
                )
                if cursor.rowcount == 1:
                    moved.append(key)
        return moved

    def release_many(self, keys: Sequence[str], owner: str) -> None:
        """Free the keys ``owner`` still holds, in one transaction."""
        with self._batch() as tx:
            tx.executemany(
                "DELETE FROM job_claims WHERE key = ? AND owner = ?", [(k, owner) for k in keys]
            )

    def held(self, prefix: str, now: str) -> set[str]:
        """The keys starting with ``prefix`` whose claim runs past ``now``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key FROM job_claims WHERE substr(key, 1, ?) = ? AND expires_at > ?",
                (len(prefix), prefix, now),
            ).fetchall()
        return {str(r[0]) for r in rows}

    def active(self, now: str) -> list[tuple[str, str, str]]:
        """Every claim running past ``now``: (key, owner, expires_at), by key."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, owner, expires_at FROM job_claims WHERE expires_at > ? ORDER BY key",
                (now,),
            ).fetchall()
        return [(str(k), str(o), str(e)) for k, o, e in rows]
