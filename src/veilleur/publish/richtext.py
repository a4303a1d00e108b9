"""Bluesky rich text: facets with UTF-8 byte offsets.

A Bluesky post is plain text plus *facets*: each names a byte range of the UTF-8 encoded
text and what it is — a link (``#link`` with the full URI), a mention (``#mention`` with the
account's DID) or a hashtag (``#tag``, without its ``#``). Offsets are bytes, not
characters: « é » is two bytes, an emoji four, so a text in French needs the conversion.
Mentions are Bluesky handles, which carry a domain (``@anne.bsky.social``).

A link is sent as Bluesky's own app sends it: shortened in the text, its full URL in the
facet (:func:`post_text`). ``compose`` shows that text and ``count()`` counts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from veilleur.text import extract
from veilleur.text.counting import bluesky_short_url

HANDLE = regex.compile(
    r"(?<![\w@/.])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]"
    r"(?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
TAG_MAX_GRAPHEMES = 64


def byte_offsets(text: str) -> list[int]:
    """``offsets[i]`` is the UTF-8 byte offset of code point ``i`` (and of the end)."""
    offsets = [0]
    total = 0
    for ch in text:
        total += len(ch.encode("utf-8"))
        offsets.append(total)
    return offsets


def mention_handles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, handle) in code points for each Bluesky handle mentioned."""
    return [(m.start(), m.end(), m.group(1).lower()) for m in HANDLE.finditer(text)]


def post_text(text: str, dids: Mapping[str, str] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The text a Bluesky record carries, and its facets: what is sent *and* counted.

    Each http(s) link is written as Bluesky's app writes it — host + 13 characters of path
    + "..." (:func:`veilleur.text.counting.bluesky_short_url`, the form ``count()`` counts)
    — with a ``#link`` facet to the full URL; so the 300-grapheme limit the composer checked
    is the one the PDS checks. Mentions with a known DID and hashtags become facets too.
    """
    return _rich(text, dids, shorten=True)


def facets(text: str, dids: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The facets of ``text`` as written (links not shortened); a mention becomes a facet
    only when its DID is known."""
    return _rich(text, dids, shorten=False)[1]


def _rich(
    text: str, dids: Mapping[str, str] | None, *, shorten: bool
) -> tuple[str, list[dict[str, Any]]]:
    entities = extract(text)
    # Links first: each may be rewritten shorter; ``moves`` maps the positions after it.
    pieces: list[str] = []
    links: list[tuple[int, int, str]] = []  # (start, end) in the new text, full URI
    moves: list[tuple[int, int]] = []  # (end in the old text, shift from there on)
    last = shift = 0
    for url in sorted(entities.urls, key=lambda u: u.start):
        if url.start < last:
            continue
        uri = url.value if "://" in url.value else "https://" + url.value
        shown = text[url.start : url.end]
        if shorten and "://" in url.value:
            shown = bluesky_short_url(url.value)
        pieces.append(text[last : url.start])
        start = url.start + shift
        pieces.append(shown)
        links.append((start, start + len(shown), uri))
        shift += len(shown) - (url.end - url.start)
        moves.append((url.end, shift))
        last = url.end
    pieces.append(text[last:])
    out = "".join(pieces)

    def moved(pos: int) -> int:
        delta = 0
        for end, after in moves:
            if end <= pos:
                delta = after
        return pos + delta

    at = byte_offsets(out)
    found: list[tuple[int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, feature: dict[str, Any]) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        index = {"byteStart": at[start], "byteEnd": at[end]}
        found.append((start, {"index": index, "features": [feature]}))

    for start, end, uri in links:
        add(start, end, {"$type": "app.bsky.richtext.facet#link", "uri": uri})
    for start, end, handle in mention_handles(text):
        did = (dids or {}).get(handle)
        if did:
            add(moved(start), moved(end), {"$type": "app.bsky.richtext.facet#mention", "did": did})
    for tag in entities.hashtags:
        if len(regex.findall(r"\X", tag.value)) <= TAG_MAX_GRAPHEMES:
            add(
                moved(tag.start),
                moved(tag.end),
                {"$type": "app.bsky.richtext.facet#tag", "tag": tag.value},
            )
    return out, [facet for _, facet in sorted(found, key=lambda pair: pair[0])]
