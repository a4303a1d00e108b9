"""The Mastodon account archive (Preferences › Import and export › Request your archive).

A zip (older servers) or a tar.gz holding ActivityStreams JSON:

- ``outbox.json``: an ``OrderedCollection`` whose ``orderedItems`` are activities.
  ``Create`` of a ``Note`` (or a poll, ``Question``) is a post: its HTML ``content``
  becomes text with links kept (:func:`veilleur.sources.html.html_to_text`, the one the
  Mastodon collector uses), a content warning (``summary``) comes first, ``attachment``
  gives media with their alt text (``name``), ``likes`` and ``shares`` their totals when
  the server wrote them, ``inReplyTo`` the replied post. ``Announce`` is a repost of
  ``object``. Other activities are not posts and are passed over.
- ``actor.json``: ``preferredUsername`` and the host of ``id`` make the handle
  ``user@host``; ``name`` is the display name. Without it, ``--author`` is needed.

Ids: a status of the account's own server is known there, and to its API, by the number
that ends its URI (``https://host/users/u/statuses/1234`` → ``1234``): that number is the
id, so that a post imported here and collected later from the same server is one post.
Statuses of other servers keep their full URI. Attachment URLs are written as the archive
has them (``/media_attachments/files/…``, a path inside the archive).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from veilleur.errors import InputError
from veilleur.imports.archives import DEFAULT_LIMITS, Archive, Limits, open_archive
from veilleur.imports.exports import (
    DEFAULT_CLOCK,
    Clock,
    MemberError,
    as_count,
    as_str,
    load_json,
    read_member,
)
from veilleur.imports.records import ProgressFn, Reader, Record, Rejection
from veilleur.model import Media, Post, parse_datetime
from veilleur.sources.html import html_to_text

EXPECTED = 'an ActivityStreams OrderedCollection {"type": "OrderedCollection", "orderedItems": […]}'
STATUS = re.compile(r"/statuses/(\d+)(?:/activity)?$")
POST_TYPES = {"Note", "Question", "Article", "Page"}


def mastodon_archive_reader(
    author: str | None = None, *, clock: Clock = DEFAULT_CLOCK, limits: Limits = DEFAULT_LIMITS
) -> Reader:
    """A reader of Mastodon archives; ``author`` is the handle when actor.json is absent."""
    return partial(read_mastodon_archive, author=author, clock=clock, limits=limits)


def read_mastodon_archive(
    path: Path,
    progress: ProgressFn | None = None,
    *,
    author: str | None = None,
    clock: Clock = DEFAULT_CLOCK,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Record]:
    """Posts and reposts of outbox.json. Unusable archive: InputError before any post."""
    with open_archive(path, limits) as archive:
        members = archive.find(r"outbox\.json")
        if not members:
            raise InputError(
                "no outbox.json in it: a Mastodon archive was expected (Preferences › Import "
                "and export › Request your archive)",
                where=str(path),
            )
        member = members[0]
        where = archive.where(member)
        outbox = load_json(read_member(archive, member), where, EXPECTED)  # MemberError: exit 2
        items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
        if not isinstance(items, list):
            raise InputError(f"has no orderedItems list; expected {EXPECTED}", where=where)
        handle, name, home = _actor(archive, author, outbox)
        if progress is not None:
            progress(archive.stored_size(member))
        collected_at = clock()
        for index, activity in enumerate(items):
            item_where = f"{where} (item {index + 1})"
            try:
                post = activity_to_post(activity, handle, name, home)
            except ValueError as exc:
                yield Rejection(item_where, str(exc))
                continue
            if post is not None:
                post.collected_at = collected_at
                yield post


def _actor(archive: Archive, author: str | None, outbox: Any) -> tuple[str, str | None, str]:
    """Handle ``user@host``, display name and home host."""
    actor: Any = None
    for member in archive.find(r"actor\.json"):
        try:
            actor = load_json(read_member(archive, member), archive.where(member), "an actor")
        except MemberError:
            actor = None
        break
    actor_id = as_str(actor.get("id")) if isinstance(actor, dict) else None
    if actor_id is None and isinstance(outbox, dict):
        items = outbox.get("orderedItems") or [{}]
        actor_id = as_str(items[0].get("actor")) if isinstance(items[0], dict) else None
    home = urlsplit(actor_id).hostname or "" if actor_id else ""
    if not home and author and "@" in author.lstrip("@"):
        home = author.lstrip("@").partition("@")[2]
    user = as_str(actor.get("preferredUsername")) if isinstance(actor, dict) else None
    name = as_str(actor.get("name")) if isinstance(actor, dict) else None
    if author:
        return author.lstrip("@"), name, home
    if not user or not home:
        raise InputError(
            "the archive does not say whose it is (no readable actor.json): give the handle "
            "with --author user@instance",
            where=str(archive.path),
        )
    return f"{user}@{home}", name, home


def _status_id(uri: str, home: str) -> str:
    """The status number on the account's own server, else the full URI."""
    found = STATUS.search(uri)
    if found and urlsplit(uri).hostname == home:
        return found.group(1)
    return uri


def _published(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("no published date")
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO 8601 date") from None


def _total(value: Any) -> int | None:
    return as_count(value.get("totalItems")) if isinstance(value, dict) else None


def _media(note: dict[str, Any]) -> list[Media]:
    media: list[Media] = []
    for item in note.get("attachment") or []:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if isinstance(url, dict):  # some servers write a Link object
            url = url.get("href")
        if isinstance(url, str) and url:
            kind = str(item.get("mediaType") or "image/").split("/")[0]
            media.append(Media(url=url, alt=as_str(item.get("name")), type=kind or "image"))
    return media


def activity_to_post(activity: Any, handle: str, name: str | None, home: str) -> Post | None:
    """One outbox activity as a Post, None when it is not a post (ValueError: malformed)."""
    if not isinstance(activity, dict):
        raise ValueError(f"expected an activity object, got {type(activity).__name__}")
    kind = activity.get("type")
    if kind == "Announce":
        target = activity.get("object")
        target = target.get("id") if isinstance(target, dict) else target
        activity_id = as_str(activity.get("id"))
        if not isinstance(target, str) or not activity_id:
            raise ValueError("an Announce without id or object")
        return Post(
            id=_status_id(activity_id, home),
            network="mastodon",
            author=handle,
            author_name=name,
            text="",
            created_at=_published(activity.get("published")),
            repost_of=_status_id(target, home),
            source="mastodon-archive",
            raw=activity,
        )
    if kind != "Create":
        return None
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") not in POST_TYPES:
        return None
    uri = as_str(note.get("id"))
    if not uri:
        raise ValueError("a Note without id")
    content = note.get("content")
    if not isinstance(content, str):
        content_map = note.get("contentMap")
        values = list(content_map.values()) if isinstance(content_map, dict) else []
        content = values[0] if values and isinstance(values[0], str) else ""
    text = html_to_text(content)
    warning = as_str(note.get("summary"))
    if warning:
        text = f"{warning}\n\n{text}" if text else warning
    content_map = note.get("contentMap")
    langs = list(content_map) if isinstance(content_map, dict) else []
    reply = note.get("inReplyTo")
    quote = as_str(note.get("quoteUri")) or as_str(note.get("quote"))
    return Post(
        id=_status_id(uri, home),
        network="mastodon",
        author=handle,
        author_name=name,
        text=text,
        created_at=_published(note.get("published") or activity.get("published")),
        url=as_str(note.get("url")) or uri,
        lang=langs[0] if len(langs) == 1 else None,
        reply_to=_status_id(reply, home) if isinstance(reply, str) and reply else None,
        quote_of=_status_id(quote, home) if quote else None,
        media=_media(note),
        likes=_total(note.get("likes")),
        reposts=_total(note.get("shares")),
        source="mastodon-archive",
        raw=activity,
    )
