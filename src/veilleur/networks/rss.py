"""RSS: feed documents to posts — RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed by hand.

The normaliser of the ``rss`` network (the feed collector and ``relay`` read feeds with it).

Pure logic: bytes and headers in, :class:`ParsedFeed` out. feedparser reads the encoding
from the HTTP header, the XML declaration, and falls back to windows-1252 for feeds in
ISO-8859-1 that declare nothing (or claim UTF-8). It never fetches anything here: veilleur
hands it the bytes its own guarded client read.

Entry identity (as feed readers do): the GUID, else the link, else the title and content;
an id that is not an absolute URI (``<guid>1234</guid>``) is qualified by the feed's URL so
two feeds' ``1234`` stay apart.

Untrusted input: links and media URLs that are not ``http``/``https``
(:func:`~veilleur.networks.urls.safe_url`) are dropped; a JSON Feed item that cannot be read
(``5`` for an item, ``attachments: 5``) is skipped and named in ``ParsedFeed.problem``, the
feed's other items kept.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import time
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
import orjson

from veilleur.errors import InputError
from veilleur.model import Media, Post, parse_datetime, url_id
from veilleur.networks.html import html_to_text, sanitize
from veilleur.networks.payload import as_lang
from veilleur.networks.urls import safe_url

JSON_FEED_PREFIX = "https://jsonfeed.org/version/"


class NotAFeed(InputError, ValueError):
    """The document is neither RSS, Atom nor JSON Feed."""


@dataclass(slots=True)
class Entry:
    """One feed item in the shape every format maps to."""

    guid: str | None
    link: str | None
    title: str | None
    html: str
    has_content: bool
    published: datetime | None
    author: str | None
    lang: str | None
    media: list[Media] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    lang: str | None
    entries: list[Entry]
    format: str
    truncated: bool = False
    problem: str | None = None


def entry_id(feed_url: str, entry: Entry) -> str:
    """The stable id of an entry (see the module's docstring)."""
    if entry.guid:
        scheme = urlsplit(entry.guid).scheme
        key = entry.guid if scheme else f"{feed_url}\n{entry.guid}"
    elif entry.link:
        from ural import normalize_url  # slow to import: loaded when first needed

        key = normalize_url(entry.link)
    else:
        digest = hashlib.sha256(f"{entry.title or ''}\n{entry.html}".encode()).hexdigest()
        key = f"{feed_url}\n{digest}"
    return url_id(key)


_lang = as_lang


def _struct_time(value: object) -> datetime | None:
    if isinstance(value, time.struct_time):
        try:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    return None


def _media_from(entry: Mapping[str, Any]) -> list[Media]:
    media: list[Media] = []
    seen: set[str] = set()
    candidates: list[tuple[str, str]] = []
    for link in entry.get("enclosures", []) or []:
        candidates.append((link.get("href") or link.get("url") or "", link.get("type") or ""))
    for item in entry.get("media_content", []) or []:
        candidates.append((item.get("url") or "", item.get("type") or item.get("medium") or ""))
    for item in entry.get("media_thumbnail", []) or []:
        candidates.append((item.get("url") or "", "image"))
    for candidate, mime in candidates:
        url = safe_url(candidate)
        if not url or url in seen:
            continue
        seen.add(url)
        kind = mime.split("/")[0] if mime else "image"
        media.append(Media(url=url, type=kind if kind in ("image", "video", "audio") else "file"))
    return media


def _xml_entry(entry: Mapping[str, Any], feed_lang: str | None) -> Entry:
    contents = entry.get("content") or []
    html_parts = [c.get("value", "") for c in contents if c.get("value")]
    has_content = bool(html_parts)
    html = "\n".join(html_parts) if has_content else str(entry.get("summary") or "")
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        published = _struct_time(entry.get(key))
        if published is not None:
            break
    author = entry.get("author") or (entry.get("author_detail") or {}).get("name")
    return Entry(
        guid=entry.get("id") or None,
        link=safe_url(entry.get("link")),
        title=(entry.get("title") or "").strip() or None,
        html=html,
        has_content=has_content,
        published=published,
        author=author or None,
        lang=_lang((contents[0].get("language") if contents else None) or feed_lang),
        media=_media_from(entry),
        tags=[t.get("term") for t in entry.get("tags", []) or [] if t.get("term")],
    )


def _is_truncation(exc: object) -> bool:
    if not isinstance(exc, xml.sax.SAXParseException):
        return False
    message = exc.getMessage()
    return "no element found" in message or "unclosed token" in message


_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?)\sencoding\s*=\s*["'][^"']*["']""")


def _feedparser(content: bytes, headers: Mapping[str, str]) -> Any:
    """feedparser's reading; an encoding declaration it chokes on (``encoding="\x80tf-8"``
    raises UnicodeDecodeError or ValueError inside feedparser) is dropped and the bytes
    read again, then refused as :class:`NotAFeed`."""
    options = {"sanitize_html": False, "resolve_relative_uris": True}
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        return feedparser.parse(content, response_headers=lowered, **options)
    except (UnicodeError, ValueError, LookupError):
        pass
    cleaned = _DECLARED_ENCODING.sub(rb"\1", content, count=1)
    lowered.pop("content-type", None)
    try:
        return feedparser.parse(cleaned, response_headers=lowered, **options)
    except (UnicodeError, ValueError, LookupError) as exc:
        raise NotAFeed(f"unreadable feed encoding ({exc})") from None


def parse_xml_feed(content: bytes, headers: Mapping[str, str]) -> ParsedFeed:
    parsed = _feedparser(content, headers)
    if not parsed.get("version") and not parsed.entries:
        exc = parsed.get("bozo_exception")
        detail = f" ({exc})" if exc else ""
        raise NotAFeed(f"not an RSS, Atom or JSON feed{detail}")
    feed = parsed.get("feed", {})
    feed_lang = _lang(feed.get("language"))
    entries = [_xml_entry(e, feed_lang) for e in parsed.entries]
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    truncated = _is_truncation(exc)
    problem = None
    if truncated and entries:
        entries.pop()  # the last entry may be cut short: it comes back whole next time
        problem = f"the feed ends before its last entry ({exc}); kept the complete entries"
    elif exc is not None and isinstance(exc, xml.sax.SAXException):
        problem = f"the feed is not well-formed ({exc}); kept what could be read"
    return ParsedFeed(
        title=(feed.get("title") or "").strip() or None,
        link=safe_url(feed.get("link")),
        lang=feed_lang,
        entries=entries,
        format=str(parsed.get("version") or "unknown"),
        truncated=truncated,
        problem=problem,
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    """A JSON value meant as text: a stripped non-empty string, else None."""
    return value.strip() or None if isinstance(value, str) else None


def _json_entry(item: Mapping[str, Any], feed_lang: str | None, author: str | None) -> Entry:
    html = item.get("content_html")
    has_content = bool(html or item.get("content_text"))
    if not html:
        text = item.get("content_text") or item.get("summary") or ""
        html = str(text).replace("&", "&amp;").replace("<", "&lt;")
    published = None
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if isinstance(value, str):
            try:
                published = parse_datetime(value)
                break
            except ValueError:
                continue
    authors = _list(item.get("authors")) or ([item["author"]] if item.get("author") else [])
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    media = [
        Media(url=url, type=str(a.get("mime_type") or "image").split("/")[0])
        for a in _list(item.get("attachments"))
        if isinstance(a, dict) and (url := safe_url(a.get("url")))
    ]
    if image := safe_url(item.get("image")):
        media.insert(0, Media(url=image))
    return Entry(
        guid=str(item["id"]) if item.get("id") is not None else None,
        link=safe_url(item.get("url")) or safe_url(item.get("external_url")),
        title=_text(item.get("title")),
        html=str(html),
        has_content=has_content,
        published=published,
        author=next((n for n in names if n), None) or author,
        lang=_lang(item.get("language") or feed_lang),
        media=media,
        tags=[t for t in _list(item.get("tags")) if isinstance(t, str) and t],
    )


def parse_json_feed(content: bytes) -> ParsedFeed:
    try:
        doc = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise NotAFeed(f"JSON Feed that is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(JSON_FEED_PREFIX):
        raise NotAFeed("JSON document without a JSON Feed version")
    feed_lang = _lang(doc.get("language"))
    authors = _list(doc.get("authors")) or ([doc["author"]] if doc.get("author") else [])
    author = next((_text(a.get("name")) for a in authors if isinstance(a, dict)), None)
    entries: list[Entry] = []
    bad: list[int] = []
    for number, item in enumerate(_list(doc.get("items")), start=1):
        try:
            if not isinstance(item, dict):
                raise TypeError(item)
            entries.append(_json_entry(item, feed_lang, author))
        except (TypeError, ValueError, AttributeError, KeyError):
            bad.append(number)
    problem = None
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (", …" if len(bad) > 10 else "")
        problem = f"{len(bad)} unreadable item(s) skipped (number {shown}); kept the others"
    if doc.get("items") is not None and not isinstance(doc.get("items"), list):
        problem = "'items' is not a list: no item read"
    return ParsedFeed(
        title=_text(doc.get("title")),
        link=safe_url(doc.get("home_page_url")),
        lang=feed_lang,
        entries=entries,
        format="json" + str(doc["version"]).removeprefix(JSON_FEED_PREFIX),
        problem=problem,
    )


def parse_feed(content: bytes, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse any supported feed; raises :class:`NotAFeed` for anything else."""
    headers = headers or {}
    ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if "json" in ctype or content.lstrip()[:1] == b"{":
        return parse_json_feed(content)
    return parse_xml_feed(content, headers)


def site_handle(feed: ParsedFeed, feed_url: str) -> str:
    """The "author" of a feed's posts: the host of its site (``www.`` dropped)."""
    host = urlsplit(feed.link or feed_url).hostname or urlsplit(feed_url).hostname or "feed"
    return host.removeprefix("www.")


def entry_to_post(
    entry: Entry, feed: ParsedFeed, feed_url: str, source: str, now: datetime
) -> Post:
    """A post from a feed entry: text from the HTML with links kept, raw HTML sanitised."""
    text = html_to_text(entry.html) or entry.title or ""
    raw: dict[str, Any] = {
        "feed": feed_url,
        "guid": entry.guid,
        "link": entry.link,
        "title": entry.title,
        "html": sanitize(entry.html),
        "has_content": entry.has_content,
        "author": entry.author,
        "tags": entry.tags,
    }
    if entry.published is not None:
        raw["published"] = entry.published.isoformat()
    return Post(
        id=entry_id(feed_url, entry),
        network="rss",
        author=site_handle(feed, feed_url),
        author_name=entry.author or feed.title,
        text=text,
        created_at=entry.published or now,
        url=entry.link,
        lang=entry.lang,
        title=entry.title,
        media=entry.media,
        source=source,
        raw=raw,
    )
