"""The records every layer speaks: posts, authors, sources, watches, organisation profiles.

A ``Post`` is the normalised form of anything collected or imported, whatever its network.
Field names are those of the JSONL interchange format (see DESIGN.md); ``to_json`` and
``from_json`` are that format's reader and writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from datetime import date as Day
from typing import Any

from veilleur.i18n import t
from veilleur.networks.registry import IDS

NETWORKS = IDS
"""Network ids (declared in :mod:`veilleur.networks.registry`, re-exported here)."""

COUNT_FIELDS = ("likes", "reposts", "replies", "quotes", "views")

MAX_COUNT = 2**63 - 1
"""The largest count a post may carry: a signed 64-bit integer, what the store keeps."""

MAX_RAW_DEPTH = 128
"""How deep a kept raw payload may nest (the JSON writer stops at 255; real payloads < 15)."""


@dataclass(slots=True)
class Media:
    """An image, video or other attachment, with its alternative text when known."""

    url: str
    alt: str | None = None
    type: str = "image"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url, "type": self.type}
        if self.alt is not None:
            out["alt"] = self.alt
        return out


@dataclass(slots=True)
class Post:
    """One post, article or status, normalised.

    ``created_at`` is always timezone-aware UTC. ``raw`` keeps the payload the post was
    made from so that it can be normalised again without collecting it again.

    Language: a normaliser sets ``lang`` to what the source declares. The store gives every
    post it writes its *effective* language (:func:`veilleur.text.resolve_language`):
    ``lang`` becomes that one (a code, ``und`` when unknown), ``lang_declared`` keeps the
    declaration and ``lang_source`` says which was used (``declared``, ``agreed``,
    ``detected``). ``lang_source`` None means not resolved yet.
    """

    id: str
    network: str
    author: str
    text: str
    created_at: datetime
    author_name: str | None = None
    url: str | None = None
    lang: str | None = None
    title: str | None = None
    reply_to: str | None = None
    repost_of: str | None = None
    quote_of: str | None = None
    media: list[Media] = field(default_factory=list)
    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None
    collected_at: datetime | None = None
    source: str | None = None
    raw: dict[str, Any] | None = None
    lang_declared: str | None = None
    lang_source: str | None = None

    def counts(self) -> tuple[int | None, ...]:
        return (self.likes, self.reposts, self.replies, self.quotes, self.views)

    def to_json(self, *, with_raw: bool = False) -> dict[str, Any]:
        """The JSONL record of this post (field names of DESIGN.md)."""
        out: dict[str, Any] = {
            "id": self.id,
            "network": self.network,
            "author": self.author,
            "text": self.text,
            "created_at": format_datetime(self.created_at),
        }
        optional: dict[str, Any] = {
            "author_name": self.author_name,
            "url": self.url,
            "lang": self.lang,
            "lang_declared": self.lang_declared,
            "lang_source": self.lang_source,
            "title": self.title,
            "reply_to": self.reply_to,
            "repost_of": self.repost_of,
            "quote_of": self.quote_of,
            "likes": self.likes,
            "reposts": self.reposts,
            "replies": self.replies,
            "quotes": self.quotes,
            "views": self.views,
            "source": self.source,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        if self.media:
            out["media"] = [m.to_json() for m in self.media]
        if self.collected_at is not None:
            out["collected_at"] = format_datetime(self.collected_at)
        if with_raw and self.raw is not None:
            out["raw"] = self.raw
        return out


@dataclass(slots=True)
class Author:
    """An account on one network. ``handles`` maps other networks to the same person."""

    handle: str
    network: str
    name: str | None = None
    followers: int | None = None
    handles: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Source:
    """Something veilleur collects from: a feed, a Mastodon tag or account, a Bluesky query."""

    name: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    last_success: datetime | None = None
    last_error: str | None = None
    posts_collected: int = 0


@dataclass(slots=True)
class Watch:
    """A saved query: the topic an organisation keeps an eye on."""

    name: str
    query: str
    created_at: datetime | None = None
    description: str | None = None


@dataclass(slots=True)
class Profile:
    """An organisation as the advisor and the audit see it (read from a TOML file)."""

    name: str
    positioning: str = ""
    kind: str = "company"  # company, association, public, freelancer (veilleur.profile.KINDS)
    keywords: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    sector: str | None = None
    audiences: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)


POST_CSV_FIELDS = (
    "id", "network", "author", "author_name", "created_at", "text", "url", "lang", "title",
    "likes", "reposts", "replies", "quotes", "views",
)  # fmt: skip
"""The columns of a CSV of posts (``search --format csv``, the workbench's export)."""

DATE_OUT_OF_RANGE = "date out of range once converted to UTC"
"""How :func:`parse_datetime`'s ValueError starts for a date valid as written that does
not exist in UTC (``9999-12-31T23:59:59-12:00``), so readers can say so."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_days(by_hour: Mapping[str, int], zone: tzinfo) -> list[tuple[Day, int]]:
    """Counts per UTC hour (``"2026-03-15T13"``, the store's dates cut at the hour) summed
    per day in ``zone``, newest day first. Exact for zones whose offset is whole hours (all
    of Europe's); a half-hour zone's posts of the hour across midnight land on its later day.
    An hour that is not such a date is left out."""
    days: dict[Day, int] = {}
    for hour, count in by_hour.items():
        try:
            moment = datetime.fromisoformat(f"{hour}:00:00+00:00")
        except ValueError:
            continue
        local = moment.astimezone(zone).date()
        days[local] = days.get(local, 0) + count
    return sorted(days.items(), reverse=True)


def parse_datetime(value: str) -> datetime:
    """Parse ISO 8601; a value without an offset is UTC. Raises ``ValueError``."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            t("'{value}' is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", value=value)
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is valid, but not once in UTC
        raise ValueError(f"{DATE_OUT_OF_RANGE}: {value!r}") from None


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` deep (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def out_of_range(post: Post) -> str | None:
    """The first field of ``post`` the store cannot keep, or None.

    Counts within a signed 64-bit integer and not negative, dates that exist in UTC, a raw
    payload nested at most :data:`MAX_RAW_DEPTH` deep.
    """
    for name, count in zip(COUNT_FIELDS, post.counts(), strict=True):
        if count is not None and not 0 <= count <= MAX_COUNT:
            return name
    for name, date in (("created_at", post.created_at), ("collected_at", post.collected_at)):
        if date is not None:
            try:
                format_datetime(date)
            except (OverflowError, ValueError):
                return name
    if post.raw is not None and nested_deeper_than(post.raw, MAX_RAW_DEPTH):
        return "raw"
    return None


def post_problem(post: Post) -> str | None:
    """Why the store cannot keep ``post`` (a message naming the field), or None.

    The one rule every way in applies to a post built from a stranger's data: importers
    (``imports.records.check_post``) and collectors (``sources.runner``) alike, so that one
    value out of range is one post refused, never a lost batch.
    """
    field_name = out_of_range(post)
    if field_name is None:
        return None
    if field_name == "raw":
        return t(
            "its fields are nested more than {depth} deep: the record cannot be kept",
            depth=MAX_RAW_DEPTH,
        )
    if field_name in ("created_at", "collected_at"):
        return t(
            "'{name}' is out of range once converted to UTC: {value}",
            name=field_name,
            value=repr(str(getattr(post, field_name))),
        )
    return t("'{name}' is not a count between 0 and {max}", name=field_name, max=MAX_COUNT)


POST_WRITE_ERRORS: tuple[type[BaseException], ...] = (
    OverflowError,
    ValueError,
    TypeError,
    RecursionError,
)
"""What writing one post the store cannot take raises (a value out of range, a payload the
JSON writer refuses). A full disk or a locked database is not one post's fault: those are
``StorageError`` and end the batch as before."""


def format_datetime(value: datetime) -> str:
    """ISO 8601 in UTC to the second, ``Z`` suffix: sortable as text, the store's format."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset():
        value = value.astimezone(UTC)
    return value.isoformat(timespec="seconds")[:19] + "Z"


def url_id(url: str) -> str:
    """The id of a post that has no network id: a short hash of its canonical URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
