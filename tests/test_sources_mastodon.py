"""The Mastodon collector against mastodon-mock, a stateful fake Mastodon on 127.0.0.1.

Statuses are posted with Mastodon.py as alice and bob would; veilleur then reads them
through the public API like any instance.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from veilleur.networks.mastodon import status_to_posts
from veilleur.sources import registry
from veilleur.sources.mastodon import PAGE_SIZE, instance_url
from veilleur.workspace import Workspace

from .sources_support import allow_local, collect

mock = pytest.importorskip("mastodon_mock.testing", reason="mastodon-mock is a dev dependency")


@pytest.fixture
def server() -> Iterator[Any]:
    with mock.MockServer() as running:
        yield running


def add(ws: Workspace, server: Any, name: str = "m", **params: str) -> None:
    registry.add_source(ws.store, "mastodon", {"instance": server.base_url, **params}, name)


def test_hashtag_timeline_then_only_what_is_new(ws: Workspace, server: Any) -> None:
    allow_local(ws)
    alice = server.client("alice")
    alice.status_post(
        "Lire https://example.org/un/article/sur/la/veille #veille avec @bob", language="fr"
    )
    alice.status_post("Rien à voir")  # no tag: not collected
    add(ws, server, tag="veille")
    hooked: list[tuple[str, list[Any]]] = []
    first = collect(ws, hook_log=hooked)
    assert first.sources[0].status == "ok", first.sources[0].error
    assert first.sources[0].new == 1
    (post,) = hooked[0][1]
    host = urlsplit(server.base_url).netloc
    assert post.network == "mastodon" and post.author == f"alice@{host}"
    assert post.author_name == "Alice"
    assert post.text == "Lire https://example.org/un/article/sur/la/veille #veille avec @bob"
    assert post.id.startswith("https://") and post.id == post.raw["uri"]
    assert post.lang == "fr" and post.likes == 0

    for n in range(3):
        alice.status_post(f"Suite {n} #veille")
    second = collect(ws, hook_log=hooked)
    # Only the three new statuses were read: none of the known ones came back.
    assert (second.sources[0].new, second.sources[0].known) == (3, 0)
    assert sorted(p.text for p in hooked[-1][1]) == [
        "Suite 0 #veille",
        "Suite 1 #veille",
        "Suite 2 #veille",
    ]
    third = collect(ws)
    assert (third.sources[0].new, third.sources[0].known) == (0, 0)


def test_pagination_over_several_pages(ws: Workspace, server: Any) -> None:
    allow_local(ws)
    alice = server.client("alice")
    for n in range(PAGE_SIZE + 5):
        alice.status_post(f"Message {n} #rh")
    add(ws, server, tag="rh")
    assert collect(ws).sources[0].new == PAGE_SIZE + 5
    for n in range(PAGE_SIZE + 3):
        alice.status_post(f"Nouveau {n} #rh")
    report = collect(ws)
    assert (report.sources[0].new, report.sources[0].known) == (PAGE_SIZE + 3, 0)
    texts = {p.text for p in ws.store.iter_posts("p.network = 'mastodon'")}
    assert {f"Nouveau {n} #rh" for n in range(PAGE_SIZE + 3)} <= texts
    assert len(texts) == 2 * PAGE_SIZE + 8


def test_account_statuses_with_a_boost(ws: Workspace, server: Any) -> None:
    allow_local(ws)
    original = server.client("alice").status_post("Notre guide de la veille est en ligne")
    bob = server.client("bob")
    bob.status_post("Bonjour de Bob")
    bob.status_reblog(original["id"])
    add(ws, server, account="bob")
    report = collect(ws)
    assert report.sources[0].new == 3  # bob's status, his boost, and the boosted original
    host = urlsplit(server.base_url).netloc
    posts = {p.id: p for p in ws.store.iter_posts("p.network = 'mastodon'")}
    boost = next(p for p in posts.values() if p.repost_of)
    assert boost.author == f"bob@{host}"
    assert posts[boost.repost_of].author == f"alice@{host}"
    assert posts[boost.repost_of].text == "Notre guide de la veille est en ligne"
    assert registry.get_source(ws.store, "m").state["account_id"]


def test_search_needs_the_token_from_the_environment(
    ws: Workspace, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_local(ws)
    server.client("alice").status_post("La veille concurrentielle en PME")
    add(ws, server, search="concurrentielle", token_env="VEILLEUR_TEST_TOKEN")
    monkeypatch.delenv("VEILLEUR_TEST_TOKEN", raising=False)
    missing = collect(ws, env={})
    assert missing.sources[0].status == "error"
    assert "VEILLEUR_TEST_TOKEN" in (missing.sources[0].error or "")
    assert "alice_token" not in (missing.sources[0].error or "")
    found = collect(ws, env={"VEILLEUR_TEST_TOKEN": "alice_token"})
    assert found.sources[0].status == "ok" and found.sources[0].new == 1
    assert "alice_token" not in orjson.dumps(registry.get_source(ws.store, "m").params).decode()


def test_rate_limit_from_the_instance_is_recorded(ws: Workspace, server: Any) -> None:
    allow_local(ws)
    ws.set_setting("network.max_time", "1")
    server.client("alice").status_post("#veille")
    rule = {
        "match": {"methods": ["GET"], "path": "/api/v1/timelines/tag/veille"},
        "effect": {"type": "status", "status": 429, "headers": {"Retry-After": "120"}},
        "count": None,
    }
    httpx.post(f"{server.base_url}/api/v1/_mock/faults", json=rule).raise_for_status()
    add(ws, server, tag="veille")
    report = collect(ws)
    assert report.sources[0].status == "error"
    assert "429" in (report.sources[0].error or "")
    record = registry.get_source(ws.store, "m")
    assert record.last_error and "asked to wait 120 s" in record.last_error


def test_cli_add_mastodon(cli, tmp_path: Path, server: Any) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    assert cli("source", "add", "mastodon", "--instance", server.base_url).code == 2
    both = cli(
        "source", "add", "mastodon", "--instance", "x.example", "--tag", "a", "--search", "b"
    )
    assert both.code == 2 and "exactly one of" in both.err
    added = cli("source", "add", "mastodon", "--instance", server.base_url, "--tag", "#Veille")
    assert added.code == 0, added.err
    (row,) = orjson.loads(cli("source", "list", "--json").out)
    assert row["params"] == {"instance": server.base_url, "tag": "Veille"}
    assert row["name"] == "127-0-0-1-tag-veille"


def test_instance_url_forms() -> None:
    assert instance_url("mastodon.social") == "https://mastodon.social"
    assert instance_url("https://piaille.fr/") == "https://piaille.fr"
    with pytest.raises(ValueError):
        instance_url("ftp://x")


def test_status_normalisation_of_a_recorded_payload() -> None:
    """A status as the Mastodon API documents it: HTML, media with alt text, a CW, a reply."""
    status = {
        "id": "113400000000000001",
        "uri": "https://piaille.fr/users/claire/statuses/113400000000000001",
        "url": "https://piaille.fr/@claire/113400000000000001",
        "created_at": "2026-11-20T09:15:00.000Z",
        "in_reply_to_id": "113399999999999999",
        "spoiler_text": "Salon",
        "language": "fr",
        "content": '<p>Nos diapos&nbsp;: <a href="https://exemple.fr/diapos.pdf" rel="nofollow">'
        '<span class="invisible">https://</span><span class="">exemple.fr/diapos.pdf</span></a>'
        '</p><p><a href="https://piaille.fr/tags/salon" class="mention hashtag">#<span>salon'
        "</span></a></p><script>alert(1)</script>",
        "account": {"acct": "claire", "display_name": "Claire"},
        "media_attachments": [
            {"type": "image", "url": "https://files.piaille.fr/a.png", "description": "Le stand"},
            {"type": "gifv", "url": "https://files.piaille.fr/b.mp4", "description": None},
        ],
        "favourites_count": 4,
        "reblogs_count": 2,
        "replies_count": 1,
        "reblog": None,
    }
    (post,) = status_to_posts(status, "https://piaille.fr", "salon")
    assert post.author == "claire@piaille.fr" and post.author_name == "Claire"
    # the warning on its own paragraph, as the archive importer writes it
    assert post.text == "Salon\n\nNos diapos\u00a0: https://exemple.fr/diapos.pdf\n#salon"
    assert post.reply_to == "https://piaille.fr/api/v1/statuses/113399999999999999"
    assert [(m.url, m.alt, m.type) for m in post.media] == [
        ("https://files.piaille.fr/a.png", "Le stand", "image"),
        ("https://files.piaille.fr/b.mp4", None, "video"),
    ]
    assert (post.likes, post.reposts, post.replies) == (4, 2, 1)
    assert post.raw is not None and "<script>" not in post.raw["content"]


def test_cli_add_mastodon_checks_the_instance_and_the_account(
    cli, tmp_path: Path, server: Any
) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    server.client("alice").status_post("Bonjour #veille")
    known = cli("source", "add", "mastodon", "--instance", server.base_url, "--account", "alice")
    assert known.code == 0, known.err
    unknown = cli("source", "add", "mastodon", "--instance", server.base_url, "--account", "zoe")
    assert unknown.code == 2
    assert "no account @zoe on this instance" in unknown.err and "--no-check" in unknown.err
    anyway = cli("source", "add", "mastodon", "--instance", server.base_url, "--account", "zoe",
                 "--no-check")  # fmt: skip
    assert anyway.code == 0, anyway.err
    names = [row["name"] for row in orjson.loads(cli("source", "list", "--json").out)]
    assert len(names) == 2


def test_cli_add_mastodon_refuses_an_unreachable_instance_or_no_mastodon(
    cli, tmp_path: Path, httpserver: Any
) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
        ws.set_setting("network.retries", "0")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    down = cli("source", "add", "mastodon", "--instance", closed, "--tag", "veille")
    assert down.code == 2 and "--no-check" in down.err
    httpserver.expect_request("/api/v1/instance").respond_with_data("<html>blog</html>")
    blog = cli("source", "add", "mastodon", "--instance", httpserver.url_for("/"), "--tag", "a")
    assert blog.code == 2 and "not a Mastodon instance" in blog.err
    assert orjson.loads(cli("source", "list", "--json").out) == []


def test_cli_add_mastodon_refuses_a_tag_the_instance_does_not_know(
    cli, tmp_path: Path, httpserver: Any
) -> None:  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        allow_local(ws)
    httpserver.expect_request("/api/v1/instance").respond_with_json({"uri": "masto.test"})
    httpserver.expect_request("/api/v1/tags/inconnu").respond_with_json(
        {"error": "Record not found"}, status=404
    )
    httpserver.expect_request("/api/v1/tags/veille").respond_with_json({"name": "veille"})
    base = httpserver.url_for("/").rstrip("/")
    missing = cli("source", "add", "mastodon", "--instance", base, "--tag", "#inconnu")
    assert missing.code == 2 and "no hashtag #inconnu on this instance" in missing.err
    assert cli("source", "add", "mastodon", "--instance", base, "--tag", "veille").code == 0
