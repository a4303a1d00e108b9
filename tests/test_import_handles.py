"""One rule for handles, whatever the reader: no leading "@", case kept, user@instance kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veilleur.networks import normalize_handle
from veilleur.networks.bluesky import view_to_post
from veilleur.networks.mastodon import handle as mastodon_handle
from veilleur.networks.x import tweet_to_post
from veilleur.workspace import Workspace


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("JLMelenchon", "JLMelenchon"),
        ("@JLMelenchon", "JLMelenchon"),
        ("@@UPR_Asselineau", "UPR_Asselineau"),
        (" @Atelier ", "Atelier"),
        ("@ana@mastodon.example", "ana@mastodon.example"),
        ("ana@mastodon.example", "ana@mastodon.example"),
    ],
)
def test_the_rule(given: str, stored: str) -> None:
    assert normalize_handle(given) == stored


def test_csv_with_at_and_jsonl_without_give_one_author(cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(
        "id,network,author,text,created_at\n"
        "1,x,@JLMelenchon,Premier message,2026-03-01T10:00:00Z\n"
        "2,x,@@JLMelenchon,Deuxième message,2026-03-01T11:00:00Z\n",
        encoding="utf-8",
    )
    jsonl_file = tmp_path / "b.jsonl"
    record = {
        "id": "3",
        "network": "x",
        "author": "JLMelenchon",
        "text": "Troisième message",
        "created_at": "2026-03-01T12:00:00Z",
    }
    jsonl_file.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert cli("import", "csv", str(csv_file)).code == 0
    assert cli("import", "jsonl", str(jsonl_file)).code == 0
    with Workspace(tmp_path / "ws") as ws:
        authors = {ws.store.get_post("x", i).author for i in ("1", "2", "3")}  # type: ignore[union-attr]
    assert authors == {"JLMelenchon"}
    found = cli("search", "author:JLMelenchon", "-f", "ids")
    assert found.code == 0
    assert sorted(found.out.split()) == ["1", "2", "3"]


def test_an_at_sign_alone_is_no_author(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    record = {"id": "1", "network": "x", "author": "@", "text": "t", "created_at": "2026-03-01"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = cli("import", "jsonl", str(path))
    assert result.code == 1
    assert "missing required field: author" in result.err


def test_the_collectors_normalisers_follow_the_rule() -> None:
    tweet = {"id_str": "9", "full_text": "Bonjour", "created_at": "Wed Oct 10 20:19:24 +0000 2018"}
    assert tweet_to_post(tweet, "@Atelier", None).author == "Atelier"
    assert mastodon_handle({"acct": "@ana@mastodon.example"}, "other.example") == (
        "ana@mastodon.example"
    )
    assert mastodon_handle({"acct": "ana"}, "mastodon.example") == "ana@mastodon.example"
    view = {
        "uri": "at://did:plc:abc/app.bsky.feed.post/3k1",
        "author": {"did": "did:plc:abc", "handle": "@atelier.bsky.social"},
        "record": {"text": "Bonjour", "createdAt": "2026-03-01T10:00:00Z"},
    }
    assert view_to_post(view, "test").author == "atelier.bsky.social"


def test_archive_author_option_follows_the_rule(tmp_path: Path) -> None:
    from tests.export_helpers import FIXTURES, frozen_clock, split
    from veilleur.imports.x_archive import read_x_archive

    posts, _ = split(read_x_archive(FIXTURES / "x-archive", author="@@Plume", clock=frozen_clock))
    assert {p.author for p in posts} == {"Plume"}
