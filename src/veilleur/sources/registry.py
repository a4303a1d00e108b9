"""The workspace's sources: what to collect, and where each collection stopped.

A source is a row of the ``sources`` table: its name, type, parameters (the feed URL, the
Mastodon tag…), and its *state* (ETag, cursor, last ids, next time due). The state is saved
in the same transaction as the posts it led to (:func:`save_outcome`): after a crash the
cursor and the posts agree, so nothing is skipped and nothing is collected twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import (
    POST_WRITE_ERRORS,
    Post,
    Source,
    format_datetime,
    parse_datetime,
    utcnow,
)
from veilleur.sources import tables
from veilleur.store import SQLiteStore, WriteResult
from veilleur.store.handles import Db, Tx

TYPES = ("rss", "mastodon", "bluesky")


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
    if names is None:
        return [_row_to_record(r) for r in tables.source_rows(store)]
    wanted = list(names)
    by_name = {r.name: r for r in find_sources(store, wanted)}
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        known = ", ".join(sorted(tables.source_names(store))) or t("none yet")
        raise UsageError(
            t("unknown source {names} (sources: {known})", names=", ".join(unknown), known=known)
        )
    return [by_name[n] for n in wanted]


def find_sources(store: SQLiteStore, names: Iterable[str]) -> list[SourceRecord]:
    """The named sources that exist (a name removed meanwhile is skipped), by name: reads
    only those rows (a worker's job names a few sources among thousands)."""
    return [_row_to_record(r) for r in tables.source_rows(store, list(names))]


def get_source(store: SQLiteStore, name: str) -> SourceRecord:
    return list_sources(store, [name])[0]


def unique_name(db: Db, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``-3``… the first name no source has (``db``: the store,
    or the transaction that is adding sources)."""
    taken = tables.source_names(db)
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
    conn: Tx | None = None,
) -> SourceRecord:
    """Register a source; the name must be free (see :func:`unique_name`).

    ``conn``: a transaction (``store.transaction()``) to register it in.
    """
    if type_ not in TYPES:
        raise UsageError(
            t("unknown source type '{type}' (types: {types})", type=type_, types=", ".join(TYPES))
        )
    record = SourceRecord(name=name, type=type_, params=params)
    values = (name, type_, orjson.dumps(params).decode(), format_datetime(utcnow()))
    if conn is not None:
        added = tables.insert_source(conn, *values)
    else:
        with store.transaction() as tx:
            added = tables.insert_source(tx, *values)
    if not added:
        raise UsageError(
            t("a source named '{name}' already exists; choose --name", name=name)
        ) from None
    return record


def remove_source(store: SQLiteStore, name: str) -> None:
    """Forget a source; the posts it collected stay in the workspace."""
    get_source(store, name)
    with store.transaction() as tx:
        tables.delete_source(tx, name)


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
    # Shared: the posts and this source's row only; collections of other sources write
    # beside it on PostgreSQL (the claims keep one collection per source at a time).
    with store.transaction(shared=True) as tx:
        fresh: list[Post] = []
        result = WriteResult()
        if posts:
            by_network: dict[str, list[str]] = {}
            for post in posts:
                by_network.setdefault(post.network, []).append(post.id)
            known = {
                (network, id_)
                for network, ids in by_network.items()
                for id_ in tables.known_ids(tx, network, ids)
            }
            seen: set[tuple[str, str]] = set()
            for post in posts:
                key = (post.network, post.id)
                if key not in known and key not in seen:
                    fresh.append(post)
                    seen.add(key)
            result = store.write_posts(posts, tx)
            if result.inserted is not None:  # another source's collection may have won one
                fresh = [p for p in fresh if (p.network, p.id) in result.inserted]
        _bookkeeping(tx, record, state, error, moment, result.new)
    record.state = state
    record.posts_collected += result.new
    return Saved(result, fresh)


def save_posts_one_by_one(
    store: SQLiteStore, posts: Sequence[Post]
) -> tuple[Saved, list[tuple[Post, BaseException]]]:
    """Write a batch the store refused whole, each post in its own transaction, so that only
    the posts the store cannot take are lost (returned with their error). The caller then
    saves the state with :func:`record_outcome`, after the posts it led to."""
    fresh: list[Post] = []
    result = WriteResult()
    refused: list[tuple[Post, BaseException]] = []
    for post in posts:
        try:
            with store.transaction(shared=True) as tx:
                was_known = bool(tables.known_ids(tx, post.network, [post.id]))
                written = store.write_posts([post], tx)
        except POST_WRITE_ERRORS as exc:
            refused.append((post, exc))
            continue
        result.add(written)
        if not was_known and written.new:
            fresh.append(post)
    return Saved(result, fresh), refused


def record_outcome(
    store: SQLiteStore,
    record: SourceRecord,
    state: dict[str, Any],
    *,
    error: str | None = None,
    now: datetime | None = None,
    new: int = 0,
) -> None:
    """Save a collection's state and bookkeeping when its ``new`` posts are already written."""
    with store.transaction(shared=True) as tx:
        _bookkeeping(tx, record, state, error, now or utcnow(), new)
    record.state = state
    record.posts_collected += new


def _bookkeeping(
    tx: Tx,
    record: SourceRecord,
    state: dict[str, Any],
    error: str | None,
    moment: datetime,
    new: int,
) -> None:
    state_json = orjson.dumps(state).decode()
    if error is None:
        tables.record_success(tx, record.name, state_json, format_datetime(moment), new)
        record.last_success = moment
        record.last_error = None
    else:
        tables.record_failure(tx, record.name, state_json, error, new)
        record.last_error = error
