"""What every archive-based export shares: traversal and bombs refused, truncation named.

Each case: the command, its fixture, the member that carries the posts, the options.
(x-archive has the same tests in test_import_exports_x.py; a Bluesky CAR is not an
archive of members, see test_import_exports_bluesky.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.export_helpers import FIXTURES, zip_folder, zip_members
from veilleur.workspace import Workspace


@dataclass(frozen=True)
class Case:
    command: str
    fixture: str
    member: str
    options: tuple[str, ...]
    posts: int


CASES = [
    Case("linkedin-export", "linkedin", "Shares.csv", ("--author", "claire-dubois"), 5),
    Case(
        "facebook-export",
        "facebook",
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
        ("--author", "atelierplume"),
        4,
    ),
    Case("mastodon-archive", "mastodon", "outbox.json", (), 6),
]
IDS = [case.command for case in CASES]


def _count(tmp_path: Path) -> int:
    with Workspace(tmp_path / "ws") as ws:
        return ws.store.count_posts()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_zipped_export_imports_once(cli, tmp_path: Path, case: Case) -> None:
    archive = zip_folder(FIXTURES / case.fixture, tmp_path / "export.zip", prefix="export/")
    first = cli("import", case.command, *case.options, str(archive))
    assert first.code == 0, first.err
    assert f"{case.posts} read · {case.posts} new" in first.out
    second = cli("import", case.command, *case.options, str(archive))
    assert second.code == 0
    assert f"0 new · 0 updated · {case.posts} already known" in second.out


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_path_traversal_refuses_the_archive(cli, tmp_path: Path, case: Case) -> None:
    good = (FIXTURES / case.fixture / case.member).read_bytes()
    archive = zip_members(
        tmp_path / "evil.zip", {case.member: good, "export/../../../tmp/evil.sh": "rm -rf ~"}
    )
    result = cli("import", case.command, *case.options, str(archive))
    assert result.code == 2
    assert "evil.zip" in result.err and "path traversal" in result.err
    assert _count(tmp_path) == 0


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_zip_bomb_is_refused(cli, tmp_path: Path, case: Case) -> None:
    good = (FIXTURES / case.fixture / case.member).read_bytes()
    bomb = good + b" " * (40 * 1024 * 1024)  # valid content, then 40 MiB of blanks
    archive = zip_members(tmp_path / "bomb.zip", {case.member: bomb})
    result = cli("import", case.command, *case.options, str(archive))
    assert result.code == 2
    assert f"bomb.zip!{case.member}" in result.err and "archive bomb" in result.err
    assert _count(tmp_path) == 0


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_truncated_zip_is_named_and_nothing_written(cli, tmp_path: Path, case: Case) -> None:
    archive = zip_folder(FIXTURES / case.fixture, tmp_path / "export.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[:-30])  # the central directory is at the end
    result = cli("import", case.command, *case.options, str(cut))
    assert result.code == 2
    assert "cut.zip: is not a readable zip archive" in result.err
    assert _count(tmp_path) == 0
