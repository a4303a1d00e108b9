"""import bluesky-json: Bluesky post views as the API returns them and as minet/twitwi write
them, through the collector's normaliser — on the real sample of ../shared, read in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from pytest_httpserver import HTTPServer

from tests.export_helpers import frozen_clock, split
from veilleur.imports.bluesky_json import read_bluesky_json
from veilleur.workspace import Workspace

from .conftest import shared_path
from .sources_support import allow_local, collect
from .test_sources_bluesky import XrpcFake, add, load_items

SAMPLE = ("data", "bluesky", "twitwi-bluesky-posts.json")


def _sample() -> Path:
    return shared_path(*SAMPLE)


def _read(path: Path) -> tuple[list[Any], list[Any]]:
    return split(read_bluesky_json(path, clock=frozen_clock))


def test_the_real_sample(tmp_path: Path) -> None:
    posts, rejections = _read(_sample())
    # 123 items: 122 usable views (119 distinct posts, some listed twice) and 2 of them
    # reposted (feed items with a reasonRepost) — plus one post dated year 0000 by its client
    assert len(posts) == 124
    assert len({p.id for p in posts}) == 120
    assert [r.where for r in rejections] == [f"{_sample()} (item 123)"]
    assert "0000-10-14" in rejections[0].reason
    by_id = {p.id: p for p in posts}
    first = by_id["at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkizm6uvhc2b"]
    assert first.author == "pecqueuxanthony.bsky.social"
    assert first.author_name == "Anthony Pecqueux"
    assert first.lang == "fr"
    assert (
        first.quote_of == "at://did:plc:crmrddqmbqzyqd24yjlpibz2/app.bsky.feed.post/3lkicuf37nc2v"
    )
    assert (first.likes, first.reposts, first.replies) == (34, 8, 2)
    assert first.media[0].alt is not None and first.media[0].alt.startswith("Un rapport Hcéres")
    assert first.source == "bluesky-json" and first.collected_at == frozen_clock()
    assert first.url == "https://bsky.app/profile/pecqueuxanthony.bsky.social/post/3lkizm6uvhc2b"
    # languages as stored everywhere: the primary subtag ("fr-FR" → "fr", "pt-BR" → "pt")
    assert {p.lang for p in posts} == {None, "fr", "en", "pt", "ko", "ja", "es"}
    # facets: a link shortened in the text is written out in full
    korben = next(p for p in posts if p.author == "korben.info")
    assert "https://korben.info/xan-couteau-suisse-manipulation-csv-ligne-commande.html" in (
        korben.text
    )
    # embeds: images and videos with their alt texts
    assert sum(1 for p in posts for m in p.media if m.type == "video") == 8
    assert sum(1 for p in posts for m in p.media if m.alt) == 24
    reposts = [p for p in posts if p.repost_of]
    assert len(reposts) == 2
    assert {p.author for p in reposts} == {"yomguithereal.bsky.social"}
    assert all(p.text == "" and p.repost_of in by_id for p in reposts)


def test_cli_imports_the_sample_and_says_which_item_was_rejected(cli, tmp_path: Path) -> None:
    result = cli("import", "bluesky-json", str(_sample()))
    assert result.code == 1
    assert "1 rejected" in result.out
    assert f"{_sample()} (item 123): not a usable post view" in result.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == 120


def test_collected_and_imported_are_one_post(
    ws: Workspace, httpserver: HTTPServer, tmp_path: Path
) -> None:
    allow_local(ws)
    fake = XrpcFake(load_items())
    add(ws, fake.serve(httpserver), author="yomguithereal.bsky.social")
    assert collect(ws).sources[0].status == "ok"
    collected = {(p.network, p.id) for p in ws.store.iter_posts()}
    assert len(collected) > 2
    posts, _ = _read(_sample())
    imported = {(p.network, p.id) for p in posts}
    assert collected <= imported


def _write(path: Path, data: Any) -> Path:
    path.write_bytes(orjson.dumps(data))
    return path


def test_api_answers_and_jsonl_are_read(tmp_path: Path) -> None:
    items = load_items()[:5]
    views = [item["post"] for item in items]
    search = _write(tmp_path / "search.json", {"cursor": "5", "hitsTotal": 9, "posts": views})
    feed = _write(tmp_path / "feed.json", {"feed": items})
    lines = tmp_path / "views.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(v) for v in views) + b"\n")
    lone = _write(tmp_path / "one.json", views[0])
    expected = [p.to_json() for p in _read(_write(tmp_path / "a.json", views))[0]]
    assert len(expected) == 5
    for path in (search, feed, lines):
        assert [p.to_json() for p in _read(path)[0]] == expected, path.name
    assert [p.to_json() for p in _read(lone)[0]] == expected[:1]


def test_a_file_cut_short_keeps_the_items_before_the_cut(cli, tmp_path: Path) -> None:
    whole = _sample().read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(whole[: len(whole) // 2])
    posts, rejections = _read(cut)
    assert 40 < len(posts) < 80
    assert len(rejections) == 1
    assert rejections[0].where == str(cut)
    assert (
        "cut short" in rejections[0].reason and "items before it are kept" in rejections[0].reason
    )
    result = cli("import", "bluesky-json", str(cut))
    assert result.code == 1 and str(cut) in result.err
    # an API answer cut short too
    answer = tmp_path / "answer.json"
    answer.write_bytes(b'{"posts": ' + whole[: len(whole) // 3])
    posts, rejections = _read(answer)
    assert len(posts) > 20 and len(rejections) == 1
    # JSONL cut short: the last line is rejected, with its number
    lines = tmp_path / "cut.jsonl"
    views = [i["post"] for i in load_items()[:3]]
    text = b"\n".join(orjson.dumps(v) for v in views)
    lines.write_bytes(text[:-40])
    posts, rejections = _read(lines)
    assert len(posts) == 2 and [r.where for r in rejections] == [f"{lines}:3"]


def test_wrong_types_are_rejected_by_item_and_the_good_ones_kept(cli, tmp_path: Path) -> None:
    good = load_items()[0]["post"]
    bad_text = {**good, "uri": good["uri"] + "x", "record": {**good["record"], "text": 12}}
    counts = {**good, "uri": good["uri"] + "y", "likeCount": "beaucoup", "author": "nobody"}
    items: list[Any] = [
        good,
        "a string",
        {"uri": 3, "record": {}},
        {"uri": "https://example.org/not-at", "record": {"text": "x", "createdAt": "2025-01-01"}},
        bad_text,
        counts,
        {"post": "not a view"},
    ]
    path = _write(tmp_path / "mixed.json", items)
    posts, rejections = _read(path)
    assert [p.id for p in posts] == [good["uri"], counts["uri"]]
    assert posts[1].likes is None  # a count that is no number is unknown, not a crash
    assert posts[1].author == "did:plc:crmrddqmbqzyqd24yjlpibz2"  # no author: the DID
    assert [r.where for r in rejections] == [f"{path} (item {n})" for n in (2, 3, 4, 5, 7)]
    reasons = [r.reason for r in rejections]
    assert "got str" in reasons[0]
    assert "uri" in reasons[1]
    assert "not an at:// record URI" in reasons[2]
    assert "no text" in reasons[3]
    result = cli("import", "bluesky-json", str(path))
    assert result.code == 1
    assert f"{path} (item 2): not a usable post view" in result.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == 2


def test_what_is_not_bluesky_json_writes_nothing(cli, tmp_path: Path) -> None:
    csv = tmp_path / "posts.csv"
    csv.write_text("id,text\n1,x\n", encoding="utf-8")
    other = _write(tmp_path / "other.json", {"statuses": []})
    empty = tmp_path / "empty.json"
    empty.write_text("  \n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"uri": "at://', encoding="utf-8")
    for path, words in (
        (csv, "is not Bluesky JSON"),
        (other, "without 'posts', 'feed' or 'uri'"),
        (empty, "is empty"),
        (broken, "not valid JSON"),
    ):
        result = cli("import", "bluesky-json", str(path))
        assert result.code == 2, path
        assert str(path) in result.err and words in result.err, result.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == 0


def test_one_line_jsonl_of_a_feed_item(tmp_path: Path) -> None:
    reposted = next(i for i in load_items() if "reason" in i)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(reposted) + "\n", encoding="utf-8")
    posts, rejections = _read(path)
    assert rejections == [] and len(posts) == 2 and posts[1].repost_of == posts[0].id
