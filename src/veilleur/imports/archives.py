"""Reading the members of a platform export safely: a zip, a tar(.gz), a folder or one file.

Exports are downloaded from the platforms and passed around by e-mail and USB keys: an
archive is untrusted input. Nothing is ever extracted to disk — members are read into
memory — and still:

- a member whose name leaves the archive (``../x``, ``/etc/x``, ``C:\\x``) makes the whole
  archive refused: a genuine export never has one, so it is forged or damaged;
- size bombs are refused before reading and while reading: a per-member limit, a limit on
  the total read from one archive, and a limit on the compression ratio (a flat deflate
  bomb reaches about 1000:1, genuine JSON or CSV stays under 20:1);
- links inside a tar are never followed, and a folder's symlinks may not lead outside it.

Messages name the archive and the member (``export.zip!data/tweets.js``) and say what was
expected, for a user who is not a programmer.
"""

from __future__ import annotations

import io
import re
import stat
import tarfile
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from veilleur.errors import InputError
from veilleur.i18n import t

MIB = 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one import may read from an archive. The ratio is checked above ``ratio_floor``:
    a tiny member of blanks legitimately compresses very well."""

    max_member: int = 512 * MIB
    max_total: int = 2048 * MIB
    max_ratio: int = 100
    ratio_floor: int = 1 * MIB


DEFAULT_LIMITS = Limits()


class ArchiveError(InputError):
    """The archive, or one member of it, cannot be read safely."""


_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_name(name: str) -> str | None:
    """The member name in POSIX form, or None when it would leave the archive."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        return None
    parts = [p for p in posix.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _human(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else t("{n} bytes", n=size)


class Archive(ABC):
    """The members of one export, by POSIX name relative to its root."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.total_read = 0

    @abstractmethod
    def names(self) -> list[str]:
        """Regular files only, in a stable order."""

    @abstractmethod
    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        """A stream of the member, its declared size and its compressed size if known."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the underlying file."""

    def where(self, name: str) -> str:
        """How messages name a member: ``archive.zip!data/tweets.js``."""
        return f"{self.path}!{name}"

    def stored_size(self, name: str) -> int:
        """Bytes of the member as stored (compressed), for the progress bar."""
        return 0

    def read(self, name: str) -> bytes:
        """The member's bytes, within the limits; raises ArchiveError naming it."""
        where = self.where(name)
        limits = self.limits
        stream, declared, compressed = self._open(name)
        with stream:
            self._check_size(declared, compressed, where)
            chunks: list[bytes] = []
            size = 0
            try:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    # Declared sizes can lie: count what really comes out.
                    self._check_size(size, compressed, where)
                    chunks.append(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, tarfile.TarError) as exc:
                raise ArchiveError(
                    t(
                        "cannot be read: the archive is damaged or was cut short ({reason})",
                        reason=str(exc),
                    ),
                    where,
                ) from None
        self.total_read += size
        if self.total_read > limits.max_total:
            raise ArchiveError(
                t(
                    "reading it would take more than {size} out of the archive in all: "
                    "refused as a possible archive bomb",
                    size=_human(limits.max_total),
                ),
                where,
            )
        return b"".join(chunks)

    def _check_size(self, size: int, compressed: int | None, where: str) -> None:
        limits = self.limits
        if size > limits.max_member:
            raise ArchiveError(
                t(
                    "is larger than {size} once uncompressed: refused as a possible archive bomb",
                    size=_human(limits.max_member),
                ),
                where,
            )
        if self.total_read + size > limits.max_total:
            raise ArchiveError(
                t(
                    "reading it would take more than {size} out of the archive in all: "
                    "refused as a possible archive bomb",
                    size=_human(limits.max_total),
                ),
                where,
            )
        if (
            compressed is not None
            and size > limits.ratio_floor
            and size > limits.max_ratio * max(compressed, 1)
        ):
            raise ArchiveError(
                t(
                    "expands {ratio} times when uncompressed (more than {limit}): refused as a "
                    "possible archive bomb",
                    ratio=size // max(compressed, 1),
                    limit=limits.max_ratio,
                ),
                where,
            )

    def find(self, pattern: str) -> list[str]:
        """Members whose base name matches ``pattern`` (a regex), shallowest folder first.

        Exports are often re-zipped with a top folder (``twitter-2024-…/data/tweets.js``):
        matching on the base name finds them at any depth.
        """
        regex = re.compile(pattern)
        found = [n for n in self.names() if regex.fullmatch(PurePosixPath(n).name)]
        return sorted(found, key=lambda n: (n.count("/"), _natural(n)))


def _natural(name: str) -> tuple[str, int]:
    """``tweets.js``, then ``tweets-part1.js`` … ``tweets-part10.js`` after ``part9``."""
    match = re.search(r"-part(\d+)(?=\.\w+$)", name)
    if match is None:
        return name, 0
    return name[: match.start()] + name[match.end() :], int(match.group(1))


def _twice(name: str, path: Path) -> ArchiveError:
    """A member present twice: which one the export is cannot be told, so neither is read."""
    return ArchiveError(
        t(
            "holds '{name}' twice: which one is the export cannot be told; the archive is "
            "refused and nothing was imported",
            name=name,
        ),
        str(path),
    )


class ZipArchive(Archive):
    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path, limits)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise ArchiveError(
                t(
                    "is not a readable zip archive: it may have been cut short while "
                    "downloading or copying (download it again) ({reason})",
                    reason=str(exc),
                ),
                str(path),
            ) from None
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            name = safe_name(info.filename)
            if name is None:
                self.zip.close()
                raise ArchiveError(
                    t(
                        "member '{name}' points outside the archive (path traversal): the archive "
                        "is refused and nothing was imported",
                        name=info.filename,
                    ),
                    str(path),
                )
            if not info.is_dir():
                if name in self.infos:
                    self.zip.close()
                    raise _twice(name, path)
                self.infos[name] = info

    def names(self) -> list[str]:
        return list(self.infos)

    def stored_size(self, name: str) -> int:
        return self.infos[name].compress_size

    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        info = self.infos[name]
        if info.flag_bits & 0x1:
            raise ArchiveError(
                t("is encrypted: export the archive again without a password"),
                self.where(name),
            )
        try:
            stream = self.zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, OSError) as exc:
            raise ArchiveError(
                t("cannot be read: the archive is damaged ({reason})", reason=str(exc)),
                self.where(name),
            ) from None
        return stream, info.file_size, info.compress_size

    def close(self) -> None:
        self.zip.close()


class TarArchive(Archive):
    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path, limits)
        compressed = path.stat().st_size
        try:
            self.tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by close()
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise ArchiveError(
                t(
                    "is not a readable tar archive: it may have been cut short ({reason})",
                    reason=str(exc),
                ),
                str(path),
            ) from None
        self.members: dict[str, tarfile.TarInfo] = {}
        try:
            while (member := self.tar.next()) is not None:
                name = safe_name(member.name)
                if name is None or (
                    (member.issym() or member.islnk()) and safe_name(member.linkname) is None
                ):
                    self.tar.close()
                    raise ArchiveError(
                        t(
                            "member '{name}' points outside the archive (path traversal): the "
                            "archive is refused and nothing was imported",
                            name=member.name,
                        ),
                        str(path),
                    )
                # Listing walks the whole (gzip) stream: its expansion is bounded by the
                # ratio. Not by max_total, which bounds what is read: a Mastodon archive
                # carries gigabytes of media, already compressed, that are never read.
                end = member.offset_data + member.size
                if end > limits.ratio_floor and end > limits.max_ratio * max(compressed, 1):
                    self.tar.close()
                    raise ArchiveError(
                        t(
                            "expands {ratio} times at member '{name}' (more than {limit}): "
                            "refused as a possible archive bomb",
                            ratio=end // max(compressed, 1),
                            name=member.name,
                            limit=limits.max_ratio,
                        ),
                        str(path),
                    )
                if member.isfile():  # links, devices and folders are never read
                    if name in self.members:
                        self.tar.close()
                        raise _twice(name, path)
                    self.members[name] = member
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            self.tar.close()
            raise ArchiveError(
                t(
                    "is not a readable tar archive: it may have been cut short ({reason})",
                    reason=str(exc),
                ),
                str(path),
            ) from None

    def names(self) -> list[str]:
        return list(self.members)

    def stored_size(self, name: str) -> int:
        return self.members[name].size

    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        stream = self.tar.extractfile(self.members[name])
        if stream is None:  # pragma: no cover - regular files always have a stream
            raise ArchiveError(t("is not a regular file"), self.where(name))
        return stream, self.members[name].size, None

    def close(self) -> None:
        self.tar.close()


class FolderArchive(Archive):
    """An export already unzipped by the user."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path, limits)
        self.root = path.resolve()
        self._names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())

    def names(self) -> list[str]:
        return self._names

    def where(self, name: str) -> str:
        return str(self.path / name)

    def stored_size(self, name: str) -> int:
        return (self.path / name).stat().st_size

    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        target = (self.path / name).resolve()
        if not target.is_relative_to(self.root):
            raise ArchiveError(
                t("is a link to {target}, outside the export folder: refused", target=target),
                self.where(name),
            )
        try:
            return target.open("rb"), target.stat().st_size, None
        except OSError as exc:
            raise ArchiveError(
                t("cannot be read: {reason}", reason=exc.strerror), self.where(name)
            ) from None


class SingleFile(Archive):
    """One member given directly (``tweets.js``, ``outbox.json``, ``Shares.csv``…)."""

    def names(self) -> list[str]:
        return [self.path.name]

    def where(self, name: str) -> str:
        return str(self.path)

    def stored_size(self, name: str) -> int:
        return self.path.stat().st_size

    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        try:
            return self.path.open("rb"), self.path.stat().st_size, None
        except OSError as exc:
            raise ArchiveError(
                t("cannot be read: {reason}", reason=exc.strerror), str(self.path)
            ) from None


def read_bounded(path: Path, limit: int) -> bytes:
    """Every byte of a file, a pipe or a device, refusing more than ``limit`` bytes.

    The size the system gives is not trusted: it is 0 for a pipe and for ``/dev/zero``,
    which would otherwise be read until memory runs out. Raises ArchiveError past the
    limit, OSError as the system gives it.
    """
    chunks: list[bytes] = []
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(min(CHUNK, limit + 1 - size)):
            size += len(chunk)
            if size > limit:
                raise ArchiveError(t("is larger than {size} bytes: refused", size=limit), str(path))
            chunks.append(chunk)
    return b"".join(chunks)


class StreamFile(SingleFile):
    """One member read from a pipe or a device: read once (it cannot be read twice), within
    the per-member limit, then served from memory."""

    def __init__(self, path: Path, limits: Limits, data: bytes) -> None:
        super().__init__(path, limits)
        self.data = data

    def stored_size(self, name: str) -> int:
        return len(self.data)

    def _open(self, name: str) -> tuple[IO[bytes], int, int | None]:
        return io.BytesIO(self.data), len(self.data), None


def _stream(path: Path, limits: Limits) -> StreamFile:
    try:
        data = read_bounded(path, limits.max_member)
    except OSError as exc:
        raise InputError(
            t("cannot be read: {reason}", reason=exc.strerror), where=str(path)
        ) from None
    if data.startswith((b"PK", b"\x1f\x8b")) or data[257:262] == b"ustar":
        raise InputError(
            t("is a pipe or a device holding an archive: save the archive to a file first"),
            where=str(path),
        )
    return StreamFile(path, limits, data)


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        # A gzip cut short: is_tarfile fails reading it. Call it a tar so the message says so.
        return path.name.lower().endswith((".tar.gz", ".tgz", ".tar"))


@contextmanager
def open_archive(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Archive]:
    """The export at ``path``, whatever its packaging; raises InputError when unreadable."""
    if path.is_dir():
        archive: Archive = FolderArchive(path, limits)
    elif not path.exists():
        raise InputError(t("no such file or folder"), where=str(path))
    elif not stat.S_ISREG(path.stat().st_mode):  # a pipe, /dev/zero: read once, bounded
        archive = _stream(path, limits)
    else:
        try:
            with path.open("rb") as handle:
                magic = handle.read(4)
        except OSError as exc:
            raise InputError(
                t("cannot be read: {reason}", reason=exc.strerror), where=str(path)
            ) from None
        if magic.startswith(b"PK") or path.suffix.lower() == ".zip":
            archive = ZipArchive(path, limits)
        elif magic.startswith(b"\x1f\x8b") or _is_tar(path):
            archive = TarArchive(path, limits)
        else:
            archive = SingleFile(path, limits)
    try:
        yield archive
    finally:
        archive.close()
