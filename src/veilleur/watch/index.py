"""Keeping the watch's index up to date: near-duplicate groups and stories of new posts.

:func:`update_index` reads the posts added since its last run (``pk`` above a watermark
kept in ``watch_state``) in batches. For each batch it fingerprints the posts and signs them
(:mod:`.prepare`), looks their LSH keys up in the key segments of the posts dated within
``DEDUP_WINDOW`` (:mod:`.segments` — old texts and signatures are never reloaded wholesale,
only the few rows a candidate pair points to), verifies the candidates, assigns the posts to
stories, and writes signatures, key segment, memberships, stories and the watermark in one
transaction: an interrupted run leaves the index as it was, and the next run resumes.

When more than one batch is waiting, a second process prepares the next batch while this
one assigns the current one: the two halves cost about the same, and the result is the same
as in one process (a test checks it).

The digest, the alerts and the benchmark all call this; it costs nothing when nothing is new.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from veilleur.store import SQLiteStore
from veilleur.store.batching import rows_in
from veilleur.watch import dedup, segments
from veilleur.watch.pairs import DEDUP_WINDOW, Batch, PairFinder
from veilleur.watch.prepare import ARTICLE_NETWORKS, Row, epoch, post_urls
from veilleur.watch.stories import Assignment, Clusterer, Memory, Story, StoryItem
from veilleur.watch.worker import Worker

__all__ = [
    "ARTICLE_NETWORKS",
    "DEDUP_WINDOW",
    "IndexResult",
    "epoch",
    "pending_posts",
    "post_urls",
    "update_index",
]

CHUNK = segments.TARGET_POSTS  # posts per batch: each batch stores one segment


@dataclass(slots=True)
class IndexResult:
    """What one update did."""

    posts: int = 0
    duplicates: int = 0  # posts found to be near-duplicates of an earlier post
    new_stories: int = 0


def _state(conn: sqlite3.Connection, key: str, default: int = 0) -> int:
    row = conn.execute("SELECT value FROM watch_state WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else default


def _set_state(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute(
        "INSERT INTO watch_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )


def _stored_groups(conn: sqlite3.Connection, pks: Sequence[int]) -> dict[int, int]:
    """The near-duplicate group of earlier posts ``pks``."""
    return dict(rows_in(conn, "SELECT pk, grp FROM watch_signatures WHERE pk IN ({marks})", pks))


def _pack_centroid(centroid: dict[int, float]) -> bytes:
    """Terms as 64-bit integers, then weights as 32-bit floats, in the machine's order.

    ``struct`` rather than numpy: for a few dozen numbers its fixed cost is half, and the
    index packs one centroid per story it touches.
    """
    n = len(centroid)
    return struct.pack(f"={n}q{n}f", *centroid.keys(), *centroid.values())


def _unpack_centroid(blob: bytes | None) -> dict[int, float]:
    if not blob:
        return {}
    n = len(blob) // 12
    terms = np.frombuffer(blob[: n * 8], dtype=np.int64)
    weights = np.frombuffer(blob[n * 8 :], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist(), strict=True))


def _document_frequencies(conn: sqlite3.Connection, terms: set[int]) -> dict[int, int]:
    return dict(rows_in(conn, "SELECT term, df FROM story_terms WHERE term IN ({marks})", terms))


def _memory(conn: sqlite3.Connection, terms: set[int], since: int) -> Memory:
    def story_of_group(group: int) -> int | None:
        row = conn.execute("SELECT story FROM story_posts WHERE pk = ?", (group,)).fetchone()
        return None if row is None else int(row[0])

    def story_of_url(url: str) -> int | None:
        row = conn.execute("SELECT story FROM story_urls WHERE url = ?", (url,)).fetchone()
        return None if row is None else int(row[0])

    n_docs = _state(conn, "n_docs")
    df = _document_frequencies(conn, terms) if n_docs else {}

    def story(row: tuple[Any, ...]) -> Story:
        return Story(row[0], row[1], row[2], row[3], _unpack_centroid(row[5]), row[4])

    columns = "id, first_seen, last_seen, size, representative, centroid"
    active = [
        story(r)
        for r in conn.execute(f"SELECT {columns} FROM stories WHERE last_seen >= ?", (since,))
    ]

    def load_story(story_id: int) -> Story | None:
        row = conn.execute(f"SELECT {columns} FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None else story(row)

    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])
    return Memory(story_of_group, story_of_url, df, n_docs, next_id, active, load_story)


def _read(conn: sqlite3.Connection, after: int, chunk: int) -> list[Row]:
    return conn.execute(
        "SELECT pk, network, text, title, url, created_at FROM posts WHERE pk > ? "
        "ORDER BY pk LIMIT ?",
        (after, chunk),
    ).fetchall()


def _default_workers() -> int:
    return 1 if (os.cpu_count() or 1) > 1 else 0


@contextmanager
def _batches(store: SQLiteStore, workers: int) -> Iterator[Callable[[list[Row]], Future[Batch]]]:
    """``submit(rows)`` → the future :class:`Batch`: in a second process, or right here."""
    last_segment = int(
        store.conn.execute("SELECT coalesce(max(id), 0) FROM watch_segments").fetchone()[0]
    )
    if workers <= 0:
        finder = PairFinder(store.conn, last_segment)

        def here(rows: list[Row]) -> Future[Batch]:
            future: Future[Batch] = Future()
            future.set_result(finder.batch(rows))
            return future

        yield here
        return
    worker = Worker(store.path, last_segment)
    try:
        yield worker.submit
    except BaseException:
        worker.kill()
        raise
    worker.close()


def pending_posts(store: SQLiteStore) -> int:
    """How many posts the next :func:`update_index` has to index."""
    last = _state(store.conn, "indexed_pk")
    return int(store.conn.execute("SELECT count(*) FROM posts WHERE pk > ?", (last,)).fetchone()[0])


def update_index(
    store: SQLiteStore,
    *,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> IndexResult:
    """Index every post added since the last call; see the module's docstring.

    ``workers``: processes preparing batches ahead (default: one when the machine has more
    than one core and more than one batch is waiting; 0 = all in this process).
    """
    conn = store.conn
    result = IndexResult()
    if not segments.built(conn):  # an index written before segments existed: once
        with store.transaction() as tx:
            segments.backfill(tx)
    last = _state(conn, "indexed_pk")
    rows = _read(conn, last, chunk)
    if not rows:
        return result
    if workers is None:
        workers = _default_workers() if len(rows) == chunk else 0
    if workers > 0:
        # A small first batch: this process waits for the first one to be prepared.
        rows = rows[: max(1, chunk // 10)]
    clusterer: Clusterer | None = None  # kept from batch to batch: active stories stay loaded
    with _batches(store, workers) as submit:
        future = submit(rows)
        while rows:
            following = _read(conn, rows[-1][0], chunk)
            upcoming = submit(following) if following else None
            clusterer = _index_batch(store, rows, future.result(), result, clusterer)
            if progress is not None:
                progress(len(rows))
            if upcoming is None:
                break
            rows, future = following, upcoming
    with store.transaction() as tx:
        segments.compact(tx)
    return result


def _index_batch(
    store: SQLiteStore,
    rows: list[Row],
    batch: Batch,
    result: IndexResult,
    clusterer: Clusterer | None,
) -> Clusterer:
    """Assign one batch to groups and stories and save it; the clusterer, for the next."""
    conn = store.conn
    prepared = batch.prepared
    pks, times, new = prepared.pks, prepared.times, prepared.signatures

    # Near-duplicate groups: the verified pairs joined, each component taking its oldest group.
    old_pks = np.unique(batch.outer[:, 1])
    stored = _stored_groups(conn, old_pks.tolist())
    old_groups = np.asarray([stored.get(pk, pk) for pk in old_pks.tolist()], dtype=np.int64)
    n_old = len(old_pks)
    edges = np.concatenate(
        [
            batch.inner + n_old,
            np.stack([batch.outer[:, 0] + n_old, np.searchsorted(old_pks, batch.outer[:, 1])], 1),
        ]
    )
    groups = dedup.union(np.concatenate([old_groups, new.pks]), n_old, edges)
    group_of = dict(zip(new.pks.tolist(), groups.tolist(), strict=True))
    result.duplicates += sum(1 for pk, g in group_of.items() if g != pk)

    # Stories, in time order.
    terms = set(np.unique(prepared.term_keys).tolist())
    post_terms = prepared.terms()
    if clusterer is None:
        clusterer = Clusterer(_memory(conn, terms, min(times) - 3 * 24 * 3600))
    else:
        clusterer.df.update(_document_frequencies(conn, terms - clusterer.df.keys()))
    first_new_id = clusterer.next_id
    order = sorted(range(len(rows)), key=lambda i: (times[i], pks[i]))
    assignments: list[tuple[int, Assignment]] = []
    for i in order:
        pk = pks[i]
        group = group_of.get(pk, pk)
        item = StoryItem(pk, times[i], group, prepared.urls[i], (), post_terms[i])
        assignments.append((group, clusterer.add(item)))
    result.new_stories += clusterer.next_id - first_new_id
    result.posts += len(rows)

    time_of = dict(zip(pks, times, strict=True))
    new_times = [time_of[pk] for pk in new.pks.tolist()]
    with store.transaction() as tx:
        tx.executemany(
            "INSERT OR REPLACE INTO watch_signatures "
            "(pk, time, sig, size, truncated, exact, prefix, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            zip(
                new.pks.tolist(),
                new_times,
                (sig.tobytes() for sig in new.sigs),
                new.sizes.tolist(),
                new.truncated.astype(int).tolist(),
                new.exact.tolist(),
                new.prefix.tolist(),
                groups.tolist(),
                strict=True,
            ),
        )
        segments.save(tx, batch.table, new.pks.tolist(), new_times)
        _save_stories(tx, clusterer, assignments, terms)
        _set_state(tx, "n_docs", clusterer.n_docs)
        _set_state(tx, "indexed_pk", pks[-1])
    clusterer.saved()
    return clusterer


def _save_stories(
    tx: sqlite3.Connection,
    clusterer: Clusterer,
    assignments: list[tuple[int, Assignment]],
    terms: set[int],
) -> None:
    tx.executemany(
        "INSERT OR REPLACE INTO story_posts (pk, story, grp, reason, similarity) "
        "VALUES (?, ?, ?, ?, ?)",
        [(a.pk, a.story, grp, a.reason, a.similarity) for grp, a in assignments],
    )
    tx.executemany(
        "INSERT INTO stories (id, first_seen, last_seen, size, representative, centroid) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
        "size = excluded.size, centroid = excluded.centroid",
        [
            (s.id, s.first_seen, s.last_seen, s.size, s.representative, _pack_centroid(s.centroid))
            for s in clusterer.changed_stories()
        ],
    )
    tx.executemany(
        "INSERT OR IGNORE INTO story_urls (url, story) VALUES (?, ?)",
        list(clusterer.new_urls.items()),
    )
    tx.executemany(
        "INSERT INTO story_terms (term, df) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET df = excluded.df",
        [(t, clusterer.df[t]) for t in terms if t in clusterer.df],
    )
