"""Rows of the ``posts`` table to and from ``Post`` records."""

from __future__ import annotations

import sqlite3
import zlib
from typing import Any

import orjson

from veilleur.model import Media, Post, format_datetime, parse_datetime

POST_COLUMNS = (
    "network",
    "id",
    "author",
    "author_name",
    "text",
    "created_at",
    "url",
    "lang",
    "title",
    "reply_to",
    "repost_of",
    "quote_of",
    "media",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "views",
    "collected_at",
    "source",
    "raw",
    "lang_declared",
    "lang_source",
)
SELECT_POST = "SELECT " + ", ".join(f"p.{c}" for c in POST_COLUMNS) + " FROM posts p"


_PLAIN, _ZLIB = b"j", b"z"
_COMPRESS_FROM = 512  # bytes: smaller payloads do not repay the cost of compressing them


def pack_raw(raw: dict[str, Any] | None) -> bytes | None:
    """Raw payloads are kept compressed (they are read rarely and weigh most), small ones
    plain; the first byte says which."""
    if raw is None:
        return None
    data = orjson.dumps(raw)
    if len(data) < _COMPRESS_FROM:
        return _PLAIN + data
    return _ZLIB + zlib.compress(data, 1)


def unpack_raw(blob: bytes | None) -> dict[str, Any] | None:
    if blob is None:
        return None
    kind, body = blob[:1], blob[1:]
    value = orjson.loads(zlib.decompress(body) if kind == _ZLIB else body)
    return value if isinstance(value, dict) else {"value": value}


def post_to_row(post: Post) -> tuple[Any, ...]:
    media = orjson.dumps([m.to_json() for m in post.media]).decode() if post.media else None
    return (
        post.network,
        post.id,
        post.author,
        post.author_name,
        post.text,
        format_datetime(post.created_at),
        post.url,
        post.lang,
        post.title,
        post.reply_to,
        post.repost_of,
        post.quote_of,
        media,
        post.likes,
        post.reposts,
        post.replies,
        post.quotes,
        post.views,
        format_datetime(post.collected_at) if post.collected_at else None,
        post.source,
        pack_raw(post.raw),
        post.lang_declared,
        post.lang_source,
    )


def row_to_post(row: sqlite3.Row | tuple[Any, ...]) -> Post:
    (
        network,
        id_,
        author,
        author_name,
        text,
        created_at,
        url,
        lang,
        title,
        reply_to,
        repost_of,
        quote_of,
        media,
        likes,
        reposts,
        replies,
        quotes,
        views,
        collected_at,
        source,
        raw,
        lang_declared,
        lang_source,
    ) = tuple(row)[: len(POST_COLUMNS)]
    media_list = [
        Media(url=m["url"], alt=m.get("alt"), type=m.get("type", "image"))
        for m in (orjson.loads(media) if media else [])
    ]
    return Post(
        id=id_,
        network=network,
        author=author,
        author_name=author_name,
        text=text,
        created_at=parse_datetime(created_at),
        url=url,
        lang=lang,
        title=title,
        reply_to=reply_to,
        repost_of=repost_of,
        quote_of=quote_of,
        media=media_list,
        likes=likes,
        reposts=reposts,
        replies=replies,
        quotes=quotes,
        views=views,
        collected_at=parse_datetime(collected_at) if collected_at else None,
        source=source,
        raw=unpack_raw(raw),
        lang_declared=lang_declared,
        lang_source=lang_source,
    )
