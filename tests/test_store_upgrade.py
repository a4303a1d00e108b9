"""A workspace written by the last release before Alembic (schema 6) opens with every row
intact and answers searches as before.

tests/fixtures/workspace-schema6.sqlite was made by scripts/make_schema6_fixture.py with
that release's code: posts of every network (reposts, media, titles, raw payloads), watches,
sources with their state, publishing accounts with secrets, queued posts, a relay and the
items it saw, settings (a secret one too), an alert rule and the alerts sent, the watch's
index.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veilleur.errors import UsageError
from veilleur.model import Post
from veilleur.query import parse
from veilleur.query.ast import Node
from veilleur.store import SQLiteStore, migrations, unseal
from veilleur.store.search_sqlite import FTS_KEY_JOIN, FTS_PKS, SQLiteCompiler
from veilleur.store.sqlite import connect

FIXTURE = Path(__file__).parent / "fixtures" / "workspace-schema6.sqlite"

# What the fixture holds, so that a fixture emptied by mistake fails here.
EXPECTED_ROWS = {
    "posts": 240,
    "watches": 2,
    "sources": 3,
    "publish_accounts": 2,
    "publish_queue": 5,
    "publish_relays": 1,
    "publish_relay_items": 2,
    "settings": 5,
    "alert_rules": 1,
    "alerts_sent": 1,
    "watch_signatures": 240,
    "story_posts": 240,
}

QUERIES = [
    "recrutement",
    "emploi OR embauche",
    "#veille",
    "veille lang:fr",
    "network:x",
    "author:dupont-usinage",
    "recrut*",
    "usin?ge",
    "is:repost",
    "has:media",
    '"la veille"',
    "site:lemonde.fr",
    "title:veille",
    "recrutement -stage",
    "min_likes:10",
]


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(FIXTURE, target)
    return target


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the derived full-text index and Alembic's stamp."""
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'posts_fts%' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"
            )
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}


def _unsealed(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows with the secrets decrypted (an earlier release stored them in clear; the
    first open encrypts them: issue 14)."""
    settings = [(k, unseal(v) if k == "smtp.password" else v) for k, v in rows["settings"]]
    accounts = [(*r[:4], r[4] and unseal(r[4]), *r[5:]) for r in rows.get("publish_accounts", [])]
    return {**rows, "settings": settings, "publish_accounts": accounts}


def test_the_fixture_is_a_complete_schema_6_workspace() -> None:
    with sqlite3.connect(FIXTURE) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (6,)
        assert conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchone() == (0,)
        networks = {r[0] for r in conn.execute("SELECT DISTINCT network FROM posts")}
        kinds = {r[0] for r in conn.execute("SELECT DISTINCT type FROM sources")}
        reposts = conn.execute("SELECT count(*) FROM posts WHERE repost_of IS NOT NULL")
        secret = conn.execute("SELECT value FROM settings WHERE key = 'smtp.password'")
        assert secret.fetchone() == ("mot-de-passe-secret",)
        assert reposts.fetchone()[0] > 0
    assert {"x", "mastodon", "bluesky", "linkedin", "rss", "facebook"} <= networks
    assert kinds == {"rss", "mastodon", "bluesky"}
    before = _rows(FIXTURE)
    for table, count in EXPECTED_ROWS.items():
        assert len(before[table]) == count, table


def test_opening_a_schema_6_workspace_keeps_every_row(tmp_path: Path) -> None:
    path = _copy(tmp_path, "veilleur.sqlite")
    before = _rows(path)
    with SQLiteStore(path) as store:
        assert migrations.current(store.core) == migrations.head()
        assert store.count_posts() == EXPECTED_ROWS["posts"]
        assert unseal(str(store.get_setting("smtp.password"))) == "mot-de-passe-secret"
        post = store.get_post("bluesky", "at://did:plc:abc/app.bsky.feed.post/3kfixture")
        assert post is not None and post.quotes == 2 and post.media[0].alt == "Un atelier"
        article = store.get_post("rss", "https://atelier-plume.example/blog/veille")
        assert article is not None and article.title == "La veille en trois temps"
        assert article.raw is not None and len(str(article.raw)) > 512  # stored compressed
    after = _rows(path)
    assert b"mot-de-passe-secret" not in path.read_bytes()
    # every row kept (secrets compared unsealed); tables added by later revisions start empty;
    # the posts' columns added by revision 0003 keep the declared language, not resolved yet
    unsealed = _unsealed(after)
    # columns added by later revisions come last (posts.lang_declared and lang_source,
    # publish_accounts.insecure, the queue's approval columns): compare the columns each row
    # had, and check the new ones
    width = {table: len(rows[0]) for table, rows in before.items() if rows}
    assert all(
        row[width["posts"] :] == (row[8], None) for row in unsealed["posts"]
    )  # lang, lang_source
    kept = {
        table: [tuple(row[: width.get(table, len(row))]) for row in rows]
        for table, rows in unsealed.items()
        if table in before
    }
    assert kept == before
    assert all(row[width["publish_accounts"] :] == (0,) for row in unsealed["publish_accounts"])
    queue_width = width.get("publish_queue")
    if queue_width is not None:  # the queue's approval columns (0004) start NULL
        assert all(v is None for row in unsealed["publish_queue"] for v in row[queue_width:])
    assert all(rows == [] for table, rows in unsealed.items() if table not in before)
    with SQLiteStore(path):  # opening again changes nothing either
        pass
    assert _rows(path) == after


def _old_release_search(conn: sqlite3.Connection, node: Node) -> set[tuple[str, str]]:
    """What the code before revision 0011 answered from its index, whose rowids were the
    posts' pks: today's compiled query read with that join."""
    # No connection: that index has no posts_fts_words to expand wildcards from, so they are
    # narrowed by their prefix and decided by the matcher (the same posts).
    body, params = SQLiteCompiler().compile(node).from_where()
    body = body.replace(FTS_KEY_JOIN, "JOIN posts_fts ON p.pk = posts_fts.rowid").replace(
        FTS_PKS, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?"
    )
    return {(n, i) for n, i in conn.execute(f"SELECT p.network, p.id {body}", params)}


def test_a_schema_6_workspace_answers_searches_as_before(tmp_path: Path) -> None:
    old = connect(_copy(tmp_path, "old.sqlite"))  # the fixture as it is: no migration
    # (but for the two columns the posts' reader selects since revision 0003, left empty)
    old.execute("ALTER TABLE posts ADD COLUMN lang_declared TEXT")
    old.execute("ALTER TABLE posts ADD COLUMN lang_source TEXT")
    with SQLiteStore(_copy(tmp_path, "new.sqlite")) as store:
        everything = list(store.iter_posts())
        for text in QUERIES:
            node = parse(text).root
            expected = _old_release_search(old, node)
            found = {(p.network, p.id) for p in store.search(node, limit=None)}
            assert found == expected, text
            assert store.count_matches(node) == len(expected), text
            matcher = parse(text)
            assert {(p.network, p.id) for p in everything if matcher.matches(p)} == found, text
        assert store.search(parse("recrutement").root, limit=None)  # the queries do match
        # and it keeps indexing what is written after the upgrade
        store.write_posts(
            [
                Post(
                    id="after-upgrade",
                    network="mastodon",
                    author="camille@social.example",
                    text="Une veille sur l'apprentissage après la mise à jour",
                    created_at=datetime(2026, 6, 1, tzinfo=UTC),
                    lang="fr",
                )
            ]
        )
        found_after = store.search(parse("apprentissage").root, limit=None)
        assert [p.id for p in found_after] == ["after-upgrade"]
    old.close()


def test_a_workspace_of_an_unknown_revision_is_refused_with_advice(tmp_path: Path) -> None:
    path = _copy(tmp_path, "future.sqlite")
    SQLiteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.close()
    with pytest.raises(UsageError, match=r"newer veilleur.*upgrade veilleur"):
        SQLiteStore(path)
