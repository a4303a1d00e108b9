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

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import format_datetime, utcnow
from veilleur.networks import resolve
from veilleur.networks.html import html_to_text
from veilleur.networks.rss import Entry, NotAFeed, entry_id, parse_feed
from veilleur.publish import tables
from veilleur.publish.compose import Draft, Rendering, render
from veilleur.publish.directory import Directory
from veilleur.publish.names import RELAY_FIELDS, RELAY_TEMPLATE
from veilleur.publish.networks import NETWORKS
from veilleur.publish.queue import Queue
from veilleur.sources.http import Fetcher, FetchError, HttpPolicy, check_status
from veilleur.store.handles import Tx

DEFAULT_TEMPLATE = RELAY_TEMPLATE
FIELDS = RELAY_FIELDS
SUMMARY_MAX = 500
"""The longest summary a post gets (where the network has the room); it is a summary."""
CARD_SUMMARY_MAX = 200

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
            raise UsageError(t("{error} (in '{value}')", error=exc, value=value)) from None
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
        raise UsageError(
            t("template: {error} (write {{title}}, {{summary}}, …)", error=exc)
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS or spec or conversion:
            raise UsageError(
                t(
                    "template: unknown field {{{name}}}; known: {known}",
                    name=name,
                    known=", ".join("{" + f + "}" for f in FIELDS),
                )
            )
    return template


def _shorten(text: str, words: int) -> str:
    """The first ``words`` words of ``text``, with "…" when some were left out."""
    parts = text.split()
    if words >= len(parts):
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + "…" if words else ""


def _summary(entry: Entry, limit: int = SUMMARY_MAX) -> str:
    text = " ".join(html_to_text(entry.html).split()) if entry.html else ""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _camel(tag: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in tag).split() if w]
    return "".join(w[:1].upper() + w[1:] for w in words)


def fill(
    template: str,
    entry: Entry,
    *,
    summary: bool | str = True,
    title: str | None = None,
) -> str:
    """The template filled with ``entry``'s fields; ``summary`` and ``title``, when given
    as text, replace the item's own (shortened to fit a network)."""
    values = {
        "title": (entry.title or "").strip() if title is None else title,
        "summary": summary if isinstance(summary, str) else _summary(entry) if summary else "",
        "url": entry.link or "",
        "tags": " ".join("#" + c for c in (_camel(t) for t in entry.tags[:3]) if c),
        "author": entry.author or "",
    }
    lines = [line.rstrip() for line in template.format(**values).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _longest(attempt: Callable[[int], Rendering], most: int, least: int = 0) -> Rendering | None:
    """The valid rendering with the most words (``least`` … ``most``; more words, longer
    text), or None when even ``least`` words do not fit."""
    best = attempt(least)
    if not best.valid:
        return None
    low, high = least + 1, most
    while low <= high:
        middle = (low + high) // 2
        rendering = attempt(middle)
        if rendering.valid:
            best, low = rendering, middle + 1
        else:
            high = middle - 1
    return best


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
            known = ", ".join(r.name for r in self.all()) or t("none yet")
            raise UsageError(t("no relay named '{name}' (known: {known})", name=name, known=known))
        targets = [Target(t["network"], t.get("account", "")) for t in json.loads(row[2])]
        return Relay(row[0], row[1], targets, row[3], bool(row[4]))

    def all(self) -> list[Relay]:
        return [self.get(n) for n in sorted(tables.relay_names(self.store))]

    def add(self, relay: Relay, fetch: FetchFeed, *, include_existing: bool = False) -> int:
        """Save a relay; the items already in the feed are marked seen unless
        ``include_existing``. Returns how many were marked."""
        check_template(relay.template)
        if not relay.targets:
            raise UsageError(t("a relay needs at least one target, e.g. --to mastodon:asso"))
        for target in relay.targets:
            if target.account:
                self.queue.account_on(target.account, target.network)
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
            raise UsageError(t("{url}: not a feed ({error})", url=url, error=exc)) from None

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

    def text_for(self, relay: Relay, entry: Entry, network: str) -> tuple[list[str], Rendering]:
        """The texts for one network, rendered as ``compose`` renders a post (mentions,
        hashtags kept, link appended or shown as a card, counted by the network's rule).

        The summary gets the room this network leaves: the most words of it that fit (a
        longer post on Mastodon or LinkedIn than on X); with no room it goes, and a title
        too long on its own is shortened — never the link or the hashtags after it.
        """

        def attempt(summary: str, title: str | None = None) -> Rendering:
            text = fill(relay.template, entry, summary=summary, title=title)
            draft = Draft(text, link=entry.link, lang=entry.lang)
            return render(draft, network, self.directory)

        whole = _summary(entry)
        rendering = _longest(lambda n: attempt(_shorten(whole, n)), len(whole.split()))
        if rendering is None:
            title = (entry.title or "").strip()
            rendering = _longest(
                lambda n: attempt("", _shorten(title, n)), len(title.split()), least=1
            )
        if rendering is None:  # not even a word of the title fits: the link alone
            rendering = attempt("", "")
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
                        card = {
                            "title": entry.title or "",
                            "description": _summary(entry, CARD_SUMMARY_MAX),
                        }
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
