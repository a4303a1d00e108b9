"""`veilleur collect` hands every batch of new posts to the watch's alerts: a post from a
listed account reaches the webhook once, however often the feed is collected."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer

from veilleur.model import Watch
from veilleur.watch.alerts import Rule, add_rule
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Actu emploi</title><link>https://actu-emploi.example/</link>
<description>Emploi en région</description>
<item><title>Forum de l'emploi à Lyon</title>
<link>https://actu-emploi.example/forum-emploi-lyon</link>
<guid>https://actu-emploi.example/forum-emploi-lyon</guid>
<pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate>
<description>Le forum de l'emploi réunit 80 entreprises samedi.</description></item>
</channel></rss>
"""


def test_collect_delivers_an_alert_once(cli, tmp_path: Path, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with Workspace(tmp_path / "ws") as ws:
        ws.set_setting("network.allow_private", "true")
        save_watch(ws.store, Watch("emploi", "emploi"))
        add_rule(
            ws.store,
            Rule(
                "presse", "emploi", ["actu-emploi.example"], None, None, httpserver.url_for("/hook")
            ),
        )
    assert cli("source", "add", "rss", httpserver.url_for("/feed.xml")).code == 0
    first = cli("collect", "--all")
    assert first.code == 0, first.out + first.err
    hooks = [entry for entry, _ in httpserver.log if entry.path == "/hook"]
    assert len(hooks) == 1
    assert "Forum de l" in orjson.dumps(orjson.loads(hooks[0].data)).decode()
    assert cli("collect", "--all").code == 0
    assert len([e for e, _ in httpserver.log if e.path == "/hook"]) == 1
