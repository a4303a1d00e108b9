"""The website relay: what the site publishes, pushed to the networks.

A relay follows the site's feed (RSS, Atom or JSON Feed, fetched with the collectors'
guarded HTTP client and parsed by their feed reader). For *every* item not seen before —
all of them, oldest first, never only the newest — it writes a draft per target network
from a template, rendered with that network's rules. With ``auto`` the drafts of targets
that have an account are scheduled at once (or at the account's next posting time).

Items are remembered in ``publish_relay_items``, in the same transaction as the drafts they
gave; each draft's idempotency key comes from the relay and the item, so a run killed half
way, or run twice, never queues an item twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from veilleur.errors import UsageError
from veilleur.model import format_datetime, utcnow
from veilleur.networks import resolve
from veilleur.networks.html import html_to_text
from veilleur.networks.rss import Entry, NotAFeed, entry_id, parse_feed
from veilleur.publish import tables
from veilleur.publish.compose import Draft, render
from veilleur.publish.directory import Directory
from veilleur.publish.networks import NETWORKS
from veilleur.publish.queue import Queue
from veilleur.publish.tables import Tx
from veilleur.sources.http import Fetcher, FetchError, HttpPolicy, check_status
from veilleur.text import count

DEFAULT_TEMPLATE = "{title}\n\n{summary}"
FIELDS = ("title", "summary", "url", "tags", "author")
SUMMARY_MAX = 200

FetchFeed = Callable[[str], bytes]


@dataclass(frozen=True, slots=True)
class Target:
    """Where a relay's drafts go: a network, and the account that publishes there."""

    network: str
    account: str = ""

    @classmethod
    def parse(cls, value: str) -> Target:
        """``mastodon:asso`` → (mastodon, asso); ``x`` → a draft for X (no account)."""
        network, _, account = value.strip().partition(":")
        try:
            network = resolve(network, tuple(NETWORKS))
        except UsageError as exc:
            raise UsageError(f"{exc} (in '{value}')") from None
        return cls(network, account)


@dataclass(slots=True)
class Relay:
    name: str
    feed_url: str
    targets: list[Target]
    template: str = DEFAULT_TEMPLATE
    auto: bool = False


@dataclass(slots=True)
class RelayReport:
    items: list[str] = field(default_factory=list)
    """Titles (or URLs) of the new items, in the order they were drafted."""
    drafts: list[int] = field(default_factory=list)
    scheduled: list[int] = field(default_factory=list)


def check_template(template: str) -> str:
    """Refuse a template naming anything but the known fields (and any attribute access)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(f"template: {exc} (write {{title}}, {{summary}}, …)") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS or spec or conversion:
            raise UsageError(
                f"template: unknown field {{{name}}}; known: "
                + ", ".join("{" + f + "}" for f in FIELDS)
            )
    return template


def _summary(entry: Entry) -> str:
    text = " ".join(html_to_text(entry.html).split()) if entry.html else ""
    if len(text) <= SUMMARY_MAX:
        return text
    cut = text[:SUMMARY_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _camel(tag: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in tag).split() if w]
    return "".join(w[:1].upper() + w[1:] for w in words)


def fill(template: str, entry: Entry, *, summary: bool = True) -> str:
    values = {
        "title": (entry.title or "").strip(),
        "summary": _summary(entry) if summary else "",
        "url": entry.link or "",
        "tags": " ".join("#" + c for c in (_camel(t) for t in entry.tags[:3]) if c),
        "author": entry.author or "",
    }
    lines = [line.rstrip() for line in template.format(**values).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def in_order(entries: list[Entry]) -> list[Entry]:
    """Oldest first: by date when every item has one, else the reverse of the feed's order
    (feeds list the newest first)."""
    indexed = list(enumerate(entries))
    if entries and all(e.published is not None for e in entries):
        indexed.sort(key=lambda pair: (pair[1].published, -pair[0]))
        return [e for _, e in indexed]
    return list(reversed(entries))


def fetch_feed(policy: HttpPolicy) -> FetchFeed:
    """A fetch function over the collectors' guarded client (private addresses refused
    unless the workspace allows them)."""

    def fetch(url: str) -> bytes:
        async def run() -> bytes:
            async with Fetcher(policy) as http:
                response = await http.get(url)
                check_status(response, url)
                return response.content

        try:
            return asyncio.run(run())
        except FetchError as exc:
            raise UsageError(str(exc)) from None

    return fetch


class Relays:
    """The relays of a workspace and their runs."""

    def __init__(self, queue: Queue, directory: Directory | None = None) -> None:
        self.queue = queue
        self.store = queue.store
        self.directory = directory or Directory()

    def get(self, name: str) -> Relay:
        row = tables.relay_row(self.store, name)
        if row is None:
            known = ", ".join(r.name for r in self.all()) or "none yet"
            raise UsageError(f"no relay named '{name}' (known: {known})")
        targets = [Target(t["network"], t.get("account", "")) for t in json.loads(row[2])]
        return Relay(row[0], row[1], targets, row[3], bool(row[4]))

    def all(self) -> list[Relay]:
        return [self.get(n) for n in sorted(tables.relay_names(self.store))]

    def add(self, relay: Relay, fetch: FetchFeed, *, include_existing: bool = False) -> int:
        """Save a relay; the items already in the feed are marked seen unless
        ``include_existing``. Returns how many were marked."""
        check_template(relay.template)
        if not relay.targets:
            raise UsageError("a relay needs at least one target, e.g. --to mastodon:asso")
        for target in relay.targets:
            if target.account:
                account = self.queue.account(target.account)
                if account.network != target.network:
                    raise UsageError(
                        f"account '{target.account}' is on {account.network}, not {target.network}"
                    )
        entries = [] if include_existing else self._entries(relay.feed_url, fetch)
        targets = [{"network": t.network, "account": t.account} for t in relay.targets]
        with self.store.transaction() as tx:
            tables.save_relay(
                tx,
                relay.name,
                relay.feed_url,
                json.dumps(targets),
                relay.template,
                int(relay.auto),
                format_datetime(utcnow()),
            )
            for entry in entries:
                self._mark(tx, relay, entry)
        return len(entries)

    def _entries(self, url: str, fetch: FetchFeed) -> list[Entry]:
        content = fetch(url)
        try:
            return parse_feed(content).entries
        except NotAFeed as exc:
            raise UsageError(f"{url}: not a feed ({exc})") from None

    def _key(self, relay: Relay, entry: Entry) -> str:
        return entry_id(relay.feed_url, entry)

    def _mark(self, tx: Tx, relay: Relay, entry: Entry) -> None:
        tables.mark_item_seen(
            tx,
            relay.name,
            self._key(relay, entry),
            entry.link,
            entry.title,
            format_datetime(entry.published) if entry.published else None,
            format_datetime(utcnow()),
        )

    def _seen(self, relay: Relay) -> set[str]:
        return tables.seen_items(self.store, relay.name)

    def text_for(self, relay: Relay, entry: Entry, network: str) -> tuple[list[str], Any]:
        """The texts for one network: with the summary when it fits, without it otherwise."""
        draft = Draft(fill(relay.template, entry), link=entry.link, lang=entry.lang)
        rendering = render(draft, network, self.directory)
        if not rendering.valid:
            short = Draft(fill(relay.template, entry, summary=False), link=entry.link)
            rendering = render(short, network, self.directory)
        if not rendering.valid:  # a very long title: cut it
            text = rendering.texts[0]
            while text and not count(text, network).valid:
                text = text[: max(len(text) - 20, 0)].rstrip() + "…"
            rendering.texts = [text]
        return rendering.texts, rendering

    def run(self, name: str, fetch: FetchFeed, now: datetime | None = None) -> RelayReport:
        """Draft every new item of the relay's feed, oldest first."""
        relay = self.get(name)
        report = RelayReport()
        try:
            entries = in_order(self._entries(relay.feed_url, fetch))
        except UsageError as exc:
            with self.store.transaction() as tx:
                tables.record_relay_error(tx, name, str(exc), format_datetime(utcnow()))
            raise
        seen = self._seen(relay)
        for entry in entries:
            key = self._key(relay, entry)
            if key in seen:
                continue
            seen.add(key)
            with self.store.transaction() as tx:
                for target in relay.targets:
                    texts, rendering = self.text_for(relay, entry, target.network)
                    schedule = relay.auto and bool(target.account)
                    when = None
                    if schedule:
                        when = self.queue.next_slot(target.account, now or utcnow())
                    card = None
                    if rendering.card:
                        card = {"title": entry.title or "", "description": _summary(entry)}
                    lang = (entry.lang or "")[:2].lower() or None
                    post_id = self.queue.add(
                        target.network,
                        texts,
                        account=target.account,
                        link=rendering.card,
                        lang=lang,
                        scheduled_at=when,
                        draft=not schedule,
                        key=hashlib.sha256(f"relay:{relay.name}:{key}".encode()).hexdigest()[:32],
                        source=f"relay:{relay.name}:{entry.link or key}",
                        card=card,
                        conn=tx,
                    )
                    if post_id is not None:
                        (report.scheduled if schedule else report.drafts).append(post_id)
                self._mark(tx, relay, entry)
            report.items.append(entry.title or entry.link or key)
        with self.store.transaction() as tx:
            tables.record_relay_run(tx, name, format_datetime(datetime.now(UTC)))
        return report
