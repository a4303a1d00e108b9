"""What every reader yields: posts, or rejections that say where and why.

Readers are generators over one file. They raise :class:`~veilleur.errors.InputError`
before yielding anything when the file is not of their format at all, so that a wrong
file leaves the database untouched; afterwards a bad record is a :class:`Rejection` and
reading goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veilleur.errors import InputError, UsageError
from veilleur.model import Media, Post, parse_datetime, url_id
from veilleur.networks import resolve

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


def sniff_text(path: Path, size: int = 65536) -> bytes:
    """The first bytes of a file, refusing what is plainly not text (NUL bytes)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(size)
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", where=str(path)) from None
    if b"\x00" in head:
        raise InputError("is a binary file, not text (JSONL or CSV expected)", where=str(path))
    return head


def _as_count(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"'{name}' must be a whole number, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().replace(",", "").replace(" ", "").isdigit():
        number = int(value.strip().replace(",", "").replace(" ", ""))
    else:
        raise RecordError(f"'{name}' must be a whole number, got {value!r}")
    if number < 0:
        raise RecordError(f"'{name}' cannot be negative, got {number}")
    return number


def _as_text(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"'{name}' must be text, got {type(value).__name__}")
    return value


def _as_media(value: Any) -> list[Media]:
    if value is None or value == "":
        return []
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise RecordError("'media' must be a list of URLs or of {url, alt} objects")
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
            raise RecordError("'media' items must be URLs or objects with a 'url'")
    return media


def post_from_mapping(data: Mapping[str, Any], *, raw: dict[str, Any] | None = None) -> Post:
    """Build a Post from interchange field names; raises RecordError on a bad field."""
    missing = [f for f in REQUIRED if data.get(f) in (None, "")]
    if "id" in missing and isinstance(data.get("url"), str) and data["url"]:
        missing.remove("id")
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise RecordError(f"missing required field{plural}: {', '.join(missing)}")
    try:
        network = resolve(str(data["network"]))  # "twitter" from another tool is X
    except UsageError as exc:
        raise RecordError(str(exc)) from None
    created = data["created_at"]
    if not isinstance(created, str):
        raise RecordError(f"'created_at' must be an ISO 8601 date, got {created!r}")
    try:
        created_at = parse_datetime(created)
    except ValueError:
        raise RecordError(f"'created_at' is not an ISO 8601 date: {created!r}") from None
    collected = data.get("collected_at")
    try:
        collected_at = (
            parse_datetime(collected) if isinstance(collected, str) and collected else None
        )
    except ValueError:
        raise RecordError(f"'collected_at' is not an ISO 8601 date: {collected!r}") from None
    text = _as_text("text", data["text"]) or ""
    id_value = data.get("id")
    post_id = _as_text("id", id_value) if id_value not in (None, "") else url_id(str(data["url"]))
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
        elif type(value) is int and value >= 0:
            extra[name] = value
        else:
            extra[name] = _as_count(name, value)
    if raw is None:
        carried = data.get("raw")
        raw = carried if isinstance(carried, dict) else (unknown or None)
    return Post(
        id=post_id or "",
        network=network,
        author=_as_text("author", data["author"]) or "",
        text=text,
        created_at=created_at,
        media=_as_media(data.get("media")),
        collected_at=collected_at,
        raw=raw,
        **extra,
    )
