"""The workspace's sources: what to collect, and where each collection stopped.

A source is a row of the ``sources`` table: its name, type, parameters (the feed URL, the
Mastodon tag…), and its *state* (ETag, cursor, last ids, next time due). The state is saved
in the same transaction as the posts it led to (:func:`save_outcome`): after a crash the
cursor and the posts agree, so nothing is skipped and nothing is collected twice.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from veilleur.errors import UsageError
from veilleur.model import Post, Source, format_datetime, parse_datetime, utcnow
from veilleur.store import SQLiteStore, WriteResult

TYPES = ("rss", "mastodon", "bluesky")
_LOOKUP_CHUNK = 400


@dataclass(slots=True)
class SourceRecord:
    """A source as stored, with its collection state."""

    name: str
    type: str
    params: dict[str, Any]
    enabled: bool = True
    state: dict[str, Any] = field(default_factory=dict)
    last_success: datetime | None = None
    last_error: str | None = None
    posts_collected: int = 0

    def next_due(self) -> datetime | None:
        value = self.state.get("next_due")
        return parse_datetime(value) if isinstance(value, str) else None

    def is_due(self, now: datetime) -> bool:
        due = self.next_due()
        return self.enabled and (due is None or due <= now)

    def to_source(self) -> Source:
        return Source(
            name=self.name,
            type=self.type,
            params=dict(self.params),
            enabled=self.enabled,
            last_success=self.last_success,
            last_error=self.last_error,
            posts_collected=self.posts_collected,
        )


_COLUMNS = "name, type, params, enabled, state, last_success, last_error, posts_collected"


def _row_to_record(row: Sequence[Any]) -> SourceRecord:
    return SourceRecord(
        name=row[0],
        type=row[1],
        params=orjson.loads(row[2]),
        enabled=bool(row[3]),
        state=orjson.loads(row[4]) if row[4] else {},
        last_success=parse_datetime(row[5]) if row[5] else None,
        last_error=row[6],
        posts_collected=int(row[7]),
    )


def slug(text: str, limit: int = 40) -> str:
    """A source name from free text: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    name = ""
    for word in words:  # whole words only, up to the limit
        candidate = f"{name}-{word}" if name else word
        if len(candidate) > limit:
            break
        name = candidate
    return name or (words[0][:limit] if words else "source")


def list_sources(store: SQLiteStore, names: Iterable[str] | None = None) -> list[SourceRecord]:
    """Every source (or the named ones, in that order); an unknown name is an error."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY name").fetchall()
    records = [_row_to_record(r) for r in rows]
    if names is None:
        return records
    by_name = {r.name: r for r in records}
    wanted = list(names)
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none yet"
        raise UsageError(f"unknown source {', '.join(unknown)} (sources: {known})")
    return [by_name[n] for n in wanted]


def get_source(store: SQLiteStore, name: str) -> SourceRecord:
    return list_sources(store, [name])[0]


def unique_name(store: SQLiteStore, wanted: str) -> str:
    taken = {r[0] for r in store.conn.execute("SELECT name FROM sources")}
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def find_same(store: SQLiteStore, type_: str, params: dict[str, Any]) -> SourceRecord | None:
    """The source that already collects exactly this, if any."""
    for record in list_sources(store):
        if record.type == type_ and record.params == params:
            return record
    return None


def add_source(
    store: SQLiteStore,
    type_: str,
    params: dict[str, Any],
    name: str,
    *,
    conn: sqlite3.Connection | None = None,
) -> SourceRecord:
    """Register a source; the name must be free (see :func:`unique_name`)."""
    if type_ not in TYPES:
        raise UsageError(f"unknown source type '{type_}' (types: {', '.join(TYPES)})")
    record = SourceRecord(name=name, type=type_, params=params)
    sql = (
        "INSERT INTO sources (name, type, params, enabled, state, posts_collected, created_at) "
        "VALUES (?, ?, ?, 1, '{}', 0, ?)"
    )
    values = (name, type_, orjson.dumps(params).decode(), format_datetime(utcnow()))
    try:
        if conn is not None:
            conn.execute(sql, values)
        else:
            with store.transaction() as tx:
                tx.execute(sql, values)
    except sqlite3.IntegrityError:
        raise UsageError(f"a source named '{name}' already exists; choose --name") from None
    return record


def remove_source(store: SQLiteStore, name: str) -> None:
    """Forget a source; the posts it collected stay in the workspace."""
    get_source(store, name)
    with store.transaction() as tx:
        tx.execute("DELETE FROM sources WHERE name = ?", (name,))


def known_ids(conn: sqlite3.Connection, network: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` the store already holds for ``network``."""
    found: set[str] = set()
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _LOOKUP_CHUNK):
        chunk = unique[start : start + _LOOKUP_CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            f"SELECT id FROM posts WHERE network = ? AND id IN ({marks})", (network, *chunk)
        )
        found.update(r[0] for r in rows)
    return found


@dataclass(slots=True)
class Saved:
    """What saving one collection did: the write counts and the posts that were new."""

    result: WriteResult
    new_posts: list[Post]


def save_outcome(
    store: SQLiteStore,
    record: SourceRecord,
    posts: Sequence[Post],
    state: dict[str, Any],
    *,
    error: str | None = None,
    now: datetime | None = None,
) -> Saved:
    """Write the posts, the new state and the source's bookkeeping in ONE transaction.

    ``error`` None means the collection succeeded (``last_success`` moves, the last error
    is cleared); otherwise the error is recorded and ``last_success`` stays.
    """
    moment = now or utcnow()
    with store.transaction() as conn:
        fresh: list[Post] = []
        result = WriteResult()
        if posts:
            by_network: dict[str, list[str]] = {}
            for post in posts:
                by_network.setdefault(post.network, []).append(post.id)
            known = {
                (network, id_)
                for network, ids in by_network.items()
                for id_ in known_ids(conn, network, ids)
            }
            seen: set[tuple[str, str]] = set()
            for post in posts:
                key = (post.network, post.id)
                if key not in known and key not in seen:
                    fresh.append(post)
                    seen.add(key)
            result = store.write_posts(posts, conn)
        state_json = orjson.dumps(state).decode()
        if error is None:
            conn.execute(
                "UPDATE sources SET state = ?, last_success = ?, last_error = NULL, "
                "posts_collected = posts_collected + ? WHERE name = ?",
                (state_json, format_datetime(moment), result.new, record.name),
            )
            record.last_success = moment
            record.last_error = None
        else:
            conn.execute(
                "UPDATE sources SET state = ?, last_error = ?, "
                "posts_collected = posts_collected + ? WHERE name = ?",
                (state_json, error, result.new, record.name),
            )
            record.last_error = error
    record.state = state
    record.posts_collected += result.new
    return Saved(result, fresh)


def source_names(conn: sqlite3.Connection) -> set[str]:
    """The names of every source, read inside ``conn``'s transaction."""
    return {r[0] for r in conn.execute("SELECT name FROM sources")}
