"""The hand-written migrations of the SQLite store before Alembic (schema 1 to 6). FROZEN.

Releases before issue 13 recorded their schema in ``PRAGMA user_version`` and moved it from
version N-1 to N, one transaction per step. Alembic now owns the migrations
(:mod:`veilleur.store.migrations`); its baseline revision runs this ladder, so that a new
workspace gets schema 6 exactly as before and an older one (1 to 5) is brought to 6 with
its data, then stamped. Never edit it and never add a step: a schema change is a new Alembic
revision.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";\n"):
            if statement.strip():
                conn.execute(statement)

    return run


V1 = """
CREATE TABLE posts (
    pk INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    id TEXT NOT NULL,
    author TEXT NOT NULL,
    author_name TEXT,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    url TEXT,
    lang TEXT,
    title TEXT,
    reply_to TEXT,
    repost_of TEXT,
    quote_of TEXT,
    media TEXT,
    likes INTEGER,
    reposts INTEGER,
    replies INTEGER,
    quotes INTEGER,
    views INTEGER,
    collected_at TEXT,
    source TEXT,
    raw BLOB,
    UNIQUE (network, id)
);
CREATE INDEX posts_created_at ON posts (created_at);
CREATE INDEX posts_author ON posts (author, network);
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    text, title, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE watches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    params TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    state TEXT,
    last_success TEXT,
    last_error TEXT,
    posts_collected INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
)
"""

WATCH = """
CREATE TABLE watch_signatures (
    pk INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    sig BLOB NOT NULL,
    size INTEGER NOT NULL,
    truncated INTEGER NOT NULL,
    exact INTEGER NOT NULL,
    prefix INTEGER NOT NULL,
    grp INTEGER NOT NULL
);
CREATE INDEX watch_signatures_time ON watch_signatures (time);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    size INTEGER NOT NULL,
    representative INTEGER NOT NULL,
    centroid BLOB
);
CREATE INDEX stories_last_seen ON stories (last_seen);
CREATE TABLE story_posts (
    pk INTEGER PRIMARY KEY,
    story INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    reason TEXT NOT NULL,
    similarity REAL NOT NULL
);
CREATE INDEX story_posts_story ON story_posts (story);
CREATE INDEX story_posts_grp ON story_posts (grp);
CREATE TABLE story_urls (
    url TEXT PRIMARY KEY,
    story INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE story_terms (
    term INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE watch_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE alert_rules (
    name TEXT PRIMARY KEY,
    watch TEXT NOT NULL,
    accounts TEXT NOT NULL,
    spike REAL,
    mail TEXT,
    webhook TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE alerts_sent (
    rule TEXT NOT NULL,
    story INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (rule, story)
)
"""

# -- publish: accounts, the queue of posts, website relays (issue 9) -----------------------
V_PUBLISH = """
CREATE TABLE publish_accounts (
    name TEXT PRIMARY KEY,
    network TEXT NOT NULL,
    server TEXT,
    handle TEXT,
    secret TEXT,
    times TEXT NOT NULL DEFAULT '[]',
    timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
    created_at TEXT NOT NULL
);
CREATE TABLE publish_queue (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL,
    account TEXT,
    status TEXT NOT NULL,
    texts TEXT NOT NULL,
    media TEXT NOT NULL DEFAULT '[]',
    link TEXT,
    lang TEXT,
    idempotency_key TEXT NOT NULL,
    scheduled_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    in_flight_at TEXT,
    part_keys TEXT NOT NULL DEFAULT '[]',
    remote_ids TEXT NOT NULL DEFAULT '[]',
    remote_urls TEXT NOT NULL DEFAULT '[]',
    published_at TEXT,
    source TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (network, account, idempotency_key)
);
CREATE INDEX publish_queue_due ON publish_queue (status, scheduled_at);
CREATE TABLE publish_relays (
    name TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    targets TEXT NOT NULL,
    template TEXT NOT NULL,
    auto INTEGER NOT NULL DEFAULT 0,
    last_run TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE publish_relay_items (
    relay TEXT NOT NULL,
    item_key TEXT NOT NULL,
    url TEXT,
    title TEXT,
    published TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (relay, item_key)
)
"""


def _query_index(conn: sqlite3.Connection) -> None:
    """Rebuild ``posts_fts`` as the query language reads posts: words, French and English
    stems, entities, domains (see :mod:`veilleur.store.search_sqlite`), every stored post
    reindexed. Computed in Python with the text core, hence not plain SQL."""
    from veilleur.store.search_sqlite import FTS_COLUMNS, INSERT_FTS, index_rows

    conn.execute("DROP TABLE IF EXISTS posts_fts")
    conn.execute(
        f"CREATE VIRTUAL TABLE posts_fts USING fts5 ({', '.join(FTS_COLUMNS)}, "
        "tokenize = 'ascii', prefix = '2 3 4')"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS posts_author_nocase ON posts (author COLLATE NOCASE)")
    last = 0
    while rows := conn.execute(
        "SELECT pk, created_at, text, title, lang FROM posts WHERE pk > ? ORDER BY pk LIMIT 2000",
        (last,),
    ).fetchall():  # rowid = pk, as schema 6 had it
        conn.executemany(INSERT_FTS, index_rows(rows, {r[0]: r[0] for r in rows}))
        last = rows[-1][0]


MIGRATIONS: list[Migration] = [
    Migration(1, "posts, full-text index, settings, watches, sources", _script(V1)),
    Migration(2, "watch: near-duplicate signatures, stories, alert rules", _script(WATCH)),
    Migration(
        3,
        "publish: accounts, queue of posts with idempotency keys, website relays",
        _script(V_PUBLISH),
    ),
    Migration(
        4,
        "publish: the title and description of a post's link card",
        _script("ALTER TABLE publish_queue ADD COLUMN card TEXT"),
    ),
    Migration(5, "query-language index: words, stems, entities, domains", _query_index),
    Migration(
        6,
        "watch: near-duplicate keys stored as segments (built from the signatures on next use)",
        _script(
            "CREATE TABLE watch_segments (id INTEGER PRIMARY KEY, first_pk INTEGER NOT NULL, "
            "last_pk INTEGER NOT NULL, min_time INTEGER NOT NULL, max_time INTEGER NOT NULL, "
            "posts INTEGER NOT NULL, keys BLOB NOT NULL);\n"
            "CREATE INDEX watch_segments_time ON watch_segments (max_time, min_time)"
        ),
    ),
]

LATEST = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> list[int]:
    """Bring the database to ``target``; returns the versions applied.

    Each step commits on its own, so an interrupted upgrade resumes where it stopped.
    """
    applied: list[int] = []
    current = schema_version(conn)
    if current > LATEST:
        from veilleur.errors import UsageError

        raise UsageError(
            f"this workspace was written by a newer veilleur (schema {current}, "
            f"this version knows up to {LATEST}); upgrade veilleur to open it"
        )
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                migration.apply(conn)
                conn.execute(f"PRAGMA user_version = {migration.version}")
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            applied.append(migration.version)
    return applied
