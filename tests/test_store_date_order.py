"""The search index in date order (issue 19, revision 0011): a post's index rowid follows
its date, so a search newest first reads the index in that order and stops at its limit —
with the same answers as sorting every match by date."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore, migrations
from veilleur.store.search_sqlite import index_key, key_pk, row_pk

QUERIES = ["emploi", "emploi OR lyon", "emploi -lyon", "emplo*", "emploi NEAR/3 lyon",
           "emploi ONEAR/2 lyon", "lyon network:x", "emploi since:2025-03-01"]  # fmt: skip


def _posts(n: int, seed: int = 3) -> list[Post]:
    """Posts written in an order unrelated to their dates, several in the same second."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    words = "emploi lyon marché le la de et pour".split()
    return [
        Post(
            id=str(i),
            network=rng.choice(["x", "mastodon"]),
            author="a",
            text=" ".join(rng.choice(words) for _ in range(8)),
            lang="fr",
            created_at=start + timedelta(seconds=rng.randint(0, 120) * 86400),
        )
        for i in range(n)
    ]


def _newest_first(store: SQLiteStore, query: str) -> list[str]:
    """What the query matches, sorted by date in Python (the answer the index must give)."""
    found = store.search(parse(query).root, limit=None)
    return [p.id for p in sorted(found, key=lambda p: (p.created_at, int(p.id)), reverse=True)]


def test_rowids_follow_dates_and_name_the_post(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(300))
        rows = store.conn.execute(
            "SELECT f.rowid, p.pk, p.created_at FROM posts_fts f JOIN posts p "
            f"ON p.pk = {row_pk('f.rowid')} ORDER BY f.rowid"
        ).fetchall()
    assert len(rows) == 300
    assert [r[0] for r in rows] == [index_key(pk, at) for _, pk, at in rows]
    assert [key_pk(r[0]) for r in rows] == [r[1] for r in rows]
    newest_first = sorted(((r[2], r[1]) for r in rows), reverse=True)
    assert [(r[2], r[1]) for r in rows] == newest_first


def test_a_limited_search_gives_the_newest_matches(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(400))
        assert store.search_index.date_ordered()
        for query in QUERIES:
            expected = _newest_first(store, query)
            assert expected, query
            for limit in (1, 7, 50):
                got = [p.id for p in store.search(parse(query).root, limit=limit)]
                assert got == expected[:limit], query
            sql, params = store.compile(parse(query).root, limit=10)
            plan = " ".join(str(r) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "TEMP B-TREE" not in plan, (query, plan)  # read in order, no sort


def test_a_post_with_a_date_out_of_range_keeps_the_order_right(tmp_path: Path) -> None:
    posts = _posts(50)
    posts[10].created_at = datetime(1, 1, 1, tzinfo=UTC)  # clamped: its rowid says nothing
    posts[11].created_at = datetime(1600, 1, 1, tzinfo=UTC)
    posts[12].created_at = datetime(9999, 1, 1, tzinfo=UTC)
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(posts)
        assert not store.search_index.date_ordered()  # searches sort by date as before
        for query in ("emploi OR lyon OR marché OR le OR la", "le"):
            expected = _newest_first(store, query)
            assert [p.id for p in store.search(parse(query).root, limit=None)] == expected
            assert [p.id for p in store.search(parse(query).root, limit=5)] == expected[:5]


def test_revision_0011_rebuilds_an_index_of_0004_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with SQLiteStore(db) as store:
        store.write_posts(_posts(2500))
        answers = {q: [p.id for p in store.search(parse(q).root, limit=20)] for q in QUERIES}
        counts = {q: store.count_matches(parse(q).root) for q in QUERIES}
        command.downgrade(migrations.config(store.core), "0004")  # the layout of 0004
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
        old = conn.execute("SELECT rowid FROM posts_fts ORDER BY rowid").fetchall()
        assert old == conn.execute("SELECT pk FROM posts ORDER BY pk").fetchall()
    conn.close()
    heard: list[tuple[str, int, int]] = []
    migrations.on_progress(lambda step, done, total: heard.append((step, done, total)))
    try:
        with SQLiteStore(db) as store:
            assert [p.id for p in store.search(parse(QUERIES[0]).root, limit=20)]
            for query in QUERIES:
                got = [p.id for p in store.search(parse(query).root, limit=20)]
                assert got == answers[query], query
                assert store.count_matches(parse(query).root) == counts[query]
            indexed = store.conn.execute("SELECT count(*) FROM posts_fts").fetchone()[0]
    finally:
        migrations.on_progress(None)
    assert indexed == 2500
    assert heard[-1] == ("fts", 2500, 2500)
    assert [d for _, d, _ in heard] == sorted(d for _, d, _ in heard) and len(heard) >= 2
