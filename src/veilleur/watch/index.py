"""Keeping the watch's index up to date: near-duplicate groups and stories of new posts.

:func:`update_index` reads the posts added since its last run (``pk`` above a watermark
kept in ``watch_state``), fingerprints them, finds their near-duplicates among the
signatures already stored (only those within ``DEDUP_WINDOW`` of the batch's dates — the
texts of old posts are never read again, except the few a doubtful pair needs), assigns
them to stories, and writes signatures, memberships, stories and the watermark in one
transaction: an interrupted run leaves the index as it was, and the next run resumes.

The digest, the alerts and the benchmark all call this; it costs nothing when nothing is new.
"""

from __future__ import annotations

import calendar
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from veilleur.store import SQLiteStore
from veilleur.watch import dedup
from veilleur.watch.canonical import canonical_url
from veilleur.watch.fingerprint import Fingerprint, fingerprint
from veilleur.watch.stories import Assignment, Clusterer, Memory, Story, StoryItem, content_terms

ARTICLE_NETWORKS = frozenset({"rss", "web", "website"})
DEDUP_WINDOW = 30 * 24 * 3600
CHUNK = 100_000
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'»)\]]+", re.IGNORECASE)
_SQL_CHUNK = 900


@dataclass(slots=True)
class IndexResult:
    """What one update did."""

    posts: int = 0
    duplicates: int = 0  # posts found to be near-duplicates of an earlier post
    new_stories: int = 0


def epoch(text: str) -> int:
    """Seconds since the epoch of a store date ``YYYY-MM-DDTHH:MM:SSZ`` (fast path)."""
    return calendar.timegm(
        (
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
            0,
            0,
            0,
        )
    )


def post_urls(text: str, url: str | None) -> list[str]:
    """Canonical URLs a post links, its own URL included (articles, quoted posts)."""
    found = [canonical_url(u.rstrip(".,;:!?…")) for u in _URL.findall(text)]
    if url:
        found.append(canonical_url(url))
    return list(dict.fromkeys(u for u in found if u))


def _state(conn: sqlite3.Connection, key: str, default: int = 0) -> int:
    row = conn.execute("SELECT value FROM watch_state WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else default


def _set_state(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute(
        "INSERT INTO watch_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )


def _chunks(items: Sequence[Any], size: int = _SQL_CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _load_signatures(conn: sqlite3.Connection, start: int, stop: int) -> dedup.Signatures:
    rows = conn.execute(
        "SELECT pk, sig, size, truncated, exact, prefix, grp FROM watch_signatures "
        "WHERE time BETWEEN ? AND ? ORDER BY pk",
        (start, stop),
    ).fetchall()
    if not rows:
        return dedup.Signatures()
    sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(
        len(rows), dedup.NUM_PERM
    )
    cols = list(zip(*((r[0], r[2], r[3], r[4], r[5], r[6]) for r in rows), strict=True))
    return dedup.Signatures(
        pks=np.asarray(cols[0], dtype=np.int64),
        sigs=sigs,
        sizes=np.asarray(cols[1], dtype=np.int64),
        truncated=np.asarray(cols[2], dtype=bool),
        exact=np.asarray(cols[3], dtype=np.int64),
        prefix=np.asarray(cols[4], dtype=np.int64),
        groups=np.asarray(cols[5], dtype=np.int64),
    )


def _fingerprints_from_store(
    conn: sqlite3.Connection, known: dict[int, Fingerprint]
) -> Callable[[Sequence[int]], dict[int, Fingerprint]]:
    def lookup(pks: Sequence[int]) -> dict[int, Fingerprint]:
        found = {pk: known[pk] for pk in pks if pk in known}
        missing = [pk for pk in pks if pk not in known]
        for part in _chunks(missing):
            marks = ",".join("?" * len(part))
            for pk, network, text, title in conn.execute(
                f"SELECT pk, network, text, title FROM posts WHERE pk IN ({marks})", list(part)
            ):
                found[pk] = fingerprint(text, title if network in ARTICLE_NETWORKS else None)
        return found

    return lookup


def _pack_centroid(centroid: dict[int, float]) -> bytes:
    terms = np.fromiter(centroid.keys(), dtype=np.int64, count=len(centroid))
    weights = np.fromiter(centroid.values(), dtype=np.float32, count=len(centroid))
    return terms.tobytes() + weights.tobytes()


def _unpack_centroid(blob: bytes | None) -> dict[int, float]:
    if not blob:
        return {}
    n = len(blob) // 12
    terms = np.frombuffer(blob[: n * 8], dtype=np.int64)
    weights = np.frombuffer(blob[n * 8 :], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist(), strict=True))


def _memory(conn: sqlite3.Connection, terms: set[int], since: int) -> Memory:
    def story_of_group(group: int) -> int | None:
        row = conn.execute("SELECT story FROM story_posts WHERE pk = ?", (group,)).fetchone()
        return None if row is None else int(row[0])

    def story_of_url(url: str) -> int | None:
        row = conn.execute("SELECT story FROM story_urls WHERE url = ?", (url,)).fetchone()
        return None if row is None else int(row[0])

    n_docs = _state(conn, "n_docs")
    df: dict[int, int] = {}
    if n_docs:
        for part in _chunks(sorted(terms)):
            marks = ",".join("?" * len(part))
            df.update(
                conn.execute(
                    f"SELECT term, df FROM story_terms WHERE term IN ({marks})", list(part)
                )
            )
    active = [
        Story(r[0], r[1], r[2], r[3], _unpack_centroid(r[5]), r[4])
        for r in conn.execute(
            "SELECT id, first_seen, last_seen, size, representative, centroid FROM stories "
            "WHERE last_seen >= ?",
            (since,),
        )
    ]
    next_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])
    return Memory(story_of_group, story_of_url, df, n_docs, next_id, active)


def update_index(
    store: SQLiteStore,
    *,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> IndexResult:
    """Index every post added since the last call; see the module's docstring."""
    conn = store.conn
    result = IndexResult()
    while True:
        last = _state(conn, "indexed_pk")
        rows = conn.execute(
            "SELECT pk, network, text, title, url, created_at FROM posts WHERE pk > ? "
            "ORDER BY pk LIMIT ?",
            (last, chunk),
        ).fetchall()
        if not rows:
            return result
        _index_rows(store, rows, result)
        if progress is not None:
            progress(len(rows))


def _index_rows(store: SQLiteStore, rows: list[tuple[Any, ...]], result: IndexResult) -> None:
    conn = store.conn
    pks = [int(r[0]) for r in rows]
    prints = [fingerprint(r[2], r[3] if r[1] in ARTICLE_NETWORKS else None) for r in rows]
    times = [epoch(r[5]) for r in rows]
    by_pk = dict(zip(pks, prints, strict=True))

    new = dedup.signatures(pks, prints)
    old = _load_signatures(conn, min(times) - DEDUP_WINDOW, max(times) + DEDUP_WINDOW)
    groups = dedup.assign_groups(old, new, _fingerprints_from_store(conn, by_pk))
    group_of = dict(zip(new.pks.tolist(), groups.tolist(), strict=True))
    result.duplicates += sum(1 for pk, g in group_of.items() if g != pk)

    counts = [content_terms(fp.words) for fp in prints]
    terms: set[int] = set()
    for c in counts:
        terms.update(c)
    clusterer = Clusterer(_memory(conn, terms, min(times) - 3 * 24 * 3600))
    first_new_id = clusterer.next_id
    order = sorted(range(len(rows)), key=lambda i: (times[i], pks[i]))
    assignments: list[tuple[int, Assignment]] = []
    for i in order:
        pk = pks[i]
        item = StoryItem(
            pk,
            times[i],
            group_of.get(pk, pk),
            post_urls(rows[i][2], rows[i][4]),
            prints[i].words,
            counts[i],
        )

        assignments.append((group_of.get(pk, pk), clusterer.add(item)))
    result.new_stories += clusterer.next_id - first_new_id
    result.posts += len(rows)

    with store.transaction() as tx:
        tx.executemany(
            "INSERT OR REPLACE INTO watch_signatures "
            "(pk, time, sig, size, truncated, exact, prefix, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (pk, times_pk, sig.tobytes(), size, int(cut), exact, prefix, grp)
                for pk, times_pk, sig, size, cut, exact, prefix, grp in zip(
                    new.pks.tolist(),
                    _times_for(new, pks, times),
                    new.sigs,
                    new.sizes.tolist(),
                    new.truncated.tolist(),
                    new.exact.tolist(),
                    new.prefix.tolist(),
                    groups.tolist(),
                    strict=True,
                )
            ],
        )
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
                (
                    s.id,
                    s.first_seen,
                    s.last_seen,
                    s.size,
                    s.representative,
                    _pack_centroid(s.centroid),
                )
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
        _set_state(tx, "n_docs", clusterer.n_docs)
        _set_state(tx, "indexed_pk", pks[-1])


def _times_for(new: dedup.Signatures, pks: list[int], times: list[int]) -> list[int]:
    position = {pk: t for pk, t in zip(pks, times, strict=True)}
    return [position[pk] for pk in new.pks.tolist()]
