"""What the workbench's sources (Mastodon, Bluesky, removal, OPML), publishing-accounts
and settings pages do, over HTTP (Starlette's TestClient against
``veilleur.web.create_app``) on a real workspace. Every route × every role × no session is
walked by tests/test_web_routes.py, which enumerates the app's routes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from starlette.testclient import TestClient

from veilleur import accounts
from veilleur.web import create_app
from veilleur.workspace import Workspace

ROLES = ("viewer", "editor", "admin", "owner")
PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    app: object
    home: Path
    slug: str
    clients: dict[str, TestClient]

    def workspace(self) -> Workspace:
        return Workspace(self.home, create=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _log_in(client: TestClient, email: str) -> None:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf": _csrf(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def _site(tmp_path: Path, roles: tuple[str, ...] = ROLES) -> Iterator[Site]:
    home = tmp_path / "ws"
    with Workspace(home) as ws:
        ws.set_setting("network.allow_private", "true")
        ws.set_setting("network.backoff_ms", "10")
        ws.set_setting("network.timeout", "10")
        ws.set_setting("network.max_time", "20")
    app = create_app(home)
    server = app.state.server
    with server.home() as h:
        for role in roles:
            accounts.add_user(h.store, f"{role}@example.org", PASSWORD, role, "Veilleur")
    clients: dict[str, TestClient] = {}
    try:
        for role in (*roles, "anonymous"):
            client = TestClient(app, headers={"Accept-Language": "en"})
            client.__enter__()
            clients[role] = client
            if role != "anonymous":
                _log_in(client, f"{role}@example.org")
        yield Site(app, home, server.home_entry.slug, clients)
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from _site(tmp_path, ("viewer", "editor", "admin"))


def post(site: Site, role: str, url: str, **kw: object) -> object:
    client = site.clients[role]
    data = dict(kw.pop("data", {}) or {})  # type: ignore[call-overload]
    data["csrf"] = _csrf(client.get(f"/w/{site.slug}").text)
    return client.post(url, data=data, follow_redirects=False, **kw)  # type: ignore[arg-type]


# -- Sources -------------------------------------------------------------------------------

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Le fil de l'asso</title><link>https://asso.example/</link>
<item><title>Bonjour</title><link>https://asso.example/1</link><guid>1</guid>
<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>Premier</description></item>
</channel></rss>"""

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
<outline text="Veille"><outline type="rss" text="Un" xmlUrl="https://un.example/feed"/>
<outline type="rss" text="Deux" xmlUrl="https://deux.example/rss"/></outline>
</body></opml>"""


def test_an_editor_adds_a_feed_read_once_and_named_by_its_title(
    site: Site, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    url = httpserver.url_for("/feed.xml")
    answer = post(site, "editor", f"/w/{site.slug}/sources", data={"url": url})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    page = site.clients["viewer"].get(f"/w/{site.slug}/sources").text
    assert "le-fil-de-l-asso" in page or "Le fil" in page
    assert url in page
    with site.workspace() as ws:
        from veilleur import sources

        (record,) = sources.list_sources(ws)
    assert record.type == "rss" and record.params["url"] == url
    assert len(httpserver.log) == 1  # read once to check it


def test_a_private_address_is_refused_without_the_workspace_setting(
    site: Site, httpserver: HTTPServer
) -> None:
    with site.workspace() as ws:
        ws.set_setting("network.allow_private", "false")
    url = httpserver.url_for("/feed.xml")
    answer = post(site, "editor", f"/w/{site.slug}/sources", data={"url": url})
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "127.0.0.1" in answer.text  # type: ignore[attr-defined]
    assert httpserver.log == []  # nothing was fetched


def test_a_page_that_is_no_feed_is_refused_with_the_reason(
    site: Site, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<html>hi</html>", content_type="text/html"
    )
    answer = post(
        site, "editor", f"/w/{site.slug}/sources", data={"url": httpserver.url_for("/page")}
    )
    assert answer.status_code == 400  # type: ignore[attr-defined]
    with site.workspace() as ws:
        from veilleur import sources

        assert sources.list_sources(ws) == []


def test_a_mastodon_hashtag_is_checked_on_its_instance(site: Site, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/instance").respond_with_json({"uri": "masto.local"})
    httpserver.expect_request("/api/v1/tags/cafe").respond_with_json({"name": "cafe"})
    httpserver.expect_request("/api/v1/tags/absent").respond_with_json({}, status=404)
    base = httpserver.url_for("/").rstrip("/")
    ok = post(
        site,
        "editor",
        f"/w/{site.slug}/sources/mastodon",
        data={"instance": base, "kind": "tag", "value": "#cafe"},
    )
    assert ok.status_code == 303  # type: ignore[attr-defined]
    missing = post(
        site,
        "editor",
        f"/w/{site.slug}/sources/mastodon",
        data={"instance": base, "kind": "tag", "value": "absent"},
    )
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "#absent" in missing.text  # type: ignore[attr-defined]
    with site.workspace() as ws:
        from veilleur import sources

        (record,) = sources.list_sources(ws)
    assert record.params == {"instance": base, "tag": "cafe"}


def test_a_bluesky_search_is_added_and_removed(site: Site) -> None:
    added = post(
        site,
        "editor",
        f"/w/{site.slug}/sources/bluesky",
        data={"kind": "search", "value": "économie sociale", "lang": "fr", "name": "ess"},
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = site.clients["viewer"].get(f"/w/{site.slug}/sources").text
    assert "search économie sociale lang fr" in page
    assert 'action="/w/' not in page.split("<table>")[1].split("</table>")[0]  # viewer: no buttons
    removed = post(site, "editor", f"/w/{site.slug}/sources/ess/delete")
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert "No source yet." in site.clients["editor"].get(f"/w/{site.slug}/sources").text
    unknown = post(site, "editor", f"/w/{site.slug}/sources/ess/delete")
    assert unknown.status_code == 400  # type: ignore[attr-defined]


def test_opml_in_then_out_keeps_the_feeds(site: Site) -> None:
    url = f"/w/{site.slug}/sources/opml"
    files = {"file": ("lecteur.opml", OPML, "text/x-opml")}
    first = post(site, "editor", url, files=files)
    assert first.status_code == 303  # type: ignore[attr-defined]
    page = site.clients["editor"].get(f"/w/{site.slug}/sources").text
    assert "2 feeds added, 0 already collected." in page
    again = post(site, "editor", url, files=files)
    assert again.status_code == 303  # type: ignore[attr-defined]
    assert (
        "0 feeds added, 2 already collected."
        in site.clients["editor"].get(f"/w/{site.slug}/sources").text
    )
    exported = site.clients["viewer"].get(f"/w/{site.slug}/sources.opml")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert "https://un.example/feed" in exported.text
    assert "https://deux.example/rss" in exported.text


def test_a_broken_opml_upload_names_the_file_and_line(site: Site) -> None:
    files = {"file": ("cassé.opml", b"<opml><body>\n<outline", "text/x-opml")}
    answer = post(site, "editor", f"/w/{site.slug}/sources/opml", files=files)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "cassé.opml:2:" in answer.text  # type: ignore[attr-defined]


def test_the_sources_page_shows_each_source_health(site: Site, httpserver: HTTPServer) -> None:
    """A feed collected once (last success, 1 post) and one whose server fails (its error,
    escaped), as ``veilleur collect`` leaves them."""
    from veilleur import sources

    httpserver.expect_request("/good.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    httpserver.expect_request("/bad.xml").respond_with_data("<b>down</b>", status=404)
    with site.workspace() as ws:
        good = sources.add_rss(ws, httpserver.url_for("/good.xml"), name="good")
        bad = sources.add_rss(ws, httpserver.url_for("/bad.xml"), name="bad", check=False)
        sources.collect(ws, [good, bad])
    page = site.clients["viewer"].get(f"/w/{site.slug}/sources").text
    good_row = page.split('id="source-good"')[1].split("</tr>")[0]
    bad_row = page.split('id="source-bad"')[1].split("</tr>")[0]
    assert "<time" in good_row and '<td class="num">1</td>' in good_row
    assert "<time" not in bad_row and "404" in bad_row and 'class="error"' in bad_row
    assert "<b>down" not in page


# -- Comptes de publication ---------------------------------------------------------------------


def test_an_admin_adds_accounts_whose_secret_is_never_shown(site: Site) -> None:
    from veilleur import publish

    url = f"/w/{site.slug}/settings/accounts"  # the one account form of Paramètres
    masto = post(
        site,
        "admin",
        url,
        data={
            "name": "asso",
            "network": "mastodon",
            "server": "https://piaille.example",
            "secret": "tres-secret-token",
            "times": "09:30, 17:00",
        },
    )
    assert masto.status_code == 303  # type: ignore[attr-defined]
    bsky = post(
        site,
        "admin",
        url,
        data={
            "name": "asso-bsky",
            "network": "bluesky",
            "handle": "@asso.bsky.social",
            "secret": "abcd-efgh-ijkl-mnop",
        },
    )
    assert bsky.status_code == 303  # type: ignore[attr-defined]
    page = site.clients["admin"].get(f"/w/{site.slug}/settings").text
    assert "https://piaille.example" in page and "@asso.bsky.social" in page
    assert "09:30, 17:00" in page
    assert "tres-secret-token" not in page and "abcd-efgh" not in page
    with site.workspace() as ws:
        saved = publish.open_queue(ws).account("asso")
    assert saved.secret == "tres-secret-token"
    assert saved.times == ["09:30", "17:00"]


def test_a_token_over_http_is_refused(site: Site) -> None:
    answer = post(
        site,
        "admin",
        f"/w/{site.slug}/settings/accounts",
        data={
            "name": "x",
            "network": "mastodon",
            "server": "http://piaille.example",
            "secret": "s",
        },
    )
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "http://" in answer.text  # type: ignore[attr-defined]


# -- Paramètres ------------------------------------------------------------------------------


def test_an_admin_changes_settings_checked_and_back_to_default(site: Site) -> None:
    url = f"/w/{site.slug}/settings/all"  # the forms of Paramètres' last section
    page = site.clients["admin"].get(f"/w/{site.slug}/settings").text
    assert "publish.timezone" in page and "report.lang" in page
    assert post(site, "admin", url, data={"key": "report.lang", "value": "en"}).status_code == 303  # type: ignore[attr-defined]
    bad = post(site, "admin", url, data={"key": "network.timeout", "value": "soon"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "network.timeout" in bad.text  # type: ignore[attr-defined]
    unknown = post(site, "admin", url, data={"key": "smtp.hots", "value": "x"})
    assert unknown.status_code == 400  # type: ignore[attr-defined]
    assert (
        post(site, "admin", url, data={"key": "smtp.password", "value": "pw-secret"}).status_code
        == 303
    )  # type: ignore[attr-defined]
    with site.workspace() as ws:
        assert ws.setting("report.lang") == "en"
        assert ws.setting("smtp.password") == "pw-secret"
    page = site.clients["admin"].get(f"/w/{site.slug}/settings").text
    assert "pw-secret" not in page
    assert post(site, "admin", url, data={"key": "report.lang", "value": ""}).status_code == 303  # type: ignore[attr-defined]
    with site.workspace() as ws:
        assert ws.setting("report.lang") == "fr"
