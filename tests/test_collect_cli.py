"""``veilleur source …`` and ``veilleur collect`` as a user runs them, against 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from veilleur.sources import registry
from veilleur.workspace import Workspace

from .sources_support import allow_local, feed_bytes

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


def open_ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def test_a_loopback_feed_is_refused_without_the_setting(cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/feed.xml")
    result = cli("source", "add", "rss", url)
    assert result.code == 2
    assert "127.0.0.1" in result.err and "loopback" in result.err
    assert "veilleur config set network.allow_private true" in result.err
    assert httpserver.log == []
    listed = cli("source", "list", "--json")
    assert orjson.loads(listed.out) == []


def test_a_private_address_is_refused_at_collect_time_too(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A source added while allowed, then the setting turned off: collect refuses it."""
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed_bytes("miniflux-rdf_UTF8.xml"), content_type="application/rdf+xml"
    )
    with open_ws(tmp_path) as ws:
        allow_local(ws)
    assert cli("source", "add", "rss", httpserver.url_for("/feed.xml")).code == 0
    cli("config", "set", "network.allow_private", "false")
    result = cli("collect")
    assert result.code == 1
    assert "loopback" in result.out
    assert len(httpserver.log) == 1  # the check made by `source add`, nothing since


def test_add_list_collect_rm(cli, tmp_path: Path, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/psy.xml").respond_with_data(
        feed_bytes("miniflux-no_encoding_ISO-8859-1.xml"), content_type="application/rss+xml"
    )
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=410)
    with open_ws(tmp_path) as ws:
        allow_local(ws)
    added = cli("source", "add", "rss", httpserver.url_for("/psy.xml"))
    assert added.code == 0, added.err
    assert "flux-rss-du-magazine-de-psychologie-le" in added.out  # named after the feed
    refused = cli("source", "add", "rss", httpserver.url_for("/gone.xml"))
    assert refused.code == 2 and "HTTP 410 Gone" in refused.err and "--no-check" in refused.err
    forced = cli("source", "add", "rss", httpserver.url_for("/gone.xml"), "--no-check")
    assert forced.code == 0 and "Source '127-0-0-1' added." in forced.out
    twice = cli("source", "add", "rss", httpserver.url_for("/gone.xml"), "--no-check")
    assert twice.code == 2 and "already collects this" in twice.err

    collected = cli("collect")
    assert collected.code == 1  # one source failed
    assert "2 sources: 9 new posts, 0 unchanged, 1 failed." in collected.out

    rows = {r["name"]: r for r in orjson.loads(cli("source", "list", "--json").out)}
    psy = rows["flux-rss-du-magazine-de-psychologie-le"]
    assert psy["posts_collected"] == 9 and psy["last_success"] and psy["last_error"] is None
    gone = rows["127-0-0-1"]
    assert gone["last_success"] is None and "HTTP 410 Gone" in gone["last_error"]
    table = cli("source", "list").out
    words = " ".join(table.split())  # the error column wraps at 80 columns
    assert "last success" in table and "last error" in table and "HTTP 410" in words

    # Nothing is due right after a collection.
    again = cli("collect")
    assert again.code == 0 and "No source is due now" in again.err
    assert cli("collect", "--all", "--json").code == 1

    removed = cli("source", "rm", "127-0-0-1")
    assert removed.code == 0 and "its posts stay" in removed.out
    assert cli("source", "rm", "nope").code == 2


def test_collect_named_sources_only(cli, tmp_path: Path, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    for path, name in (("/a", "miniflux-rdf_UTF8.xml"), ("/b", "miniflux-large_atom.xml")):
        httpserver.expect_request(path).respond_with_data(feed_bytes(name))
    with open_ws(tmp_path) as ws:
        allow_local(ws)
        registry.add_source(ws.store, "rss", {"url": httpserver.url_for("/a")}, "a")
        registry.add_source(ws.store, "rss", {"url": httpserver.url_for("/b")}, "b")
    result = cli("collect", "b", "--json")
    assert result.code == 0
    report = orjson.loads(result.out)
    assert [s["name"] for s in report["sources"]] == ["b"] and report["new"] == 25
    assert cli("collect", "nope").code == 2


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Abonnements</title></head>
  <body>
    <outline text="Psychologie" title="Psychologie">
      <outline type="rss" text="Le Cercle Psy" title="Le Cercle Psy"
               xmlUrl="https://le-cercle-psy.scienceshumaines.com/rss"
               htmlUrl="https://le-cercle-psy.scienceshumaines.com/"/>
    </outline>
    <outline type="rss" text="heise online" xmlUrl="https://www.heise.de/newsticker/heise.rdf"/>
    <outline text="un dossier vide"/>
  </body>
</opml>
"""


def test_opml_import_and_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "abonnements.opml"
    path.write_text(OPML, encoding="utf-8")
    first = cli("source", "import-opml", str(path))
    assert first.code == 0 and "2 feeds added, 0 already there." in first.out
    second = cli("source", "import-opml", str(path))
    assert "0 feeds added, 2 already there." in second.out
    rows = orjson.loads(cli("source", "list", "--json").out)
    assert {r["name"] for r in rows} == {"le-cercle-psy", "heise-online"}
    psy = next(r for r in rows if r["name"] == "le-cercle-psy")
    assert psy["params"]["category"] == "Psychologie"

    exported = tmp_path / "out.opml"
    assert cli("source", "export-opml", str(exported)).code == 0
    again = tmp_path / "again"
    assert cli("source", "import-opml", str(exported), workspace=again).code == 0
    rows_again = orjson.loads(cli("source", "list", "--json", workspace=again).out)
    assert {(r["params"]["url"], r["params"].get("category")) for r in rows_again} == {
        (r["params"]["url"], r["params"].get("category")) for r in rows
    }


def test_malformed_opml_names_file_and_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.opml"
    path.write_text('<opml version="2.0"><body>\n<outline xmlUrl="x">\n</body></opml>')
    result = cli("source", "import-opml", str(path))
    assert result.code == 2
    assert f"{path}:3:" in result.err and "not well-formed" in result.err
    assert orjson.loads(cli("source", "list", "--json").out) == []


def test_opml_with_entity_expansion_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bomb.opml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>'
    )
    result = cli("source", "import-opml", str(path))
    assert result.code == 2 and "refused" in result.err


def test_collect_with_a_progress_display(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, httpserver: HTTPServer, monkeypatch
) -> None:
    from veilleur.cli import progress

    monkeypatch.setattr(progress, "progress_wanted", lambda: True)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    httpserver.expect_request("/a").respond_with_data(feed_bytes("miniflux-rdf_UTF8.xml"))
    with open_ws(tmp_path) as ws:
        allow_local(ws)
        registry.add_source(ws.store, "rss", {"url": httpserver.url_for("/a")}, "a")
    result = cli("collect")
    assert result.code == 0 and "1 sources: 60 new posts" in result.out
