"""Hostile feed bytes (issue 14): truncated XML, entity expansion, wrong encodings, JSON
Feeds with items of the wrong type. The feed parser returns what it could read or raises
NotAFeed — never a traceback — and ``collect`` keeps a feed's good items and records the
problem. Fast settings in ``make test``, the long run under ``-m long``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from veilleur.networks.rss import NotAFeed, entry_to_post, parse_feed
from veilleur.workspace import Workspace

from .sources_support import allow_local, feed_bytes

NOW = datetime(2026, 12, 1, tzinfo=UTC)

RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Veille</title>'
    "<link>https://exemple.fr/</link>"
    + "".join(
        f"<item><title>Offre {i} — été</title><link>https://exemple.fr/{i}</link>"
        f"<guid>g{i}</guid><description>&lt;p&gt;Recrutement {i}&lt;/p&gt;</description>"
        f"<pubDate>Mon, 30 Nov 2026 10:0{i}:00 GMT</pubDate></item>"
        for i in range(5)
    )
    + "</channel></rss>"
).encode()

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    b"<description>x</description></item></channel></rss>"
)

HOSTILE_JSON = [
    {"items": [5]},
    {"items": 5},
    {"items": [{"id": "1", "content_text": "bon"}, 5, {"id": "2", "attachments": 5}]},
    {"items": [{"id": "1", "tags": 5, "authors": 5, "title": 5, "content_text": "x"}]},
    {"items": [{"id": {"a": 1}, "url": 5, "image": ["x"], "date_published": 5}]},
    {"items": [{"id": "1", "content_html": 5, "language": 5, "author": 5}]},
    {"items": [{"id": "1",
                "attachments": [5, {"url": 5}, {"url": "https://e.fr/a", "mime_type": 5}]}]},
    {"title": 5, "authors": [5], "author": "x", "home_page_url": 5, "language": ["fr"],
     "items": []},
]  # fmt: skip


def _parse_all(content: bytes, ctype: str) -> None:
    """Parse, then turn every entry into a post, as the collector does."""
    try:
        feed = parse_feed(content, {"content-type": ctype})
    except NotAFeed:
        return
    for entry in feed.entries:
        entry_to_post(entry, feed, "https://exemple.fr/feed", "src", NOW)


@pytest.mark.parametrize("doc", HOSTILE_JSON, ids=lambda d: orjson.dumps(d).decode()[:40])
def test_hostile_json_feeds(doc: dict[str, object]) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", **doc}
    _parse_all(orjson.dumps(doc), "application/feed+json")


def test_json_feed_keeps_good_items_and_names_the_bad_ones() -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1",
           "items": [{"id": "1", "content_text": "bon"}, 5,
                     {"id": "2", "content_text": "aussi", "attachments": 5}, "x"]}  # fmt: skip
    feed = parse_feed(orjson.dumps(doc), {"content-type": "application/feed+json"})
    assert [e.guid for e in feed.entries] == ["1", "2"]
    assert feed.problem is not None and "2 unreadable item(s)" in feed.problem
    assert "number 2, 4" in feed.problem


def test_entity_expansion_is_not_expanded() -> None:
    _parse_all(LAUGHS, "application/rss+xml")
    try:
        feed = parse_feed(LAUGHS, {"content-type": "application/rss+xml"})
    except NotAFeed:
        return
    assert all(len(e.title or "") < 10_000 for e in feed.entries)


@pytest.mark.parametrize("cut", [10, 100, len(RSS) // 2, len(RSS) - 30, len(RSS) - 1])
def test_truncated_rss(cut: int) -> None:
    _parse_all(RSS[:cut], "application/rss+xml")


@pytest.mark.parametrize(
    "content",
    [RSS.decode().encode("latin-1", "replace"), RSS.decode().encode("utf-16"),
     RSS.decode().encode("utf-16-le"), b"\xff\xfe" + RSS, RSS.replace(b"utf-8", b"klingon"),
     b"\x00" * 100, b"<", b"{", b"{\"version\": 5}", b"[]", b"null",
     RSS.replace(b'encoding="utf-8"', b'encoding="\x80tf-8"'),  # crashed inside feedparser
     RSS.replace(b'encoding="utf-8"', b'encoding="\x00tf-8"')],
)  # fmt: skip
def test_wrong_encodings_and_junk(content: bytes) -> None:
    _parse_all(content, "application/rss+xml")
    _parse_all(content, "application/json")


def _mutations() -> st.SearchStrategy[bytes]:
    samples = [RSS, LAUGHS, feed_bytes("miniflux-rdf_UTF8.xml")]
    json_feed = orjson.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [{"id": "1", "content_text": "x", "tags": ["a"]}],
        }
    )
    samples.append(json_feed)
    base = st.sampled_from(samples)
    cut = st.tuples(base, st.floats(0, 1)).map(lambda bf: bf[0][: int(len(bf[0]) * bf[1])])
    flip = st.tuples(base, st.integers(0, 10_000), st.binary(min_size=1, max_size=8)).map(
        lambda b: b[0][: b[1] % len(b[0])] + b[2] + b[0][b[1] % len(b[0]) + len(b[2]) :]
    )
    return st.one_of(st.binary(max_size=300), cut, flip)


FAST = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@seed(14)
@FAST
@given(content=_mutations(), ctype=st.sampled_from(["application/rss+xml", "application/json"]))
def test_mutated_feeds_never_raise(content: bytes, ctype: str) -> None:
    _parse_all(content, ctype)


@pytest.mark.long
@seed(1414)
@settings(FAST, max_examples=5_000)
@given(content=_mutations(), ctype=st.sampled_from(["application/rss+xml", "application/json"]))
def test_mutated_feeds_never_raise_long(content: bytes, ctype: str) -> None:
    _parse_all(content, ctype)


def test_collect_keeps_the_good_items_of_a_hostile_json_feed(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, httpserver: HTTPServer
) -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hostile",
        "items": [
            {"id": "1", "content_text": "Premier bon", "url": "https://e.fr/1"},
            5,
            {"id": "2", "content_text": "Mauvais", "attachments": 5},
            {"id": "3", "content_text": "Dernier bon", "url": "javascript:alert(1)"},
        ],
    }
    httpserver.expect_request("/feed.json").respond_with_data(
        orjson.dumps(doc), content_type="application/feed+json"
    )
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    added = cli("source", "add", "rss", httpserver.url_for("/feed.json"), "--name", "h")
    assert added.code == 0, added.err
    res = cli("collect", "--all")
    assert "Traceback" not in res.out + res.err
    rows = orjson.loads(cli("source", "list", "--json").out)
    (row,) = rows
    assert row["posts_collected"] == 3
    assert row["last_error"] is not None and "unreadable item" in row["last_error"]
    found = cli("search", "bon OR mauvais", "-f", "jsonl")
    urls = {orjson.loads(line).get("url") for line in found.out.splitlines()}
    assert urls == {"https://e.fr/1", None}
