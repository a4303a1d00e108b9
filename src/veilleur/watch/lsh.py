"""LSH key tables: which earlier posts share a key with a new one, without reloading them.

Each post has ``dedup.BANDS`` band keys, the key of its whole text and the key of its first
words (:func:`veilleur.watch.dedup.keys`). A :class:`KeyTable` summarises the keys of many
posts: the distinct keys, sorted, each with the first (smallest) and last (largest) ``pk``
of the posts that have it. That is all the candidate search needs — a new post is paired
with the first post that had a key (usually the original) and with the last one before it
(which links chains of copies) — so the index keeps tables of a few hundred bytes per post
instead of reloading a month of signatures for every batch.

Tables are built per batch, stored as segments and merged like the runs of an LSM tree
(:func:`merge`); looking a key up in several tables takes the smallest first and the largest
last. Pure numpy, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
NONE = -1  # "no post": pks are positive


def _empty() -> I64:
    return np.empty(0, dtype=np.int64)


@dataclass(slots=True)
class KeyTable:
    """Distinct keys (sorted) with the smallest and the largest ``pk`` having each."""

    keys: I64 = field(default_factory=_empty)
    first: I64 = field(default_factory=_empty)
    last: I64 = field(default_factory=_empty)

    def __len__(self) -> int:
        return len(self.keys)


def _reduce(keys: I64, first: I64, last: I64) -> KeyTable:
    """Sort by key and keep, per distinct key, the smallest first and largest last."""
    if not len(keys):
        return KeyTable()
    order = np.lexsort((first, keys))
    keys, first, last = keys[order], first[order], last[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return KeyTable(keys[starts], first[starts], np.maximum.reduceat(last, starts))


def table_of(pks: I64, keys: Sequence[I64]) -> KeyTable:
    """The key table of posts ``pks``, ``keys[j][i]`` being the j-th key of post ``i``."""
    if not len(pks) or not keys:
        return KeyTable()
    flat = np.concatenate(keys)
    owners = np.tile(pks, len(keys))
    return _reduce(flat, owners, owners.copy())


def merge(tables: Sequence[KeyTable]) -> KeyTable:
    """One table saying what all of ``tables`` say."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return KeyTable()
    if len(tables) == 1:
        return tables[0]
    return _reduce(
        np.concatenate([t.keys for t in tables]),
        np.concatenate([t.first for t in tables]),
        np.concatenate([t.last for t in tables]),
    )


def lookup(tables: Sequence[KeyTable], keys: I64) -> tuple[I64, I64]:
    """For each of ``keys``: the first and the last ``pk`` having it in ``tables`` (or NONE)."""
    first = np.full(len(keys), np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(keys), NONE, dtype=np.int64)
    if not len(keys):
        return first, last
    # Search the distinct keys once, in sorted order (binary searches of sorted needles
    # touch memory in order: several times faster than searching in arrival order).
    unique, inverse = np.unique(keys, return_inverse=True)
    u_first = np.full(len(unique), np.iinfo(np.int64).max, dtype=np.int64)
    u_last = np.full(len(unique), NONE, dtype=np.int64)
    for table in tables:
        if not len(table):
            continue
        at = np.searchsorted(table.keys, unique)
        inside = at < len(table.keys)
        hit = np.zeros(len(unique), dtype=bool)
        hit[inside] = table.keys[at[inside]] == unique[inside]
        where = np.flatnonzero(hit)
        u_first[where] = np.minimum(u_first[where], table.first[at[where]])
        u_last[where] = np.maximum(u_last[where], table.last[at[where]])
    first, last = u_first[inverse], u_last[inverse]
    first[last == NONE] = NONE
    return first, last


def pack(table: KeyTable) -> bytes:
    """The table as bytes (for a BLOB): keys, then firsts, then lasts, little-endian."""
    return b"".join(a.astype("<i8").tobytes() for a in (table.keys, table.first, table.last))


def unpack(blob: bytes) -> KeyTable:
    """The inverse of :func:`pack` (arrays are read-only views of ``blob``)."""
    data = np.frombuffer(blob, dtype="<i8").astype(np.int64, copy=False)
    n = len(data) // 3
    return KeyTable(data[:n], data[n : 2 * n], data[2 * n :])
