"""Bluesky rich text: facets with UTF-8 byte offsets.

A Bluesky post is plain text plus *facets*: each names a byte range of the UTF-8 encoded
text and what it is — a link (``#link`` with the full URI), a mention (``#mention`` with the
account's DID) or a hashtag (``#tag``, without its ``#``). Offsets are bytes, not
characters: « é » is two bytes, an emoji four, so a text in French needs the conversion.
Mentions are Bluesky handles, which carry a domain (``@anne.bsky.social``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from veilleur.text import extract

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


def facets(text: str, dids: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The facets of ``text``; a mention becomes a facet only when its DID is known."""
    at = byte_offsets(text)
    out: list[tuple[int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, feature: dict[str, Any]) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        index = {"byteStart": at[start], "byteEnd": at[end]}
        out.append((start, {"index": index, "features": [feature]}))

    entities = extract(text)
    for url in entities.urls:
        uri = url.value if "://" in url.value else "https://" + url.value
        add(url.start, url.end, {"$type": "app.bsky.richtext.facet#link", "uri": uri})
    for start, end, handle in mention_handles(text):
        did = (dids or {}).get(handle)
        if did:
            add(start, end, {"$type": "app.bsky.richtext.facet#mention", "did": did})
    for tag in entities.hashtags:
        if len(regex.findall(r"\X", tag.value)) <= TAG_MAX_GRAPHEMES:
            add(tag.start, tag.end, {"$type": "app.bsky.richtext.facet#tag", "tag": tag.value})
    return [facet for _, facet in sorted(out, key=lambda pair: pair[0])]
