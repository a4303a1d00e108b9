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
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from veilleur.store import SQLiteStore
from veilleur.store.handles import Db
from veilleur.watch import dedup, segments, tables
from veilleur.watch.pairs import DEDUP_WINDOW, Batch, PairFinder
from veilleur.watch.prepare import ARTICLE_NETWORKS, epoch, post_urls
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


def _state(db: Db, key: str, default: int = 0) -> int:
    value = tables.state(db, key)
    return int(value) if value is not None else default


def _memory(db: Db, terms: set[int], since: int) -> Memory:
    def story_of_group(group: int) -> int | None:
        return tables.story_of_post(db, group)

    def story_of_url(url: str) -> int | None:
        return tables.story_of_url(db, url)

    n_docs = _state(db, "n_docs")
    df = tables.document_frequencies(db, terms) if n_docs else {}
    active = tables.stories_active_since(db, since)

    def load_story(story_id: int) -> Story | None:
        return tables.load_story(db, story_id)

    next_id = tables.next_story_id(db)
    return Memory(story_of_group, story_of_url, df, n_docs, next_id, active, load_story)


def _default_workers() -> int:
    return 1 if (os.cpu_count() or 1) > 1 else 0


@contextmanager
def _batches(store: SQLiteStore, workers: int) -> Iterator[Callable[[list[int]], Future[Batch]]]:
    """``submit(pks)`` → the future :class:`Batch` of these posts (read by whoever prepares
    them): in a second process, or right here."""
    last_segment = tables.last_segment_id(store)
    if workers <= 0:
        finder = PairFinder(store, last_segment)

        def here(pks: list[int]) -> Future[Batch]:
            future: Future[Batch] = Future()
            future.set_result(finder.batch(tables.posts_between(store, pks[0], pks[-1])))
            return future

        yield here
        return
    worker = Worker(store.location, last_segment)
    try:
        yield worker.submit
    except BaseException:
        worker.kill()
        raise
    worker.close()


def pending_posts(store: SQLiteStore) -> int:
    """How many posts the next :func:`update_index` has to index."""
    return tables.count_posts_after(store, _state(store, "indexed_pk"))


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
    result = IndexResult()
    if not segments.built(store):  # an index written before segments existed: once
        with store.transaction() as tx:
            segments.backfill(tx)
    last = _state(store, "indexed_pk")
    # Only the pks are read here: the texts are read, prepared and signed by whoever
    # prepares the batch (the second process, most often), which this process never needs.
    pks = tables.pks_after(store, last, chunk)
    if not pks:
        return result
    if workers is None:
        workers = _default_workers() if len(pks) == chunk else 0
    if workers > 0:
        # A small first batch: this process waits for the first one to be prepared.
        pks = pks[: max(1, chunk // 10)]
    clusterer: Clusterer | None = None  # kept from batch to batch: active stories stay loaded
    with _batches(store, workers) as submit:
        future = submit(pks)
        while pks:
            following = tables.pks_after(store, pks[-1], chunk)
            upcoming = submit(following) if following else None
            clusterer = _index_batch(store, pks[-1], future.result(), result, clusterer)
            if progress is not None:
                progress(len(pks))
            if upcoming is None:
                break
            pks, future = following, upcoming
    with store.transaction() as tx:
        segments.compact(tx)
    return result


def _index_batch(
    store: SQLiteStore,
    upto: int,
    batch: Batch,
    result: IndexResult,
    clusterer: Clusterer | None,
) -> Clusterer:
    """Assign one batch (the posts up to ``upto``) to groups and stories and save it; the
    clusterer, for the next."""
    prepared = batch.prepared
    pks, times, new = prepared.pks, prepared.times, prepared.signatures

    # Near-duplicate groups: the verified pairs joined, each component taking its oldest group.
    old_pks = np.unique(batch.outer[:, 1])
    stored = tables.stored_groups(store, old_pks.tolist())
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
    terms = set(prepared.distinct_terms.tolist())
    post_terms = prepared.terms()
    if clusterer is None:
        clusterer = Clusterer(_memory(store, terms, min(times) - 3 * 24 * 3600))
    else:
        clusterer.df.update(tables.document_frequencies(store, terms - clusterer.df.keys()))
    first_new_id = clusterer.next_id
    order = sorted(range(len(pks)), key=lambda i: (times[i], pks[i]))
    assignments: list[tuple[int, Assignment]] = []
    for i in order:
        pk = pks[i]
        group = group_of.get(pk, pk)
        item = StoryItem(pk, times[i], group, prepared.urls[i], (), post_terms[i])
        assignments.append((group, clusterer.add(item)))
    result.new_stories += clusterer.next_id - first_new_id
    result.posts += len(pks)

    time_of = dict(zip(pks, times, strict=True))
    new_times = [time_of[pk] for pk in new.pks.tolist()]
    with store.transaction() as tx:
        tables.save_signatures(tx, new, new_times, groups.tolist())
        segments.save(tx, batch.table, new.pks.tolist(), new_times)
        tables.save_stories(tx, clusterer, assignments, terms)
        tables.set_state(tx, "n_docs", str(clusterer.n_docs))
        tables.set_state(tx, "indexed_pk", str(upto))
    clusterer.saved()
    return clusterer
