"""``veilleur source``: the sources to collect — add, list, remove, OPML in and out."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import orjson
import typer
from rich.table import Table

from veilleur.cli.context import err, out, workspace
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import format_datetime, parse_datetime
from veilleur.sources import registry
from veilleur.sources.bluesky import DEFAULT_APPVIEW
from veilleur.sources.feeds import NotAFeed, parse_feed
from veilleur.sources.http import Fetcher, FetchError, HttpPolicy, check_status
from veilleur.sources.mastodon import instance_url
from veilleur.sources.netguard import AddressRefused, check_addresses
from veilleur.sources.opml import OpmlFeed, read_opml, write_opml
from veilleur.workspace import Workspace

app = typer.Typer(
    help="The sources veilleur collects: feeds, Mastodon, Bluesky.", no_args_is_help=True
)
add_app = typer.Typer(help="Add a source to collect.", no_args_is_help=True)
app.add_typer(add_app, name="add")

Name = Annotated[
    str | None,
    typer.Option("--name", help="Name of the source (default: derived from the feed or query)."),
]


def check_public_url(ws: Workspace, url: str) -> str:
    """A URL a collector may fetch: http(s), with a host that is public unless allowed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url}: expected an http:// or https:// address")
    if not ws.setting_bool("network.allow_private"):
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UsageError(f"{url}: cannot resolve {parts.hostname} ({exc})") from None
        try:
            check_addresses(parts.hostname, [str(i[4][0]) for i in infos])
        except AddressRefused as exc:
            raise UsageError(f"{url}: {exc}") from None
    return url.strip()


async def _probe(policy: HttpPolicy, url: str) -> str | None:
    async with Fetcher(policy) as http:
        response = await http.get(url)
        check_status(response, url)
        try:
            return parse_feed(response.content, response.headers).title
        except NotAFeed as exc:
            raise FetchError(response.url, str(exc)) from None


def _add(ws: Workspace, type_: str, params: dict[str, Any], name: str) -> None:
    store = ws.store
    same = registry.find_same(store, type_, params)
    if same is not None:
        raise UsageError(f"the source '{same.name}' already collects this")
    record = registry.add_source(store, type_, params, registry.unique_name(store, name))
    out.print(t("Source '{name}' added.", name=record.name), markup=False)


@add_app.command("rss")
def add_rss(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Address of the RSS, Atom or JSON feed.")],
    name: Name = None,
    full_text: Annotated[
        bool,
        typer.Option(
            "--full-text", help="Fetch each new article's page when the feed has only summaries."
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check/--no-check", help="Read the feed once now to check it and name it."),
    ] = True,
) -> None:
    """Add an RSS, Atom or JSON feed."""
    ws = workspace(ctx)
    url = check_public_url(ws, url)
    title = None
    if check:
        try:
            title = asyncio.run(_probe(HttpPolicy.from_workspace(ws), url))
        except FetchError as exc:
            raise UsageError(f"{exc} (add it anyway with --no-check)") from None
    params: dict[str, Any] = {"url": url}
    if full_text:
        params["full_text"] = True
    host = urlsplit(url).hostname or "feed"
    _add(ws, "rss", params, name or registry.slug(title or host.removeprefix("www.")))


@add_app.command("mastodon")
def add_mastodon(
    ctx: typer.Context,
    instance: Annotated[
        str, typer.Option("--instance", help="The instance, e.g. https://mastodon.social.")
    ],
    tag: Annotated[
        str | None, typer.Option("--tag", help="A hashtag timeline (with or without #).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="An account's statuses: user or user@host.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="A search (most instances want a token).")
    ] = None,
    token_env: Annotated[
        str | None,
        typer.Option(
            "--token-env",
            help="Environment variable holding the access token (the token is never stored).",
        ),
    ] = None,
    name: Name = None,
) -> None:
    """Add a Mastodon hashtag, account or search, on any instance."""
    chosen = {k: v for k, v in (("tag", tag), ("account", account), ("search", search)) if v}
    if len(chosen) != 1:
        raise UsageError("give exactly one of --tag, --account or --search")
    ws = workspace(ctx)
    try:
        base = instance_url(instance)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    check_public_url(ws, base)
    ((kind, value),) = chosen.items()
    value = value.strip().lstrip("#") if kind == "tag" else value.strip().lstrip("@")
    params: dict[str, Any] = {"instance": base, kind: value}
    if token_env:
        params["token_env"] = token_env
    host = urlsplit(base).hostname or "mastodon"
    _add(ws, "mastodon", params, name or registry.slug(f"{host} {kind} {value}"))


@add_app.command("bluesky")
def add_bluesky(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", help="Words to search (Bluesky's search syntax).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only posts in this language, e.g. fr.")
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only posts with this hashtag (search only).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only posts after this date, e.g. 2026-01-01.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only posts before this date.")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="An account's feed: its handle.")
    ] = None,
    appview: Annotated[
        str,
        typer.Option("--appview", help="The AppView to ask (a public one by default)."),
    ] = DEFAULT_APPVIEW,
    name: Name = None,
) -> None:
    """Add a Bluesky search or an account's feed."""
    if bool(search) == bool(author):
        raise UsageError("give either --search or --author")
    if author and (lang or tag or since or until):
        raise UsageError("--lang, --tag, --since and --until go with --search")
    ws = workspace(ctx)
    base = check_public_url(ws, appview).rstrip("/")
    params: dict[str, Any] = {}
    if author:
        params["author"] = author.strip().lstrip("@")
    else:
        params["search"] = str(search).strip()
    for key, value in (("lang", lang), ("tag", tag), ("since", since), ("until", until)):
        if value:
            params[key] = _iso_date(value) if key in ("since", "until") else value.strip()
    if base != DEFAULT_APPVIEW:
        params["appview"] = base
    words = f"author {params['author']}" if author else f"search {params['search']}"
    _add(ws, "bluesky", params, name or registry.slug(f"bluesky {words} {lang or ''}"))


def _iso_date(value: str) -> str:
    """A date as the AppView wants it (ISO 8601 with time zone)."""
    try:
        return format_datetime(parse_datetime(value if "T" in value else f"{value}T00:00:00Z"))
    except ValueError:
        raise UsageError(f"{value!r} is not a date (expected e.g. 2026-01-31)") from None


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sources as JSON.")] = False,
) -> None:
    """Every source: last success, last error and posts collected."""
    records = registry.list_sources(workspace(ctx).store)
    if as_json:
        rows = [
            {
                "name": r.name,
                "type": r.type,
                "params": r.params,
                "enabled": r.enabled,
                "last_success": format_datetime(r.last_success) if r.last_success else None,
                "last_error": r.last_error,
                "last_error_at": r.state.get("last_error_at"),
                "posts_collected": r.posts_collected,
                "next_due": r.state.get("next_due"),
            }
            for r in records
        ]
        out.print(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode(), markup=False)
        return
    if not records:
        err.print(t("No sources yet: add one with 'veilleur source add'."))
        return
    table = Table()
    for column in ("name", "type", "what", "last success", "last error", "posts"):
        table.add_column(column, justify="right" if column == "posts" else "left")
    for r in records:
        error = r.last_error or ""
        if error and r.state.get("last_error_at"):
            error = f"{r.state['last_error_at']} {error}"
        table.add_row(
            r.name,
            r.type,
            describe(r),
            format_datetime(r.last_success) if r.last_success else t("never"),
            error,
            str(r.posts_collected),
        )
    out.print(table)


def describe(record: registry.SourceRecord) -> str:
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


@app.command("rm")
def rm(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names of the sources to remove.")],
) -> None:
    """Remove sources (the posts they collected are kept)."""
    store = workspace(ctx).store
    registry.list_sources(store, names)
    for name in names:
        registry.remove_source(store, name)
        out.print(
            t("Source '{name}' removed (its posts stay in the workspace).", name=name), markup=False
        )


@app.command("import-opml")
def import_opml(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="OPML file exported by a feed reader.")],
    full_text: Annotated[
        bool, typer.Option("--full-text", help="Fetch full articles for every imported feed.")
    ] = False,
) -> None:
    """Add every feed of an OPML file (feeds already present are skipped)."""
    ws = workspace(ctx)
    feeds = read_opml(path)
    store = ws.store
    existing = {str(r.params.get("url")) for r in registry.list_sources(store) if r.type == "rss"}
    added = skipped = 0
    with store.transaction() as conn:
        for feed in feeds:
            if feed.url in existing:
                skipped += 1
                continue
            params: dict[str, Any] = {"url": feed.url}
            if full_text:
                params["full_text"] = True
            if feed.category:
                params["category"] = feed.category
            wanted = registry.slug(feed.title or urlsplit(feed.url).hostname or "feed")
            taken = {r[0] for r in conn.execute("SELECT name FROM sources")}
            name, n = wanted, 2
            while name in taken:
                name, n = f"{wanted}-{n}", n + 1
            registry.add_source(store, "rss", params, name, conn=conn)
            existing.add(feed.url)
            added += 1
    out.print(t("{added} feeds added, {skipped} already there.", added=added, skipped=skipped))


@app.command("export-opml")
def export_opml(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Write the workspace's feeds as OPML, for a feed reader."""
    feeds = [
        OpmlFeed(
            url=str(r.params["url"]),
            title=r.state.get("title") or r.name,
            site=r.state.get("link"),
            category=r.params.get("category"),
        )
        for r in registry.list_sources(workspace(ctx).store)
        if r.type == "rss"
    ]
    document = write_opml(feeds)
    if path is None:
        sys.stdout.write(document)
    else:
        path.write_text(document, encoding="utf-8")
