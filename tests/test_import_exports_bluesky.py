"""import bluesky-car: the repository export (CAR v1, DAG-CBOR), built from records.json.

The fixture is written by hand as JSON records (fixtures/exports/bluesky/repo.json) and
encoded into a CAR by tests/car_builder.py with the documented layout. A CAR is not a
compressed archive of members: there is no traversal nor ratio to check, only its size.
"""

from __future__ import annotations

import json
from pathlib import Path

import libipld
import pytest

from tests.car_builder import build_car
from tests.export_helpers import FIXTURES, FROZEN, check_golden, frozen_clock, split
from veilleur.errors import InputError
from veilleur.imports.archives import Limits
from veilleur.imports.bluesky_car import parse_car, read_bluesky_car
from veilleur.workspace import Workspace

SPEC = FIXTURES / "bluesky" / "repo.json"
DID = "did:plc:atelierplume7exemple2024"


@pytest.fixture
def car(tmp_path: Path) -> Path:
    return build_car(SPEC, tmp_path / "repo.car")


def _read(path: Path, **kwargs: object) -> tuple[list, list]:  # type: ignore[type-arg]
    return split(read_bluesky_car(path, clock=frozen_clock, **kwargs))  # type: ignore[arg-type]


def _count(tmp_path: Path) -> int:
    with Workspace(tmp_path / "ws") as ws:
        return ws.store.count_posts()


def test_the_builder_writes_what_libipld_reads(car: Path) -> None:
    """The hand-made CAR is a valid CAR for an independent decoder."""
    header, blocks = libipld.decode_car(car.read_bytes())
    assert header["version"] == 1
    ours = parse_car(car.read_bytes())
    assert ours.cut_at is None and set(ours.blocks) == set(blocks)


def test_golden(car: Path) -> None:
    posts, rejections = _read(car, author="atelierplume.example")
    assert rejections == []
    check_golden("bluesky-car", posts)


def test_what_the_repository_says_is_normalised(car: Path) -> None:
    posts, _ = _read(car, author="@atelierplume.example")
    by_key = {p.id.removeprefix(f"at://{DID}/"): p for p in posts}
    assert len(posts) == 7  # six posts and a repost; the like and the profile are not posts
    first = by_key["app.bsky.feed.post/3kjpost0000001"]
    assert first.text == (
        "Notre guide de la veille : https://atelier-plume.example/guide-veille-2024 #veille"
    )
    assert first.url == "https://bsky.app/profile/atelierplume.example/post/3kjpost0000001"
    assert (first.author, first.author_name) == ("atelierplume.example", "Atelier Plume")
    assert first.lang == "fr" and first.collected_at == FROZEN
    reply = by_key["app.bsky.feed.post/3kjpost0000002"]
    assert reply.reply_to == (
        "at://did:plc:camilleexemple00000000001/app.bsky.feed.post/3kjcamille0002"
    )
    assert reply.created_at.isoformat() == "2024-02-02T17:30:00+00:00"  # +01:00 to UTC
    images = by_key["app.bsky.feed.post/3kjpost0000003"].media
    assert [m.alt for m in images] == ["Six personnes autour d’une table, carnets ouverts.", None]
    assert images[0].url == (
        f"https://cdn.bsky.app/img/feed_fullsize/plain/{DID}/"
        "bafkreicyho5g3akml6d3ynarl3eopnnhcok77fekhmu3nyrffo7gqzejfq@jpeg"
    )
    assert by_key["app.bsky.feed.post/3kjpost0000004"].quote_of.endswith("/3kjjournal0001")
    assert by_key["app.bsky.feed.post/3kjpost0000005"].text.endswith(
        "\nhttps://atelier-plume.example/blog/choisir-son-reseau"
    )
    both = by_key["app.bsky.feed.post/3kjpost0000006"]
    assert both.quote_of.endswith("/3kjjournal0002") and both.media[0].alt
    repost = by_key["app.bsky.feed.repost/3kjrepost000001"]
    assert (repost.text, repost.repost_of.endswith("/3kjjournal0003")) == ("", True)


def test_without_author_the_did_stands_for_the_handle(car: Path) -> None:
    posts, _ = _read(car)
    assert {p.author for p in posts} == {DID}
    assert posts[0].url == f"https://bsky.app/profile/{DID}/post/3kjpost0000001"


def test_import_twice(cli, car: Path) -> None:
    first = cli("import", "bluesky-car", "--author", "atelierplume.example", str(car))
    assert first.code == 0, first.err
    assert "7 read · 7 new" in first.out
    second = cli("import", "bluesky-car", "--author", "atelierplume.example", "--json", str(car))
    summary = json.loads(second.out)
    assert (second.code, summary["new"], summary["known"]) == (0, 0, 7)


def test_truncated_car_keeps_the_records_before_the_cut(cli, car: Path, tmp_path: Path) -> None:
    data = car.read_bytes()
    cut = tmp_path / "cut.car"
    cut.write_bytes(data[: int(len(data) * 0.7)])
    result = cli("import", "bluesky-car", "--json", str(cut))
    assert result.code == 1
    summary = json.loads(result.out)
    assert 0 < summary["new"] < 7
    assert summary["new"] + summary["rejected"] == 8  # the cut itself, then each lost record
    reasons = [f"{r['where']}: {r['reason']}" for r in summary["rejections"]]
    assert reasons[0].startswith(f"{cut} (byte ") and "cut short" in reasons[0]
    assert all("is missing (the file is cut short at byte" in r for r in reasons[1:])
    assert f"{cut} (app.bsky.feed.repost/3kjrepost000001)" in reasons[-1]


def test_not_a_car_writes_nothing(cli, tmp_path: Path) -> None:
    wrong = tmp_path / "repo.car"
    wrong.write_text('{"posts": []}', encoding="utf-8")
    result = cli("import", "bluesky-car", str(wrong))
    assert result.code == 2
    assert "repo.car: is not a CAR file" in result.err and ".car file" in result.err
    assert _count(tmp_path) == 0


def test_car_cut_before_its_commit_writes_nothing(cli, car: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.car"
    cut.write_bytes(car.read_bytes()[:70])
    result = cli("import", "bluesky-car", str(cut))
    assert result.code == 2 and "cut.car: its commit cannot be read" in result.err
    assert _count(tmp_path) == 0


def test_a_record_without_date_is_rejected(tmp_path: Path) -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    del spec["records"]["app.bsky.feed.post/3kjpost0000004"]["createdAt"]
    source = tmp_path / "repo.json"
    source.write_text(json.dumps(spec), encoding="utf-8")
    posts, rejections = _read(build_car(source, tmp_path / "r.car"))
    assert len(posts) == 6
    assert [(r.where, r.reason) for r in rejections] == [
        (
            f"{tmp_path / 'r.car'} (app.bsky.feed.post/3kjpost0000004)",
            "no createdAt date",
        )
    ]


def test_size_limit(car: Path) -> None:
    with pytest.raises(InputError, match="is larger than 1000 bytes"):
        list(read_bluesky_car(car, limits=Limits(max_member=1000)))
