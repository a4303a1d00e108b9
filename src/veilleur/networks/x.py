"""X: tweets (the v1.1 shape the account archive keeps) → ``Post``.

A tweet's id is its ``id_str`` (X's global number), its address
``https://x.com/HANDLE/status/ID``. ``full_text`` has HTML entities escaped and links as
t.co: links are written out in full from ``entities.urls`` and the t.co link of attached
media is removed (the media are listed apart). Retweets keep ``RT @handle: text…`` and not
the original's id, so ``repost_of`` holds ``@handle``, the only reference given. A quote
appears as a link to ``…/status/ID`` among the urls: ``quote_of`` is that ID. Counts come
as strings (``favorite_count``, ``retweet_count``). Languages X could not tell (``und``,
``zxx``, ``art``, ``qme``…) are left unknown.

Used by :mod:`veilleur.imports.x_archive`; an X collector would use it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from veilleur.model import Media, Post, parse_datetime
from veilleur.networks.handles import normalize_handle
from veilleur.networks.payload import as_count, as_str

STATUS_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)/status(?:es)?/(\d+)")
RETWEET = re.compile(r"^RT @(\w+):")
MEDIA_TYPES = {"photo": "image", "video": "video", "animated_gif": "gif"}
NO_LANGUAGE = {"und", "zxx", "art"}


def _created(tweet: dict[str, Any]) -> datetime:
    value = tweet.get("created_at")
    if not isinstance(value, str):
        raise ValueError("no created_at date")
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    except ValueError:
        try:
            return parse_datetime(value)
        except ValueError:
            raise ValueError(
                f"created_at {value!r} is not a date like 'Wed Oct 10 20:19:24 +0000 2018'"
            ) from None


def _urls(tweet: dict[str, Any]) -> list[dict[str, Any]]:
    entities = tweet.get("entities")
    urls = entities.get("urls") if isinstance(entities, dict) else None
    return [u for u in urls if isinstance(u, dict)] if isinstance(urls, list) else []


def _media(tweet: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("extended_entities", "entities"):
        block = tweet.get(key)
        media = block.get("media") if isinstance(block, dict) else None
        if isinstance(media, list) and media:
            return [m for m in media if isinstance(m, dict)]
    return []


def _text(tweet: dict[str, Any]) -> str:
    text = tweet.get("full_text", tweet.get("text"))
    if not isinstance(text, str):
        raise ValueError("no full_text")
    for url in _urls(tweet):
        short, full = as_str(url.get("url")), as_str(url.get("expanded_url"))
        if short and full:
            text = text.replace(short, full)
    for media in _media(tweet):
        short = as_str(media.get("url"))
        if short:
            text = text.replace(short, "")
    return html.unescape(text).strip()


def tweet_to_post(
    tweet: dict[str, Any],
    handle: str,
    name: str | None,
    long_text: Callable[[datetime, str], str | None] | None = None,
    source: str = "x-archive",
) -> Post:
    """One tweet as a Post; ValueError names what is missing or wrong.

    ``long_text(created, text)`` gives the whole text of a long post whose tweet keeps only
    its start (the archive's note-tweet.js), or None.
    """
    handle = normalize_handle(handle)
    tweet_id = as_str(tweet.get("id_str")) or (
        str(tweet["id"]) if isinstance(tweet.get("id"), (str, int)) else None
    )
    if not tweet_id:
        raise ValueError("no id_str")
    created = _created(tweet)
    text = _text(tweet)
    if long_text is not None and not text.startswith("RT @"):
        text = long_text(created, text) or text
    retweet = RETWEET.match(text)
    quote_of = None
    if not retweet:
        for url in _urls(tweet):
            found = STATUS_URL.match(str(url.get("expanded_url") or ""))
            if found and found.group(2) != tweet_id:
                quote_of = found.group(2)
    lang = as_str(tweet.get("lang"))
    media = [
        Media(
            url=str(m.get("media_url_https") or m.get("media_url")),
            alt=as_str(m.get("ext_alt_text")),
            type=MEDIA_TYPES.get(str(m.get("type")), "image"),
        )
        for m in _media(tweet)
        if m.get("media_url_https") or m.get("media_url")
    ]
    return Post(
        id=tweet_id,
        network="x",
        author=handle,
        author_name=name,
        text=text,
        created_at=created,
        url=f"https://x.com/{handle}/status/{tweet_id}",
        lang=lang if lang and lang not in NO_LANGUAGE and not lang.startswith("q") else None,
        reply_to=as_str(tweet.get("in_reply_to_status_id_str")),
        repost_of=f"@{retweet.group(1)}" if retweet else None,
        quote_of=quote_of,
        media=media,
        likes=as_count(tweet.get("favorite_count")),
        reposts=as_count(tweet.get("retweet_count")),
        source=source,
        raw=tweet,
    )
