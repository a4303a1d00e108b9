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

from dataclasses import dataclass

import numpy as np

from veilleur.store.handles import Db, Tx
from veilleur.watch import dedup, lsh, tables

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


def save(tx: Tx, table: lsh.KeyTable, pks: list[int], times: list[int]) -> Segment | None:
    """Store the key table of posts ``pks`` (dated ``times``); nothing if it is empty."""
    if not len(table) or not pks:
        return None
    segment_id = tables.insert_segment(
        tx, min(pks), max(pks), min(times), max(times), len(pks), lsh.pack(table)
    )
    return Segment(segment_id, min(pks), max(pks), min(times), max(times), len(pks), table)


def load(db: Db, start: int, stop: int, skip: set[int]) -> list[Segment]:
    """The segments with posts dated between ``start`` and ``stop``, but those in ``skip``."""
    found = []
    for row in tables.segments_between(db, start, stop):
        if row[0] in skip:
            continue
        found.append(Segment(row[0], row[1], row[2], row[3], row[4], row[5], lsh.unpack(row[6])))
    return found


def compact(tx: Tx) -> int:
    """Merge the small segments when there are too many; the number of segments merged.

    Small segments are merged in order into segments of at most ``2 * TARGET_POSTS``
    posts, so that no blob grows without bound.
    """
    small = tables.small_segments(tx, TARGET_POSTS)
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
            _merge(tx, ids)
            merged += len(ids)
    return merged


def _merge(tx: Tx, ids: list[int]) -> None:
    rows = tables.segments_by_id(tx, ids)
    table = lsh.merge([lsh.unpack(r[5]) for r in rows])
    tables.insert_segment(
        tx,
        min(r[0] for r in rows),
        max(r[1] for r in rows),
        min(r[2] for r in rows),
        max(r[3] for r in rows),
        sum(r[4] for r in rows),
        lsh.pack(table),
    )
    tables.delete_segments(tx, ids)


def built(db: Db) -> bool:
    """Whether the segments agree with the signatures (a read: no write lock taken)."""
    return tables.state(db, STATE_KEY) is not None


def backfill(tx: Tx) -> None:
    """Build the segments of signatures indexed before segments existed (once)."""
    if built(tx):
        return
    tables.delete_all_segments(tx)
    last = 0
    while True:
        rows = tables.signature_rows_after(tx, last, BACKFILL_CHUNK)
        if not rows:
            break
        sigs = signatures_of([(r[0], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows])
        save(tx, lsh.table_of(sigs.pks, dedup.keys(sigs)), [r[0] for r in rows],
             [r[1] for r in rows])  # fmt: skip
        last = rows[-1][0]
    tables.set_state(tx, STATE_KEY, "1")


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
