"""Collect sources concurrently, save each one's posts and state together, report.

The run never stops on a source's failure: the error is recorded on the source (shown by
``veilleur source list``) and the next try is scheduled later and later. After each
source's posts are committed, the optional ``on_batch`` hook receives the source and the
posts that were new — the entry point for alerts evaluated while collecting (see
:data:`BatchHook`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from veilleur.i18n import t
from veilleur.model import POST_WRITE_ERRORS, Post, format_datetime, post_problem, utcnow
from veilleur.sources import tables
from veilleur.sources.base import Collector, Context, Outcome
from veilleur.sources.http import Fetcher, FetchError, HostGate, HttpPolicy
from veilleur.sources.registry import (
    SourceRecord,
    record_outcome,
    save_outcome,
    save_posts_one_by_one,
)
from veilleur.sources.schedule import due_at, error_interval
from veilleur.store import SQLiteStore

log = logging.getLogger(__name__)

BatchHook = Callable[[SourceRecord, list[Post]], None]
"""``on_batch(source, new_posts)``: called once per source and collection, right after its
posts and state were committed, with the posts that were not in the workspace before (in
the order the source gave them; possibly an empty list). Called from the collecting
thread; a hook that raises is reported on that source and the run goes on. ``veilleur
run`` passes its hook here (e.g. the watch's alert evaluation)."""

ProgressHook = Callable[["SourceReport"], None]


@dataclass(slots=True)
class SourceReport:
    """What one source's collection did."""

    name: str
    type: str
    status: str  # ok | not-modified | error | skipped
    new: int = 0
    updated: int = 0
    known: int = 0
    error: str | None = None
    warning: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "status": self.status,
            "new": self.new,
            "updated": self.updated,
            "known": self.known,
            "error": self.error,
            "warning": self.warning,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class CollectReport:
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == "error"]

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": [s.to_json() for s in self.sources],
            "new": self.new,
            "failed": len(self.failed),
        }


def collectors() -> dict[str, Collector]:
    """Collector of each source type (imported here so each module stays independent)."""
    from veilleur.sources.bluesky import collect_bluesky
    from veilleur.sources.mastodon import collect_mastodon
    from veilleur.sources.rss import collect_rss

    return {"rss": collect_rss, "mastodon": collect_mastodon, "bluesky": collect_bluesky}


def screen_posts(posts: Sequence[Post]) -> tuple[list[Post], list[tuple[Post, str]]]:
    """The posts the store can keep, and the others with the reason (the importers' rule:
    :func:`veilleur.model.post_problem`)."""
    kept: list[Post] = []
    refused: list[tuple[Post, str]] = []
    for post in posts:
        problem = post_problem(post)
        if problem is None:
            kept.append(post)
        else:
            refused.append((post, problem))
    return kept, refused


def _refusals(record: SourceRecord, refused: Sequence[tuple[Post, str]]) -> str | None:
    """One line naming the source's address, the first item refused and why, and how many."""
    if not refused:
        return None
    post, reason = refused[0]
    where = source_address(record)
    item = post.url or post.id
    if len(refused) == 1:
        return t("{source}: item {item} not kept: {reason}", source=where, item=item, reason=reason)
    return t(
        "{source}: {n} items not kept; the first, {item}: {reason}",
        source=where,
        n=len(refused),
        item=item,
        reason=reason,
    )


def source_address(record: SourceRecord) -> str:
    """Where a source is read from, for messages: its feed URL, instance or AppView."""
    p = record.params
    for value in (record.state.get("url"), p.get("url"), p.get("instance"), p.get("appview")):
        if value:
            return str(value)
    if record.type == "bluesky":
        from veilleur.networks.bluesky import DEFAULT_APPVIEW

        return DEFAULT_APPVIEW
    return record.name


def _join(*warnings: str | None) -> str | None:
    kept = [w for w in warnings if w]
    return "; ".join(kept) if kept else None


def due_sources(records: Sequence[SourceRecord], now: datetime) -> list[SourceRecord]:
    return [r for r in records if r.is_due(now)]


def _failed_state(record: SourceRecord, now: datetime, exc: BaseException) -> dict[str, Any]:
    state = dict(record.state)
    failures = int(state.get("failures", 0)) + 1
    wait = error_interval(state.get("interval"), failures)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        wait = max(wait, int(retry_after))
    state.update(
        failures=failures,
        next_due=format_datetime(due_at(now, wait)),
        last_error_at=format_datetime(now),
    )
    return state


class Runner:
    """Collects sources of one store with one shared HTTP client."""

    def __init__(
        self,
        store: SQLiteStore,
        policy: HttpPolicy,
        *,
        concurrency: int = 32,
        on_batch: BatchHook | None = None,
        on_progress: ProgressHook | None = None,
        env: dict[str, str] | None = None,
        collectors_by_type: Mapping[str, Collector] | None = None,
        gate: HostGate | None = None,
    ) -> None:
        self.store = store
        self.gate = gate
        self.policy = policy
        self.concurrency = max(1, concurrency)
        self.on_batch = on_batch
        self.on_progress = on_progress
        self.env = env if env is not None else {}
        self._collectors = dict(collectors_by_type or collectors())

    def known(self, network: str, ids: Sequence[str]) -> set[str]:
        return tables.known_ids(self.store, network, ids)

    async def collect(
        self, records: Sequence[SourceRecord], stop: asyncio.Event | None = None
    ) -> CollectReport:
        """Collect ``records`` concurrently; once ``stop`` is set, no new source starts."""
        report = CollectReport()
        slots = asyncio.Semaphore(self.concurrency)
        async with Fetcher(self.policy, gate=self.gate) as http:

            async def one(record: SourceRecord) -> None:
                async with slots:
                    if stop is not None and stop.is_set():
                        item = SourceReport(record.name, record.type, "skipped")
                    else:
                        item = await self._collect_one(record, http)
                report.sources.append(item)
                if self.on_progress is not None:
                    self.on_progress(item)

            await asyncio.gather(*(one(r) for r in records))
        order = {r.name: i for i, r in enumerate(records)}
        report.sources.sort(key=lambda s: order[s.name])
        return report

    async def _collect_one(self, record: SourceRecord, http: Fetcher) -> SourceReport:
        started = time.monotonic()
        now = utcnow()
        ctx = Context(http=http, known=self.known, now=now, env=self.env)
        item = SourceReport(record.name, record.type, "ok")
        collector = self._collectors.get(record.type)
        try:
            if collector is None:
                raise FetchError(
                    record.name, t("no collector for the type '{type}'", type=record.type)
                )
            outcome: Outcome = await collector(record, ctx)
            state = dict(outcome.state)
            state.pop("failures", None)
            posts, refused = screen_posts(outcome.posts)
            warning = _join(outcome.warning, _refusals(record, refused))
            try:
                saved = save_outcome(self.store, record, posts, state, error=warning, now=now)
            except POST_WRITE_ERRORS:
                # The batch was rolled back whole: keep the posts the store can take.
                saved, failed = save_posts_one_by_one(self.store, posts)
                more = [(post, str(exc) or type(exc).__name__) for post, exc in failed]
                warning = _join(warning, _refusals(record, more))
                record_outcome(
                    self.store, record, state, error=warning, now=now, new=saved.result.new
                )
        except FetchError as exc:
            self._record_failure(item, record, now, exc, str(exc))
        except Exception as exc:  # a bug, a payload or a full disk must not end the run
            log.exception("collecting %s failed", record.name)
            message = f"unexpected failure: {type(exc).__name__}: {exc}"
            self._record_failure(item, record, now, exc, message)
        else:
            item.status = outcome.status
            item.warning = warning
            item.new, item.updated = saved.result.new, saved.result.updated
            item.known = saved.result.known + outcome.known
            self._call_hook(item, record, saved.new_posts)
        item.seconds = time.monotonic() - started
        return item

    def _record_failure(
        self,
        item: SourceReport,
        record: SourceRecord,
        now: datetime,
        exc: BaseException,
        message: str,
    ) -> None:
        item.status, item.error = "error", message
        try:
            save_outcome(self.store, record, [], _failed_state(record, now, exc), error=message)
        except Exception:
            log.exception("could not record the failure of %s", record.name)

    def _call_hook(self, item: SourceReport, record: SourceRecord, posts: list[Post]) -> None:
        if self.on_batch is None:
            return
        try:
            self.on_batch(record, posts)
        except Exception as exc:
            log.exception("the batch hook failed on %s", record.name)
            item.warning = f"batch hook failed: {type(exc).__name__}: {exc}"
