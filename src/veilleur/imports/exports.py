"""What the readers of the platforms' exports share: the clock, JSON members, counts.

Each export reader (x_archive, mastodon_archive, bluesky_car, linkedin, facebook) opens
the export with :func:`~veilleur.imports.archives.open_archive`, raises
:class:`~veilleur.errors.InputError` before yielding anything when the export is unusable
(so nothing is written and the command exits 2), and otherwise yields posts and
:class:`~veilleur.imports.records.Rejection` s naming ``archive!member`` and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from veilleur.errors import InputError
from veilleur.imports.archives import Archive, ArchiveError
from veilleur.model import utcnow

Clock = Callable[[], datetime]
"""Gives ``collected_at``: the time of the import. Tests freeze it for golden files."""

DEFAULT_CLOCK: Clock = utcnow


class MemberError(InputError):
    """One member of an export is unusable; the reader decides if the rest can go on."""


def _position(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    return line, column


def load_json(data: bytes, where: str, expected: str, *, start: int = 0) -> Any:
    """Parse JSON from ``data[start:]``; the error names line and column in the member."""
    body = data[start:]
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        line, column = _position(data, start + exc.pos)
        ended = "end of data" in exc.msg or exc.pos >= len(body.rstrip())
        cut = " — the file seems cut short" if ended else ""
        raise MemberError(
            f"line {line}, column {column}: not valid JSON ({exc.msg}){cut}; expected {expected}",
            where,
        ) from None


_JS_PREFIX = re.compile(rb"\A\s*(?:\xef\xbb\xbf)?\s*window\.[\w.$]+\s*=\s*")


def load_ytd(data: bytes, where: str, expected: str) -> Any:
    """The JSON of an X archive ``.js`` member (``window.YTD.tweets.part0 = [...]``)."""
    match = _JS_PREFIX.match(data)
    if match is None:
        head = data[:40].decode("utf-8", "replace")
        raise MemberError(
            f"does not start with 'window.YTD… =' (found {head!r}); expected {expected}", where
        )
    return load_json(data, where, expected, start=match.end())


def read_member(archive: Archive, name: str) -> bytes:
    """The bytes of a member; archive errors are member errors (the reader may go on)."""
    try:
        return archive.read(name)
    except ArchiveError as exc:
        raise MemberError(str(exc).removeprefix(f"{exc.where}: "), exc.where) from None


def as_count(value: Any) -> int | None:
    """A count as the exports write it: ``"12"``, ``12`` or nothing; never negative."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def member_reason(exc: InputError) -> str:
    """The reason of an error without its ``where`` prefix (Rejection keeps them apart)."""
    text = str(exc)
    return text.removeprefix(f"{exc.where}: ") if exc.where else text
