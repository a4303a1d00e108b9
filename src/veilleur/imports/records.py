"""What every reader yields: posts, or rejections that say where and why.

Readers are generators over one file. They raise :class:`~veilleur.errors.InputError`
before yielding anything when the file is not of their format at all, so that a wrong
file leaves the database untouched; afterwards a bad record is a :class:`Rejection` and
reading goes on.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from veilleur.errors import InputError, UsageError
from veilleur.i18n import ngettext, t
from veilleur.model import (
    DATE_OUT_OF_RANGE,
    MAX_COUNT,
    MAX_RAW_DEPTH,
    Media,
    Post,
    format_datetime,
    nested_deeper_than,
    parse_datetime,
    post_problem,
    url_id,
)
from veilleur.networks import normalize_handle, resolve

ProgressFn = Callable[[int], None]
"""Called with the number of bytes consumed since the last call."""


@dataclass(frozen=True, slots=True)
class Rejection:
    where: str  # file:line
    reason: str


Record = Post | Rejection
Reader = Callable[[Path, ProgressFn | None], Iterator[Record]]

REQUIRED = ("id", "network", "author", "text", "created_at")
COUNTS = ("likes", "reposts", "replies", "quotes", "views")
OPTIONAL_TEXT = (
    "author_name",
    "url",
    "lang",
    "lang_declared",
    "lang_source",
    "title",
    "reply_to",
    "repost_of",
    "quote_of",
    "source",
)


# How each interchange field is read; a field not listed is kept in the raw payload, since
# a JSONL record *is* the normalised form and keeping it whole would store it twice.
_KIND: dict[str, str] = {
    **{name: "text" for name in OPTIONAL_TEXT},
    **{name: "count" for name in COUNTS},
    **{name: "skip" for name in (*REQUIRED, "media", "collected_at", "raw")},
}


class RecordError(InputError, ValueError):
    """One record is unusable; the message says which field and why (a rejection: exit 1)."""

    exit_code = 1


class _Replayed(io.RawIOBase):
    """``rest``, after the bytes :meth:`give_back` returns to it: the file as if it had
    never been read, without opening it twice (a pipe or a terminal cannot be reopened at
    its start)."""

    def __init__(self, rest: io.RawIOBase) -> None:
        self._head = memoryview(b"")
        self._rest = rest

    def give_back(self, head: bytes) -> None:
        self._head = memoryview(head)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._rest.readinto(buffer)

    def close(self) -> None:
        self._rest.close()
        super().close()


@contextmanager
def open_text(path: Path, size: int = 65536) -> Iterator[tuple[bytes, BinaryIO]]:
    """Open ``path`` once: its first ``size`` bytes (refusing what is plainly not text, NUL
    bytes) and a buffered stream that starts from the first byte again.

    The head is read from the same handle the records are read from, so a pipe, a FIFO or
    ``/dev/stdin`` is read from its start, like a file.
    """
    try:
        handle = path.open("rb", buffering=0)
    except FileNotFoundError:
        raise InputError(t("no such file"), where=str(path)) from None
    except IsADirectoryError:
        raise InputError(t("is a folder, not a file"), where=str(path)) from None
    except OSError as exc:
        raise InputError(
            t("cannot be read: {reason}", reason=exc.strerror), where=str(path)
        ) from None
    source = _Replayed(handle)
    with io.BufferedReader(source) as replay:
        try:
            head = _read_head(handle, size)
        except OSError as exc:
            raise InputError(
                t("cannot be read: {reason}", reason=exc.strerror), where=str(path)
            ) from None
        if b"\x00" in head:
            raise InputError(
                t("is a binary file, not text (JSONL or CSV expected)"), where=str(path)
            )
        source.give_back(head)
        yield head, replay


def _read_head(handle: io.RawIOBase, size: int) -> bytes:
    """Up to ``size`` bytes of an unbuffered handle, reading again while a pipe gives less
    (never past them: nothing is read ahead and lost)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        chunk = handle.read(wanted)
        if not chunk:
            break
        parts.append(chunk)
        wanted -= len(chunk)
    return b"".join(parts)


def _as_count(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(
            t("'{name}' must be a whole number, got {value}", name=name, value=repr(value))
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().replace(",", "").replace(" ", "").isdigit():
        number = int(value.strip().replace(",", "").replace(" ", ""))
    else:
        raise RecordError(
            t("'{name}' must be a whole number, got {value}", name=name, value=repr(value))
        )
    if number < 0:
        raise RecordError(t("'{name}' cannot be negative, got {number}", name=name, number=number))
    if number > MAX_COUNT:
        raise RecordError(
            t("'{name}' is too large to be a count, got {number}", name=name, number=number)
        )
    return number


def _as_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(
            t("'{name}' must be text, got {type}", name=name, type=type(value).__name__)
        )
    return value


def _as_media(value: Any) -> list[Media]:
    if value is None or value == "":
        return []
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise RecordError(
            t("'media' must be a list of URLs or of objects with a 'url' and an 'alt'")
        )
    media: list[Media] = []
    for item in value:
        if isinstance(item, str):
            media.append(Media(url=item))
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            alt = item.get("alt")
            media.append(
                Media(
                    url=item["url"],
                    alt=alt if isinstance(alt, str) else None,
                    type=str(item.get("type") or "image"),
                )
            )
        else:
            raise RecordError(t("'media' items must be URLs or objects with a 'url'"))
    return media


def _missing(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name)
    if name == "text":
        return value is None
    if name == "author" and isinstance(value, str):
        return not normalize_handle(value)  # "@" alone names nobody
    return value in (None, "")


def _date_error(name: str, value: Any, exc: ValueError) -> RecordError:
    if str(exc).startswith(DATE_OUT_OF_RANGE):
        return RecordError(
            t(
                "'{name}' is out of range once converted to UTC: {value}",
                name=name,
                value=repr(value),
            )
        )
    return RecordError(t("'{name}' is not an ISO 8601 date: {value}", name=name, value=repr(value)))


def _too_deep() -> str:
    return t(
        "its fields are nested more than {depth} deep: the record cannot be kept",
        depth=MAX_RAW_DEPTH,
    )


def check_post(post: Post) -> Post:
    """``post`` if the store can keep every value of it; else RecordError naming the field.

    Every reader calls it on the posts the networks' normalisers build, so that one value
    out of range is one rejection, never a failed batch (the rule is
    :func:`veilleur.model.post_problem`, shared with the collectors).
    """
    problem = post_problem(post)
    if problem is not None:
        raise RecordError(problem)
    return post


def failure(where: str, exc: BaseException) -> Rejection:
    """The rejection of one item whose conversion failed, whatever the error.

    A reader wraps the conversion of each item so that no value of a hostile export ends
    the import: a ValueError is the normalisers' own reason; anything else (a list where an
    object was expected, a depth that exhausts the stack) is named as such.
    """
    if isinstance(exc, RecursionError):
        return Rejection(where, t("nested too deep to be read"))
    if isinstance(exc, ValueError) and not isinstance(exc, UnicodeError):
        return Rejection(where, str(exc))
    detail = str(exc)
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return Rejection(
        where,
        t("unexpected content ({error}: {detail})", error=type(exc).__name__, detail=detail),
    )


def content_id(network: str, author: str, created_at: datetime, text: str) -> str:
    """The id of a row that has neither an id nor an address: a hash of what it says.

    The fields are where the post was published (network, author without case) and what
    it is (its time to the second in UTC, its text in NFC with runs of white space as one
    space). Nothing of the file — name, path, line, import time — nor anything that
    changes between two exports of the same post (counts, display name) goes in, so the
    same row imported again, from a renamed copy or from a longer export, has the same id
    and is "already known". Two posts of one author with the same text in the same second
    are one post.
    """
    words = " ".join(unicodedata.normalize("NFC", text).split())
    key = f"{network}\n{author.casefold()}\n{format_datetime(created_at)}\n{words}"
    return url_id(key)


def post_from_mapping(
    data: Mapping[str, Any], *, raw: dict[str, Any] | None = None, derive_id: bool = False
) -> Post:
    """Build a Post from interchange field names; raises RecordError on a bad field.

    Without ``id``, the id is the hash of ``url`` (:func:`~veilleur.model.url_id`), else,
    when ``derive_id`` (CSV), :func:`content_id`.
    """
    # An empty text is a text: a repost, or a post that is only media, has none (and the
    # JSONL export writes it so). A missing one is a mapping mistake.
    missing = [f for f in REQUIRED if _missing(data, f)]
    if "id" in missing and (derive_id or (isinstance(data.get("url"), str) and data["url"])):
        missing.remove("id")
    if missing:
        message = ngettext(
            "missing required field: {fields}", "missing required fields: {fields}", len(missing)
        )
        raise RecordError(message.format(fields=", ".join(missing)))
    try:
        network = resolve(str(data["network"]))  # "twitter" from another tool is X
    except UsageError as exc:
        raise RecordError(str(exc)) from None
    created = data["created_at"]
    if not isinstance(created, str):
        raise RecordError(
            t("'created_at' must be an ISO 8601 date, got {value}", value=repr(created))
        )
    try:
        created_at = parse_datetime(created)
    except ValueError as exc:
        raise _date_error("created_at", created, exc) from None
    collected = data.get("collected_at")
    try:
        collected_at = (
            parse_datetime(collected) if isinstance(collected, str) and collected else None
        )
    except ValueError as exc:
        raise _date_error("collected_at", collected, exc) from None
    text = _as_text("text", data["text"]) or ""
    author = normalize_handle(_as_text("author", data["author"]) or "")
    id_value, url = data.get("id"), data.get("url")
    if id_value not in (None, ""):
        post_id = _as_text("id", id_value)
    elif isinstance(url, str) and url:
        post_id = url_id(url)
    else:
        post_id = content_id(network, author, created_at, text)
    extra: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    # One pass over the record's own keys: the hot path of every import.
    for name, value in data.items():
        kind = _KIND.get(name)
        if kind is None:
            unknown[name] = value
        elif value is None or kind == "skip":
            continue
        elif kind == "text":
            extra[name] = value if type(value) is str else _as_text(name, value)
        elif type(value) is int and 0 <= value <= MAX_COUNT:
            extra[name] = value
        else:
            extra[name] = _as_count(name, value)
    if raw is None:
        carried = data.get("raw")
        raw = carried if isinstance(carried, dict) else (unknown or None)
    if raw is not None and nested_deeper_than(raw, MAX_RAW_DEPTH):
        raise RecordError(_too_deep())
    return Post(
        id=post_id or "",
        network=network,
        author=author,
        text=text,
        created_at=created_at,
        media=_as_media(data.get("media")),
        collected_at=collected_at,
        raw=raw,
        **extra,
    )
