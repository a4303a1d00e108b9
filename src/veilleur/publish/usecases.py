"""Use cases of the publish pillar on a workspace: compose, queue, publish what is due, relay.

Part of the ``veilleur.publish`` door: a front end parses its options into these plain
values and renders what comes back; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import utcnow
from veilleur.publish.compose import Composition, Draft, Image, Rendering, compose, render
from veilleur.publish.directory import find_directory, load_directory
from veilleur.publish.export import to_csv
from veilleur.publish.lint import parse_rule_config
from veilleur.publish.networks import parse_networks
from veilleur.publish.publisher import Client, PublishError, RunReport, publish_due
from veilleur.publish.queue import (
    DEFAULT_TIMEZONE,
    MOVABLE,
    Account,
    Attempt,
    MediaFile,
    Queue,
    QueuedPost,
    read_time,
    why_not_out,
)
from veilleur.publish.relay import FetchFeed, Relays, fetch_feed
from veilleur.sources import HttpPolicy
from veilleur.workspace import Workspace


def compose_post(
    ws: Workspace,
    draft: Draft,
    networks: str,
    *,
    thread: bool = False,
    directory: Path | None = None,
    message_lang: str = "en",
) -> Composition:
    """``draft`` rendered and linted for each of ``networks`` (comma-separated), with the
    people of ``directory`` (default: the workspace's) and the workspace's lint rules."""
    targets = parse_networks(networks)
    people = load_directory(directory) if directory else find_directory(ws.path)
    rules = parse_rule_config(ws.setting("publish.rules"))
    if draft.lang is not None and draft.lang not in ("fr", "en"):
        raise UsageError(t("--lang: expected fr or en, got '{lang}'", lang=draft.lang))
    return compose(draft, targets, people, thread=thread, rules=rules, message_lang=message_lang)


def render_for(ws: Workspace, draft: Draft, network: str, *, thread: bool = False) -> Rendering:
    """``draft`` rendered for one network with the workspace's directory of people."""
    return render(draft, network, find_directory(ws.path), thread=thread)


def open_queue(ws: Workspace) -> Queue:
    """The workspace's queue of drafts and scheduled posts, and its publishing accounts
    (times without a zone are read in ``publish.timezone`` when no account decides)."""
    return Queue(ws.store, ws.setting("publish.timezone") or DEFAULT_TIMEZONE)


def client_for(account: Account) -> Client:
    """The client of an account's network (imports only the one needed).

    The server's scheme is checked again here, whatever was stored: the token or app
    password goes only to an ``https://`` server, or to an ``http://`` one the account was
    added for with ``--insecure``.
    """
    if account.server and not _server_allowed(account.server, account.insecure):
        raise PublishError(
            t(
                "account '{name}': refusing to send its token or app password to {server} "
                "(not https://). Add the account again with an https:// server, or with "
                "--insecure for a local test server only.",
                name=account.name,
                server=account.server,
            ),
            retryable=False,
        )
    if account.network == "mastodon":
        from veilleur.publish.mastodon_client import MastodonClient

        return MastodonClient.for_account(account)
    from veilleur.publish.bluesky_client import BlueskyClient

    return BlueskyClient.for_account(account)


def publish_due_posts(ws: Workspace, only: Collection[int] | None = None) -> RunReport:
    """Publish every due post of the queue once (safe to run twice or after a crash);
    ``only``: the due posts of these ids."""
    return publish_due(open_queue(ws), client_for, ws.path, only=only)


def open_relays(ws: Workspace) -> tuple[Relays, FetchFeed]:
    """The workspace's relays, and the feed reader they use (the workspace's HTTP policy)."""
    relays = Relays(open_queue(ws), find_directory(ws.path))
    return relays, fetch_feed(HttpPolicy.from_workspace(ws))


def when(queue: Queue, value: str | None, account: str) -> datetime | None:
    """--at: an ISO date-time, 'now' or 'next'; in UTC.

    A date-time without an offset is a wall-clock time in the account's time zone (the
    workspace's ``publish.timezone`` without an account), see :func:`read_time`."""
    if value is None or value == "now":
        return utcnow() if value == "now" else None
    if value == "next":
        if not account:
            raise UsageError(t("--at next needs --account (its posting times decide)"))
        return queue.next_slot(account)
    return read_time(value, queue.zone(account or None))


def post_network(ws: Workspace, account: str | None, network: str | None) -> str:
    """The network a queued post goes to: its account's, else ``network`` (a draft)."""
    target = open_queue(ws).account(account).network if account else network
    if not target:
        raise UsageError(t("give --account (to publish) or --network (for a draft)"))
    return target


def queue_post(
    ws: Workspace,
    draft: Draft,
    *,
    network: str | None = None,
    account: str | None = None,
    at: str | None = None,
    draft_only: bool = False,
    thread: bool = False,
    upload: tuple[bytes, str, str | None] | None = None,
) -> QueuedPost | None:
    """Queue ``draft`` rendered for the account's network (or ``network``, a draft to post
    by hand), at ``at`` (see :func:`when`); ``None`` when the same post is already queued.

    ``upload``: an image sent with the post (its bytes, file name and alternative text),
    checked with the rest and kept in the workspace's ``media/`` only once everything else
    is valid, so that a refused post leaves no file behind."""
    queue = open_queue(ws)
    name = account or ""
    target = post_network(ws, account, network)
    if upload is not None:
        check_image(upload[0], upload[1], upload[2], [target])
        draft = replace(draft, images=(*draft.images, Image(upload[1], upload[2] or "")))
    rendering = render_for(ws, draft, target, thread=thread)
    if not rendering.valid:
        raise UsageError(
            t(
                "too long for {network} ({length}/{limit}): shorten it or add --thread",
                network=target,
                length=rendering.weighted_length,
                limit=rendering.limit,
            )
        )
    moment = when(queue, at, name)
    if upload is not None:  # everything is checked: keep the image
        kept = store_image(ws, upload[0], upload[1], upload[2], [target])
        draft = replace(draft, images=(*draft.images[:-1], kept))
    post_id = queue.add(
        target,
        rendering.texts,
        account=name,
        media=[MediaFile(str(Path(i.path).resolve()), i.alt) for i in draft.images],
        link=rendering.card,
        scheduled_at=moment,
        draft=draft_only,
    )
    return None if post_id is None else queue.get(post_id)


def schedule_post(ws: Workspace, post_id: int, at: str, account: str | None = None) -> datetime:
    """Schedule a draft (or move a scheduled post) to ``at`` (see :func:`when`); the time,
    in the account's time zone."""
    queue = open_queue(ws)
    post = queue.get(post_id)
    name = account or post.account
    moment = when(queue, at, name) or utcnow()
    queue.schedule(post_id, moment, account)
    return moment.astimezone(queue.zone(name or None))


CALENDAR_STATUSES = ("submitted", "scheduled", "in_flight", "failed", "published")
"""What a calendar shows: posts with a time (drafts have none, cancelled ones are gone)."""


@dataclass(frozen=True, slots=True)
class Dated:
    """A post on the calendar, its time in the workspace's time zone."""

    post: QueuedPost
    local: datetime


def calendar(ws: Workspace, first: date, days: int) -> tuple[str, list[Dated]]:
    """The workspace's time zone and the posts with a time in ``days`` days from ``first``
    (whole days in that zone; a failed post at its next try, a published one when it went
    out), by time."""
    queue = open_queue(ws)
    zone = queue.zone()
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(first + timedelta(days=days), time(0), zone)
    found: list[Dated] = []
    for post in queue.posts():
        if post.status not in CALENDAR_STATUSES:
            continue
        moment = post.published_at or post.next_attempt_at or post.scheduled_at
        if moment is not None and start <= moment < end:
            found.append(Dated(post, moment.astimezone(zone)))
    found.sort(key=lambda d: (d.local, d.post.id))
    return zone.key, found


def move_post(
    ws: Workspace,
    post_id: int,
    at: str,
    *,
    seen: datetime | bool | None = False,
    statuses: Collection[str] = MOVABLE,
) -> Dated:
    """Move a submitted, scheduled or failed post to ``at``: an ISO date-time, read in the
    workspace's time zone (the calendar's) when it has no offset. ``seen``: the post's
    time as the mover saw it, so that a move made meanwhile by someone else is not undone;
    ``statuses``: the states this mover may move, checked as the post is moved (see
    :meth:`Queue.move`)."""
    queue = open_queue(ws)
    zone = queue.zone()
    moment = read_time(at, zone)
    post = queue.move(post_id, moment, seen, statuses)
    return Dated(post, moment.astimezone(zone))


@dataclass(frozen=True, slots=True)
class Journal:
    """A post's publishing journal: every try, and why it has not gone out (None: it has,
    or its time has not come)."""

    post: QueuedPost
    attempts: list[Attempt]
    reason: str | None
    zone: str


def post_journal(ws: Workspace, post_id: int) -> Journal:
    queue = open_queue(ws)
    post = queue.get(post_id)
    return Journal(post, queue.attempts(post_id), why_not_out(post), queue.zone().key)


def store_image(
    ws: Workspace, data: bytes, name: str, alt: str | None, networks: Collection[str]
) -> Image:
    """An uploaded image checked for ``networks`` (type from its bytes, size, alternative
    text required and within each network's length) and kept in the workspace's
    ``media/`` folder, ready for a :class:`Draft`."""
    from veilleur.publish.media import store_image as keep

    return keep(ws.path, data, name, alt, list(networks))


def check_image(
    data: bytes,
    name: str,
    alt: str | None,
    networks: Collection[str],
    *,
    alt_required: bool = True,
) -> str:
    """:func:`store_image`'s checks without keeping the image (a preview): its type.
    ``alt_required=False``: a missing alternative text is not an error (a preview, whose
    linter says so among its findings)."""
    from veilleur.publish.media import check_image as check

    return check(data, name, alt, list(networks), alt_required=alt_required)


def set_timezone(ws: Workspace, zone: str) -> str:
    """Set the workspace's publishing time zone (times written without one, drafts,
    exports), after checking it names a zone (``Europe/Paris``)."""
    from veilleur.publish.queue import _check_timezone

    name = zone.strip()
    _check_timezone(name)
    ws.set_setting("publish.timezone", name)
    return name


def submit_post(
    ws: Workspace, post_id: int, by: str, *, account: str | None = None, at: str | None = None
) -> QueuedPost:
    """Ask for approval of a queued post (an editor's): it waits, status ``submitted``,
    until an admin approves it (:func:`review_post`); ``at`` as in :func:`when`."""
    queue = open_queue(ws)
    name = account or queue.get(post_id).account
    if not name:
        raise UsageError(t("choose the account the post is for before submitting it"))
    return queue.submit(post_id, when(queue, at, name), name, by)


def review_post(
    ws: Workspace, post_id: int, by: str, *, approve: bool, note: str | None = None
) -> QueuedPost:
    """Approve a submitted post (scheduled, published when due) or send it back to draft
    with ``note``; the first of two reviewers wins, the second gets a UsageError."""
    return open_queue(ws).review(post_id, approve, by, note)


def export_queue(
    ws: Workspace, layout: str, *, network: str | None = None, timezone: str | None = None
) -> tuple[str, int]:
    """Drafts and scheduled posts as a scheduler's bulk-upload CSV, times written in
    ``timezone`` (default: the workspace's ``publish.timezone``); the text and the count."""
    queue = open_queue(ws)
    posts = [p for p in queue.posts(network=network) if p.status in ("draft", "scheduled")]
    return to_csv(posts, layout, timezone=timezone or queue.timezone), len(posts)


def _server_allowed(server: str, insecure: bool) -> bool:
    scheme = urlsplit(server).scheme.lower()
    return scheme == "https" or (scheme == "http" and insecure)


def _check_server(server: str, insecure: bool) -> None:
    if _server_allowed(server, insecure):
        return
    scheme = urlsplit(server).scheme.lower()
    if scheme == "http":
        raise UsageError(
            t(
                "refusing {server}: over http:// the access token or app password would "
                "travel in clear. Use https://, or add --insecure for a local test server only.",
                server=server,
            )
        )
    raise UsageError(t("--server must be an https:// URL, got '{server}'", server=server))


def add_account(
    ws: Workspace,
    name: str,
    network: str,
    *,
    server: str | None = None,
    handle: str | None = None,
    secret: str,
    times: str = "",
    timezone: str | None = None,
    insecure: bool = False,
) -> Account:
    """Add (or update) a publishing account; ``times`` are posting times, e.g. 09:30,17:00,
    in ``timezone`` (default: the workspace's ``publish.timezone``). The server must be
    ``https://``: the token or app password goes to it (``insecure`` lets ``http://``
    through, for a local test server only)."""
    if network == "mastodon" and not server:
        raise UsageError(t("a Mastodon account needs --server (e.g. https://piaille.fr)"))
    if server:
        _check_server(server, insecure)
    if network == "bluesky" and not handle:
        raise UsageError(t("a Bluesky account needs --handle (e.g. asso.bsky.social)"))
    slots = [t for t in times.split(",") if t.strip()]
    queue = open_queue(ws)
    account = Account(
        name,
        network,
        server,
        handle,
        secret,
        slots,
        timezone or queue.timezone,
        insecure=bool(server) and urlsplit(server or "").scheme.lower() == "http",
    )
    queue.add_account(account)
    return account
