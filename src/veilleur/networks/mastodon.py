"""Mastodon: API statuses and archive activities → ``Post``, for the collector and the importer.

**Identity.** A status is known everywhere by its URI — the ActivityPub id that its own
server gave it (``https://host/users/u/statuses/1234``), which every server that knows the
status agrees on, which the REST API gives as ``uri`` and the account archive's
``outbox.json`` as the Note's ``id``. The numeric ``id`` of the API is only the number of
*the instance that was asked* (another instance numbers the same status differently), so
it is never a post's id. A boost is the booster's post with its own URI
(``…/statuses/1234/activity``: the API's ``uri`` of the reblog, the archive's ``Announce``
id) and ``repost_of`` the original's URI. ``quote_of`` is the quoted status's URI.

``reply_to`` is the parent's URI when it can be known: always from an archive
(``inReplyTo``); from the API, which gives only the parent's number on the instance asked,
when the parent was read in the same collection, or when the reply continues its author's
own thread on that instance (the parent's URI is then the status's own with the parent's
number). Otherwise it is ``{instance}/api/v1/statuses/{number}``, the address where the
parent can be fetched — not a global identity (one more request per reply would be).

**Text.** HTML content becomes text with its links kept
(:func:`veilleur.networks.html.html_to_text`); a content warning comes first, on its own
paragraph. The author is ``user@host``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from veilleur.model import Media, Post, parse_datetime
from veilleur.networks.handles import normalize_handle
from veilleur.networks.html import html_to_text, sanitize
from veilleur.networks.payload import as_count, as_str
from veilleur.networks.urls import safe_url

NETWORK = "mastodon"
POST_TYPES = {"Note", "Question", "Article", "Page"}
"""ActivityStreams object types that are posts (a poll is a ``Question``)."""
_MEDIA_TYPES = {"image": "image", "gifv": "video", "video": "video", "audio": "audio"}


def with_warning(text: str, warning: str | None) -> str:
    """The text a reader sees: the content warning first, then a blank line, then the text."""
    warning = (warning or "").strip()
    if not warning:
        return text
    return f"{warning}\n\n{text}" if text else warning


# -- the REST API (collector) ------------------------------------------------------------------


def handle(account: Mapping[str, Any], instance_host: str) -> str:
    """``user@host`` of an API account (``acct`` has no host for the instance's own users)."""
    acct = normalize_handle(str(account.get("acct") or account.get("username") or ""))
    return acct if "@" in acct else f"{acct}@{instance_host}"


def status_uri(status: Mapping[str, Any], instance: str) -> str:
    """A status's global id: its ``uri`` (a fallback for servers that omit it)."""
    return str(status.get("uri") or f"{instance}/statuses/{status['id']}")


def _api_media(status: Mapping[str, Any]) -> list[Media]:
    media: list[Media] = []
    for item in status.get("media_attachments") or []:
        url = safe_url(item.get("url")) or safe_url(item.get("remote_url"))
        if url:
            kind = _MEDIA_TYPES.get(str(item.get("type")), "file")
            media.append(Media(url=url, alt=item.get("description") or None, type=kind))
    return media


def _api_raw(status: Mapping[str, Any]) -> dict[str, Any]:
    raw = dict(status)
    if isinstance(raw.get("content"), str):
        raw["content"] = sanitize(raw["content"])
    if isinstance(raw.get("reblog"), dict):
        raw["reblog"] = _api_raw(raw["reblog"])
    return raw


def parent_uri(
    status: Mapping[str, Any], instance: str, uris: Mapping[str, str] | None = None
) -> str | None:
    """The URI of the status this one replies to, as well as the API lets us know it."""
    parent = status.get("in_reply_to_id")
    if not parent:
        return None
    parent = str(parent)
    if uris and parent in uris:
        return uris[parent]
    own = str(status.get("id") or "")
    uri = str(status.get("uri") or "")
    account = status.get("account") or {}
    parent_author = str(status.get("in_reply_to_account_id") or "")
    same_author = bool(parent_author) and parent_author == str(account.get("id") or "")
    if same_author and own and uri.endswith(f"/{own}"):
        # The status's URI ends with its number on the instance asked: it was written
        # there, and so was its author's parent, whose URI differs only by its number.
        return uri[: -len(own)] + parent
    return f"{instance}/api/v1/statuses/{parent}"


def status_to_posts(
    status: Mapping[str, Any],
    instance: str,
    source: str,
    uris: Mapping[str, str] | None = None,
) -> list[Post]:
    """An API status as posts: one, or two for a boost (the boost and the original).

    ``uris`` maps the instance's status numbers to URIs for statuses read in the same
    collection, so that a reply to one of them gets its parent's URI.
    """
    host = urlsplit(instance).netloc
    account = status.get("account") or {}
    common: dict[str, Any] = {
        "network": NETWORK,
        "author": handle(account, host),
        "author_name": account.get("display_name") or None,
        "created_at": parse_datetime(str(status["created_at"])),
        "source": source,
    }
    reblog = status.get("reblog")
    if isinstance(reblog, dict):
        (original, *_) = status_to_posts(reblog, instance, source, uris)
        boost = Post(  # text left empty, as imports do: the original carries it once
            id=status_uri(status, instance),
            text="",
            url=original.url,
            repost_of=original.id,
            raw=_api_raw(status),
            **common,
        )
        return [original, boost]
    quoted = (status.get("quote") or {}).get("quoted_status") if status.get("quote") else None
    return [
        Post(
            id=status_uri(status, instance),
            text=with_warning(
                html_to_text(str(status.get("content") or "")), status.get("spoiler_text")
            ),
            url=safe_url(status.get("url")) or safe_url(status.get("uri")),
            lang=status.get("language") or None,
            reply_to=parent_uri(status, instance, uris),
            quote_of=str(quoted["uri"]) if isinstance(quoted, dict) and quoted.get("uri") else None,
            media=_api_media(status),
            likes=as_count(status.get("favourites_count")),
            reposts=as_count(status.get("reblogs_count")),
            replies=as_count(status.get("replies_count")),
            quotes=as_count(status.get("quotes_count")),
            raw=_api_raw(status),
            **common,
        )
    ]


# -- the account archive (importer) ------------------------------------------------------------


def _published(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("no published date")
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO 8601 date") from None


def _total(value: Any) -> int | None:
    return as_count(value.get("totalItems")) if isinstance(value, dict) else None


def _archive_path(value: Any) -> str | None:
    """A media file's path inside the archive (``/media_attachments/…``): kept as the
    archive writes it; renderers show only http(s) links anyway."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value if safe_url("http://archive" + value) else None
    return None


def _archive_media(note: dict[str, Any]) -> list[Media]:
    media: list[Media] = []
    for item in note.get("attachment") or []:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if isinstance(url, dict):  # some servers write a Link object
            url = url.get("href")
        if url := safe_url(url) or _archive_path(url):
            kind = str(item.get("mediaType") or "image/").split("/")[0]
            media.append(Media(url=url, alt=as_str(item.get("name")), type=kind or "image"))
    return media


def activity_to_post(
    activity: Any, handle: str, name: str | None, source: str = "mastodon-archive"
) -> Post | None:
    """One outbox activity as a Post, None when it is not a post (ValueError: malformed).

    ``Create`` of a Note (or a poll, an Article, a Page) is a post; ``Announce`` a repost of
    its ``object``; other activities are not posts.
    """
    handle = normalize_handle(handle)
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
            id=activity_id,
            network=NETWORK,
            author=handle,
            author_name=name,
            text="",
            created_at=_published(activity.get("published")),
            repost_of=target,
            source=source,
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
    content_map = note.get("contentMap")
    if not isinstance(content, str):
        values = list(content_map.values()) if isinstance(content_map, dict) else []
        content = values[0] if values and isinstance(values[0], str) else ""
    langs = list(content_map) if isinstance(content_map, dict) else []
    reply = note.get("inReplyTo")
    quote = as_str(note.get("quoteUri")) or as_str(note.get("quote"))
    return Post(
        id=uri,
        network=NETWORK,
        author=handle,
        author_name=name,
        text=with_warning(html_to_text(content), as_str(note.get("summary"))),
        created_at=_published(note.get("published") or activity.get("published")),
        url=safe_url(note.get("url")) or safe_url(uri),
        lang=langs[0] if len(langs) == 1 else None,
        reply_to=reply if isinstance(reply, str) and reply else None,
        quote_of=quote,
        media=_archive_media(note),
        likes=_total(note.get("likes")),
        reposts=_total(note.get("shares")),
        source=source,
        raw=activity,
    )
