"""Bluesky: records and post views → ``Post``, for the collector and the CAR importer alike.

A post's id is its AT URI ``at://DID/app.bsky.feed.post/RKEY`` (what the Bluesky API calls
``uri``), its address ``https://bsky.app/profile/HANDLE/post/RKEY``, its author the handle
(the DID when the handle is not known, as in a bare repository export).

- :func:`record_to_post` reads a record (``app.bsky.feed.post``: ``text``, ``createdAt``,
  ``langs``, ``facets`` — a link facet whose text is the shortened address shown by the
  app is replaced by the full address —, ``embed`` — images with alt text, an external link
  added to the text, a quoted record —, ``reply``; ``app.bsky.feed.repost``: a repost of
  ``subject.uri``). The repository import (``veilleur import bluesky-car``) and the
  collector both go through it, so a post collected and the same post imported are one
  post.
- :func:`view_to_post` reads a post view (``app.bsky.feed.defs#postView``) of the AppView:
  the record as above, plus what only the view carries (display name, counts, images and
  videos with their alt text); :func:`repost_to_post` the reposter's post of a feed item;
  :func:`feed_item_posts` both for one item (``import bluesky-json`` reads files of them).

twitwi (medialab) normalises these views too, but into its own flat, CSV-minded schema;
mapping that schema back to ``Post`` would be as long as reading the views, so it is not
used.
"""

from __future__ import annotations

from typing import Any

import libipld

from veilleur.model import Media, Post, parse_datetime
from veilleur.networks.handles import normalize_handle
from veilleur.networks.payload import as_count, as_lang, as_str
from veilleur.networks.urls import safe_url

DEFAULT_APPVIEW = "https://public.api.bsky.app"
"""The public AppView: Bluesky's search and feeds, read without an account."""

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
PROFILE = "app.bsky.actor.profile/self"
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"


def _text(record: dict[str, Any]) -> str:
    """The text, with the link facets' shortened addresses written out in full."""
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("no text")
    raw = text.encode("utf-8")
    links: list[tuple[int, int, str]] = []
    for facet in record.get("facets") or []:
        index = facet.get("index") if isinstance(facet, dict) else None
        if not isinstance(index, dict):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw)):
            continue
        for feature in facet.get("features") or []:
            uri = feature.get("uri") if isinstance(feature, dict) else None
            if isinstance(uri, str) and feature.get("$type") == "app.bsky.richtext.facet#link":
                links.append((start, end, uri))
    for start, end, uri in sorted(links, reverse=True):
        shown = raw[start:end].decode("utf-8", "replace")
        if shown != uri:
            raw = raw[:start] + uri.encode("utf-8") + raw[end:]
    return raw.decode("utf-8", "replace")


def _images(block: Any, did: str) -> list[Media]:
    images = block.get("images") if isinstance(block, dict) else None
    media: list[Media] = []
    for image in images or []:
        blob = image.get("image") if isinstance(image, dict) else None
        ref = blob.get("ref") if isinstance(blob, dict) else None
        if isinstance(ref, bytes):
            url = CDN.format(did=did, cid=libipld.encode_cid(ref))
            media.append(Media(url=url, alt=as_str(image.get("alt"))))
    video = block.get("video") if isinstance(block, dict) else None
    ref = video.get("ref") if isinstance(video, dict) else None
    if isinstance(ref, bytes):
        url = f"https://video.bsky.app/watch/{did}/{libipld.encode_cid(ref)}/playlist.m3u8"
        media.append(Media(url=url, alt=as_str(block.get("alt")), type="video"))
    return media


def _embed(record: dict[str, Any], did: str) -> tuple[list[Media], str | None, str | None]:
    """Media, quoted record's URI and external link of a post's embed."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return [], None, None
    kind = embed.get("$type")
    quoted = embed.get("record")
    if kind == "app.bsky.embed.recordWithMedia" and isinstance(quoted, dict):
        quoted = quoted.get("record")
        media = _images(embed.get("media"), did)
    else:
        media = _images(embed, did)
    quote = as_str(quoted.get("uri")) if isinstance(quoted, dict) else None
    external = embed.get("external")
    link = as_str(external.get("uri")) if isinstance(external, dict) else None
    return media, quote, link


def record_to_post(record: Any, collection: str, did: str, rkey: str, handle: str) -> Post:
    """One record as a Post; ValueError says what is missing."""
    if not isinstance(record, dict):
        raise ValueError("the record is not an object")
    if not isinstance(record.get("createdAt"), str):
        raise ValueError("no createdAt date")
    try:
        created = parse_datetime(record["createdAt"])
    except ValueError:
        raise ValueError(f"createdAt {record.get('createdAt')!r} is not an ISO 8601 date") from None
    uri = f"at://{did}/{collection}/{rkey}"
    handle = normalize_handle(handle) or did
    common: dict[str, Any] = {
        "id": uri,
        "network": "bluesky",
        "author": handle,
        "created_at": created,
        "source": "bluesky-car",
        "raw": _jsonable(record),
    }
    if collection == REPOST:
        subject = record.get("subject")
        target = as_str(subject.get("uri")) if isinstance(subject, dict) else None
        if not target:
            raise ValueError("a repost without subject.uri")
        return Post(text="", repost_of=target, **common)
    text = _text(record)
    media, quote, link = _embed(record, did)
    if link and link not in text:
        text = f"{text}\n{link}" if text else link
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    langs = record.get("langs")
    return Post(
        text=text,
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        lang=as_lang(langs[0]) if isinstance(langs, list) and langs else None,
        reply_to=as_str(parent.get("uri")) if isinstance(parent, dict) else None,
        quote_of=quote,
        media=media,
        **common,
    )


def _jsonable(value: Any) -> Any:
    """The record as JSON can store it: CID links and bytes as ``{"$link": "bafy…"}``."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        try:
            return {"$link": libipld.encode_cid(value)}
        except ValueError:
            return {"$bytes": value.hex()}
    return value


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` → (did, collection, rkey); ValueError otherwise."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        raise ValueError(f"{uri!r} is not an at:// record URI")
    return parts[0], parts[1], parts[2]


def _view_images(images: Any) -> list[Media]:
    media: list[Media] = []
    for image in images or []:
        if isinstance(image, dict) and (url := safe_url(image.get("fullsize"))):
            media.append(Media(url=url, alt=image.get("alt") or None))
    return media


def view_media(embed: Any) -> list[Media]:
    """Images and videos of a post view's embed (``…#view``), with their alt text."""
    if not isinstance(embed, dict):
        return []
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return view_media(embed.get("media"))
    if kind.startswith("app.bsky.embed.images"):
        return _view_images(embed.get("images"))
    if kind.startswith("app.bsky.embed.video") and (url := safe_url(embed.get("playlist"))):
        return [Media(url=url, alt=embed.get("alt") or None, type="video")]
    return []


def _valid_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def view_to_post(view: dict[str, Any], source: str) -> Post:
    """A post view (app.bsky.feed.defs#postView) as a Post; ValueError when unusable.

    Used by the collector (searchPosts, getAuthorFeed) and ``import bluesky-json`` alike,
    so that the same post collected and imported has the same ``(network, id)``: its URI.
    Values of the wrong type are read as absent (a count that is not a number), or make
    the view unusable (ValueError naming the field) when the post cannot be told without.
    """
    if not isinstance(view, dict):
        raise ValueError(f"expected a post view object, got {type(view).__name__}")
    uri = view.get("uri")
    if not isinstance(uri, str):
        raise ValueError("no 'uri' (at://…) in the post view")
    did, collection, rkey = split_uri(uri)
    author = view.get("author")
    if not isinstance(author, dict):
        author = {}
    handle = as_str(author.get("handle")) or did
    record = view.get("record")
    if not isinstance(record, dict):
        raise ValueError("no 'record' object in the post view")
    if not _valid_date(record.get("createdAt")):
        # A client wrote a date that is none (seen: year 0000): the AppView's time instead.
        record = {**record, "createdAt": view.get("indexedAt")}
    post = record_to_post(record, collection, did, rkey, handle)
    post.author_name = as_str(author.get("displayName"))
    post.media = view_media(view.get("embed"))
    post.likes = as_count(view.get("likeCount"))
    post.reposts = as_count(view.get("repostCount"))
    post.replies = as_count(view.get("replyCount"))
    post.quotes = as_count(view.get("quoteCount"))
    post.source = source
    post.raw = view
    return post


def repost_to_post(item: dict[str, Any], original: Post, source: str) -> Post | None:
    """The repost of a feed item (``reason`` #reasonRepost) as the reposter's post."""
    reason = item.get("reason")
    by = reason.get("by") if isinstance(reason, dict) else None
    if not isinstance(reason, dict) or not isinstance(by, dict):
        return None
    if "reasonRepost" not in str(reason.get("$type")) or not as_str(by.get("did")):
        return None
    when = reason.get("indexedAt") or (original.raw and original.raw.get("indexedAt"))
    uri = reason.get("uri") or f"at://{by['did']}/app.bsky.feed.repost/of:{original.id}"
    try:
        created_at = parse_datetime(str(when)) if when else original.created_at
    except ValueError:
        created_at = original.created_at
    return Post(
        id=str(uri),
        network="bluesky",
        author=normalize_handle(str(by.get("handle") or "")) or str(by["did"]),
        author_name=as_str(by.get("displayName")),
        text="",
        created_at=created_at,
        url=original.url,
        repost_of=original.id,
        source=source,
        raw=dict(reason),
    )


def feed_item_posts(item: Any, source: str) -> list[Post]:
    """The posts of one item as the AppView lists them: a post view, or a feed item
    (``{"post": view, "reason": …}``) — the post, and the reposter's post when reposted."""
    if not isinstance(item, dict):
        raise ValueError(f"expected a post view object, got {type(item).__name__}")
    nested = item.get("post")
    view: dict[str, Any] = nested if isinstance(nested, dict) else item
    post = view_to_post(view, source)
    repost = repost_to_post(item, post, source) if view is not item else None
    return [post] if repost is None else [post, repost]
