"""The address guard (issue 14): IPv6 embeddings of private addresses, malformed URLs, and a
webhook that connects to the address it checked (no DNS rebinding window)."""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from pytest_httpserver import HTTPServer

from veilleur.model import Post, Watch
from veilleur.sources.netguard import address_kind
from veilleur.watch.alerts import Rule, add_rule, on_new_posts
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::1", "private"),  # 6to4 of 192.168.1.1
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 of 169.254.169.254 (cloud metadata)
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("64:ff9b:1::808:808", "non-public"),  # local-use NAT64
        ("2001:0:7f00:1::", "loopback"),  # Teredo, server 127.0.0.1
    ],
)
def test_embedded_private_addresses_are_refused(address: str, kind: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["2002:808:808::1", "2606:4700::1111"])
def test_embedded_public_addresses_pass(address: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) is None


def test_source_add_refuses_6to4_loopback_and_malformed_urls(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("source", "add", "rss", "http://[2002:7f00:1::]/feed.xml")
    assert res.code == 2 and "loopback" in res.err
    for url in ("http://[::1", "http://exemple.fr:99999/", "javascript:alert(1)"):
        res = cli("source", "add", "rss", url)
        assert res.code == 2 and "expected an http:// or https:// address" in res.err, res.err
        assert "Traceback" not in res.err


def test_webhook_connects_to_the_address_it_checked(
    ws: Workspace, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name is public when checked, 127.0.0.1 a moment later. The old
    code checked with one lookup and let httpx connect after another."""
    real = socket.getaddrinfo
    calls: list[str] = []

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        calls.append(host)
        address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    save_watch(ws.store, Watch("emploi", "emploi"))
    hook = f"http://rebind.example:{httpserver.port}/hook"
    add_rule(ws.store, Rule("r", "emploi", ["@marie"], None, None, hook))
    post = Post("p1", "x", "marie", "Un mot sur l'emploi local", datetime.now(UTC))
    ws.store.write_posts([post])
    (alert,) = on_new_posts(ws, [post])
    assert not alert.delivered
    assert alert.error is not None and "loopback" in alert.error
    assert httpserver.log == []
    assert len(calls) >= 2  # checked, then resolved again by the guarded connection


def test_webhook_to_6to4_loopback_is_refused(ws: Workspace) -> None:
    save_watch(ws.store, Watch("emploi", "emploi"))
    add_rule(ws.store, Rule("r", "emploi", ["@marie"], None, None, "http://[2002:7f00:1::]:9/h"))
    post = Post("p1", "x", "marie", "Un mot sur l'emploi local", datetime.now(UTC))
    ws.store.write_posts([post])
    (alert,) = on_new_posts(ws, [post])
    assert not alert.delivered and alert.error is not None
    assert "private or local address" in alert.error


@pytest.mark.parametrize("hook", ["http://[::1", "javascript:alert(1)", "http://h.example:0x50/"])
def test_alert_add_refuses_malformed_webhooks(ws: Workspace, cli, hook: str) -> None:  # type: ignore[no-untyped-def]
    save_watch(ws.store, Watch("emploi", "emploi"))
    path = ws.path
    ws.close()
    res = cli("alert", "add", "a", "--watch", "emploi", "--account", "marie", "--webhook", hook,
              workspace=path)  # fmt: skip
    assert res.code == 2 and "is not an http(s) URL" in res.err, res.err


HOSTILE_OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><body>
  <outline type="rss" text="Bon" xmlUrl="https://le-cercle-psy.scienceshumaines.com/rss"/>
  <outline type="rss" text="Bon" xmlUrl="https://www.heise.de/newsticker/heise.rdf"/>
  <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Fichier" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="Boucle" xmlUrl="http://127.0.0.1:8080/feed"/>
  <outline type="rss" text="Intranet" xmlUrl="http://10.1.2.3/rss"/>
  <outline type="rss" text="6to4" xmlUrl="http://[2002:7f00:1::]/rss"/>
  <outline type="rss" text="Cassé" xmlUrl="http://[::1"/>
</body></opml>
"""


def test_opml_import_checks_every_feed_address(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "abonnements.opml"
    path.write_text(HOSTILE_OPML, encoding="utf-8")
    res = cli("source", "import-opml", str(path))
    assert res.code == 1  # some feeds refused: said, and the others added
    assert "2 feeds added, 0 already there." in res.out
    for title in ("Script", "Fichier", "Boucle", "Intranet", "6to4", "Cassé"):
        assert f"{path}: feed “{title}” not added" in res.err, res.err
    rows = orjson.loads(cli("source", "list", "--json").out)
    assert sorted(r["name"] for r in rows) == ["bon", "bon-2"]  # registry.unique_name
    assert {r["params"]["url"] for r in rows} == {
        "https://le-cercle-psy.scienceshumaines.com/rss",
        "https://www.heise.de/newsticker/heise.rdf",
    }
    # A workspace that allows private addresses takes the loopback and intranet feeds too.
    assert cli("config", "set", "network.allow_private", "true").code == 0
    again = cli("source", "import-opml", str(path))
    assert "3 feeds added, 2 already there." in again.out
    assert "“Script” not added" in again.err and "“Boucle”" not in again.err
