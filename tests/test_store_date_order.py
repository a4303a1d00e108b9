"""The search index in date order (issue 19, revisions 0011 and 0012): a post's index rowid
(its key) follows its date, so a search newest first reads the index in that order and stops
at its limit — with the same answers as sorting every match by date. Keys are compact (a
second's range of 64 keys, then a counter); ties within a second, more posts in a second
than its range holds, and posts written out of date order keep the answers right."""

from __future__ import annotations

import importlib
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore, migrations
from veilleur.store.search_sqlite import (
    DELETE_FTS,
    KEY_SLOTS,
    OVERFLOW,
    index_rows,
    keys_of,
    second_range,
)

QUERIES = ["emploi", "emploi OR lyon", "emploi -lyon", "emplo*", "emploi NEAR/3 lyon",
           "emploi ONEAR/2 lyon", "lyon network:x", "emploi since:2025-03-01",
           "emploi until:2025-03-01", "lyon since:2025-02-01 until:2025-03-10 -le",
           "emploi until:2024-01-01", "emploi since:2026-01-01"]  # fmt: skip
START = datetime(2025, 1, 1, tzinfo=UTC)
WORDS = "emploi lyon marché le la de et pour".split()


def _post(i: int, at: datetime, rng: random.Random) -> Post:
    return Post(
        id=str(i),
        network=rng.choice(["x", "mastodon"]),
        author="a",
        text=" ".join(rng.choice(WORDS) for _ in range(8)),
        lang="fr",
        created_at=at,
    )


def _posts(n: int, seed: int = 3) -> list[Post]:
    """Posts written in an order unrelated to their dates, several in the same second."""
    rng = random.Random(seed)
    return [_post(i, START + timedelta(seconds=rng.randint(0, 120) * 86400), rng) for i in range(n)]


def _newest_first(store: SQLiteStore, query: str) -> list[str]:
    """What the matcher keeps of every stored post, sorted by date in Python (the answer the
    index must give)."""
    parsed = parse(query)
    found = [p for p in store.iter_posts() if parsed.matches(p)]
    pks = {p.id: pk for pk, p in _pks(store, found)}
    ordered = sorted(found, key=lambda p: (p.created_at, pks[p.id]), reverse=True)
    return [p.id for p in ordered]


def _pks(store: SQLiteStore, posts: list[Post]) -> list[tuple[int, Post]]:
    rows = dict(store.conn.execute("SELECT id, pk FROM posts").fetchall())
    return [(rows[p.id], p) for p in posts]


def _keys(store: SQLiteStore) -> list[tuple[int, int, str]]:
    """``(key, pk, created_at)`` of every post, by key."""
    return store.conn.execute(
        "SELECT k.key, p.pk, p.created_at FROM posts_fts_key k JOIN posts p ON p.pk = k.pk "
        "ORDER BY k.key"
    ).fetchall()


def _check_order(store: SQLiteStore) -> None:
    """Every post has one key and one index row; keys below OVERFLOW go exactly as
    ``created_at DESC, pk DESC``."""
    rows = _keys(store)
    indexed = store.conn.execute("SELECT rowid FROM posts_fts ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == [r[0] for r in indexed]
    assert len(rows) == store.count_posts()
    ordered = [(at, pk) for key, pk, at in rows if key < OVERFLOW]
    assert ordered == sorted(ordered, reverse=True)
    assert store.search_index.date_ordered() == all(key < OVERFLOW for key, _, _ in rows)


def _answers_right(store: SQLiteStore, queries: list[str], limits: tuple[int, ...]) -> None:
    for query in queries:
        expected = _newest_first(store, query)
        assert expected or "2024" in query or "2026" in query, query
        for limit in limits:
            got = [p.id for p in store.search(parse(query).root, limit=limit)]
            assert got == expected[:limit], (query, limit)


def test_keys_follow_dates_compactly_and_name_the_post(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(300))
        _check_order(store)
        rows = _keys(store)
        assert len(rows) == 300 and store.search_index.date_ordered()
        for key, _pk, at in rows:  # 300 posts in 121 days: each in its own second's range
            second = int(
                (datetime.fromisoformat(at) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
            )
            first, last = second_range(second)
            assert first <= key <= last
        # the posts of one second have consecutive keys, the newest (highest pk) first
        by_second: dict[str, list[tuple[int, int]]] = {}
        for key, pk, at in rows:
            by_second.setdefault(at, []).append((key, pk))
        for keys in by_second.values():
            assert [k for k, _ in keys] == list(range(keys[0][0], keys[0][0] + len(keys)))
            assert [pk for _, pk in keys] == sorted((pk for _, pk in keys), reverse=True)


def test_a_limited_search_gives_the_newest_matches(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(400))
        assert store.search_index.date_ordered()
        _answers_right(store, QUERIES, (1, 7, 50))
        for query in QUERIES:
            sql, params = store.compile(parse(query).root, limit=10)
            plan = " ".join(str(r) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "TEMP B-TREE" not in plan, (query, plan)  # read in order, no sort


def test_posts_of_one_second_written_in_several_batches(tmp_path: Path) -> None:
    """Ties within a second, across batches and out of date order: the later post (higher
    pk) comes first, as ``created_at DESC, pk DESC`` says."""
    rng = random.Random(5)
    seconds = [START + timedelta(hours=h) for h in range(5)]
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        n = 0
        for _batch in range(6):
            posts = [_post(n + i, rng.choice(seconds), rng) for i in range(9)]
            n += len(posts)
            store.write_posts(posts)
            _check_order(store)
        assert store.search_index.date_ordered()
        _answers_right(store, ["emploi", "lyon OR marché"], (1, 10, 40))


def test_more_posts_in_one_second_than_its_range_holds(tmp_path: Path) -> None:
    """200 posts dated at one second (an RSS feed that gives days only): the range of the
    seconds after it is free, so they still get keys in date order, and searches still stop
    at their limit."""
    rng = random.Random(8)
    midnight = START + timedelta(days=3)
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts([_post(i, midnight, rng) for i in range(150)])
        store.write_posts([_post(i, START + timedelta(days=i % 7), rng) for i in range(150, 200)])
        store.write_posts([_post(i, midnight, rng) for i in range(200, 250)])
        _check_order(store)
        assert store.search_index.date_ordered()
        assert KEY_SLOTS < 200
        _answers_right(store, ["emploi", "le OR la OR de"], (1, 60, 250))


def test_when_no_key_is_left_searches_sort_as_before(tmp_path: Path) -> None:
    """Every second of a span full (64 posts each), then more posts dated in it: there is no
    key left between their neighbours, they get keys out of date order, and searches sort
    by date again — the same answers."""
    rng = random.Random(9)
    span = [START + timedelta(seconds=s) for s in range(3)]
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        full = [
            _post(i, at, rng) for i, at in enumerate(at for at in span for _ in range(KEY_SLOTS))
        ]
        store.write_posts(full)
        _check_order(store)
        assert store.search_index.date_ordered()  # exactly full: still in order
        store.write_posts([_post(1000 + i, span[1], rng) for i in range(3)])
        _check_order(store)
        assert not store.search_index.date_ordered()
        dated = ["emploi until:2025-01-02", "lyon since:2025-01-01", "le until:2025-02-01"]
        _answers_right(store, ["emploi", "le OR la OR de OR lyon", *dated], (1, 5, 70, 300))
        sql, params = store.compile(parse("emploi").root, limit=10)
        plan = " ".join(str(r) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "TEMP B-TREE" in plan  # sorted by date, not by key


def test_random_batches_keep_the_order(tmp_path: Path) -> None:
    """Batches of posts crowded into few seconds, written in any date order: after each
    batch the keys in date order go exactly as the posts' order, and searches agree with
    sorting in Python, in order or overflowed."""
    rng = random.Random(11)
    seconds = [START + timedelta(seconds=s) for s in (0, 1, 2, 5, 60, 61, 3600)]
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        n = 0
        for _batch in range(12):
            size = rng.choice([1, 5, 30, 90])
            store.write_posts([_post(n + i, rng.choice(seconds), rng) for i in range(size)])
            n += size
            _check_order(store)
        queries = ["emploi", "lyon -marché", "emploi until:2025-01-02", "lyon since:2025-01-01"]
        _answers_right(store, queries, (1, 20, 500))


def test_dates_far_from_today_keep_the_order(tmp_path: Path) -> None:
    posts = _posts(50)
    posts[10].created_at = datetime(1, 1, 1, tzinfo=UTC)
    posts[11].created_at = datetime(1600, 1, 1, tzinfo=UTC)
    posts[12].created_at = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(posts)
        _check_order(store)
        assert store.search_index.date_ordered()
        _answers_right(store, ["emploi OR lyon OR marché OR le OR la", "le"], (1, 5, 50))


def test_a_date_not_in_the_stores_format_gets_a_key_out_of_order(tmp_path: Path) -> None:
    """A ``created_at`` the store did not write (its text order may not be its time order)
    gets an OVERFLOW key; searches sort by date and stay right."""
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(40))
        with store.transaction() as tx:
            tx.execute(
                "INSERT INTO posts (network, id, author, text, created_at, lang) "
                "VALUES ('x', 'odd', 'a', 'emploi lyon', '2025-02-01 10:00:00+01:00', 'fr')"
            )
            store.search_index.index_after(tx, 40)
        _check_order(store)
        assert not store.search_index.date_ordered()
        found = [p.id for p in store.search(parse("emploi").root, limit=None)]
        assert "odd" in found
        assert [p.id for p in store.search(parse("emploi").root, limit=5)] == found[:5]


def test_a_post_keyed_after_newer_pks_gets_a_key_out_of_order(tmp_path: Path) -> None:
    """Keys are given in pk order; a post indexed after a higher pk (no writer does so) cannot
    know its place within its second, so it gets an OVERFLOW key and searches sort."""
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(30))
        with store.transaction() as tx:
            (pk, at) = tx.execute("SELECT pk, created_at FROM posts WHERE pk = 5").fetchone()
            text, title, lang = tx.execute(
                "SELECT text, title, lang FROM posts WHERE pk = 5"
            ).fetchone()
            row = (pk, at, text, title, lang)  # its index row, deleted with its values
            tx.executemany(DELETE_FTS, index_rows([row], keys_of(tx, [pk])))
            tx.execute("DELETE FROM posts_fts_key WHERE pk = 5")
            store.search_index.index_posts(tx, [(pk, at, text, title, lang)])
        (key,) = store.conn.execute("SELECT key FROM posts_fts_key WHERE pk = 5").fetchone()
        assert key == OVERFLOW + 5
        _check_order(store)
        assert not store.search_index.date_ordered()
        _answers_right(store, ["emploi OR lyon OR le"], (1, 5, 30))


def _old_key(pk: int, created_at: str) -> int:
    previous = importlib.import_module("veilleur.store.alembic.versions.0011_fts_date_rowids")
    return int(previous.index_key(pk, created_at))


def test_revision_0012_rebuilds_the_index_of_0011_and_0004_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with SQLiteStore(db) as store:
        store.write_posts(_posts(2500))
        answers = {q: [p.id for p in store.search(parse(q).root, limit=20)] for q in QUERIES}
        counts = {q: store.count_matches(parse(q).root) for q in QUERIES}
        keys = _keys(store)
        command.downgrade(migrations.config(store.core), "0011")  # the layout of 0011
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0011",)
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'posts_fts_key'").fetchall()
            == []
        )
        rowids = [r[0] for r in conn.execute("SELECT rowid FROM posts_fts ORDER BY rowid")]
        posts = conn.execute("SELECT pk, created_at FROM posts").fetchall()
        assert rowids == sorted(_old_key(pk, at) for pk, at in posts)
    conn.close()
    for step in ("0011", "0004"):
        if step == "0004":
            with SQLiteStore(db) as store:
                command.downgrade(migrations.config(store.core), "0004")
            with sqlite3.connect(db) as conn:
                old = conn.execute("SELECT rowid FROM posts_fts ORDER BY rowid").fetchall()
                assert old == conn.execute("SELECT pk FROM posts ORDER BY pk").fetchall()
            conn.close()
        heard: list[tuple[str, int, int]] = []
        migrations.on_progress(lambda s, d, t, heard=heard: heard.append((s, d, t)))
        try:
            with SQLiteStore(db) as store:
                for query in QUERIES:
                    got = [p.id for p in store.search(parse(query).root, limit=20)]
                    assert got == answers[query], query
                    assert store.count_matches(parse(query).root) == counts[query]
                assert _keys(store) == keys  # the same keys as the posts were given
                _check_order(store)
        finally:
            migrations.on_progress(None)
        # one rebuild, from 0011 as from 0004: 0013's contentless one (0011 and 0012 only
        # make their layouts when the upgrade goes on to 0013)
        assert heard == [("fts", 2000, 2500), ("fts", 2500, 2500)]


def test_date_bounds_read_only_the_keys_of_their_dates(tmp_path: Path) -> None:
    """``until:`` (and ``since:`` when every key is ordered) bound the index keys read, so a
    search before a date does not walk every newer match; the answers are the same."""
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(400))
        search = store.search_index
        until = search.compile(parse("emploi until:2025-03-01").root)
        since = search.compile(parse("emploi since:2025-03-01").root)
        assert until.keys_from is not None and until.keys_to is None
        assert since.keys_to is not None and since.keys_from is None
        keys = _keys(store)
        before = [k for k, _, at in keys if at < "2025-03-01"]
        after = [k for k, _, at in keys if at >= "2025-03-01"]
        assert until.keys_from == min(before) and since.keys_to == max(after)
        assert search.compile(parse("emploi OR until:2025-03-01").root).keys_from is None
        _answers_right(store, ["emploi until:2025-03-01", "emploi since:2025-03-01"], (1, 50))
