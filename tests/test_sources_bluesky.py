"""The Bluesky collector against a local XRPC fake serving the 123 real post views.

The fake answers ``app.bsky.feed.searchPosts`` and ``app.bsky.feed.getAuthorFeed`` as the
AppView documents them (newest first, ``limit``, opaque ``cursor``, the search filters,
``{"error", "message"}`` bodies on bad requests) from ../shared/data/bluesky.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from veilleur.networks.bluesky import split_uri, view_media, view_to_post
from veilleur.sources import bluesky, registry
from veilleur.workspace import Workspace

from .conftest import shared_path
from .sources_support import allow_local, collect


def load_items() -> list[dict[str, Any]]:
    """The shared file as feed items: bare post views, and feed items with reply/reason."""
    data = orjson.loads(shared_path("data", "bluesky", "twitwi-bluesky-posts.json").read_bytes())
    return [item if "post" in item else {"post": item} for item in data]


def views() -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for item in load_items():
        seen.setdefault(item["post"]["uri"], item["post"])
    return list(seen.values())


class XrpcFake:
    """searchPosts and getAuthorFeed over a list of items; records the queries it got."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.queries: list[dict[str, str]] = []

    def error(self, message: str) -> Response:
        body = orjson.dumps({"error": "InvalidRequest", "message": message})
        return Response(body, status=400, content_type="application/json")

    def page(self, request: Request, found: list[Any], key: str) -> Response:
        limit = int(request.args.get("limit", "25"))
        start = int(request.args.get("cursor", "0"))
        body: dict[str, Any] = {key: found[start : start + limit]}
        if start + limit < len(found):
            body["cursor"] = str(start + limit)
        return Response(orjson.dumps(body), content_type="application/json")

    def by_time(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        def when(item: dict[str, Any]) -> str:
            reason = item.get("reason") or {}
            return str(reason.get("indexedAt") or item["post"].get("indexedAt") or "")

        return sorted(items, key=when, reverse=True)

    def search(self, request: Request) -> Response:
        args = request.args
        self.queries.append(dict(args))
        if not args.get("q"):
            return self.error('Error: Params must have the property "q"')
        words = args["q"].lower().split()
        found = []
        for item in self.by_time([i for i in self.items if "reason" not in i]):
            view = item["post"]
            record = view.get("record", {})
            text = str(record.get("text", "")).lower()
            if not all(w in text for w in words):
                continue
            if args.get("lang") and args["lang"] not in (record.get("langs") or []):
                continue
            indexed = str(view.get("indexedAt", ""))
            if args.get("since") and indexed < args["since"]:
                continue
            if args.get("until") and indexed >= args["until"]:
                continue
            if view not in found:
                found.append(view)
        return self.page(request, found, "posts")

    def author_feed(self, request: Request) -> Response:
        self.queries.append(dict(request.args))
        actor = request.args.get("actor", "")
        if not actor:
            return self.error('Error: Params must have the property "actor"')
        found = [
            item
            for item in self.by_time(self.items)
            if item["post"]["author"]["handle"] == actor
            or (item.get("reason") or {}).get("by", {}).get("handle") == actor
        ]
        return self.page(request, found, "feed")

    def serve(self, httpserver: HTTPServer) -> str:
        httpserver.expect_request("/xrpc/app.bsky.feed.searchPosts").respond_with_handler(
            self.search
        )
        httpserver.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_handler(
            self.author_feed
        )
        return httpserver.url_for("/").rstrip("/")


def add(ws: Workspace, appview: str, name: str = "b", **params: str) -> None:
    registry.add_source(ws.store, "bluesky", {"appview": appview, **params}, name)


# -- normalisation of the real post views ------------------------------------------------


def good_views() -> list[dict[str, Any]]:
    """The views with a usable date (one real post is dated year 0000 by its client)."""
    return [v for v in views() if not v["record"].get("createdAt", "").startswith("0000")]


def test_every_real_post_view_normalises() -> None:
    assert len(views()) == 119  # 123 items, some of them the same post twice
    posts = [view_to_post(v, "test") for v in good_views()]
    assert len(posts) == 118
    assert all(p.id.startswith("at://") and p.network == "bluesky" for p in posts)
    assert all(p.created_at.tzinfo is not None for p in posts)


def test_a_post_without_any_usable_date_is_refused() -> None:
    (undated,) = [v for v in views() if v not in good_views()]
    with pytest.raises(ValueError, match="0000-10-14"):
        view_to_post(undated, "test")


def test_facets_embeds_quotes_and_alt_texts() -> None:
    by_uri = {v["uri"]: v for v in views()}
    view = by_uri["at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkizm6uvhc2b"]
    post = view_to_post(view, "test")
    assert post.author == "pecqueuxanthony.bsky.social" and post.author_name == "Anthony Pecqueux"
    assert post.url == "https://bsky.app/profile/pecqueuxanthony.bsky.social/post/3lkizm6uvhc2b"
    assert post.lang == "fr" and post.text.endswith("#HCERES #ESR")
    assert post.quote_of == "at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkicuf37nc2v"
    (image,) = post.media
    assert image.alt and image.alt.startswith("Un rapport Hcéres à Lille pointe")
    assert image.url.startswith("https://cdn.bsky.app/img/feed_fullsize/")
    assert (post.likes, post.reposts, post.replies, post.quotes) == (
        view["likeCount"],
        view["repostCount"],
        view["replyCount"],
        view["quoteCount"],
    )


def test_shortened_links_are_written_out_from_their_facets() -> None:
    checked = 0
    for view in good_views():
        record = view["record"]
        raw_text = record["text"].encode()
        post = view_to_post(view, "test")
        for facet in record.get("facets") or []:
            for feature in facet.get("features") or []:
                if feature.get("$type") != "app.bsky.richtext.facet#link":
                    continue
                index = facet["index"]
                try:
                    shown = raw_text[index["byteStart"] : index["byteEnd"]].decode()
                except UnicodeDecodeError:
                    continue  # a client's facet off the character boundaries
                if shown != feature["uri"] and shown.endswith("..."):
                    assert shown not in post.text and feature["uri"] in post.text
                    checked += 1
    assert checked > 10  # the shared views have many shortened links


def test_external_cards_become_links_and_videos_keep_their_playlist() -> None:
    externals = [
        v
        for v in good_views()
        if v.get("embed", {}).get("$type", "").startswith("app.bsky.embed.external")
    ]
    assert externals
    for view in externals:
        assert view["record"]["embed"]["external"]["uri"] in view_to_post(view, "t").text
    video = next(
        v for v in views() if v.get("embed", {}).get("$type") == "app.bsky.embed.video#view"
    )
    (media,) = view_media(video["embed"])
    assert media.type == "video" and media.url.endswith("playlist.m3u8")


def test_split_uri() -> None:
    assert split_uri("at://did:plc:x/app.bsky.feed.post/3k") == (
        "did:plc:x",
        "app.bsky.feed.post",
        "3k",
    )
    with pytest.raises(ValueError):
        split_uri("https://bsky.app/profile/x")


# -- collecting through the XRPC fake ------------------------------------------------------


def test_search_with_language_and_pagination(
    ws: Workspace, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_local(ws)
    fake = XrpcFake(load_items())
    appview = fake.serve(httpserver)
    add(ws, appview, search="de", lang="fr")
    matches = {
        v["uri"]
        for v in views()
        if "fr" in (v["record"].get("langs") or []) and "de" in v["record"]["text"].lower()
    }
    assert len(matches) > 15
    monkeypatch.setattr(bluesky, "PAGE_SIZE", 5)  # several pages of few posts
    report = collect(ws)
    assert report.sources[0].status == "ok", report.sources[0].error
    # A first collection reads FIRST_PAGES pages, following the cursor.
    assert [q.get("cursor") for q in fake.queries] == [None, "5", "10"]
    assert all(
        q["lang"] == "fr" and q["sort"] == "latest" and q["limit"] == "5" for q in fake.queries
    )
    stored = {p.id for p in ws.store.iter_posts("p.network = 'bluesky'")}
    assert len(stored) == 15 and stored <= matches


def test_search_second_run_asks_only_for_newer_posts(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    items = copy.deepcopy([i for i in load_items() if "reason" not in i])
    newest = max(items, key=lambda i: str(i["post"].get("indexedAt", "")))
    newest["post"]["record"]["text"] += " (la suite)"
    fake = XrpcFake([i for i in items if i is not newest])
    appview = fake.serve(httpserver)
    add(ws, appview, search="la")
    hooked: list[tuple[str, list[Any]]] = []
    first = collect(ws, hook_log=hooked)
    assert first.sources[0].new > 0 and "since" not in fake.queries[0]
    since = registry.get_source(ws.store, "b").state["newest"]
    fake.items = items  # a new post arrives
    second = collect(ws, hook_log=hooked)
    assert fake.queries[-1]["since"] == since
    assert [p.id for p in hooked[-1][1]] == [newest["post"]["uri"]]
    # "since" is inclusive: the previous newest post comes back once, and is known.
    assert (second.sources[0].new, second.sources[0].known) == (1, 1)


def test_author_feed_with_reposts(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    fake = XrpcFake(load_items())
    appview = fake.serve(httpserver)
    add(ws, appview, author="yomguithereal.bsky.social")
    report = collect(ws)
    assert report.sources[0].status == "ok", report.sources[0].error
    posts = list(ws.store.iter_posts("p.network = 'bluesky'"))
    reposts = [p for p in posts if p.repost_of]
    assert len(reposts) == 2
    assert all(p.author == "yomguithereal.bsky.social" and p.text == "" for p in reposts)
    originals = {p.id for p in posts}
    assert all(p.repost_of in originals for p in reposts)
    assert fake.queries[0]["actor"] == "yomguithereal.bsky.social"


def test_an_appview_error_is_recorded(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    fake = XrpcFake(load_items())
    appview = fake.serve(httpserver)
    add(ws, appview, search="")
    report = collect(ws)
    assert report.sources[0].status == "error"
    assert "HTTP 400" in (report.sources[0].error or "")
    assert 'must have the property \\"q\\"' in (report.sources[0].error or "")


def test_a_broken_view_is_skipped_and_the_others_kept(
    ws: Workspace, httpserver: HTTPServer
) -> None:
    allow_local(ws)
    items = copy.deepcopy([i for i in load_items() if "reason" not in i][:10])
    for item in items:
        item["post"]["record"]["text"] = "veille " + item["post"]["record"]["text"]
    broken = items[3]["post"]
    broken["record"]["createdAt"] = "hier"
    broken["indexedAt"] = "hier"
    fake = XrpcFake(items)
    add(ws, fake.serve(httpserver), search="veille")
    report = collect(ws)
    item = report.sources[0]
    assert item.status == "ok" and item.new == 9
    assert item.warning and broken["uri"] in item.warning and "'hier'" in item.warning
    assert registry.get_source(ws.store, "b").last_error == item.warning


def test_cli_add_bluesky(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    assert cli("source", "add", "bluesky").code == 2
    assert cli("source", "add", "bluesky", "--search", "x", "--author", "y").code == 2
    assert cli("source", "add", "bluesky", "--author", "y", "--lang", "fr").code == 2
    bad_date = cli("source", "add", "bluesky", "--search", "x", "--since", "hier")
    assert bad_date.code == 2 and "not a date" in bad_date.err
    added = cli(
        "source",
        "add",
        "bluesky",
        "--search",
        "veille stratégique",
        "--lang",
        "fr",
        "--since",
        "2026-01-01",
    )
    assert added.code == 0, added.err
    (row,) = orjson.loads(cli("source", "list", "--json").out)
    assert row["name"] == "bluesky-search-veille-strategique-fr"
    assert row["params"] == {
        "search": "veille stratégique",
        "lang": "fr",
        "since": "2026-01-01T00:00:00Z",
    }
