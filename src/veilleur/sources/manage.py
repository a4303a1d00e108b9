"""The sources of a workspace: add them (checked), list, describe, remove, OPML in and out.

Use cases of the ``veilleur.sources`` door: a front end parses its options and calls these;
nothing here prints. Errors a user can fix are :class:`~veilleur.errors.UsageError`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import orjson

from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import format_datetime
from veilleur.networks.bluesky import DEFAULT_APPVIEW
from veilleur.networks.rss import NotAFeed, parse_feed
from veilleur.networks.urls import safe_url
from veilleur.sources import registry
from veilleur.sources.http import Fetcher, FetchError, HttpPolicy, check_status
from veilleur.sources.mastodon import instance_url
from veilleur.sources.netguard import AddressRefused, check_addresses
from veilleur.sources.opml import OpmlFeed, read_opml, write_opml
from veilleur.sources.registry import SourceRecord
from veilleur.workspace import Workspace


def check_public_url(ws: Workspace, url: str, *, unresolved_ok: bool = False) -> str:
    """A URL a collector may fetch: http(s), with a host that is public unless allowed.

    ``unresolved_ok``: a name that does not resolve now is accepted (an OPML list read
    offline); the collector checks the address it connects to anyway.
    """
    clean = safe_url(url)  # also refuses "http://[::1" and bad ports instead of crashing
    if clean is None:
        raise UsageError(t("{url}: expected an http:// or https:// address", url=ascii(url)))
    parts = urlsplit(clean)
    host = parts.hostname or ""  # safe_url made sure there is one
    if not ws.setting_bool("network.allow_private"):
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as exc:
            if unresolved_ok and not _is_address(host):
                return clean
            raise UsageError(
                t(
                    "{url}: cannot resolve {host} ({reason})",
                    url=url,
                    host=host,
                    reason=exc,
                )
            ) from None
        try:
            check_addresses(host, [str(i[4][0]) for i in infos])
        except AddressRefused as exc:
            raise UsageError(f"{url}: {exc}") from None
    return clean


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def _probe(policy: HttpPolicy, url: str) -> str | None:
    async with Fetcher(policy) as http:
        response = await http.get(url)
        check_status(response, url)
        try:
            return parse_feed(response.content, response.headers).title
        except NotAFeed as exc:
            raise FetchError(response.url, str(exc)) from None


def probe_feed(ws: Workspace, url: str) -> str | None:
    """Read the feed at ``url`` once; its title. Raises ``FetchError`` when it is no feed."""
    return asyncio.run(_probe(HttpPolicy.from_workspace(ws), url))


async def _probe_mastodon(
    policy: HttpPolicy, base: str, kind: str, value: str, headers: dict[str, str]
) -> None:
    async with Fetcher(policy) as http:
        url = f"{base}/api/v1/instance"
        response = await http.get(url, headers=headers)
        check_status(response, url)
        try:
            info = response.json()
        except ValueError:
            info = None
        if not isinstance(info, dict) or not ("uri" in info or "domain" in info):
            raise FetchError(url, t("this is not a Mastodon instance (no instance information)"))
        if kind == "search":  # a search names nothing that could be missing
            return
        if kind == "account":
            url = f"{base}/api/v1/accounts/lookup"
            response = await http.get(url, headers=headers, params={"acct": value})
            missing = t("no account @{account} on this instance", account=value)
        else:
            url = f"{base}/api/v1/tags/{quote(value, safe='')}"
            response = await http.get(url, headers=headers)
            missing = t("no hashtag #{tag} on this instance", tag=value)
        if response.status == 404:
            raise FetchError(url, missing)
        check_status(response, url)


def probe_mastodon(
    ws: Workspace, base: str, kind: str, value: str, token_env: str | None = None
) -> None:
    """Check a Mastodon source once: the instance answers as Mastodon does, and the account
    or hashtag exists there. Raises ``FetchError`` saying what is wrong."""
    token = os.environ.get(token_env) if token_env else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    asyncio.run(_probe_mastodon(HttpPolicy.from_workspace(ws), base, kind, value, headers))


def add_source(ws: Workspace, type_: str, params: dict[str, Any], name: str) -> SourceRecord:
    """Register a source under a free name derived from ``name``; refuses a duplicate."""
    store = ws.store
    same = registry.find_same(store, type_, params)
    if same is not None:
        raise UsageError(t("the source '{name}' already collects this", name=same.name))
    return registry.add_source(store, type_, params, registry.unique_name(store, name))


def add_rss(
    ws: Workspace,
    url: str,
    *,
    name: str | None = None,
    full_text: bool = False,
    check: bool = True,
) -> SourceRecord:
    """Add an RSS, Atom or JSON feed; with ``check``, read it once to check it and name it."""
    url = check_public_url(ws, url)
    title = None
    if check:
        try:
            title = probe_feed(ws, url)
        except FetchError as exc:
            raise UsageError(t("{error} (add it anyway with --no-check)", error=exc)) from None
    params: dict[str, Any] = {"url": url}
    if full_text:
        params["full_text"] = True
    host = urlsplit(url).hostname or "feed"
    return add_source(ws, "rss", params, name or registry.slug(title or host.removeprefix("www.")))


def add_mastodon(
    ws: Workspace,
    instance: str,
    *,
    tag: str | None = None,
    account: str | None = None,
    search: str | None = None,
    token_env: str | None = None,
    name: str | None = None,
    check: bool = True,
) -> SourceRecord:
    """Add a Mastodon hashtag, account or search (exactly one of them), on any instance;
    with ``check``, ask the instance once that it answers and that the account or tag exists."""
    chosen = {k: v for k, v in (("tag", tag), ("account", account), ("search", search)) if v}
    if len(chosen) != 1:
        raise UsageError(_("give exactly one of --tag, --account or --search"))
    try:
        base = instance_url(instance)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    check_public_url(ws, base)
    ((kind, value),) = chosen.items()
    value = value.strip().lstrip("#") if kind == "tag" else value.strip().lstrip("@")
    if check:
        try:
            probe_mastodon(ws, base, kind, value, token_env)
        except FetchError as exc:
            raise UsageError(t("{error} (add it anyway with --no-check)", error=exc)) from None
    params: dict[str, Any] = {"instance": base, kind: value}
    if token_env:
        params["token_env"] = token_env
    host = urlsplit(base).hostname or "mastodon"
    return add_source(ws, "mastodon", params, name or registry.slug(f"{host} {kind} {value}"))


def add_bluesky(
    ws: Workspace,
    *,
    search: str | None = None,
    lang: str | None = None,
    tag: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    author: str | None = None,
    appview: str = DEFAULT_APPVIEW,
    name: str | None = None,
) -> SourceRecord:
    """Add a Bluesky search (posts from ``since``, before ``until``) or an account's feed."""
    if bool(search) == bool(author):
        raise UsageError(_("give either --search or --author"))
    if author and (lang or tag or since or until):
        raise UsageError(_("--lang, --tag, --since and --until go with --search"))
    base = check_public_url(ws, appview).rstrip("/")
    params: dict[str, Any] = {}
    if author:
        params["author"] = author.strip().lstrip("@")
    else:
        params["search"] = str(search).strip()
    for key, value in (("lang", lang), ("tag", tag)):
        if value:
            params[key] = value.strip()
    for key, moment in (("since", since), ("until", until)):
        if moment is not None:
            params[key] = format_datetime(moment)  # ISO 8601 with time zone, as the AppView wants
    if base != DEFAULT_APPVIEW:
        params["appview"] = base
    words = f"author {params['author']}" if author else f"search {params['search']}"
    return add_source(ws, "bluesky", params, name or registry.slug(f"bluesky {words} {lang or ''}"))


def list_sources(ws: Workspace, names: list[str] | None = None) -> list[SourceRecord]:
    """Every source (or those named, a clear error naming an unknown one), by name."""
    return registry.list_sources(ws.store, names)


def describe(record: SourceRecord) -> str:
    """What a source collects, in a few words."""
    p = record.params
    if record.type == "rss":
        return str(p["url"]) + (" (full text)" if p.get("full_text") else "")
    if record.type == "mastodon":
        what = next(f"{k} {p[k]}" for k in ("tag", "account", "search") if p.get(k))
        return f"{p['instance']} {what}"
    if record.type == "bluesky":
        what = f"author {p['author']}" if p.get("author") else f"search {p.get('search')}"
        return what + (f" lang {p['lang']}" if p.get("lang") else "")
    return orjson.dumps(p).decode()


def remove_sources(ws: Workspace, names: list[str]) -> list[str]:
    """Forget the named sources (all names checked first); their posts stay. The names."""
    store = ws.store
    registry.list_sources(store, names)
    for name in names:
        registry.remove_source(store, name)
    return names


@dataclass(frozen=True, slots=True)
class OpmlRefusal:
    """A feed of an OPML file that was not added: its outline's title and URL, and why."""

    title: str | None
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What ``import_opml`` did: feeds added, feeds skipped because already collected,
    feeds refused (an address that is not a public http(s) one)."""

    added: int
    skipped: int
    refused: tuple[OpmlRefusal, ...] = ()


def import_opml(
    ws: Workspace, path: Path | bytes, *, full_text: bool = False, where: str | None = None
) -> OpmlImport:
    """Add every feed of an OPML file, or of its content (an upload named ``where``), in one
    transaction; feeds already present are skipped.

    Each feed's address is checked as ``source add rss`` checks it (http(s) only, no
    private address unless the workspace allows them); a refused one is reported, the
    others are added.
    """
    feeds = read_opml(path, where)
    store = ws.store
    existing = {str(r.params.get("url")) for r in registry.list_sources(store) if r.type == "rss"}
    added = skipped = 0
    refused: list[OpmlRefusal] = []
    checked: list[tuple[OpmlFeed, str]] = []
    for feed in feeds:  # names resolved before the write lock is taken, not under it
        try:
            checked.append((feed, check_public_url(ws, feed.url, unresolved_ok=True)))
        except UsageError as exc:
            refused.append(OpmlRefusal(feed.title, feed.url, str(exc)))
    with store.transaction() as conn:
        for feed, url in checked:
            if url in existing or feed.url in existing:
                skipped += 1
                continue
            params: dict[str, Any] = {"url": url}
            if full_text:
                params["full_text"] = True
            if feed.category:
                params["category"] = feed.category
            wanted = registry.slug(feed.title or urlsplit(url).hostname or "feed")
            name = registry.unique_name(conn, wanted)
            registry.add_source(store, "rss", params, name, conn=conn)
            existing.add(url)
            added += 1
    return OpmlImport(added, skipped, tuple(refused))


def export_opml(ws: Workspace) -> str:
    """The workspace's feeds as an OPML document, for a feed reader."""
    feeds = [
        OpmlFeed(
            url=str(r.params["url"]),
            title=r.state.get("title") or r.name,
            site=r.state.get("link"),
            category=r.params.get("category"),
        )
        for r in registry.list_sources(ws.store)
        if r.type == "rss"
    ]
    return write_opml(feeds)
