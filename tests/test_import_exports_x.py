"""import x-archive: the X (Twitter) account archive, zipped or unzipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.export_helpers import (
    FIXTURES,
    FROZEN,
    check_golden,
    frozen_clock,
    split,
    zip_folder,
    zip_members,
)
from veilleur.imports.x_archive import read_x_archive
from veilleur.workspace import Workspace

ARCHIVE = FIXTURES / "x-archive"


def _read(path: Path, **kwargs: object) -> tuple[list, list]:  # type: ignore[type-arg]
    return split(read_x_archive(path, clock=frozen_clock, **kwargs))  # type: ignore[arg-type]


def _count(tmp_path: Path) -> int:
    with Workspace(tmp_path / "ws") as ws:
        return ws.store.count_posts()


def test_golden(tmp_path: Path) -> None:
    posts, rejections = _read(ARCHIVE)
    assert rejections == []
    check_golden("x-archive", posts)


def test_zip_with_a_top_folder_reads_like_the_folder(tmp_path: Path) -> None:
    archive = zip_folder(ARCHIVE, tmp_path / "twitter.zip", prefix="twitter-2024-01-30/")
    from_zip, _ = _read(archive)
    from_folder, _ = _read(ARCHIVE)
    assert [p.to_json() for p in from_zip] == [p.to_json() for p in from_folder]


def test_what_the_archive_says_is_normalised(tmp_path: Path) -> None:
    posts, _ = _read(ARCHIVE)
    by_id = {p.id: p for p in posts}
    assert len(posts) == 7  # six in tweets.js, one in tweets-part1.js
    first = by_id["1750000000000000001"]
    assert first.author == "AtelierPlume" and first.author_name == "Atelier Plume — rédaction"
    assert first.likes == 12 and first.reposts == 3  # counts arrive as strings
    assert "https://atelier-plume.example/blog/veille-2024" in first.text  # t.co expanded
    assert "t.co" not in first.text and "&amp;" not in first.text and "& synthèse" in first.text
    assert first.url == "https://x.com/AtelierPlume/status/1750000000000000001"
    assert first.created_at.isoformat() == "2024-01-24T09:30:00+00:00"
    assert first.collected_at == FROZEN
    assert by_id["1750000000000000002"].reply_to == "1749999999999999999"
    assert by_id["1750000000000000003"].repost_of == "@journal_exemple"
    assert by_id["1750000000000000004"].quote_of == "1749000000000000000"
    assert by_id["1750000000000000004"].lang == "en"
    photo = by_id["1750000000000000005"]
    assert [m.url for m in photo.media] == [
        "https://pbs.twimg.com/media/GEexemple1.jpg",
        "https://pbs.twimg.com/media/GEexemple2.jpg",
    ]
    assert photo.text == "L’équipe au complet pour l’atelier !"  # the media's t.co removed
    long = by_id["1750000000000000006"]
    assert long.text.endswith("publier partout sans résultat.")  # from note-tweet.js
    assert by_id["1600000000000000007"].text == "Fermeture des inscriptions > vendredi."


def test_archive_before_2022_with_tweet_js() -> None:
    posts, rejections = _read(FIXTURES / "x-archive-2019", author="@agence_exemple")
    assert rejections == []
    [post] = posts
    assert post.author == "agence_exemple"
    assert post.id == "1100000000000000001" and post.likes == 2


def test_import_twice_adds_nothing_the_second_time(cli, tmp_path: Path) -> None:
    archive = zip_folder(ARCHIVE, tmp_path / "x.zip")
    first = cli("import", "x-archive", str(archive))
    assert first.code == 0, first.err
    assert "7 read · 7 new · 0 updated · 0 already known · 0 rejected" in first.out
    second = cli("import", "x-archive", "--json", str(archive))
    assert second.code == 0
    summary = json.loads(second.out)
    assert (summary["new"], summary["known"], summary["rejected"]) == (0, 7, 0)


def test_without_account_js_the_handle_is_asked_for(cli, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(ARCHIVE, folder)
    (folder / "data" / "account.js").unlink()
    result = cli("import", "x-archive", str(folder))
    assert result.code == 2
    assert "--author" in result.err and str(folder) in result.err
    assert _count(tmp_path) == 0
    result = cli("import", "x-archive", "--author", "AtelierPlume", str(folder))
    assert result.code == 0 and "7 new" in result.out


def test_truncated_zip_is_refused_and_nothing_written(cli, tmp_path: Path) -> None:
    archive = zip_folder(ARCHIVE, tmp_path / "x.zip")
    data = archive.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    result = cli("import", "x-archive", str(cut))
    assert result.code == 2
    assert "cut.zip" in result.err and "not a readable zip archive" in result.err
    assert _count(tmp_path) == 0


def test_archive_without_tweets_is_not_an_x_archive(cli, tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "other.zip", {"data/account.js": "window.YTD.a = []"})
    result = cli("import", "x-archive", str(archive))
    assert result.code == 2
    assert "other.zip" in result.err and "no data/tweets.js" in result.err


def test_bad_json_in_one_part_keeps_the_others(cli, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(ARCHIVE, folder)
    part = folder / "data" / "tweets-part1.js"
    part.write_text(part.read_text(encoding="utf-8")[:300], encoding="utf-8")
    archive = zip_folder(folder, tmp_path / "x.zip")
    result = cli("import", "x-archive", "--json", str(archive))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (6, 1)
    [rejection] = summary["rejections"]
    assert rejection["where"] == f"{archive}!data/tweets-part1.js"
    assert "not valid JSON" in rejection["reason"] and "cut short" in rejection["reason"]
    assert "window.YTD.tweets.part0" in rejection["reason"]  # what was expected


def test_bad_json_in_the_only_part_writes_nothing(cli, tmp_path: Path) -> None:
    archive = zip_members(
        tmp_path / "x.zip",
        {"data/tweets.js": 'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1",, } } ]'},
    )
    result = cli("import", "x-archive", "--author", "a", str(archive))
    assert result.code == 2
    assert f"{archive}!data/tweets.js: line 1, column" in result.err
    assert _count(tmp_path) == 0


def test_a_bad_entry_is_rejected_with_its_position(tmp_path: Path) -> None:
    tweets = [
        {
            "tweet": {
                "id_str": "1",
                "full_text": "Bon",
                "created_at": "Fri Mar 01 12:00:00 +0000 2019",
            }
        },
        {"tweet": {"id_str": "2", "full_text": "Sans date"}},
        {"tweet": {"id_str": "3", "full_text": "Mauvaise date", "created_at": "hier"}},
        "pas un objet",
    ]
    archive = zip_members(
        tmp_path / "x.zip", {"data/tweets.js": "window.YTD.tweets.part0 = " + json.dumps(tweets)}
    )
    posts, rejections = _read(archive, author="a")
    assert [p.id for p in posts] == ["1"]
    where = f"{archive}!data/tweets.js"
    assert [(r.where, r.reason) for r in rejections] == [
        (f"{where} (entry 2)", "no created_at date"),
        (
            f"{where} (entry 3)",
            "created_at 'hier' is not a date like 'Wed Oct 10 20:19:24 +0000 2018'",
        ),
        (f"{where} (entry 4)", 'expected an object {"tweet": {...}}'),
    ]


def test_path_traversal_refuses_the_archive(cli, tmp_path: Path) -> None:
    tweets = (ARCHIVE / "data" / "tweets.js").read_bytes()
    archive = zip_members(
        tmp_path / "evil.zip", {"data/tweets.js": tweets, "../../.bashrc": "echo pwned"}
    )
    result = cli("import", "x-archive", "--author", "a", str(archive))
    assert result.code == 2
    assert "path traversal" in result.err and "../../.bashrc" in result.err
    assert _count(tmp_path) == 0
    assert not (tmp_path.parent / ".bashrc").exists()


def test_zip_bomb_is_refused(cli, tmp_path: Path) -> None:
    """A tweets.js padded with blanks: 40 MiB out of about 40 KiB, a ratio near 1000."""
    padding = 40 * 1024 * 1024
    body = b"window.YTD.tweets.part0 = [" + b" " * padding + b"]"
    archive = zip_members(tmp_path / "bomb.zip", {"data/tweets.js": body})
    assert archive.stat().st_size < padding // 500
    result = cli("import", "x-archive", "--author", "a", str(archive))
    assert result.code == 2
    assert "bomb.zip!data/tweets.js" in result.err and "archive bomb" in result.err
    assert _count(tmp_path) == 0


def test_manifest_names_the_account_when_account_js_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(ARCHIVE, folder)
    (folder / "data" / "account.js").unlink()
    (folder / "data" / "manifest.js").write_text(
        'window.__THAR_CONFIG = {"userInfo": {"accountId": "9000000001", '
        '"userName": "AtelierPlume", "displayName": "Atelier Plume"}, '
        '"archiveInfo": {"sizeBytes": "123456", "generationDate": "2024-01-30T10:00:00.000Z"}}',
        encoding="utf-8",
    )
    posts, _ = _read(folder)
    assert {(p.author, p.author_name) for p in posts} == {("AtelierPlume", "Atelier Plume")}


def test_every_part_bad_writes_nothing_first_part_bad_keeps_the_second(cli, tmp_path: Path) -> None:
    part1 = (ARCHIVE / "data" / "tweets-part1.js").read_text(encoding="utf-8")
    both_bad = zip_members(
        tmp_path / "bad.zip",
        {"data/tweets.js": "window.YTD.tweets.part0 = [", "data/tweets-part1.js": part1[:200]},
    )
    result = cli("import", "x-archive", "--author", "a", str(both_bad))
    assert result.code == 2 and f"{both_bad}!data/tweets.js" in result.err
    assert _count(tmp_path) == 0
    first_bad = zip_members(
        tmp_path / "first.zip",
        {"data/tweets.js": "window.YTD.tweets.part0 = [", "data/tweets-part1.js": part1},
    )
    result = cli("import", "x-archive", "--author", "a", "--json", str(first_bad))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (1, 1)
    assert summary["rejections"][0]["where"] == f"{first_bad}!data/tweets.js"


def test_tweets_js_cut_short_keeps_the_tweets_before_the_cut(cli, tmp_path: Path) -> None:
    text = (ARCHIVE / "data" / "tweets.js").read_text(encoding="utf-8")
    cut_at = text.index('"1750000000000000004"')  # inside the fourth tweet
    archive = zip_members(
        tmp_path / "x.zip",
        {
            "data/tweets.js": text[:cut_at],
            "data/account.js": (ARCHIVE / "data" / "account.js").read_text(),
        },
    )
    result = cli("import", "x-archive", "--json", str(archive))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (3, 1)
    [rejection] = summary["rejections"]
    assert rejection["where"] == f"{archive}!data/tweets.js"
    line = text[:cut_at].count("\n") + 1
    assert rejection["reason"].startswith("line ") and "cut short" in rejection["reason"]
    assert int(rejection["reason"].split()[1].rstrip(",")) <= line
