"""Collectors treat every item on its own (issue 14): a post the store cannot keep is
refused alone, with the source's address and the item named, and the feed's good posts are
kept; a batch the store refuses whole is written again post by post."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from pytest_httpserver import HTTPServer

from veilleur.model import Post
from veilleur.sources import registry
from veilleur.sources.base import Context, Outcome
from veilleur.sources.http import HttpPolicy
from veilleur.sources.registry import SourceRecord
from veilleur.sources.runner import Runner
from veilleur.workspace import Workspace

from .sources_support import allow_local, collect


def _status(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(100 + n),
        "uri": f"https://masto.example/users/alice/statuses/{100 + n}",
        "url": f"https://masto.example/@alice/{100 + n}",
        "created_at": "2026-11-30T10:00:00.000Z",
        "content": f"<p>Statut {n} #veille</p>",
        "account": {
            "id": "1",
            "username": "alice",
            "acct": "alice",
            "display_name": "Alice",
            "url": "https://masto.example/@alice",
        },
        "favourites_count": 1,
        **extra,
    }


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def test_a_mastodon_status_the_store_cannot_keep_is_refused_alone(
    ws: Workspace, httpserver: HTTPServer
) -> None:
    statuses = [
        _status(1),
        _status(2, pleroma=_nested(200)),  # its raw payload is nested too deep to be kept
        _status(3, created_at="9999-12-31T23:59:59-12:00"),  # no such moment in UTC
        5,  # not a status at all
        _status(4),
    ]
    httpserver.expect_request("/api/v1/timelines/tag/veille").respond_with_data(
        orjson.dumps(statuses), content_type="application/json"
    )
    allow_local(ws)
    base = httpserver.url_for("/").rstrip("/")
    registry.add_source(ws.store, "mastodon", {"instance": base, "tag": "veille"}, "m")
    report = collect(ws)
    (item,) = report.sources
    assert item.status == "ok", item.error
    assert item.new == 2  # statuses 1 and 4
    texts = sorted(p.text for p in ws.store.iter_posts())
    assert texts == ["Statut 1 #veille", "Statut 4 #veille"]
    warning = item.warning or ""
    assert base in warning
    assert "https://masto.example/@alice/102" in warning and "nested more than" in warning
    assert "statuses/103" in warning and "out of range" in warning
    (record,) = registry.list_sources(ws.store)
    assert record.last_error == item.warning


def test_a_batch_the_store_refuses_is_saved_post_by_post(ws: Workspace) -> None:
    moment = datetime(2026, 11, 30, 10, tzinfo=UTC)

    def post(n: int, raw: dict[Any, Any] | None = None) -> Post:
        return Post(f"https://a.example/{n}", "rss", "a.example", f"Article {n}", moment,
                    url=f"https://a.example/{n}", raw=raw)  # fmt: skip

    # A key the JSON writer refuses: the check lets it through, the store does not.
    posts = [post(1), post(2, {1: "clé entière"}), post(3)]

    async def collector(record: SourceRecord, ctx: Context) -> Outcome:
        return Outcome(posts=list(posts), state={"interval": 3600})

    registry.add_source(ws.store, "rss", {"url": "https://a.example/feed"}, "a")
    hooked: list[list[Post]] = []
    runner = Runner(
        ws.store,
        HttpPolicy.from_workspace(ws),
        on_batch=lambda record, new: hooked.append(new),
        collectors_by_type={"rss": collector},
    )
    report = asyncio.run(runner.collect(registry.list_sources(ws.store)))
    (item,) = report.sources
    assert item.status == "ok", item.error
    assert item.new == 2
    assert sorted(p.id for p in ws.store.iter_posts()) == [
        "https://a.example/1",
        "https://a.example/3",
    ]
    assert [p.id for p in hooked[0]] == ["https://a.example/1", "https://a.example/3"]
    assert item.warning is not None
    assert "https://a.example/feed: item https://a.example/2 not kept" in item.warning
    (record,) = registry.list_sources(ws.store)
    assert record.state["interval"] == 3600 and record.posts_collected == 2
    assert record.last_error == item.warning
