"""The LSH key tables of the index, stored as segments in SQLite (table ``watch_segments``).

Each batch the index processes adds one segment: the :class:`~veilleur.watch.lsh.KeyTable`
of its posts, with the range of their ``pk`` and dates. A batch then looks its keys up in the
segments whose dates come within the dedup window of its own — a few blobs read at once,
instead of a month of signatures row by row. Small segments (from frequent small runs) are
merged when they pile up, so the number a lookup must search stays small.

Segments are written in the same transaction as the signatures and the watermark: a run
interrupted half-way leaves none of its segments behind.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from veilleur.watch import dedup, lsh

TARGET_POSTS = 50_000  # a segment with fewer posts is "small" (index batches are this size)
MAX_SMALL = 8  # merge the small segments when there are more than this many
BACKFILL_CHUNK = 100_000
STATE_KEY = "segments"  # watch_state: set once signatures and segments agree


@dataclass(slots=True)
class Segment:
    id: int
    first_pk: int
    last_pk: int
    min_time: int
    max_time: int
    posts: int
    table: lsh.KeyTable


def save(
    conn: sqlite3.Connection, table: lsh.KeyTable, pks: list[int], times: list[int]
) -> Segment | None:
    """Store the key table of posts ``pks`` (dated ``times``); nothing if it is empty."""
    if not len(table) or not pks:
        return None
    cursor = conn.execute(
        "INSERT INTO watch_segments (first_pk, last_pk, min_time, max_time, posts, keys) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (min(pks), max(pks), min(times), max(times), len(pks), lsh.pack(table)),
    )
    segment_id = int(cursor.lastrowid or 0)
    return Segment(segment_id, min(pks), max(pks), min(times), max(times), len(pks), table)


def load(conn: sqlite3.Connection, start: int, stop: int, skip: set[int]) -> list[Segment]:
    """The segments with posts dated between ``start`` and ``stop``, but those in ``skip``."""
    found = []
    for row in conn.execute(
        "SELECT id, first_pk, last_pk, min_time, max_time, posts, keys FROM watch_segments "
        "WHERE max_time >= ? AND min_time <= ? ORDER BY id",
        (start, stop),
    ):
        if row[0] in skip:
            continue
        found.append(Segment(row[0], row[1], row[2], row[3], row[4], row[5], lsh.unpack(row[6])))
    return found


def compact(conn: sqlite3.Connection) -> int:
    """Merge the small segments when there are too many; the number of segments merged.

    Small segments are merged in order into segments of at most ``2 * TARGET_POSTS``
    posts, so that no blob grows without bound.
    """
    small = conn.execute(
        "SELECT id, posts FROM watch_segments WHERE posts < ? ORDER BY id", (TARGET_POSTS,)
    ).fetchall()
    if len(small) <= MAX_SMALL:
        return 0
    groups: list[list[int]] = [[]]
    total = 0
    for segment_id, posts in small:
        if groups[-1] and total + posts > 2 * TARGET_POSTS:
            groups.append([])
            total = 0
        groups[-1].append(segment_id)
        total += posts
    merged = 0
    for ids in groups:
        if len(ids) > 1:
            _merge(conn, ids)
            merged += len(ids)
    return merged


def _merge(conn: sqlite3.Connection, ids: list[int]) -> None:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT first_pk, last_pk, min_time, max_time, posts, keys FROM watch_segments "
        f"WHERE id IN ({marks})",
        ids,
    ).fetchall()
    table = lsh.merge([lsh.unpack(r[5]) for r in rows])
    conn.execute(
        "INSERT INTO watch_segments (first_pk, last_pk, min_time, max_time, posts, keys) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            min(r[0] for r in rows),
            max(r[1] for r in rows),
            min(r[2] for r in rows),
            max(r[3] for r in rows),
            sum(r[4] for r in rows),
            lsh.pack(table),
        ),
    )
    conn.execute(f"DELETE FROM watch_segments WHERE id IN ({marks})", ids)


def built(conn: sqlite3.Connection) -> bool:
    """Whether the segments agree with the signatures (a read: no write lock taken)."""
    row = conn.execute("SELECT value FROM watch_state WHERE key = ?", (STATE_KEY,)).fetchone()
    return row is not None


def backfill(conn: sqlite3.Connection) -> None:
    """Build the segments of signatures indexed before segments existed (once)."""
    if built(conn):
        return
    conn.execute("DELETE FROM watch_segments")
    last = 0
    while True:
        rows = conn.execute(
            "SELECT pk, time, sig, size, truncated, exact, prefix, grp FROM watch_signatures "
            "WHERE pk > ? ORDER BY pk LIMIT ?",
            (last, BACKFILL_CHUNK),
        ).fetchall()
        if not rows:
            break
        sigs = signatures_of([(r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows])
        save(conn, lsh.table_of(sigs.pks, dedup.keys(sigs)), [r[0] for r in rows],
             [r[1] for r in rows])  # fmt: skip
        last = rows[-1][0]
    conn.execute(
        "INSERT INTO watch_state (key, value) VALUES (?, '1') "
        "ON CONFLICT (key) DO UPDATE SET value = '1'",
        (STATE_KEY,),
    )


def signatures_of(rows: list[tuple[int, bytes, int, int, int, int, int]]) -> dedup.Signatures:
    """Signatures from stored rows ``(pk, sig, size, truncated, exact, prefix, grp)``."""
    if not rows:
        return dedup.Signatures()
    sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(
        len(rows), dedup.NUM_PERM
    )
    pks, _, sizes, truncated, exact, prefix, groups = zip(*rows, strict=True)
    return dedup.Signatures(
        pks=np.asarray(pks, dtype=np.int64),
        sigs=sigs,
        sizes=np.asarray(sizes, dtype=np.int64),
        truncated=np.asarray(truncated, dtype=bool),
        exact=np.asarray(exact, dtype=np.int64),
        prefix=np.asarray(prefix, dtype=np.int64),
        groups=np.asarray(groups, dtype=np.int64),
    )
