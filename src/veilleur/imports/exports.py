"""What the readers of the platforms' exports share: the clock, JSON members, counts.

Each export reader (x_archive, mastodon_archive, bluesky_car, linkedin, facebook) opens
the export with :func:`~veilleur.imports.archives.open_archive`, raises
:class:`~veilleur.errors.InputError` before yielding anything when the export is unusable
(so nothing is written and the command exits 2), and otherwise yields posts and
:class:`~veilleur.imports.records.Rejection` s naming ``archive!member`` and the entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import orjson

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import Archive, ArchiveError
from veilleur.imports.records import ProgressFn, Rejection
from veilleur.model import utcnow

Clock = Callable[[], datetime]
"""Gives ``collected_at``: the time of the import. Tests freeze it for golden files."""

DEFAULT_CLOCK: Clock = utcnow


class MemberError(InputError):
    """One member of an export is unusable; the reader decides if the rest can go on."""


def _cut(ended: bool) -> str:
    """What an error adds when the data ends too soon."""
    return " — " + t("the file seems cut short") if ended else ""


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
        tail = body.rstrip().rstrip(b";")
        ended = "end of data" in exc.msg or not tail.endswith((b"]", b"}"))
        raise MemberError(
            t(
                "line {line}, column {column}: not valid JSON ({problem}){cut}; "
                "expected {expected}",
                line=line,
                column=column,
                problem=exc.msg,
                cut=_cut(ended),
                expected=expected,
            ),
            where,
        ) from None


_JS_PREFIX = re.compile(rb"\A\s*(?:\xef\xbb\xbf)?\s*window\.[\w.$]+\s*=\s*")


def ytd_start(data: bytes, where: str, expected: str) -> int:
    """Where the JSON of an X archive ``.js`` member starts, after ``window.YTD… =``."""
    match = _JS_PREFIX.match(data)
    if match is None:
        head = data[:40].decode("utf-8", "replace")
        raise MemberError(
            t(
                "does not start with 'window.YTD… =' (found {head}); expected {expected}",
                head=repr(head),
                expected=expected,
            ),
            where,
        )
    return match.end()


def load_ytd(data: bytes, where: str, expected: str) -> Any:
    """The JSON of an X archive ``.js`` member (``window.YTD.tweets.part0 = [...]``)."""
    return load_json(data, where, expected, start=ytd_start(data, where, expected))


_BLANK = re.compile(r"\s*")


def iter_json_array(data: bytes, where: str, expected: str, *, start: int = 0) -> Iterator[Any]:
    """The items of a JSON array one at a time, so that memory holds the text, not every item.

    A large account's tweets.js is hundreds of MB: parsed whole it would take several
    times that. An error names line and column; the items before it have been yielded.
    """
    offset_lines = data.count(b"\n", 0, start)
    try:
        text = data[start:].decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data, start + exc.start)
        raise MemberError(
            t("line {line}, column {column}: not UTF-8", line=line, column=column), where
        ) from None
    del data
    decoder = json.JSONDecoder()

    def fail(pos: int, what: str) -> MemberError:
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        ended = pos >= len(text.rstrip()) or not text.rstrip().rstrip(";").endswith("]")
        return MemberError(
            t(
                "line {line}, column {column}: {problem}{cut}; expected {expected}",
                line=line + offset_lines,
                column=column,
                problem=what,
                cut=_cut(ended),
                expected=expected,
            ),
            where,
        )

    pos = _BLANK.match(text).end()  # type: ignore[union-attr]
    if not text.startswith("[", pos):
        raise fail(
            pos, t("found {found} where a list '[' should start", found=repr(text[pos : pos + 20]))
        )
    pos = _BLANK.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return
    while True:
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise fail(exc.pos, t("not valid JSON ({problem})", problem=exc.msg)) from None
        except RecursionError:
            raise fail(pos, t("nested too deep to be read")) from None
        yield item
        pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _BLANK.match(text, pos + 1).end()  # type: ignore[union-attr]
        elif text.startswith("]", pos):
            return
        else:
            raise fail(pos, t("not valid JSON (a ',' or ']' is missing)"))


def read_member(archive: Archive, name: str) -> bytes:
    """The bytes of a member; archive errors are member errors (the reader may go on)."""
    try:
        return archive.read(name)
    except ArchiveError as exc:
        raise MemberError(str(exc).removeprefix(f"{exc.where}: "), exc.where) from None


def member_reason(exc: InputError) -> str:
    """The reason of an error without its ``where`` prefix (Rejection keeps them apart)."""
    text = str(exc)
    return text.removeprefix(f"{exc.where}: ") if exc.where else text


def parse_parts(
    archive: Archive,
    members: list[str],
    parse: Callable[[bytes, str], Iterator[Any]],
    progress: ProgressFn | None = None,
) -> Iterator[tuple[str, Iterator[Any]] | Rejection]:
    """Each part of a split export read in turn, its items one at a time.

    A part whose first item cannot be read becomes a Rejection; those met before the first
    good part are held back, so that when no part is usable the export is refused
    (InputError) before anything was yielded — nothing written, exit status 2. An error
    further into a part ends that part with a Rejection, after its good items.
    """
    held: list[Rejection] = []
    usable = False
    for member in members:
        where = archive.where(member)
        try:
            items = parse(read_member(archive, member), where)
            first = next(items, _END)
        except MemberError as exc:
            rejection = Rejection(exc.where or where, member_reason(exc))
            if usable:
                yield rejection
            else:
                held.append(rejection)
            continue
        if progress is not None:
            progress(archive.stored_size(member))
        if not usable:
            usable = True
            yield from held
        yield member, _rest(first, items)
    if not usable:
        raise InputError(held[0].reason, where=held[0].where)


_END = object()


def _rest(first: Any, items: Iterator[Any]) -> Iterator[Any]:
    """``first`` then the other items; an error among them becomes a final Rejection."""
    if first is _END:
        return
    yield first
    try:
        yield from items
    except MemberError as exc:
        yield Rejection(exc.where or "", member_reason(exc))
