"""JSONL export is exactly what JSONL import reads: ``search -f jsonl`` → ``import jsonl``
into a new workspace gives the same posts, every field of the interchange, reposts included."""

from __future__ import annotations

import json
from pathlib import Path

from veilleur.workspace import Workspace

POSTS = [
    {
        "id": "at://did:plc:abc/app.bsky.feed.post/3k1",
        "network": "bluesky",
        "author": "atelier.bsky.social",
        "author_name": "Atelier Plume",
        "text": "Un atelier sur la veille à Lyon https://atelier.example/veille",
        "created_at": "2026-03-01T09:30:00Z",
        "url": "https://bsky.app/profile/atelier.bsky.social/post/3k1",
        "lang": "fr",
        "media": [{"url": "https://cdn.example/a.jpg", "alt": "La salle", "type": "image"}],
        "likes": 4,
        "reposts": 2,
        "replies": 1,
        "quotes": 0,
        "views": 120,
        "collected_at": "2026-03-02T08:00:00Z",
        "source": "veille-lyon",
    },
    {  # a repost: no text of its own
        "id": "at://did:plc:xyz/app.bsky.feed.repost/3k2",
        "network": "bluesky",
        "author": "lecteur.bsky.social",
        "text": "",
        "created_at": "2026-03-01T10:00:00Z",
        "repost_of": "at://did:plc:abc/app.bsky.feed.post/3k1",
        "source": "veille-lyon",
    },
    {  # a reply that quotes, on another network
        "id": "https://mastodon.example/users/ana/statuses/7",
        "network": "mastodon",
        "author": "ana@mastodon.example",
        "text": "Merci pour l'atelier !",
        "created_at": "2026-03-01T11:15:00Z",
        "reply_to": "https://mastodon.example/users/bob/statuses/6",
        "quote_of": "https://mastodon.example/users/bob/statuses/5",
        "media": [{"url": "https://mastodon.example/v.mp4", "type": "video"}],
    },
    {  # an article, with a title
        "id": "rss-1",
        "network": "rss",
        "author": "atelier.example",
        "title": "Veille : le guide",
        "text": "Le guide de la veille stratégique.",
        "created_at": "2026-02-28T07:00:00Z",
        "url": "https://atelier.example/guide",
        "lang": "fr",
    },
]

EVERY_POST = "network:bluesky OR network:mastodon OR network:rss"


def _export(cli, workspace: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = cli("search", EVERY_POST, "-f", "jsonl", "--limit", "1000", workspace=workspace)
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines() if line.strip()]


def test_export_then_import_gives_the_same_posts(cli, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in POSTS), "utf-8")
    first, second = tmp_path / "ws1", tmp_path / "ws2"
    assert cli("import", "jsonl", str(source), workspace=first).code == 0
    exported = _export(cli, first)
    assert len(exported) == len(POSTS)
    assert any(p.get("repost_of") and p["text"] == "" for p in exported)

    dump = tmp_path / "export.jsonl"
    dump.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in exported), "utf-8")
    imported = cli("import", "jsonl", str(dump), workspace=second)
    assert imported.code == 0, imported.err
    assert "0 rejected" in imported.out

    def by_key(records: list[dict[str, object]]) -> dict[tuple[object, object], object]:
        return {(r["network"], r["id"]): r for r in records}

    assert by_key(_export(cli, second)) == by_key(exported)
    # and what was exported is what was given (no field lost on the way)
    for given in POSTS:
        got = by_key(exported)[(given["network"], given["id"])]
        assert isinstance(got, dict)
        # stamped at import: the time, and the effective language beside the declared one
        stamped = {"collected_at", "lang", "lang_declared", "lang_source"}
        assert set(got) - set(given) <= stamped, given["id"]
        for name, value in given.items():
            if name == "lang":
                assert got["lang_declared"] == value, given["id"]
            elif name in ("created_at", "collected_at"):
                assert str(got[name]).replace("+00:00", "Z") == value, name
            else:
                assert got[name] == value, name


def test_a_repost_with_empty_text_is_imported(cli, tmp_path: Path) -> None:
    line = json.dumps(POSTS[1])
    path = tmp_path / "r.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = cli("import", "jsonl", str(path))
    assert result.code == 0, result.err
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("bluesky", str(POSTS[1]["id"]))
    assert post is not None and post.text == "" and post.repost_of == POSTS[1]["repost_of"]
