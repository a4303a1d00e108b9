"""One Mastodon normaliser: a status imported from the account's archive and the same status
collected from the API are one post, with one ``(network, id)`` — the status's URI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer

from tests.export_helpers import FIXTURES
from veilleur.imports.mastodon_archive import mastodon_archive_reader
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.networks.mastodon import parent_uri
from veilleur.sources import registry
from veilleur.workspace import Workspace

from .sources_support import allow_local, collect

mock = pytest.importorskip("mastodon_mock.testing", reason="mastodon-mock is a dev dependency")


@pytest.fixture
def server() -> Iterator[Any]:
    with mock.MockServer() as running:
        yield running


def _archive_of(folder: Path, first: dict[str, Any], reply: dict[str, Any]) -> Path:
    """The real archive sample, as alice's server would write it for her account: its
    first status and its reply in the account's own thread are these two statuses, known
    by the same URIs the API gives (the outbox's Note ``id`` is the API's ``uri``)."""
    shutil.copytree(FIXTURES / "mastodon", folder)
    outbox = json.loads((folder / "outbox.json").read_text(encoding="utf-8"))
    items = outbox["orderedItems"]
    for item, status, parent in ((items[0], first, None), (items[3], reply, first)):
        note = item["object"]
        assert note["id"].endswith(("/111000000000000001", "/111000000000000004"))
        item["id"] = f"{status['uri']}/activity"
        note.update(id=status["uri"], url=status["url"])
        note["inReplyTo"] = parent["uri"] if parent else None
    (folder / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    return folder


def _import(ws: Workspace, archive: Path, author: str) -> ImportSummary:
    summary = ImportSummary()
    import_file(ws.store, archive, mastodon_archive_reader(author), summary)
    return summary


@pytest.mark.parametrize("collected_first", [True, False])
def test_the_same_status_imported_and_collected_is_stored_once(
    ws: Workspace, server: Any, tmp_path: Path, collected_first: bool
) -> None:
    allow_local(ws)
    alice = server.client("alice")
    first = alice.status_post("Notre méthode de #veille en trois temps", language="fr")
    reply = alice.status_post("Prochaine session le 14 mars #veille", in_reply_to_id=first["id"])
    archive = _archive_of(tmp_path / "archive", first, reply)
    author = f"alice@{urlsplit(server.base_url).netloc}"
    registry.add_source(ws.store, "mastodon", {"instance": server.base_url, "tag": "veille"}, "m")

    if collected_first:
        assert collect(ws).sources[0].new == 2
        summary = _import(ws, archive, author)
        # the two collected statuses are not new (known, or updated with the archive's data)
        assert (summary.new, summary.known + summary.updated, summary.rejected) == (4, 2, 0)
    else:
        summary = _import(ws, archive, author)
        assert (summary.new, summary.known) == (6, 0)
        report = collect(ws).sources[0]
        assert (report.status, report.new, report.known + report.updated) == ("ok", 0, 2), (
            report.error
        )

    posts = {p.id: p for p in ws.store.iter_posts("p.network = 'mastodon'")}
    assert len(posts) == 6  # the archive's six, the two collected among them
    assert posts[first["uri"]].author == author
    assert posts[reply["uri"]].reply_to == first["uri"]  # the parent by its URI in both


STATUS = "https://social.example/users/atelier/statuses/"


def _as_the_api_gives_it(number: str, content: str, reply_to: str | None = None) -> dict[str, Any]:
    """A status of the archive sample as social.example's REST API documents it."""
    return {
        "id": number,
        "uri": STATUS + number,
        "url": f"https://social.example/@atelier/{number}",
        "created_at": "2024-02-01T08:00:00.000Z",
        "account": {"id": "109000", "acct": "atelier", "display_name": "Atelier Plume"},
        "content": content,
        "spoiler_text": "",
        "language": "fr",
        "in_reply_to_id": reply_to,
        "in_reply_to_account_id": "109000" if reply_to else None,
        "media_attachments": [],
        "favourites_count": 5,
        "reblogs_count": 2,
        "replies_count": 0,
        "reblog": None,
    }


def test_the_real_archive_and_the_api_agree_on_ids(
    ws: Workspace, httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Unmodified archive sample; the collector reads two of its statuses from the API of
    the account's own server, where the API's ``id`` is the number ending the URI (the
    case where the importer used to store the bare number and the collector the URI)."""
    allow_local(ws)
    httpserver.expect_request("/api/v1/timelines/tag/veille").respond_with_json(
        [
            _as_the_api_gives_it(
                "111000000000000004", "<p>Prochaine session</p>", "111000000000000003"
            ),
            _as_the_api_gives_it("111000000000000001", "<p>Notre méthode de #veille</p>"),
        ]
    )
    instance = httpserver.url_for("/").rstrip("/")
    registry.add_source(ws.store, "mastodon", {"instance": instance, "tag": "veille"}, "m")
    assert collect(ws).sources[0].new == 2
    summary = _import(ws, FIXTURES / "mastodon", "atelier@social.example")
    assert (summary.new, summary.known + summary.updated) == (4, 2)
    posts = {p.id: p for p in ws.store.iter_posts("p.network = 'mastodon'")}
    assert len(posts) == 6
    assert STATUS + "111000000000000001" in posts
    assert posts[STATUS + "111000000000000004"].reply_to == STATUS + "111000000000000003"


def test_a_reply_to_another_author_keeps_the_api_address_when_the_parent_is_unknown() -> None:
    status = {
        "id": "20",
        "uri": "https://piaille.fr/users/claire/statuses/20",
        "in_reply_to_id": "19",
        "in_reply_to_account_id": "7",
        "account": {"id": "3", "acct": "claire"},
    }
    instance = "https://piaille.fr"
    assert parent_uri(status, instance) == "https://piaille.fr/api/v1/statuses/19"
    assert parent_uri({**status, "in_reply_to_account_id": "3"}, instance) == (
        "https://piaille.fr/users/claire/statuses/19"  # a thread of claire's own
    )
    known = {"19": "https://autre.example/users/bob/statuses/5"}
    assert parent_uri(status, instance, known) == "https://autre.example/users/bob/statuses/5"
    remote = {**status, "uri": "https://autre.example/users/bob/statuses/987"}
    assert parent_uri({**remote, "in_reply_to_account_id": "3"}, instance) == (
        "https://piaille.fr/api/v1/statuses/19"  # not written on the instance asked
    )
