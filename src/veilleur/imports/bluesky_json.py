"""Bluesky API JSON: post views (``app.bsky.feed.defs#postView``) as the AppView returns them
and as tools that collect them write them (medialab's minet and twitwi).

Accepted shapes, recognised from the content:

- a JSON array of items;
- an object with ``posts`` (``searchPosts``, ``getPosts``) or ``feed`` (``getAuthorFeed``,
  ``getTimeline``): its list of items;
- JSONL: one item per line.

An item is a post view (``uri``, ``author``, ``record``, counts, ``embed`` with its alt
texts) or a feed item ``{"post": view, "reason": …, "reply": …}``; a feed item reposted
(``reason`` #reasonRepost) gives the post and the reposter's post. Views become posts
through :func:`veilleur.networks.bluesky.feed_item_posts`, the collector's normaliser: the
same post collected and imported is one post (its ``at://`` URI).

A file that is none of these raises InputError before any post (exit 2). A bad item is a
rejection naming the file and the item (``posts.json (item 3)``, ``posts.jsonl:3``); a
file cut short keeps the items before the cut and rejects the rest (exit 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, ArchiveError, read_bounded
from veilleur.imports.exports import (
    DEFAULT_CLOCK,
    Clock,
    MemberError,
    iter_json_array,
    member_reason,
)
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    RecordError,
    Rejection,
    check_post,
    failure,
)
from veilleur.networks.bluesky import feed_item_posts

SOURCE = "bluesky-json"
EXPECTED = 'post views: [ {"uri": "at://…", "author": {…}, "record": {…}}, … ]'
_LIST_KEY = re.compile(rb'"(?:posts|feed)"\s*:\s*(?=\[)')


def bluesky_json_reader(*, clock: Clock = DEFAULT_CLOCK) -> Reader:
    """A reader of Bluesky post views (a JSON array, ``{"posts"|"feed": […]}`` or JSONL)."""
    return partial(read_bluesky_json, clock=clock)


def read_bluesky_json(
    path: Path, progress: ProgressFn | None = None, *, clock: Clock = DEFAULT_CLOCK
) -> Iterator[Record]:
    """Posts of a file of Bluesky post views; InputError when it holds none at all."""
    data = _read(path)
    if progress is not None:
        progress(len(data))
    where = str(path)
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    collected_at = clock()
    if body.startswith(b"["):
        items = _array(data, where, start=len(data) - len(body))
    elif body.startswith(b"{"):
        items = _object_or_lines(data, body, where)
    else:
        found = body[:20].decode("utf-8", "replace")
        raise InputError(
            t(
                "is not Bluesky JSON (found {found}); expected {expected}, an object with "
                "'posts' or 'feed', or one post view per line",
                found=repr(found),
                expected=EXPECTED,
            ),
            where=where,
        )
    for item_where, item in items:
        if isinstance(item, Rejection):
            yield item
            continue
        try:
            posts = [check_post(post) for post in feed_item_posts(item, SOURCE)]
        except RecordError as exc:
            yield Rejection(item_where, str(exc))
            continue
        except Exception as exc:  # any failure is this item's rejection (cut, depth named)
            reason = failure(item_where, exc).reason
            yield Rejection(item_where, t("not a usable post view: {reason}", reason=reason))
            continue
        for post in posts:
            post.collected_at = collected_at
            yield post


def _read(path: Path) -> bytes:
    try:
        data = read_bounded(path, DEFAULT_LIMITS.max_member)  # not st_size: 0 for a pipe
    except ArchiveError as exc:
        raise InputError(member_reason(exc), where=str(path)) from None
    except FileNotFoundError:
        raise InputError(t("no such file"), where=str(path)) from None
    except IsADirectoryError:
        raise InputError(t("is a folder, not a file"), where=str(path)) from None
    except OSError as exc:
        raise InputError(
            t("cannot be read: {reason}", reason=exc.strerror), where=str(path)
        ) from None
    if not data.strip():
        raise InputError(t("is empty: expected {expected}", expected=EXPECTED), where=str(path))
    return data


Items = Iterable[tuple[str, Any]]


def _array(data: bytes, where: str, *, start: int = 0) -> Items:
    """The array's items one at a time; a first item unreadable refuses the file."""
    items = iter_json_array(data, where, EXPECTED, start=start)
    try:
        first = next(items, _END)
    except MemberError as exc:
        raise InputError(member_reason(exc), where=where) from None
    return _numbered(first, items, where)


_END = object()


def _numbered(first: Any, items: Iterator[Any], where: str) -> Iterator[tuple[str, Any]]:
    if first is _END:
        return
    yield _item(where, 1), first
    try:
        for number, item in enumerate(items, start=2):
            yield _item(where, number), item
    except MemberError as exc:
        reason = t("{reason} (the items before it are kept)", reason=member_reason(exc))
        yield where, Rejection(where, reason)


def _object_or_lines(data: bytes, body: bytes, where: str) -> Items:
    """One object (an API answer, or a lone view), or JSONL."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        document, error = None, exc
    if isinstance(document, dict):
        return _document_items(document, where)
    try:
        orjson.loads(body.split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        pass
    else:
        return _lines(data, where)
    # One object cut short: the list of an API answer can still give its first items.
    match = _LIST_KEY.search(body)
    if match is not None:
        return _array(data, where, start=len(data) - len(body) + match.end())
    raise InputError(
        t("not valid JSON ({reason}); expected {expected}", reason=str(error), expected=EXPECTED),
        where=where,
    )


def _document_items(document: dict[str, Any], where: str) -> Items:
    for key in ("posts", "feed"):
        if key in document:
            listed = document[key]
            if not isinstance(listed, list):
                raise InputError(
                    t("'{key}' is not a list; expected {expected}", key=key, expected=EXPECTED),
                    where=where,
                )
            return [(_item(where, i), item) for i, item in enumerate(listed, start=1)]
    if "uri" in document or "post" in document:
        return [(_item(where, 1), document)]
    keys = ", ".join(list(document)[:8])
    raise InputError(
        t(
            "is not Bluesky JSON: an object without 'posts', 'feed' or 'uri' (keys: {keys}); "
            "expected {expected}",
            keys=keys,
            expected=EXPECTED,
        ),
        where=where,
    )


def _item(where: str, number: int) -> str:
    return t("{file} (item {n})", file=where, n=number)


def _lines(data: bytes, where: str) -> Iterator[tuple[str, Any]]:
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not line.strip():
            continue
        line_where = f"{where}:{number}"
        try:
            yield line_where, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield line_where, Rejection(line_where, t("invalid JSON ({reason})", reason=str(exc)))
