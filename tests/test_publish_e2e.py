"""End to end: an item appears in a site's feed → drafts for three networks → published once
to the local Mastodon and Bluesky fakes, even when ``publish --due`` runs twice, runs twice at
the same time, or is killed (SIGKILL) between a remote call and its record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from veilleur.publish.queue import Queue
from veilleur.workspace import Workspace

from .bsky_fake import FakePDS

ITEM = """<item><title>{title}</title><link>https://site.example/{slug}</link>
<guid>https://site.example/{slug}</guid><pubDate>{date}</pubDate>
<description>{summary}</description></item>"""

ITEMS = [
    ("Ancien article", "ancien", "Mon, 02 Mar 2026 08:00:00 +0000", "Déjà là avant le relais."),
    ("Guide de la veille", "guide", "Tue, 03 Mar 2026 08:00:00 +0000", "Sources, alertes."),
    ("Atelier « réseaux »", "atelier", "Wed, 04 Mar 2026 08:00:00 +0000", "Inscrivez-vous."),
]


def feed(items: list[tuple[str, str, str, str]]) -> str:
    # Newest first, as sites publish their feeds.
    body = "".join(
        ITEM.format(title=t, slug=s, date=d, summary=m) for t, s, d, m in reversed(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Site</title><link>https://site.example/</link>{body}</channel></rss>"
    )


@pytest.fixture(scope="module")
def mastodon() -> Iterator[object]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


KILL_AFTER_CALL = """
import os, signal, sys
from pathlib import Path
from veilleur.publish import client_for
from veilleur.publish.publisher import publish_due
from veilleur.publish.queue import Queue
from veilleur.workspace import Workspace

calls = 0
def die(post, remote):
    global calls
    calls += 1
    if calls == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)  # after the network answered, before the record

with Workspace(Path(sys.argv[1])) as ws:
    publish_due(Queue(ws.store), client_for, ws.path, after_call=die)
"""


def run_cli(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VEILLEUR_WORKSPACE": str(ws), "VEILLEUR_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "veilleur.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_site_item_to_three_networks_published_once(
    cli,
    httpserver: HTTPServer,
    mastodon,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    ws = tmp_path / "ws"
    current = {"xml": feed(ITEMS[:1])}
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(current["xml"], content_type="application/rss+xml")
    )
    with FakePDS(handle="asso.test") as pds:
        assert cli("config", "set", "network.allow_private", "true").code == 0
        assert (
            cli(
                "queue",
                "account",
                "add",
                "masto",
                "--network",
                "mastodon",
                "--server",
                mastodon.base_url,
                "--secret",
                "alice_token",
                "--insecure",  # a local test server over http://
            ).code
            == 0
        )
        assert (
            cli(
                "queue",
                "account",
                "add",
                "bsky",
                "--network",
                "bluesky",
                "--server",
                pds.url,
                "--handle",
                "asso.test",
                "--secret",
                pds.password,
                "--insecure",
            ).code
            == 0
        )
        added = cli(
            "relay",
            "add",
            "site",
            httpserver.url_for("/feed.xml"),
            "--to",
            "mastodon:masto",
            "--to",
            "bluesky:bsky",
            "--to",
            "x",
            "--auto",
        )
        assert added.code == 0, added.err
        assert "1 items already in the feed" in added.out

        # Two new items appear on the site.
        current["xml"] = feed(ITEMS)
        ran = cli("relay", "run")
        assert ran.code == 0, ran.err
        assert "2 new items, 2 drafts, 4 scheduled" in ran.out
        assert cli("relay", "run").out.count("0 new items") == 1  # nothing twice

        with Workspace(ws) as w:
            posts = Queue(w.store).posts()
        assert sorted((p.network, p.status) for p in posts) == sorted(
            [("mastodon", "scheduled"), ("bluesky", "scheduled"), ("x", "draft")] * 2
        )
        x_drafts = [p.texts[0] for p in posts if p.network == "x"]
        assert x_drafts[0].startswith("Guide de la veille")  # oldest first
        assert x_drafts[1].startswith("Atelier « réseaux »")

        # A publisher is killed right after its second remote call, before the record.
        env = {**os.environ, "VEILLEUR_WORKSPACE": str(ws)}
        killed = subprocess.run(
            [sys.executable, "-c", KILL_AFTER_CALL, str(ws), "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        with Workspace(ws) as w:
            statuses = sorted(p.status for p in Queue(w.store).posts())
        assert "in_flight" in statuses

        # Two publishers at once, then a third: each post goes out once.
        first = subprocess.Popen(
            [sys.executable, "-m", "veilleur.cli.main", "publish", "--due"],
            env={**env, "VEILLEUR_LANG": "en"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        second = run_cli(ws, "publish", "--due")
        out1, err1 = first.communicate(timeout=120)
        assert first.returncode == 0, err1
        assert second.returncode == 0, second.stderr
        assert "recovered after an interruption" in out1 + second.stdout
        third = run_cli(ws, "publish", "--due")
        assert third.returncode == 0 and "nothing due" in third.stdout

        # What the networks hold: each item once on each, in the site's order.
        assert pds.rejected == []
        bsky = [pds.records[k]["value"] for k in sorted(pds.records)]
        assert [r["text"].split("\n")[0] for r in bsky] == [
            "Guide de la veille",
            "Atelier « réseaux »",
        ]
        card = bsky[0]["embed"]["external"]
        assert card["uri"] == "https://site.example/guide" and card["title"] == "Guide de la veille"
        api = mastodon.client("alice")
        me = api.account_verify_credentials()
        texts = [s["content"] for s in api.account_statuses(me["id"], limit=40)]
        relayed = [t for t in texts if "site.example/guide" in t or "site.example/atelier" in t]
        assert len(relayed) == 2
        assert not any("site.example/ancien" in t for t in texts)

        with Workspace(ws) as w:
            done = Queue(w.store).posts(status="published")
        assert len(done) == 4
        assert all(p.remote_ids and p.remote_urls for p in done)
