"""The near-duplicate pairs of each batch of one index run, found and verified.

For each batch, :class:`PairFinder` looks the new posts' LSH keys up in the key tables of
the window (segments stored by earlier runs, and the tables of this run's earlier batches,
which it keeps), fetches the few earlier signatures the candidates point to, and verifies
each pair (:func:`veilleur.watch.dedup.verify`). None of this depends on the groups or the
stories decided so far — only on signatures — so it runs ahead, in the process that
prepares batches (:mod:`.worker`), while the index assigns the previous batch.

It only reads the store: what the index writes during the run (this run's segments and
signatures) it already holds in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from veilleur.store.handles import Db
from veilleur.watch import dedup, lsh, segments, tables
from veilleur.watch.fingerprint import Fingerprint
from veilleur.watch.prepare import Prepared, Row, fingerprint_of, prepare

DEDUP_WINDOW = 30 * 24 * 3600


@dataclass(slots=True)
class Batch:
    """What the index needs to assign one batch: per-post results and verified pairs."""

    prepared: Prepared
    inner: dedup.I64  # verified pairs (i, j) of rows of prepared.signatures
    outer: dedup.I64  # verified pairs (i, pk) of such a row and an earlier post
    table: lsh.KeyTable  # the batch's LSH keys, to be stored as a segment


@dataclass(slots=True)
class _Held:
    min_time: int
    max_time: int
    table: lsh.KeyTable
    signatures: dedup.Signatures | None  # this run's batches only


class PairFinder:
    """Finds the verified near-duplicate pairs of successive batches of one run."""

    def __init__(self, db: Db, last_segment: int, window: int = DEDUP_WINDOW) -> None:
        self.db = db  # only read
        self.last_segment = last_segment  # segments above it are this run's (held already)
        self.window = window
        self.held: dict[tuple[str, int], _Held] = {}
        self._batches = 0

    def _tables(self, start: int, stop: int) -> list[lsh.KeyTable]:
        for key in [k for k, h in self.held.items() if h.max_time < start or h.min_time > stop]:
            del self.held[key]
        stored = {k[1] for k in self.held if k[0] == "stored"}
        for segment in segments.load(self.db, start, stop, stored):
            if segment.id <= self.last_segment:
                self.held["stored", segment.id] = _Held(
                    segment.min_time, segment.max_time, segment.table, None
                )
        return [h.table for h in self.held.values()]

    def _old_signatures(self, pks: list[int]) -> dedup.Signatures:
        """The signatures of earlier posts ``pks``: this run's from memory, others stored."""
        found: list[dedup.Signatures] = []
        wanted = np.asarray(pks, dtype=np.int64)
        for held in self.held.values():
            if held.signatures is not None and len(wanted):
                mask = np.isin(held.signatures.pks, wanted)
                if mask.any():
                    found.append(_take(held.signatures, mask))
                    wanted = wanted[~np.isin(wanted, held.signatures.pks[mask])]
        found.append(segments.signatures_of(tables.signature_rows(self.db, wanted.tolist())))
        merged = dedup.Signatures()
        for part_sigs in found:
            merged = dedup.concat(merged, part_sigs)
        order = np.argsort(merged.pks, kind="stable")
        return _take(merged, order)

    def _fingerprints(self, rows: dict[int, Row]) -> dedup.FingerprintLookup:
        db = self.db

        def lookup(pks: Sequence[int]) -> dict[int, Fingerprint]:
            found = {pk: fingerprint_of(rows[pk]) for pk in pks if pk in rows}
            missing = [pk for pk in pks if pk not in rows]
            for row in tables.fingerprint_rows(db, missing):
                found[row[0]] = fingerprint_of(row)
            return found

        return lookup

    def find(self, rows: list[Row], prepared: Prepared) -> Batch:
        new, times = prepared.signatures, prepared.times
        tables = self._tables(min(times) - self.window, max(times) + self.window)
        inner, outer = dedup.candidates(tables, new)
        old = self._old_signatures(np.unique(outer[:, 1]).tolist())
        outer = outer[np.isin(outer[:, 1], old.pks)]  # a post no longer stored is left out
        n_old = len(old)
        pairs = np.concatenate(
            [
                inner + n_old,
                np.stack([outer[:, 0] + n_old, np.searchsorted(old.pks, outer[:, 1])], axis=1),
            ]
        )
        universe = dedup.concat(old, new)
        edges = dedup.verify(universe, pairs, self._fingerprints({int(r[0]): r for r in rows}))
        both_new = edges[:, 1] >= n_old
        inner_edges = edges[both_new] - n_old
        outer_edges = edges[~both_new]
        outer_edges = np.stack(
            [outer_edges[:, 0] - n_old, universe.pks[outer_edges[:, 1]]], axis=1
        ).astype(np.int64)
        table = lsh.table_of(new.pks, dedup.keys(new))
        time_of = dict(zip(prepared.pks, times, strict=True))
        new_times = [time_of[pk] for pk in new.pks.tolist()]
        if new_times:
            # Only the previous batch may still be unsaved when the next one is prepared
            # (the index saves batch k before it asks for batch k + 2): older signatures
            # are read from the store, and need not take memory here.
            for held in self.held.values():
                held.signatures = None
            self._batches += 1
            self.held["run", self._batches] = _Held(min(new_times), max(new_times), table, new)
        return Batch(prepared, inner_edges, outer_edges, table)

    def batch(self, rows: list[Row]) -> Batch:
        """Prepare ``rows`` and find their pairs (what the worker process runs)."""
        return self.find(rows, prepare(rows))


def _take(s: dedup.Signatures, index: Any) -> dedup.Signatures:
    return dedup.Signatures(
        *(
            getattr(s, name)[index]
            for name in ("pks", "sigs", "sizes", "truncated", "exact", "prefix", "groups")
        )
    )
