"""Only http(s) links, everywhere (issue 14): a hostile feed cannot plant a ``javascript:``,
``data:`` or ``file:`` link in a digest, and ``--link`` refuses them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import orjson
import pytest
from pytest_httpserver import HTTPServer

import veilleur
from veilleur.model import Post, Watch
from veilleur.networks.rss import parse_feed
from veilleur.report.safety import safe_url
from veilleur.watch import build_digest, save_watch
from veilleur.workspace import Workspace

from .sources_support import allow_local

HOSTILE = ("javascript:alert(1)", "JaVaScRiPt:alert(2)", "data:text/html,<b>3</b>",
           "file:///etc/passwd", "java\tscript:alert(4)", " javascript:alert(5)",
           "vbscript:msgbox(6)", "//evil.example/7")  # fmt: skip


@pytest.mark.parametrize("url", [*HOSTILE, "http://[::1", "https://bank.example@evil.example/",
                                 "http://a.example:99999/", "https:/nohost", "http://a.example/>x",
                                 "http://a.example/\x1b[2J", "http:\\\\evil.example"])  # fmt: skip
def test_safe_url_refuses(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url", ["https://exemple.fr/", "http://exemple.fr:8080/été?q=a&b=c#x", "HTTPS://A.FR/p"]
)
def test_safe_url_keeps_web_links(url: str) -> None:
    assert safe_url(url) == url


def _rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{i}</guid>"
        f"<description>Recrutement : {title}</description>"
        f'<enclosure url="{link}" type="image/png" length="1"/>'
        f"<pubDate>Mon, 30 Nov 2026 10:0{i % 10}:00 GMT</pubDate></item>"
        for i, (title, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile</title><link>javascript:alert(0)</link>{body}</channel></rss>"
    ).encode()


def _escape(url: str) -> str:
    return url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_feed_normaliser_drops_hostile_links() -> None:
    items = [(f"offre {i}", _escape(u)) for i, u in enumerate(HOSTILE)]
    items.append(("offre sure", "https://exemple.fr/ok"))
    feed = parse_feed(_rss(items), {"content-type": "application/rss+xml"})
    assert feed.link is None
    links = [e.link for e in feed.entries]
    assert links == [None] * len(HOSTILE) + ["https://exemple.fr/ok"]
    media = [m.url for e in feed.entries for m in e.media]
    assert media == ["https://exemple.fr/ok"]


def test_json_feed_normaliser_drops_hostile_links() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "home_page_url": "javascript:alert(0)",
        "items": [
            {"id": "1", "url": "javascript:alert(1)", "external_url": "data:text/html,x",
             "content_text": "un", "image": "file:///etc/passwd",
             "attachments": [{"url": "javascript:alert(2)"}, {"url": "https://e.fr/a.png"}]},
        ],
    }  # fmt: skip
    feed = parse_feed(orjson.dumps(doc), {"content-type": "application/feed+json"})
    (entry,) = feed.entries
    assert entry.link is None and feed.link is None
    assert [m.url for m in entry.media] == ["https://e.fr/a.png"]


def test_mastodon_and_bluesky_normalisers_drop_hostile_links() -> None:
    from veilleur.networks.bluesky import view_media
    from veilleur.networks.mastodon import status_to_posts

    status = {
        "id": "1", "uri": "https://m.example/users/a/statuses/1", "url": "javascript:alert(1)",
        "created_at": "2026-11-30T10:00:00Z", "content": "<p>bonjour</p>",
        "account": {"acct": "a", "username": "a", "display_name": "A"},
        "media_attachments": [{"type": "image", "url": "data:image/png;base64,AAAA",
                               "remote_url": "https://m.example/a.png"}],
    }  # fmt: skip
    (post,) = status_to_posts(status, "https://m.example", "src", {})
    assert post.url == "https://m.example/users/a/statuses/1"
    assert [m.url for m in post.media] == ["https://m.example/a.png"]
    embed = {
        "$type": "app.bsky.embed.images#view",
        "images": [{"fullsize": "javascript:alert(1)"}, {"fullsize": "https://cdn/x"}],
    }
    assert [m.url for m in view_media(embed)] == ["https://cdn/x"]


def _hostile_digest_ws(tmp_path: Path) -> Workspace:
    """Posts stored with hostile links (as an older release or an import may have kept
    them): the renderers must still refuse them."""
    ws = Workspace(tmp_path / "ws")
    t0 = datetime(2026, 11, 30, 10, tzinfo=UTC)
    posts = [
        Post(
            f"p{i}",
            "rss",
            "site.example",
            f"Recrutement numéro {i} : {url}",
            t0,
            url=url,
            title=f"Recrutement {i}\x01\x1b[2J",
        )
        for i, url in enumerate(HOSTILE)
    ]
    ws.store.write_posts(posts)
    save_watch(ws.store, Watch("w", "recrutement"))
    return ws


def test_renderers_refuse_hostile_links_already_stored(tmp_path: Path) -> None:
    from veilleur.watch.render import to_atom, to_html, to_json, to_markdown

    ws = _hostile_digest_ws(tmp_path)
    t0 = datetime(2026, 11, 30, tzinfo=UTC)
    d = build_digest(ws.store, "w", t0, t0 + timedelta(days=1), limit=20)
    ws.close()
    assert d.stories
    assert any(e.url for e in d.stories)  # the hostile link reached the digest model
    html, atom, md = to_html(d), to_atom(d), to_markdown(d)
    for out in (html, atom):
        hrefs = re.findall(r'(?:href|src)="([^"]*)"', out)
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    for scheme in ("javascript:", "data:", "file:", "vbscript:"):
        assert f'href="{scheme}' not in html.lower()
        assert f"<{scheme}" not in md.lower()
    data = orjson.loads(to_json(d))
    assert all(s["url"] is None and not s["links"] for s in data["stories"])
    root = ElementTree.fromstring(atom.encode())  # valid XML despite \x01 and ESC
    assert root.tag.endswith("feed")
    assert "\x1b" not in html and "\x01" not in md


def test_hostile_feed_end_to_end(cli, tmp_path: Path, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    items = [(f"Recrutement {i}\x01", _escape(u)) for i, u in enumerate(HOSTILE)]
    items.append(("Recrutement sur", "https://exemple.fr/sur"))
    httpserver.expect_request("/evil.xml").respond_with_data(
        _rss(items), content_type="application/rss+xml"
    )
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    assert cli("source", "add", "rss", httpserver.url_for("/evil.xml"), "--name", "evil").code == 0
    collected = cli("collect")
    assert collected.code == 0, collected.out + collected.err
    assert cli("watch", "add", "w", "recrutement").code == 0
    outputs = {}
    for fmt in ("html", "atom", "md"):
        res = cli("digest", "w", "--since", "2026-11-29", "--until", "2026-12-01", "-f", fmt,
                  "--limit", "20")  # fmt: skip
        assert res.code == 0, res.err
        outputs[fmt] = res.out
    assert "https://exemple.fr/sur" in outputs["html"]
    for text in outputs.values():
        low = text.lower()
        assert "javascript:" not in low and "data:text" not in low and "file:" not in low
        assert "vbscript:" not in low and "\x01" not in text
    ElementTree.fromstring(outputs["atom"].encode())


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "file:///etc/x"])
def test_link_option_refuses_other_schemes(cli, tmp_path: Path, link: str) -> None:  # type: ignore[no-untyped-def]
    res = cli("compose", "Bonjour", "--networks", "mastodon", "--link", link)
    assert res.code == 2 and "is not a web link" in res.err
    res = cli("queue", "add", "Bonjour", "--network", "x", "--link", link)
    assert res.code == 2 and "is not a web link" in res.err, res.err
    listed = cli("queue", "list", "--format", "json")
    assert link not in listed.out


TEMPLATES = sorted(Path(veilleur.__file__).parent.glob("*/templates/*"))


# The web workbench links to its own pages with path('route', …): the router's paths,
# which begin with "/" and never carry a scheme. The events' public pages use
# public_path('route', …), path() of the route for the home or of its /e/{ws}/ twin.
OWN_PAGE = r"\{\{ (?:public_)?path\('\w+'(, (?:(?!\}\}).)*)?\) \}\}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_template_link_goes_through_the_filter(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for attr in re.findall(r'(?:href|src|action|hx-get|hx-post)\s*=\s*"([^"]*)"', text):
        if "{{" in attr:
            own = path.parent.parent.name == "web" and re.fullmatch(OWN_PAGE, attr)
            assert own or re.fullmatch(r"\{\{ [\w.]+\|safe_url \}\}", attr), f"{path.name}: {attr}"
