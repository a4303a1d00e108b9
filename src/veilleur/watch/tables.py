"""The watch pillar's tables and every statement on them.

Tables: ``watches`` (saved queries), ``watch_state`` (watermarks of the index and of the
alerts), ``watch_signatures`` and ``watch_segments`` (near-duplicates), ``stories``,
``story_posts``, ``story_urls``, ``story_terms`` (stories), ``alert_rules`` and
``alerts_sent``; the watch reads ``posts`` too.

The rest of the pillar calls the functions below and never speaks SQL. Each takes either
the store (``Db``: the statement runs on its connection, outside any transaction) or what
``store.transaction()`` yields (``Tx``: the statement joins that transaction, which the
caller opened and decides the extent of). Statements, batch sizes and ``executemany`` are
those the index was measured with: change them only with ``benchmarks/watch_bench.py``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Column, Float, Index, Integer, LargeBinary, Table, Text

from veilleur.model import Post, Watch, format_datetime, parse_datetime, utcnow
from veilleur.store import SQLiteStore
from veilleur.store.batching import rows_in
from veilleur.store.codec import SELECT_POST, row_to_post
from veilleur.store.handles import Db, Tx, conn, open_read_only
from veilleur.store.schema import metadata
from veilleur.watch.stories import Story

if TYPE_CHECKING:
    from veilleur.watch.dedup import Signatures
    from veilleur.watch.prepare import Row
    from veilleur.watch.stories import Assignment, Clusterer

# -- schema (SQLAlchemy Core) ----

watches_table = Table(
    "watches",
    metadata,
    Column("name", Text, primary_key=True),
    Column("query", Text, nullable=False),
    Column("description", Text),
    Column("created_at", Text, nullable=False),
)

watch_signatures_table = Table(
    "watch_signatures",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=False),  # the post's pk
    Column("time", Integer, nullable=False),
    Column("sig", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("truncated", Integer, nullable=False),
    Column("exact", Integer, nullable=False),
    Column("prefix", Integer, nullable=False),
    Column("grp", Integer, nullable=False),
)
Index("watch_signatures_time", watch_signatures_table.c.time)

watch_segments_table = Table(
    "watch_segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_pk", Integer, nullable=False),
    Column("last_pk", Integer, nullable=False),
    Column("min_time", Integer, nullable=False),
    Column("max_time", Integer, nullable=False),
    Column("posts", Integer, nullable=False),
    Column("keys", LargeBinary, nullable=False),
)
Index("watch_segments_time", watch_segments_table.c.max_time, watch_segments_table.c.min_time)

watch_state_table = Table(
    "watch_state",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

stories_table = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # assigned by the watch
    Column("first_seen", Integer, nullable=False),
    Column("last_seen", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("representative", Integer, nullable=False),
    Column("centroid", LargeBinary),
)
Index("stories_last_seen", stories_table.c.last_seen)

story_posts_table = Table(
    "story_posts",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=False),  # the post's pk
    Column("story", Integer, nullable=False),
    Column("grp", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("similarity", Float, nullable=False),
)
Index("story_posts_story", story_posts_table.c.story)
Index("story_posts_grp", story_posts_table.c.grp)

story_urls_table = Table(
    "story_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("story", Integer, nullable=False),
    sqlite_with_rowid=False,
)

story_terms_table = Table(
    "story_terms",
    metadata,
    Column("term", Integer, primary_key=True, autoincrement=False),  # a term's number
    Column("df", Integer, nullable=False),
)

alert_rules_table = Table(
    "alert_rules",
    metadata,
    Column("name", Text, primary_key=True),
    Column("watch", Text, nullable=False),
    Column("accounts", Text, nullable=False),  # JSON list of handles
    Column("spike", Float),
    Column("mail", Text),
    Column("webhook", Text),
    Column("created_at", Text, nullable=False),
)

alerts_sent_table = Table(
    "alerts_sent",
    metadata,
    Column("rule", Text, primary_key=True),
    Column("story", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("sent_at", Text, nullable=False),
)


# -- statements ----


def open_reader(path: str) -> Tx:
    """A read-only connection of its own to the store at ``path`` (the index's worker
    process: it must share nothing with the process that writes)."""
    return open_read_only(path)


# -- watches --


def save_watch(store: SQLiteStore, watch: Watch, *, replace: bool = False) -> bool:
    """Save ``watch``; returns False (and changes nothing) when the name is taken and
    ``replace`` is not set."""
    created = format_datetime(watch.created_at or utcnow())
    with store.transaction() as tx:
        if replace:
            tx.execute(
                "INSERT INTO watches (name, query, description, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "description = excluded.description",
                (watch.name, watch.query, watch.description, created),
            )
            return True
        cursor = tx.execute(
            "INSERT INTO watches (name, query, description, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO NOTHING",
            (watch.name, watch.query, watch.description, created),
        )
        return cursor.rowcount == 1


def _watch(row: tuple[str, str, str | None, str | None]) -> Watch:
    return Watch(row[0], row[1], parse_datetime(row[3]) if row[3] else None, row[2])


def newest_post_time(db: Db) -> str | None:
    """The creation time of the newest stored post (as stored), or None when there is none."""
    row = conn(db).execute("SELECT max(created_at) FROM posts").fetchone()
    return None if row is None else row[0]


def find_watch(db: Db, name: str) -> Watch | None:
    """The saved watch ``name``, or None."""
    row = (
        conn(db)
        .execute("SELECT name, query, description, created_at FROM watches WHERE name = ?", (name,))
        .fetchone()
    )
    return None if row is None else _watch(row)


def list_watches(db: Db) -> list[Watch]:
    rows = (
        conn(db)
        .execute("SELECT name, query, description, created_at FROM watches ORDER BY name")
        .fetchall()
    )
    return [_watch(r) for r in rows]


def watch_names(db: Db) -> list[str]:
    return [r[0] for r in conn(db).execute("SELECT name FROM watches ORDER BY name")]


def remove_watch(store: SQLiteStore, name: str) -> bool:
    """Delete the watch ``name``; False when there was none."""
    with store.transaction() as tx:
        return tx.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount == 1


# -- watch_state: watermarks --


def state(db: Db, key: str) -> str | None:
    """The value kept under ``key`` in ``watch_state``, or None (a read: no write lock)."""
    row = conn(db).execute("SELECT value FROM watch_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_state(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO watch_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def start_alerts_watermark(tx: Tx) -> None:
    """Start ``alerts_pk`` at the newest post, unless it is set already."""
    tx.execute(
        "INSERT OR IGNORE INTO watch_state (key, value) "
        "SELECT 'alerts_pk', coalesce(max(pk), 0) FROM posts"
    )


# -- posts, as the watch reads them --


def posts_between(db: Db, first: int, last: int) -> list[Row]:
    """The posts with ``first <= pk <= last``, in ``pk`` order, as the index reads them:
    ``(pk, network, text, title, url, created_at)``."""
    rows: list[Row] = (
        conn(db)
        .execute(
            "SELECT pk, network, text, title, url, created_at FROM posts "
            "WHERE pk >= ? AND pk <= ? ORDER BY pk",
            (first, last),
        )
        .fetchall()
    )
    return rows


def pks_after(db: Db, after: int, limit: int) -> list[int]:
    """Up to ``limit`` post pks above ``after``, in order (a batch, without its texts)."""
    return [
        int(r[0])
        for r in conn(db).execute(
            "SELECT pk FROM posts WHERE pk > ? ORDER BY pk LIMIT ?", (after, limit)
        )
    ]


def count_posts_after(db: Db, after: int) -> int:
    return int(conn(db).execute("SELECT count(*) FROM posts WHERE pk > ?", (after,)).fetchone()[0])


def post_pks_after(db: Db, after: int) -> list[int]:
    return [int(r[0]) for r in conn(db).execute("SELECT pk FROM posts WHERE pk > ?", (after,))]


def fingerprint_rows(db: Db, pks: Sequence[int]) -> Iterator[Row]:
    """``(pk, network, text, title)`` of the posts ``pks`` (what a fingerprint needs)."""
    sql = "SELECT pk, network, text, title FROM posts WHERE pk IN ({marks})"
    yield from rows_in(conn(db), sql, pks)


def posts_by_pk(db: Db, pks: list[int]) -> list[tuple[int, Post]]:
    sql = SELECT_POST.replace("SELECT ", "SELECT p.pk, ", 1) + " WHERE p.pk IN ({marks})"
    return [(int(r[0]), row_to_post(r[1:])) for r in rows_in(conn(db), sql, pks)]


def posts_with_stories(
    db: Db, since: str, until: str
) -> Iterator[tuple[int, int | None, int | None, str | None, Post]]:
    """The posts created in ``[since, until)``, oldest first: ``(pk, story, group, reason,
    post)``, the first three None for a post the index has not seen."""
    sql = (
        f"{SELECT_POST.replace('SELECT ', 'SELECT p.pk, s.story, s.grp, s.reason, ', 1)} "
        "LEFT JOIN story_posts s ON s.pk = p.pk "
        "WHERE p.created_at >= ? AND p.created_at < ? ORDER BY p.created_at, p.pk"
    )
    for row in conn(db).execute(sql, (since, until)):
        yield row[0], row[1], row[2], row[3], row_to_post(row[4:])


def post_and_story(db: Db, network: str, post_id: str) -> tuple[int, int] | None:
    """``(pk, story)`` of a stored post (story ``-pk`` when it has none yet), or None."""
    row = (
        conn(db)
        .execute(
            "SELECT p.pk, coalesce(s.story, -p.pk) FROM posts p "
            "LEFT JOIN story_posts s ON s.pk = p.pk WHERE p.network = ? AND p.id = ?",
            (network, post_id),
        )
        .fetchone()
    )
    return None if row is None else (int(row[0]), int(row[1]))


def stories_of_posts_between(db: Db, start: str, end: str) -> list[tuple[int, int]]:
    """``(pk, story)`` of the posts created in ``[start, end]`` (story ``-pk`` if none)."""
    rows: list[tuple[int, int]] = (
        conn(db)
        .execute(
            "SELECT p.pk, coalesce(s.story, -p.pk) FROM posts p LEFT JOIN story_posts s "
            "ON s.pk = p.pk WHERE p.created_at >= ? AND p.created_at <= ?",
            (start, end),
        )
        .fetchall()
    )
    return rows


# -- near-duplicates: signatures and key segments --


def save_signatures(tx: Tx, new: Signatures, times: list[int], groups: list[int]) -> None:
    """Store the signatures of a batch's posts (dated ``times``) and their groups."""
    tx.executemany(
        "INSERT OR REPLACE INTO watch_signatures "
        "(pk, time, sig, size, truncated, exact, prefix, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        zip(
            new.pks.tolist(),
            times,
            (sig.tobytes() for sig in new.sigs),
            new.sizes.tolist(),
            new.truncated.astype(int).tolist(),
            new.exact.tolist(),
            new.prefix.tolist(),
            groups,
            strict=True,
        ),
    )


def stored_groups(db: Db, pks: Sequence[int]) -> dict[int, int]:
    """The near-duplicate group of earlier posts ``pks``."""
    return dict(
        rows_in(conn(db), "SELECT pk, grp FROM watch_signatures WHERE pk IN ({marks})", pks)
    )


def signature_rows(db: Db, pks: Sequence[int]) -> list[tuple[int, bytes, int, int, int, int, int]]:
    """Stored signatures of posts ``pks``: ``(pk, sig, size, truncated, exact, prefix, grp)``."""
    return list(
        rows_in(
            conn(db),
            "SELECT pk, sig, size, truncated, exact, prefix, grp FROM watch_signatures "
            "WHERE pk IN ({marks})",
            pks,
        )
    )


def signature_rows_after(db: Db, after: int, limit: int) -> list[tuple[Any, ...]]:
    """Up to ``limit`` stored signatures above ``after`` in ``pk`` order:
    ``(pk, time, sig, size, truncated, exact, prefix, grp)``."""
    rows: list[tuple[Any, ...]] = (
        conn(db)
        .execute(
            "SELECT pk, time, sig, size, truncated, exact, prefix, grp FROM watch_signatures "
            "WHERE pk > ? ORDER BY pk LIMIT ?",
            (after, limit),
        )
        .fetchall()
    )
    return rows


def insert_segment(
    tx: Tx, first_pk: int, last_pk: int, min_time: int, max_time: int, posts: int, keys: bytes
) -> int:
    """Store one key segment; its id."""
    cursor = tx.execute(
        "INSERT INTO watch_segments (first_pk, last_pk, min_time, max_time, posts, keys) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (first_pk, last_pk, min_time, max_time, posts, keys),
    )
    return int(cursor.lastrowid or 0)


def segments_between(db: Db, start: int, stop: int) -> Iterator[tuple[Any, ...]]:
    """The segments with posts dated between ``start`` and ``stop``, by id:
    ``(id, first_pk, last_pk, min_time, max_time, posts, keys)``."""
    yield from conn(db).execute(
        "SELECT id, first_pk, last_pk, min_time, max_time, posts, keys FROM watch_segments "
        "WHERE max_time >= ? AND min_time <= ? ORDER BY id",
        (start, stop),
    )


def small_segments(db: Db, below: int) -> list[tuple[int, int]]:
    """``(id, posts)`` of the segments of fewer than ``below`` posts, by id."""
    rows: list[tuple[int, int]] = (
        conn(db)
        .execute("SELECT id, posts FROM watch_segments WHERE posts < ? ORDER BY id", (below,))
        .fetchall()
    )
    return rows


def segments_by_id(db: Db, ids: list[int]) -> list[tuple[Any, ...]]:
    """``(first_pk, last_pk, min_time, max_time, posts, keys)`` of segments ``ids`` (a few)."""
    marks = ",".join("?" * len(ids))
    rows: list[tuple[Any, ...]] = (
        conn(db)
        .execute(
            "SELECT first_pk, last_pk, min_time, max_time, posts, keys FROM watch_segments "
            f"WHERE id IN ({marks})",
            ids,
        )
        .fetchall()
    )
    return rows


def delete_segments(tx: Tx, ids: list[int]) -> None:
    marks = ",".join("?" * len(ids))
    tx.execute(f"DELETE FROM watch_segments WHERE id IN ({marks})", ids)


def delete_all_segments(tx: Tx) -> None:
    tx.execute("DELETE FROM watch_segments")


def last_segment_id(db: Db) -> int:
    """The id of the newest segment (0 when there is none)."""
    return int(conn(db).execute("SELECT coalesce(max(id), 0) FROM watch_segments").fetchone()[0])


# -- stories --


def pack_centroid(centroid: dict[int, float]) -> bytes:
    """Terms as 64-bit integers, then weights as 32-bit floats, in the machine's order.

    ``struct`` rather than numpy: for a few dozen numbers its fixed cost is half, and the
    index packs one centroid per story it touches.
    """
    n = len(centroid)
    return struct.pack(f"={n}q{n}f", *centroid.keys(), *centroid.values())


def unpack_centroid(blob: bytes | None) -> dict[int, float]:
    if not blob:
        return {}
    n = len(blob) // 12
    terms = np.frombuffer(blob[: n * 8], dtype=np.int64)
    weights = np.frombuffer(blob[n * 8 :], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist(), strict=True))


_STORY_COLUMNS = "id, first_seen, last_seen, size, representative, centroid"


def _story(row: tuple[Any, ...]) -> Story:
    return Story(row[0], row[1], row[2], row[3], unpack_centroid(row[5]), row[4])


def stories_active_since(db: Db, since: int) -> list[Story]:
    """The stories seen at or after ``since`` (epoch seconds)."""
    return [
        _story(r)
        for r in conn(db).execute(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE last_seen >= ?", (since,)
        )
    ]


def load_story(db: Db, story_id: int) -> Story | None:
    row = (
        conn(db)
        .execute(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,))
        .fetchone()
    )
    return None if row is None else _story(row)


def next_story_id(db: Db) -> int:
    return int(conn(db).execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])


def story_of_post(db: Db, pk: int) -> int | None:
    """The story of the post ``pk`` (a near-duplicate group's first post), or None."""
    row = conn(db).execute("SELECT story FROM story_posts WHERE pk = ?", (pk,)).fetchone()
    return None if row is None else int(row[0])


def story_of_url(db: Db, url: str) -> int | None:
    row = conn(db).execute("SELECT story FROM story_urls WHERE url = ?", (url,)).fetchone()
    return None if row is None else int(row[0])


def document_frequencies(db: Db, terms: Iterable[int]) -> dict[int, int]:
    return dict(
        rows_in(conn(db), "SELECT term, df FROM story_terms WHERE term IN ({marks})", terms)
    )


def save_stories(
    tx: Tx,
    clusterer: Clusterer,
    assignments: list[tuple[int, Assignment]],
    terms: set[int],
) -> None:
    """Store a batch's memberships (``(group, assignment)``), the stories it changed, their
    new URLs and the document frequencies of ``terms``."""
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
            (s.id, s.first_seen, s.last_seen, s.size, s.representative, pack_centroid(s.centroid))
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


def story_counts_between(db: Db, stories: list[int], since: str, until: str) -> dict[int, int]:
    """Per story of ``stories``, its posts created in ``[since, until)``."""
    sql = (
        "SELECT s.story, count(*) FROM story_posts s JOIN posts p ON p.pk = s.pk "
        "WHERE s.story IN ({marks}) AND p.created_at >= ? AND p.created_at < ? "
        "GROUP BY s.story"
    )
    return {int(story): int(n) for story, n in rows_in(conn(db), sql, stories, (since, until))}


def stories_first_seen(db: Db, stories: list[int]) -> dict[int, int]:
    """Per story of ``stories``, when it was first seen (epoch seconds)."""
    sql = "SELECT id, first_seen FROM stories WHERE id IN ({marks})"
    return {int(story): first for story, first in rows_in(conn(db), sql, stories)}


# -- alerts --


def save_alert_rule(
    tx: Tx,
    name: str,
    watch: str,
    accounts: str,
    spike: float | None,
    mail: str | None,
    webhook: str | None,
    created_at: str,
) -> None:
    """Create or replace the rule ``name`` (``accounts``: a JSON list of handles)."""
    tx.execute(
        "INSERT INTO alert_rules (name, watch, accounts, spike, mail, webhook, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET watch = excluded.watch, "
        "accounts = excluded.accounts, spike = excluded.spike, mail = excluded.mail, "
        "webhook = excluded.webhook",
        (name, watch, accounts, spike, mail, webhook, created_at),
    )


def alert_rules(db: Db) -> list[tuple[str, str, str, float | None, str | None, str | None]]:
    """``(name, watch, accounts, spike, mail, webhook)`` of every rule, by name."""
    rows: list[tuple[str, str, str, float | None, str | None, str | None]] = (
        conn(db)
        .execute(
            "SELECT name, watch, accounts, spike, mail, webhook FROM alert_rules ORDER BY name"
        )
        .fetchall()
    )
    return rows


def delete_alert_rule(tx: Tx, name: str) -> bool:
    """False when there was no rule ``name``."""
    return tx.execute("DELETE FROM alert_rules WHERE name = ?", (name,)).rowcount != 0


def claim_alert(tx: Tx, rule: str, story: int, kind: str, sent_at: str) -> bool:
    """Record that ``rule`` alerted on ``story``; False when it already had (send nothing)."""
    cursor = tx.execute(
        "INSERT OR IGNORE INTO alerts_sent (rule, story, kind, sent_at) VALUES (?, ?, ?, ?)",
        (rule, story, kind, sent_at),
    )
    return bool(cursor.rowcount)
