"""archives.py: exports read without extraction, traversal and size bombs refused."""

from __future__ import annotations

import io
import random
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.export_helpers import zip_members
from veilleur.errors import InputError
from veilleur.imports.archives import ArchiveError, Limits, open_archive, safe_name


def _tar(dest: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(dest, mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return dest


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("data/tweets.js", "data/tweets.js"),
        ("./outbox.json", "outbox.json"),
        ("a//b/./c.json", "a/b/c.json"),
        ("../outbox.json", None),
        ("data/../../x", None),
        ("/etc/passwd", None),
        ("C:\\Windows\\x.json", None),
        ("..\\..\\x.json", None),
    ],
)
def test_safe_name(name: str, safe: str | None) -> None:
    assert safe_name(name) == safe


def test_zip_tar_folder_and_single_file_read_alike(tmp_path: Path) -> None:
    members = {"top/outbox.json": b'{"a": 1}', "top/actor.json": b"{}"}
    folder = tmp_path / "folder"
    (folder / "top").mkdir(parents=True)
    for name, data in members.items():
        (folder / name).write_bytes(data)
    single = folder / "top" / "outbox.json"
    for path in (
        zip_members(tmp_path / "a.zip", members),  # type: ignore[arg-type]
        _tar(tmp_path / "a.tar.gz", members),
        _tar(tmp_path / "a.tar", members, "w"),
        folder,
        single,
    ):
        with open_archive(path) as archive:
            [name] = archive.find(r"outbox\.json")
            assert archive.read(name) == b'{"a": 1}', path


def test_tar_traversal_is_refused(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "evil.tar.gz", {"outbox.json": b"{}", "../../etc/cron.d/x": b"x"})
    with pytest.raises(ArchiveError, match="path traversal"), open_archive(archive):
        pass


def test_tar_link_out_of_the_archive_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "link.tar.gz"
    with tarfile.open(dest, "w:gz") as tar:
        info = tarfile.TarInfo("outbox.json")
        info.type = tarfile.SYMTYPE
        info.linkname = "/home/user/.ssh/id_rsa"
        tar.addfile(info)
    with pytest.raises(ArchiveError, match="path traversal"), open_archive(dest):
        pass


def test_folder_symlink_leading_outside_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "outbox.json").symlink_to(secret)
    with (
        open_archive(folder) as archive,
        pytest.raises(ArchiveError, match="outside the export folder"),
    ):
        archive.read("outbox.json")


def test_per_member_limit(tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "a.zip", {"big.json": b"[" + b"1," * 5000 + b"1]"})
    with (
        open_archive(archive, Limits(max_member=4096)) as opened,
        pytest.raises(ArchiveError, match=r"a\.zip!big\.json.*larger than 4096 bytes"),
    ):
        opened.read("big.json")


def test_total_limit(tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "a.zip", {f"p{i}.json": b"x" * 3000 for i in range(3)})
    with open_archive(archive, Limits(max_total=8000)) as opened:
        opened.read("p0.json")
        opened.read("p1.json")
        with pytest.raises(ArchiveError, match="in all"):
            opened.read("p2.json")


def test_zip_ratio_limit(tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "a.zip", {"blank.json": b" " * 200_000})
    with (
        open_archive(archive, Limits(ratio_floor=1000, max_ratio=50)) as opened,
        pytest.raises(ArchiveError, match=r"expands \d+ times"),
    ):
        opened.read("blank.json")
    with open_archive(archive) as opened:  # under the default 1 MiB floor: a tiny member
        assert len(opened.read("blank.json")) == 200_000


def test_tar_gz_bomb_is_refused_while_listing(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "bomb.tar.gz", {"outbox.json": b"\0" * (8 * 1024 * 1024)})
    assert archive.stat().st_size < 80_000
    with pytest.raises(ArchiveError, match="archive bomb"), open_archive(archive):
        pass


def test_zip_whose_header_lies_about_the_size(tmp_path: Path) -> None:
    """A forged header declaring 10 bytes for 100,000: counted while reading, refused."""
    archive = zip_members(tmp_path / "a.zip", {"m.json": b"a" * 100_000})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("m.json")
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size
    local = info.header_offset
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with open_archive(archive, Limits(max_member=50_000)) as opened:
        try:
            content = opened.read("m.json")
        except ArchiveError:
            return  # refused: either by the limit or as damaged
        assert len(content) <= 50_000


def test_truncated_tar_gz(tmp_path: Path) -> None:
    noise = random.Random(5).randbytes
    archive = _tar(tmp_path / "a.tar.gz", {f"m{i}.json": noise(20_000) for i in range(5)})
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[:2000])
    with pytest.raises(ArchiveError, match=r"cut\.tar\.gz.*cut short"), open_archive(cut):
        pass


def test_damaged_member_names_archive_and_member(tmp_path: Path) -> None:
    archive = zip_members(tmp_path / "a.zip", {"m.json": bytes(range(256)) * 100})
    data = bytearray(archive.read_bytes())
    data[100:140] = b"\xff" * 40  # inside the compressed data of m.json
    archive.write_bytes(bytes(data))
    with (
        open_archive(archive) as opened,
        pytest.raises(ArchiveError, match=r"a\.zip!m\.json: cannot be read"),
    ):
        opened.read("m.json")


def test_missing_path(tmp_path: Path) -> None:
    with (
        pytest.raises(InputError, match=r"absent\.zip: no such file"),
        open_archive(tmp_path / "absent.zip"),
    ):
        pass


def test_tar_gz_with_much_incompressible_media_is_not_a_bomb(tmp_path: Path) -> None:
    """What is never read does not count towards max_total: only the ratio bounds listing."""
    media = random.Random(3).randbytes(300_000)
    archive = _tar(tmp_path / "archive.tar.gz", {"media/video.mp4": media, "outbox.json": b"{}"})
    with open_archive(archive, Limits(max_total=100_000, ratio_floor=1000)) as opened:
        assert opened.read("outbox.json") == b"{}"
        with pytest.raises(ArchiveError, match="in all"):
            opened.read("media/video.mp4")
