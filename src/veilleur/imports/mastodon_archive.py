"""The Mastodon account archive (Preferences › Import and export › Request your archive).

A zip (older servers) or a tar.gz holding ActivityStreams JSON:

- ``outbox.json``: an ``OrderedCollection`` whose ``orderedItems`` are activities.
  ``Create`` of a ``Note`` (or a poll, ``Question``) is a post: its HTML ``content``
  becomes text with links kept (as the Mastodon collector's), a content warning
  (``summary``) comes first, ``attachment`` gives media with their alt text (``name``),
  ``likes`` and ``shares`` their totals when the server wrote them, ``inReplyTo`` the
  replied post. ``Announce`` is a repost of
  ``object``. Other activities are not posts and are passed over.
- ``actor.json``: ``preferredUsername`` and the host of ``id`` make the handle
  ``user@host``; ``name`` is the display name. Without it, ``--author`` is needed.

Activities become posts through :func:`veilleur.networks.mastodon.activity_to_post`. Ids
are the statuses' URIs (``https://host/users/u/statuses/1234``), those of replied, boosted
and quoted statuses too: the Mastodon collector gives the same status the same id (the
API's ``uri``), so a post imported here and collected later is one post. Attachment URLs
are written as the archive has them (``/media_attachments/files/…``, a path inside the
archive).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from veilleur.errors import InputError
from veilleur.i18n import t
from veilleur.imports.archives import DEFAULT_LIMITS, Archive, Limits, open_archive
from veilleur.imports.exports import (
    DEFAULT_CLOCK,
    Clock,
    MemberError,
    load_json,
    read_member,
)
from veilleur.imports.records import (
    ProgressFn,
    Reader,
    Record,
    check_post,
    failure,
)
from veilleur.networks import normalize_handle
from veilleur.networks.mastodon import activity_to_post
from veilleur.networks.payload import as_str

EXPECTED = 'an ActivityStreams OrderedCollection {"type": "OrderedCollection", "orderedItems": […]}'


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
                t(
                    "no outbox.json in it: a Mastodon archive was expected (Preferences › "
                    "Import and export › Request your archive)"
                ),
                where=str(path),
            )
        member = members[0]
        where = archive.where(member)
        outbox = load_json(read_member(archive, member), where, EXPECTED)  # MemberError: exit 2
        items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
        if not isinstance(items, list):
            raise InputError(
                t("has no orderedItems list; expected {expected}", expected=EXPECTED), where=where
            )
        handle, name = _actor(archive, author, outbox)
        if progress is not None:
            progress(archive.stored_size(member))
        collected_at = clock()
        for index, activity in enumerate(items):
            item_where = t("{file} (item {n})", file=where, n=index + 1)
            try:
                post = activity_to_post(activity, handle, name)
                if post is not None:
                    check_post(post)
            except Exception as exc:  # any failure is this item's rejection
                yield failure(item_where, exc)
                continue
            if post is not None:
                post.collected_at = collected_at
                yield post


def _actor(archive: Archive, author: str | None, outbox: Any) -> tuple[str, str | None]:
    """Handle ``user@host`` and display name."""
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
    if not home and author and "@" in normalize_handle(author):
        home = normalize_handle(author).partition("@")[2]
    user = as_str(actor.get("preferredUsername")) if isinstance(actor, dict) else None
    name = as_str(actor.get("name")) if isinstance(actor, dict) else None
    if author:
        return normalize_handle(author), name
    if not user or not home:
        raise InputError(
            t(
                "the archive does not say whose it is (no readable actor.json): give the "
                "handle with --author user@instance"
            ),
            where=str(archive.path),
        )
    return f"{user}@{home}", name
