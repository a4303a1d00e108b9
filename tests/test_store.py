"""The SQLite store: schema migrations from the first version, settings, stats."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from veilleur.errors import UsageError
from veilleur.model import Media, Post
from veilleur.store import SQLiteStore, legacy, migrations
from veilleur.store.codec import post_to_row


def _post(i: int) -> Post:
    return Post(
        id=f"{i:04d}",
        network="mastodon" if i % 2 else "bluesky",
        author=f"auteur{i % 4}",
        text=f"Réseaux sociaux et veille, épisode {i} — l'emploi à Lyon",
        created_at=datetime(2026, 1 + i % 12, 1 + i % 27, 9, 30, tzinfo=UTC),
        lang="fr",
        likes=i,
        media=[Media(url=f"https://exemple.fr/{i}.png", alt="Schéma")] if i % 3 == 0 else [],
        raw={"payload": i, "texte": "é"},
    )


def test_upgrade_from_the_first_schema_keeps_every_post(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    legacy.migrate(conn, target=1)
    posts = [_post(i) for i in range(300)]
    # Written as release 1 wrote them: the first schema's columns, no later derived data.
    columns = [r[1] for r in conn.execute("PRAGMA table_info(posts)")][1:]
    conn.executemany(
        f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [post_to_row(p)[: len(columns)] for p in posts],
    )
    conn.execute("INSERT INTO posts_fts (rowid, text, title) SELECT pk, text, '' FROM posts")
    conn.close()

    with SQLiteStore(db) as store:
        assert legacy.schema_version(store.conn) == legacy.LATEST
        assert migrations.current(store.core) == migrations.head()
        assert store.count_posts() == 300
        for original in posts:
            stored = store.get_post(original.network, original.id)
            assert stored is not None
            assert (stored.text, stored.created_at, stored.likes) == (
                original.text,
                original.created_at,
                original.likes,
            )
            assert stored.media == original.media and stored.raw == original.raw
        found = store.search_words(["emploi"], limit=None)
        assert len(found) == 300  # still searchable after the upgrade


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite"
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {legacy.LATEST + 1}")
    conn.close()
    with pytest.raises(UsageError, match="upgrade veilleur"):
        SQLiteStore(db)


def test_write_is_idempotent_and_last_record_of_a_batch_wins(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        first = store.write_posts([_post(1), _post(2)])
        assert (first.new, first.updated, first.known) == (2, 0, 0)
        again = store.write_posts([_post(1), _post(2)])
        assert (again.new, again.updated, again.known) == (0, 0, 2)
        more = _post(1)
        more.likes = 50
        result = store.write_posts([more])
        assert result.updated == 1
        stored = store.get_post("mastodon", "0001")
        assert stored is not None and stored.likes == 50


def test_stats_count_by_network_author_and_month(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts([_post(i) for i in range(24)])
        stats = store.stats()
    assert dict(stats["network"]) == {"bluesky": 12, "mastodon": 12}
    assert dict(stats["author"])["auteur1 (mastodon)"] == 6
    assert dict(stats["month"])["2026-01"] == 2 and len(stats["month"]) == 12
