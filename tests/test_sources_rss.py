"""The RSS/Atom/JSON Feed collector on the real feeds of ../shared, served on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from veilleur.model import parse_datetime, url_id
from veilleur.networks.html import html_to_text
from veilleur.networks.rss import Entry, NotAFeed, entry_id, parse_feed
from veilleur.sources import registry
from veilleur.workspace import Workspace

from .sources_support import allow_local, collect, feed_bytes

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def add_feed(ws: Workspace, url: str, name: str = "feed", **params: object) -> None:
    registry.add_source(ws.store, "rss", {"url": url, **params}, name)


# -- parsing the real feeds ---------------------------------------------------------------


def test_iso_8859_1_feed_without_declaration_reads_accents() -> None:
    feed = parse_feed(feed_bytes("miniflux-no_encoding_ISO-8859-1.xml"), {})
    assert feed.title == "Flux RSS du magazine de psychologie Le Cercle Psy"
    assert len(feed.entries) == 10
    first = feed.entries[0]
    assert first.title == "Perturbateurs endocriniens : quels effets sur le cerveau ?"
    assert "nombre d'études montrent" in first.html
    assert first.published == datetime(2018, 10, 17, 10, 30, tzinfo=UTC)
    assert feed.entries[2].html.startswith("«\xa0L'oisiveté est mère de tous les vices\xa0»")


def test_latin1_feed_served_as_utf8_is_still_read() -> None:
    """A server that claims UTF-8 for a Latin-1 feed: the bytes win over the header."""
    headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
    feed = parse_feed(feed_bytes("miniflux-no_encoding_ISO-8859-1.xml"), headers)
    assert "très complexe" in (feed.entries[1].title or "")


def test_windows_1251_feed() -> None:
    feed = parse_feed(feed_bytes("miniflux-encoding_WINDOWS-1251.xml"), {})
    assert feed.title == "iBash.Org.Ru" and feed.lang == "ru"
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Цитата #17703"
    assert feed.entries[0].guid == "http://ibash.org.ru/quote.php?id=17703"


def test_rdf_feed() -> None:
    feed = parse_feed(feed_bytes("miniflux-rdf_UTF8.xml"), {})
    assert feed.format == "rss090" and feed.title == "heise online News"
    assert len(feed.entries) == 60
    assert feed.entries[0].title == "OLED-TVs: Vorsichtsmaßnahmen gegen Einbrennen"


def test_large_atom_feed_with_full_content() -> None:
    feed = parse_feed(feed_bytes("miniflux-large_atom.xml"), {})
    assert feed.format == "atom10" and len(feed.entries) == 25
    first = feed.entries[0]
    assert first.has_content and first.author == "jvoisin"
    assert first.guid == "tag:dustri.org,2024-03-10:/b/using-vale-with-vim.html"
    assert first.published == datetime(2024, 3, 10, 16, 15, tzinfo=UTC)


def test_html_or_garbage_is_not_a_feed() -> None:
    with pytest.raises(NotAFeed):
        parse_feed(b"<html><body><p>Bienvenue</p></body></html>", {"Content-Type": "text/html"})
    with pytest.raises(NotAFeed):
        parse_feed(b'{"hello": "world"}', {"Content-Type": "application/json"})


def test_a_feed_cut_short_keeps_its_complete_entries() -> None:
    data = feed_bytes("miniflux-large_rss.xml")
    full = parse_feed(data, {})
    cut = parse_feed(data[: len(data) // 2], {})
    assert cut.truncated and cut.problem and "ends before its last entry" in cut.problem
    assert 0 < len(cut.entries) < len(full.entries)
    for short, whole in zip(cut.entries, full.entries, strict=False):
        # Every kept entry is whole (the loose parser escapes quotes differently: compare text).
        assert html_to_text(short.html) == html_to_text(whole.html)


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Carnet de veille",
    "home_page_url": "https://carnet.example.org/",
    "language": "fr-FR",
    "authors": [{"name": "Claire"}],
    "items": [
        {
            "id": "https://carnet.example.org/2026/11/reseaux",
            "url": "https://carnet.example.org/2026/11/reseaux",
            "title": "Quel réseau ? Pour en faire quoi ?",
            "content_html": "<p>Partir du <em>besoin</em>, puis choisir "
            '<a href="https://carnet.example.org/guide">le réseau</a>.</p>',
            "date_published": "2026-11-20T09:00:00+01:00",
            "tags": ["veille"],
        },
        {
            "id": "2",
            "content_text": "Une note sans titre.",
            "date_published": "2026-11-21T10:00:00Z",
            "image": "https://carnet.example.org/img.png",
        },
    ],
}


def test_json_feed() -> None:
    feed = parse_feed(orjson.dumps(JSON_FEED), {"Content-Type": "application/feed+json"})
    assert feed.title == "Carnet de veille" and feed.lang == "fr" and feed.format == "json1.1"
    first, second = feed.entries
    assert first.published == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert first.author == "Claire" and first.tags == ["veille"]
    assert second.html == "Une note sans titre." and second.media[0].url.endswith("img.png")


def test_entry_identity_guid_then_link_then_content() -> None:
    def entry(guid: str | None, link: str | None, title: str = "t", html: str = "c") -> Entry:
        return Entry(guid, link, title, html, False, None, None, None)

    feed = "https://a.example/feed"
    assert entry_id(feed, entry("tag:a.example,2026:1", "https://a.example/1")) == url_id(
        "tag:a.example,2026:1"
    )
    # A GUID that is no URI is only unique within its feed.
    assert entry_id(feed, entry("1234", None)) != entry_id(
        "https://b.example/feed", entry("1234", None)
    )
    # Without a GUID the link decides, tracking parameters and case of the host aside.
    assert entry_id(feed, entry(None, "https://A.example/x?utm_source=rss")) == entry_id(
        feed, entry(None, "https://a.example/x")
    )
    # Without either, title and content do.
    assert entry_id(feed, entry(None, None, "t", "c")) == entry_id(
        feed, entry(None, None, "t", "c")
    )
    assert entry_id(feed, entry(None, None, "t", "c")) != entry_id(
        feed, entry(None, None, "t", "d")
    )


# -- collecting over HTTP ------------------------------------------------------------------


def serve_with_validators(httpserver: HTTPServer, path: str, body: bytes, ctype: str) -> None:
    """A feed served with an ETag and Last-Modified, answering 304 to either validator."""
    etag, modified = '"v1"', "Wed, 25 Nov 2026 10:00:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag or (
            request.headers.get("If-Modified-Since") == modified
        ):
            return Response(status=304)
        return Response(body, content_type=ctype, headers={"ETag": etag, "Last-Modified": modified})

    httpserver.expect_request(path).respond_with_handler(handler)


def test_collect_then_conditional_get(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    body = feed_bytes("miniflux-no_encoding_ISO-8859-1.xml")
    serve_with_validators(httpserver, "/psy.xml", body, "application/rss+xml")
    add_feed(ws, httpserver.url_for("/psy.xml"), "psy")
    hooked: list[tuple[str, list[object]]] = []

    first = collect(ws, hook_log=hooked)  # type: ignore[arg-type]
    assert first.sources[0].status == "ok" and first.sources[0].new == 9  # one item is empty
    assert [len(posts) for _, posts in hooked] == [9]

    second = collect(ws, hook_log=hooked)  # type: ignore[arg-type]
    assert second.sources[0].status == "not-modified" and second.sources[0].new == 0
    assert hooked[-1] == ("psy", [])
    request, _ = httpserver.log[-1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Wed, 25 Nov 2026 10:00:00 GMT"

    posts = list(ws.store.iter_posts("p.network = 'rss'"))
    assert len(posts) == 9
    post = next(p for p in posts if p.title and p.title.startswith("Perturbateurs"))
    assert post.author == "le-cercle-psy.scienceshumaines.com"
    assert post.url and post.url.endswith("_sh_39995")
    assert "nombre d'études montrent" in post.text and post.source == "psy"
    record = registry.get_source(ws.store, "psy")
    assert record.posts_collected == 9 and record.last_error is None
    assert record.last_success is not None and record.state["etag"] == '"v1"'


def test_recollecting_changed_feed_adds_only_new_entries(
    ws: Workspace, httpserver: HTTPServer
) -> None:
    allow_local(ws)
    data = feed_bytes("miniflux-large_atom.xml").decode()
    head, _, rest = data.partition("<entry>")
    entries = ["<entry>" + e for e in rest.split("<entry>")]
    older = head + "".join(entries[1:])  # the feed before its newest entry was published
    if not older.rstrip().endswith("</feed>"):
        older += "</feed>"
    versions = [older.encode(), data.encode()]
    httpserver.expect_ordered_request("/atom").respond_with_data(
        versions[0], content_type="application/atom+xml"
    )
    httpserver.expect_ordered_request("/atom").respond_with_data(
        versions[1], content_type="application/atom+xml"
    )
    add_feed(ws, httpserver.url_for("/atom"), "dustri")
    hooked: list[tuple[str, list[object]]] = []
    assert collect(ws, hook_log=hooked).sources[0].new == 24  # type: ignore[arg-type]
    report = collect(ws, hook_log=hooked)  # type: ignore[arg-type]
    assert report.sources[0].new == 1 and report.sources[0].known == 24
    (new_post,) = hooked[-1][1]
    assert new_post.title == "Using vale with vim"  # type: ignore[attr-defined]


def test_a_failing_source_does_not_stop_the_others(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    httpserver.expect_request("/ok").respond_with_data(
        feed_bytes("miniflux-rdf_UTF8.xml"), content_type="application/rdf+xml"
    )
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)

    def truncated(request: Request) -> Response:
        response = Response(feed_bytes("miniflux-large_rss.xml")[:3000])
        response.headers["Content-Length"] = "167103"
        return response

    httpserver.expect_request("/cut").respond_with_handler(truncated)
    add_feed(ws, httpserver.url_for("/ok"), "heise")
    add_feed(ws, httpserver.url_for("/broken"), "broken")
    add_feed(ws, httpserver.url_for("/cut"), "cut")
    report = collect(ws)
    status = {s.name: (s.status, s.new) for s in report.sources}
    assert status == {"heise": ("ok", 60), "broken": ("error", 0), "cut": ("error", 0)}
    broken = registry.get_source(ws.store, "broken")
    assert broken.last_error and "HTTP 500" in broken.last_error
    assert httpserver.url_for("/broken") in broken.last_error
    assert broken.last_success is None and broken.state["failures"] == 1
    due = parse_datetime(broken.state["next_due"])
    assert due > datetime.now(UTC) + timedelta(minutes=10)  # retried later, not in a loop
    cut = registry.get_source(ws.store, "cut")
    assert cut.last_error and "broke off" in cut.last_error
    assert ws.store.count_posts() == 60


def test_an_html_page_instead_of_a_feed_is_reported(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    httpserver.expect_request("/page").respond_with_data(
        "<html><body>Bienvenue</body></html>", content_type="text/html"
    )
    add_feed(ws, httpserver.url_for("/page"), "page")
    report = collect(ws)
    assert report.sources[0].status == "error"
    assert "not an RSS, Atom or JSON feed" in (report.sources[0].error or "")


def test_a_permanent_redirect_moves_the_feed(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    new_url = httpserver.url_for("/new.xml")
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": new_url}
    )
    httpserver.expect_request("/new.xml").respond_with_data(
        feed_bytes("miniflux-rdf_UTF8.xml"), content_type="application/rdf+xml"
    )
    add_feed(ws, httpserver.url_for("/old.xml"), "moved")
    collect(ws)
    assert registry.get_source(ws.store, "moved").state["url"] == new_url
    collect(ws)
    assert [r.path for r, _ in httpserver.log] == ["/old.xml", "/new.xml", "/new.xml"]


def test_state_and_posts_are_saved_together(
    ws: Workspace, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while writing the posts leaves no ETag behind: nothing is skipped later."""
    allow_local(ws)
    serve_with_validators(
        httpserver, "/psy", feed_bytes("miniflux-no_encoding_ISO-8859-1.xml"), "text/xml"
    )
    add_feed(ws, httpserver.url_for("/psy"), "psy")
    store = ws.store
    real_write = store.write_posts

    def failing_write(posts: object, conn: object = None) -> object:
        real_write(posts, conn)  # type: ignore[arg-type]
        raise OSError("disk full")

    monkeypatch.setattr(store, "write_posts", failing_write)
    report = collect(ws)
    assert report.sources[0].status == "error" and "disk full" in (report.sources[0].error or "")
    assert store.count_posts() == 0
    assert "etag" not in registry.get_source(store, "psy").state
    monkeypatch.undo()
    report = collect(ws)
    assert report.sources[0].new == 9


def test_full_text_for_summary_only_feeds(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    article_url = httpserver.url_for("/articles/veille")
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Blog</title><link>{httpserver.url_for("/")}</link>
<item><title>La veille, un métier</title><link>{article_url}</link>
<guid>{article_url}</guid><description>Un résumé court.</description>
<pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>"""
    paragraphs = "".join(
        f"<p>Paragraphe {n} : la veille stratégique demande de choisir ses sources avec soin, "
        f"de les lire régulièrement et de partager ce qui compte avec son équipe.</p>"
        for n in range(1, 6)
    )
    page = f"""<!DOCTYPE html><html lang="fr"><head><title>La veille, un métier</title>
<meta name="author" content="Claire Martin"></head><body><nav><a href="/">Accueil</a></nav>
<article><h1>La veille, un métier</h1>{paragraphs}</article>
<footer>Mentions légales</footer></body></html>"""
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/articles/veille").respond_with_data(page, content_type="text/html")
    add_feed(ws, httpserver.url_for("/feed"), "blog", full_text=True)
    report = collect(ws)
    assert report.sources[0].new == 1 and report.sources[0].warning is None
    (post,) = ws.store.iter_posts()
    assert "Paragraphe 5 : la veille stratégique" in post.text
    assert "Un résumé court" not in post.text and "Mentions légales" not in post.text
    assert post.raw is not None and post.raw["full_text"] is True
    # Known entries are not fetched again.
    collect(ws)
    assert [r.path for r, _ in httpserver.log].count("/articles/veille") == 1


def test_windows_1252_without_declaration_keeps_its_typography() -> None:
    """’ œ … « » are bytes 0x92 0x9C 0x85 0xAB 0xBB in windows-1252, invalid as UTF-8."""
    text = "L’œuvre… « veille »"
    feed = (
        '<rss version="2.0"><channel><title>Cœur</title><item><title>'
        f"{text}</title><link>https://exemple.fr/1</link></item></channel></rss>"
    ).encode("windows-1252")
    parsed = parse_feed(feed, {"Content-Type": "text/xml"})
    assert parsed.title == "Cœur" and parsed.entries[0].title == text


def test_a_rate_limited_feed_is_not_asked_again_before_retry_after(
    ws: Workspace, httpserver: HTTPServer
) -> None:
    allow_local(ws)
    httpserver.expect_request("/busy").respond_with_data(
        "", status=429, headers={"Retry-After": "7200"}
    )
    add_feed(ws, httpserver.url_for("/busy"), "busy")
    before = datetime.now(UTC).replace(microsecond=0)  # the store keeps seconds
    report = collect(ws)
    assert report.sources[0].status == "error" and len(httpserver.log) == 1
    record = registry.get_source(ws.store, "busy")
    assert record.last_error and "asked to wait 7200 s" in record.last_error
    assert parse_datetime(record.state["next_due"]) >= before + timedelta(seconds=7200)
    assert not record.is_due(datetime.now(UTC))


def test_a_gzip_body_that_is_not_gzip_is_an_error(ws: Workspace, httpserver: HTTPServer) -> None:
    allow_local(ws)
    httpserver.expect_request("/gz").respond_with_data(
        b"not gzip at all", headers={"Content-Encoding": "gzip"}
    )
    add_feed(ws, httpserver.url_for("/gz"), "gz")
    report = collect(ws)
    assert report.sources[0].status == "error"
    assert "could not be decoded" in (report.sources[0].error or "")


def test_a_failing_hook_is_reported_and_the_posts_kept(
    ws: Workspace, httpserver: HTTPServer
) -> None:
    allow_local(ws)
    httpserver.expect_request("/f").respond_with_data(feed_bytes("miniflux-rdf_UTF8.xml"))
    add_feed(ws, httpserver.url_for("/f"), "f")

    def hook(record: object, posts: list[object]) -> None:
        raise RuntimeError("alert engine down")

    import asyncio

    from veilleur.sources.http import HttpPolicy
    from veilleur.sources.runner import Runner

    runner = Runner(ws.store, HttpPolicy.from_workspace(ws), on_batch=hook)  # type: ignore[arg-type]
    report = asyncio.run(runner.collect(registry.list_sources(ws.store)))
    assert report.sources[0].status == "ok" and report.sources[0].new == 60
    assert "batch hook failed: RuntimeError: alert engine down" in (report.sources[0].warning or "")
    assert ws.store.count_posts() == 60
