"""The publish pillar's tables and every statement on them.

Tables: ``publish_accounts`` (where veilleur publishes), ``publish_queue`` (one row per post
for one network and account), ``publish_relays`` and ``publish_relay_items`` (the website
relay and the items it has seen).

The rest of the pillar calls the functions below and never speaks SQL. Each takes either
the store (``Db``: the statement runs on its connection, outside any transaction) or what
``store.transaction()`` yields (``Tx``: the statement joins that transaction). Which
statements share a transaction, and in which order transactions come, is decided by the
callers (:mod:`.queue`'s never-twice publishing depends on it): this module opens none.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import Column, Index, Integer, Table, Text, UniqueConstraint, text

from veilleur.store import seal, unseal
from veilleur.store.handles import Db, Tx, conn
from veilleur.store.schema import metadata

# -- schema (SQLAlchemy Core) ----

publish_accounts_table = Table(
    "publish_accounts",
    metadata,
    Column("name", Text, primary_key=True),
    Column("network", Text, nullable=False),
    Column("server", Text),
    Column("handle", Text),
    Column("secret", Text),
    Column("times", Text, nullable=False, server_default=text("'[]'")),  # JSON ["09:00"]
    Column("timezone", Text, nullable=False, server_default=text("'Europe/Paris'")),
    Column("created_at", Text, nullable=False),
    # 1: added with --insecure, so an http:// server was accepted on purpose (a local test
    # server); publishing refuses http:// for any other account.
    Column("insecure", Integer, nullable=False, server_default=text("0")),
)

publish_queue_table = Table(
    "publish_queue",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("network", Text, nullable=False),
    Column("account", Text),
    Column("status", Text, nullable=False),
    Column("texts", Text, nullable=False),  # JSON list, one text per part of a thread
    Column("media", Text, nullable=False, server_default=text("'[]'")),
    Column("link", Text),
    Column("lang", Text),
    Column("idempotency_key", Text, nullable=False),
    Column("scheduled_at", Text),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", Text),
    Column("last_error", Text),
    Column("in_flight_at", Text),
    Column("part_keys", Text, nullable=False, server_default=text("'[]'")),
    Column("remote_ids", Text, nullable=False, server_default=text("'[]'")),
    Column("remote_urls", Text, nullable=False, server_default=text("'[]'")),
    Column("published_at", Text),
    Column("source", Text),
    Column("created_at", Text, nullable=False),
    Column("card", Text),  # JSON {title, description}
    # The approval workflow (web workbench): who submitted the post, who approved or sent
    # it back, and why. A post waiting for approval has the status 'submitted'.
    Column("submitted_by", Text),
    Column("reviewed_by", Text),
    Column("review_note", Text),
    UniqueConstraint("network", "account", "idempotency_key"),
)
Index("publish_queue_due", publish_queue_table.c.status, publish_queue_table.c.scheduled_at)

publish_attempts_table = Table(
    "publish_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer, nullable=False),
    Column("at", Text, nullable=False),
    Column("outcome", Text, nullable=False),  # 'published' or 'failed'
    Column("error", Text),
    Column("remote_ids", Text, nullable=False, server_default=text("'[]'")),
    Column("remote_urls", Text, nullable=False, server_default=text("'[]'")),
    Column("next_attempt_at", Text),
)
"""The publishing journal: one row per try (the queue's row keeps only the last error)."""
Index("publish_attempts_post", publish_attempts_table.c.post_id, publish_attempts_table.c.at)

publish_relays_table = Table(
    "publish_relays",
    metadata,
    Column("name", Text, primary_key=True),
    Column("feed_url", Text, nullable=False),
    Column("targets", Text, nullable=False),  # JSON list of {network, account}
    Column("template", Text, nullable=False),
    Column("auto", Integer, nullable=False, server_default=text("0")),
    Column("last_run", Text),
    Column("last_error", Text),
    Column("created_at", Text, nullable=False),
)

publish_relay_items_table = Table(
    "publish_relay_items",
    metadata,
    Column("relay", Text, primary_key=True),
    Column("item_key", Text, primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("published", Text),
    Column("seen_at", Text, nullable=False),
)


# -- statements ----


Row: TypeAlias = tuple[Any, ...]


# -- accounts --


def save_account(
    tx: Tx,
    name: str,
    network: str,
    server: str | None,
    handle: str | None,
    secret: str | None,
    times: str,
    timezone: str,
    created_at: str,
    insecure: bool = False,
) -> None:
    """Create or update the account ``name``; a None ``secret`` keeps the stored one."""
    tx.execute(
        "INSERT INTO publish_accounts (name, network, server, handle, secret, times, "
        "timezone, created_at, insecure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) "
        "DO UPDATE SET network = excluded.network, server = excluded.server, "
        "handle = excluded.handle, secret = coalesce(excluded.secret, publish_accounts.secret), "
        "times = excluded.times, timezone = excluded.timezone, insecure = excluded.insecure",
        (
            name,
            network,
            server,
            handle,
            secret and seal(secret),
            times,
            timezone,
            created_at,
            int(insecure),
        ),
    )


def set_account_times(tx: Tx, name: str, times: str) -> None:
    tx.execute("UPDATE publish_accounts SET times = ? WHERE name = ?", (times, name))


def account_row(db: Db, name: str) -> Row | None:
    """``(name, network, server, handle, secret, times, timezone, insecure)``, or None."""
    row: Row | None = (
        conn(db)
        .execute(
            "SELECT name, network, server, handle, secret, times, timezone, insecure "
            "FROM publish_accounts WHERE name = ?",
            (name,),
        )
        .fetchone()
    )
    if row is not None and row[4] is not None:  # encrypted at rest (veilleur.store.secrets)
        row = (*row[:4], unseal(row[4]), *row[5:])
    return row


def account_names(db: Db, network: str | None) -> list[str]:
    """The accounts (on ``network``, or all), by name."""
    rows = (
        conn(db)
        .execute(
            "SELECT name FROM publish_accounts WHERE ? IS NULL OR network = ? ORDER BY name",
            (network, network),
        )
        .fetchall()
    )
    return [r[0] for r in rows]


# -- the queue --

QUEUE_COLUMNS = (
    "id, network, account, status, texts, media, link, lang, idempotency_key, scheduled_at, "
    "attempts, next_attempt_at, last_error, in_flight_at, part_keys, remote_ids, remote_urls, "
    "published_at, source, created_at, card, submitted_by, reviewed_by, review_note"
)
"""The columns of the rows the queue's reads return, in this order."""


def insert_post(
    tx: Tx,
    network: str,
    account: str,
    status: str,
    texts: str,
    media: str,
    link: str | None,
    lang: str | None,
    idempotency_key: str,
    scheduled_at: str | None,
    source: str | None,
    created_at: str,
    card: str | None,
) -> int | None:
    """Queue a post; its id, or None when the same (network, account, key) is queued."""
    cursor = tx.execute(
        "INSERT INTO publish_queue (network, account, status, texts, media, link, lang, "
        "idempotency_key, scheduled_at, source, created_at, card) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (network, account, idempotency_key) DO NOTHING",
        (
            network,
            account,
            status,
            texts,
            media,
            link,
            lang,
            idempotency_key,
            scheduled_at,
            source,
            created_at,
            card,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


def queued_post(db: Db, post_id: int) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(f"SELECT {QUEUE_COLUMNS} FROM publish_queue WHERE id = ?", (post_id,))
        .fetchone()
    )
    return row


def queued_posts(db: Db, status: str | None, network: str | None) -> list[Row]:
    """The posts (with ``status``, on ``network``, or all), by time then id."""
    rows: list[Row] = (
        conn(db)
        .execute(
            f"SELECT {QUEUE_COLUMNS} FROM publish_queue WHERE (? IS NULL OR status = ?) "
            "AND (? IS NULL OR network = ?) ORDER BY coalesce(scheduled_at, created_at), id",
            (status, status, network, network),
        )
        .fetchall()
    )
    return rows


def schedule_post(tx: Tx, post_id: int, when: str | None, account: str) -> None:
    tx.execute(
        "UPDATE publish_queue SET status = 'scheduled', scheduled_at = ?, account = ?, "
        "next_attempt_at = NULL WHERE id = ?",
        (when, account, post_id),
    )


def submit_post(tx: Tx, post_id: int, when: str | None, account: str, by: str) -> bool:
    """Ask for approval; False when the post was no longer a draft, failed or sent back."""
    cursor = tx.execute(
        "UPDATE publish_queue SET status = 'submitted', scheduled_at = ?, account = ?, "
        "submitted_by = ?, reviewed_by = NULL, review_note = NULL, next_attempt_at = NULL "
        "WHERE id = ? AND status IN ('draft', 'failed', 'scheduled')",
        (when, account, by, post_id),
    )
    return cursor.rowcount == 1


def review_post(
    tx: Tx, post_id: int, status: str, by: str, note: str | None, when: str | None = None
) -> bool:
    """Approve (``scheduled``) or send back (``draft``) a submitted post, its time set to
    ``when`` if it had none; False when it was not waiting for approval any more (someone
    else reviewed it first)."""
    cursor = tx.execute(
        "UPDATE publish_queue SET status = ?, reviewed_by = ?, review_note = ?, "
        "scheduled_at = coalesce(scheduled_at, ?) WHERE id = ? AND status = 'submitted'",
        (status, by, note, when, post_id),
    )
    return cursor.rowcount == 1


def cancel_post(tx: Tx, post_id: int) -> None:
    tx.execute("UPDATE publish_queue SET status = 'cancelled' WHERE id = ?", (post_id,))


def retry_post(tx: Tx, post_id: int) -> None:
    tx.execute(
        "UPDATE publish_queue SET status = 'scheduled', next_attempt_at = NULL, "
        "attempts = 0 WHERE id = ?",
        (post_id,),
    )


_DUE = (
    "account != '' AND ((status = 'scheduled' AND scheduled_at <= ?) OR "
    "(status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?) OR "
    "status = 'in_flight')"
)
"""What makes a post due (two parameters: now, now)."""


def due_posts(db: Db, now: str | None) -> list[Row]:
    """Scheduled and due, failed and past their backoff, or left in flight: by time, id."""
    rows: list[Row] = (
        conn(db)
        .execute(
            f"SELECT {QUEUE_COLUMNS} FROM publish_queue WHERE {_DUE} ORDER BY scheduled_at, id",
            (now, now),
        )
        .fetchall()
    )
    return rows


def due_post(db: Db, post_id: int, now: str | None) -> Row | None:
    """Post ``post_id`` as it is now if it is still due (see :func:`due_posts`), else None."""
    row: Row | None = (
        conn(db)
        .execute(
            f"SELECT {QUEUE_COLUMNS} FROM publish_queue WHERE id = ? AND {_DUE}",
            (post_id, now, now),
        )
        .fetchone()
    )
    return row


# -- one publisher per post (PostgreSQL) --

POST_LOCKS = 0x76707562  # "vpub": the class of the posts' advisory locks (key 2: the post id)
"""The first key of a post's advisory lock. The store's own locks use the one-key (bigint)
form, a separate key space: they never meet these."""


def hold_post(side: Tx, post_id: int) -> bool:
    """PostgreSQL only: take the advisory lock of post ``post_id`` for ``side``'s session,
    without waiting; False when another session holds it. ``side`` is a connection of its
    own in autocommit mode (``store.side_connection()``): the lock is the session's, so it
    outlives the commits of the publishing and is freed by the server when the session ends
    — a killed process's included."""
    row = side.execute(
        "SELECT pg_try_advisory_lock(CAST(? AS integer), CAST(? AS integer))",
        (POST_LOCKS, post_id),
    ).fetchone()
    return bool(row and row[0])


def let_go_post(side: Tx, post_id: int) -> None:
    """PostgreSQL only: free the advisory lock :func:`hold_post` took."""
    side.execute(
        "SELECT pg_advisory_unlock(CAST(? AS integer), CAST(? AS integer))", (POST_LOCKS, post_id)
    ).fetchone()


def mark_in_flight(tx: Tx, post_id: int, when: str | None, part_keys: str) -> None:
    tx.execute(
        "UPDATE publish_queue SET status = 'in_flight', in_flight_at = ?, part_keys = ? "
        "WHERE id = ?",
        (when, part_keys, post_id),
    )


def record_parts(tx: Tx, post_id: int, remote_ids: str, remote_urls: str) -> None:
    tx.execute(
        "UPDATE publish_queue SET remote_ids = ?, remote_urls = ? WHERE id = ?",
        (remote_ids, remote_urls, post_id),
    )


def mark_published(tx: Tx, post_id: int, when: str | None) -> None:
    tx.execute(
        "UPDATE publish_queue SET status = 'published', published_at = ?, "
        "last_error = NULL, next_attempt_at = NULL WHERE id = ?",
        (when, post_id),
    )


def mark_failed(
    tx: Tx, post_id: int, attempts: int, error: str, next_attempt_at: str | None
) -> None:
    tx.execute(
        "UPDATE publish_queue SET status = 'failed', attempts = ?, last_error = ?, "
        "next_attempt_at = ? WHERE id = ?",
        (attempts, error, next_attempt_at, post_id),
    )


def move_post(
    tx: Tx, post_id: int, when: str, seen: str | None, check_seen: bool, statuses: tuple[str, ...]
) -> bool:
    """Move a post in one of ``statuses`` (submitted, scheduled or failed) to ``when`` (a
    failed one is scheduled again); False when it is in none of them, or (``check_seen``)
    when its time is no longer ``seen``: someone else moved it since the page was read."""
    cursor = tx.execute(
        "UPDATE publish_queue SET scheduled_at = ?, next_attempt_at = NULL, "
        "status = CASE status WHEN 'failed' THEN 'scheduled' ELSE status END "
        f"WHERE id = ? AND status IN ({', '.join('?' * len(statuses))}) "
        "AND (? = 0 OR scheduled_at IS NOT DISTINCT FROM ?)",
        (when, post_id, *statuses, int(check_seen), seen),
    )
    return cursor.rowcount == 1


def add_attempt(
    tx: Tx,
    post_id: int,
    at: str,
    outcome: str,
    error: str | None,
    remote_ids: str,
    remote_urls: str,
    next_attempt_at: str | None,
) -> None:
    tx.execute(
        "INSERT INTO publish_attempts (post_id, at, outcome, error, remote_ids, remote_urls, "
        "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (post_id, at, outcome, error, remote_ids, remote_urls, next_attempt_at),
    )


def attempts_of(db: Db, post_id: int) -> list[Row]:
    """``(at, outcome, error, remote_ids, remote_urls, next_attempt_at)``, oldest first."""
    rows: list[Row] = (
        conn(db)
        .execute(
            "SELECT at, outcome, error, remote_ids, remote_urls, next_attempt_at "
            "FROM publish_attempts WHERE post_id = ? ORDER BY at, id",
            (post_id,),
        )
        .fetchall()
    )
    return rows


def taken_times(db: Db, account: str, start: str | None) -> set[str]:
    """The times of the account's posts scheduled, in flight or published from ``start``."""
    return {
        r[0]
        for r in conn(db).execute(
            "SELECT scheduled_at FROM publish_queue WHERE account = ? AND status IN "
            "('scheduled', 'in_flight', 'published') AND scheduled_at >= ?",
            (account, start),
        )
    }


# -- relays --


def relay_row(db: Db, name: str) -> Row | None:
    """``(name, feed_url, targets, template, auto)``, or None."""
    row: Row | None = (
        conn(db)
        .execute(
            "SELECT name, feed_url, targets, template, auto FROM publish_relays WHERE name = ?",
            (name,),
        )
        .fetchone()
    )
    return row


def relay_names(db: Db) -> list[str]:
    return [r[0] for r in conn(db).execute("SELECT name FROM publish_relays")]


def save_relay(
    tx: Tx, name: str, feed_url: str, targets: str, template: str, auto: int, created_at: str
) -> None:
    tx.execute(
        "INSERT INTO publish_relays (name, feed_url, targets, template, auto, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "feed_url = excluded.feed_url, targets = excluded.targets, "
        "template = excluded.template, auto = excluded.auto",
        (name, feed_url, targets, template, auto, created_at),
    )


def mark_item_seen(
    tx: Tx,
    relay: str,
    item_key: str,
    url: str | None,
    title: str | None,
    published: str | None,
    seen_at: str,
) -> None:
    """Remember an item of the relay's feed (nothing if it is remembered already)."""
    tx.execute(
        "INSERT INTO publish_relay_items (relay, item_key, url, title, published, seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (relay, item_key, url, title, published, seen_at),
    )


def seen_items(db: Db, relay: str) -> set[str]:
    rows = conn(db).execute("SELECT item_key FROM publish_relay_items WHERE relay = ?", (relay,))
    return {r[0] for r in rows}


def record_relay_error(tx: Tx, name: str, error: str, when: str) -> None:
    tx.execute(
        "UPDATE publish_relays SET last_error = ?, last_run = ? WHERE name = ?",
        (error, when, name),
    )


def record_relay_run(tx: Tx, name: str, when: str) -> None:
    tx.execute(
        "UPDATE publish_relays SET last_run = ?, last_error = NULL WHERE name = ?",
        (when, name),
    )
