"""The SQLite search index keeps no copy of its columns (issue 19, revision 0013): ``posts_fts``
is contentless (``content = ''``), the column values being what the indexing path makes of
each post's ``text``, ``title`` and ``lang``. What must still hold: the index's rows are
those values (read back from its terms and positions), also after ``veilleur relang``
deletes rows with their old values; the upgrade from 0012 rebuilds the index with progress
and gives the same answers; the index takes less room."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore, migrations, search_sqlite
from veilleur.store.search_sqlite import RULES_SETTING, index_values, indexed_rows

FRENCH = [
    "Nous recrutons deux techniciens de maintenance pour notre atelier de Lyon",
    "Les entreprises industrielles de la région cherchent des techniciennes qualifiées",
    "Notre salon de l'innovation ouvre ses portes aux recruteurs lundi prochain",
]
ENGLISH = [
    "We are hiring two maintenance technicians for our workshop in Lyon",
    "Industrial companies of the region are looking for skilled technicians",
]
QUERIES = [
    "technicien",
    "technicians",
    "industriel",
    "hiring",
    "technicien NEAR/4 maintenance",
    "maintenance ONEAR/3 atelier",
    "maintenance ONEAR/2 technicians",
    "techni*",
    "atelier OR workshop",
    "#lyon",
    '"de lyon"',
    "maintenance -atelier",
]


def _posts(n: int, seed: int = 5) -> list[Post]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posts = []
    for i in range(n):
        french = rng.random() < 0.6
        text = rng.choice(FRENCH if french else ENGLISH)
        if rng.random() < 0.3:
            text += " #Lyon https://emploi.example/offre"
        posts.append(
            Post(
                id=str(i),
                network=rng.choice(["x", "mastodon"]),
                author="a",
                text=text,
                title=rng.choice([None, "Offre d'emploi", "Job offer"]),
                lang="fr" if french else "en",
                created_at=start + timedelta(minutes=rng.randint(0, 50_000)),
            )
        )
    return posts


def _expected_rows(conn: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    """What the index must hold: each post's values by the indexing path, under its key."""
    return {
        key: index_values(text, title, lang)
        for key, text, title, lang in conn.execute(
            "SELECT k.key, p.text, p.title, p.lang FROM posts p JOIN posts_fts_key k ON k.pk = p.pk"
        )
    }


def _answers(store: SQLiteStore) -> dict[str, tuple[list[str], int]]:
    return {
        q: (
            [p.id for p in store.search(parse(q).root, limit=None)],
            store.count_matches(parse(q).root),
        )
        for q in QUERIES
    }


def _matcher(store: SQLiteStore) -> dict[str, list[str]]:
    posts = list(store.iter_posts())
    found = {}
    for q in QUERIES:
        parsed = parse(q)
        found[q] = sorted(p.id for p in posts if parsed.matches(p))
    return found


def _fts_bytes(conn: sqlite3.Connection) -> int:
    (size,) = conn.execute(
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'posts_fts%' "
        "AND name NOT IN ('posts_fts_key', 'posts_fts_key_pk', 'posts_fts_words')"
    ).fetchone()
    return int(size)


def test_the_index_holds_the_posts_values_and_no_copy_of_them(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(300))
        conn = store.conn
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "posts_fts" in names and "posts_fts_content" not in names
        assert conn.execute("SELECT w, fr FROM posts_fts LIMIT 1").fetchone() == (None, None)
        assert indexed_rows(conn) == _expected_rows(conn)
        answers = _answers(store)
        matcher = _matcher(store)
        for query, (found, count) in answers.items():
            assert sorted(found) == matcher[query], query
            assert count == len(found), query
        assert all(found for found, _ in answers.values())
        # best match first reads the column sizes FTS5 still keeps
        ranked = store.search(parse("technicien").root, sort="relevance", limit=None)
        assert sorted(p.id for p in ranked) == matcher["technicien"]


def test_relang_deletes_old_rows_with_their_old_values(tmp_path: Path) -> None:
    """A post whose reading changes has its row deleted with the values it was indexed with
    (those of the post before its new language is written): deleting with the new ones would
    leave the old stems in the index, and a search for them would still find the post."""
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(200))
        # As a workspace written before the effective language: every post declared English,
        # language not checked yet, indexed as such.
        with store.transaction() as tx:
            tx.execute("UPDATE posts SET lang = 'en', lang_declared = NULL, lang_source = NULL")
        store.reindex_search()
        conn = store.conn
        old_rows = indexed_rows(conn)
        assert old_rows == _expected_rows(conn)
        assert store.search(parse("industriel").root, limit=None) == []  # no French stems
        update = store.relang(batch=70)  # several transactions
        assert update.reindexed > 50
        new_rows = indexed_rows(conn)
        assert new_rows == _expected_rows(conn)
        changed = [k for k in new_rows if new_rows[k] != old_rows[k]]
        assert len(changed) == update.reindexed  # English stems gone, French ones there
        assert all(old_rows[k][2] and not new_rows[k][2] and new_rows[k][1] for k in changed)
        assert conn.execute("SELECT lang, count(*) FROM posts GROUP BY lang").fetchall() == [
            ("en", 200 - update.reindexed),
            ("fr", update.reindexed),
        ]
        matcher = _matcher(store)
        for query, (found, count) in _answers(store).items():
            assert sorted(found) == matcher[query], query
            assert count == len(found), query
        again = store.relang()
        assert again.changed == again.reindexed == 0
        assert indexed_rows(conn) == _expected_rows(conn)


def test_revision_0013_rebuilds_the_index_of_0012_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with SQLiteStore(db) as store:
        store.write_posts(_posts(2500))
        answers = _answers(store)
        rows = indexed_rows(store.conn)
        keys = store.conn.execute("SELECT key, pk FROM posts_fts_key ORDER BY key").fetchall()
        contentless = _fts_bytes(store.conn)
        command.downgrade(migrations.config(store.core), "0012")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0012",)
        # 0012's layout stores the values: the same rows as the index held
        stored = conn.execute(
            "SELECT rowid, w, fr, en, tw, tfr, ten, tags, ment, cash, dom, meta FROM posts_fts"
        ).fetchall()
        assert {r[0]: tuple(r[1:]) for r in stored} == rows
        with_content = _fts_bytes(conn)
    conn.close()
    assert contentless < with_content
    heard: list[tuple[str, int, int]] = []
    migrations.on_progress(lambda s, d, t: heard.append((s, d, t)))
    try:
        with SQLiteStore(db) as store:
            assert heard == [("fts", 2000, 2500), ("fts", 2500, 2500)]
            assert migrations.current(store.core) == "0013"
            assert _answers(store) == answers
            assert indexed_rows(store.conn) == rows
            assert (
                store.conn.execute("SELECT key, pk FROM posts_fts_key ORDER BY key").fetchall()
                == keys
            )
            at = datetime(2027, 1, 1, tzinfo=UTC)
            new = Post(id="new", network="x", author="a", text="technicien", created_at=at)
            store.write_posts([new])
            assert store.search(parse("technicien").root, limit=1)[0].id == "new"
    finally:
        migrations.on_progress(None)


def test_relang_leaves_a_stale_index_to_reindex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index made by other text rules cannot have its rows deleted with today's values
    (FTS5 finds its index corrupt when a column's total size goes below zero, and leaves
    stray terms otherwise): ``relang`` leaves it, and ``veilleur reindex`` rebuilds it
    exactly."""
    db = tmp_path / "s.sqlite"
    real = search_sqlite.index_values

    def other_rules(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        values = real(text, title, lang)  # no English stems, a word read otherwise
        return (values[0] + " autrefois", values[1], "", values[3], values[4], "", *values[6:])

    monkeypatch.setattr(search_sqlite, "index_values", other_rules)
    with SQLiteStore(db) as store:
        store.write_posts(_posts(100))
        with store.transaction() as tx:
            tx.execute("UPDATE posts SET lang = 'en', lang_declared = NULL, lang_source = NULL")
        store.reindex_search()
        store.set_setting(RULES_SETTING, "0")
    monkeypatch.setattr(search_sqlite, "index_values", real)
    with SQLiteStore(db) as store:
        assert store.search_index.stale
        update = store.relang()
        assert update.reindexed > 20
        store.reindex_search()
        assert indexed_rows(store.conn) == _expected_rows(store.conn)
        matcher = _matcher(store)
        for query, (found, _count) in _answers(store).items():
            assert sorted(found) == matcher[query], query
        assert store.search(parse('"autrefois"').root) == []
