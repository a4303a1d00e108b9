"""Finding entities in text (first version: simple rules; twitter-text rules follow)."""

from __future__ import annotations

import regex

from veilleur.text.entities import Entities, Entity

__all__ = ["extract"]

_URL = regex.compile(r"(?<![\w@.])(?:https?://|www\.)[^\s<>\"]+", regex.IGNORECASE)
_TRAILING = ".,;:!?)»\"'’"
_MENTION = regex.compile(
    r"(?<![\w@!#$%&*])[@＠](\w{1,20})(?:[@＠]([\w\-]+(?:\.[\w\-]+)+))?(/[a-z][\w\-]{0,24})?",
    regex.IGNORECASE,
)
_HASHTAG = regex.compile(r"(?<![\w&#])[#＃]([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}][\p{L}\p{M}\p{N}_]*)")
_CASHTAG = regex.compile(r"(?<![\w$])\$([a-z]{1,6}(?:[._][a-z]{1,2})?)(?=$|\s|\p{P})", regex.I)
_REPLY = regex.compile(r"^[\s\u200e\u200f]*[@＠](\w{1,20})")


def extract(text: str) -> Entities:
    """Hashtags, mentions, URLs, cashtags and the reply mention of ``text``."""
    urls: list[Entity] = []
    for match in _URL.finditer(text):
        value = match.group(0).rstrip(_TRAILING)
        urls.append(Entity(value, match.start(), match.start() + len(value)))

    def outside(start: int) -> bool:
        return not any(u.start <= start < u.end for u in urls)

    mentions = [
        Entity(m.group(1), m.start(), m.end(), instance=m.group(2), list_slug=m.group(3))
        for m in _MENTION.finditer(text)
        if outside(m.start())
    ]
    hashtags = [
        Entity(m.group(1), m.start(), m.end())
        for m in _HASHTAG.finditer(text)
        if outside(m.start())
    ]
    cashtags = [
        Entity(m.group(1), m.start(), m.end())
        for m in _CASHTAG.finditer(text)
        if outside(m.start())
    ]
    reply = _REPLY.match(text)
    return Entities(hashtags, mentions, urls, cashtags, reply.group(1) if reply else None)
