"""What two posts must share to be "the same text": folded words, without the noise copies add.

A copy of a post differs from it by what reposting tools and networks add or cut: an
``RT @author:`` prefix, a ``via @site`` suffix, shortened or tracked links, a Mastodon
handle written ``@user@instance`` where X writes ``@user``, hashtags with or without ``#``,
accents and case, an ending cut with « … ». :func:`fingerprint` removes all of that and
returns the folded words that remain, and whether the text was cut.

Pure: no I/O. Folding here is deliberately self-contained (a per-word cache over
``unicodedata``): it runs on every post of a store, and must stay identical across versions
or persisted signatures would stop matching new ones.
"""

from __future__ import annotations

import html
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

_TAGS = re.compile(r"<[^>]{0,2000}>")
_RT_PREFIX = re.compile(r"^\s*(?:RT|MT|rt)\s*:?\s*@[\w.@-]+\s*:?\s*")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_VIA = re.compile(r"[\s(\[–—-]*\bvia\s+@[\w.@-]+[)\]]?\s*$", re.IGNORECASE)
_MENTION_INSTANCE = re.compile(r"@([\w.]+)@[\w.-]+\.\w+")
_WORD = re.compile(r"\w+")
_ELLIPSIS = ("[…]", "[...]", "(…)", "(...)", "…", "...")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The folded words of a post and whether it was cut short (``…``)."""

    words: tuple[str, ...]
    truncated: bool


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Lower case without accents: ``Réseaux`` → ``reseaux``; ``œ`` → ``oe``."""
    lowered = word.casefold().replace("œ", "oe").replace("æ", "ae")
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_text(text: str) -> str:
    """The text without markup, repost prefix, links and ``via`` credits."""
    if "<" in text and _TAGS.search(text):
        text = html.unescape(_TAGS.sub(" ", text))
    if text[:6].lstrip()[:2] in ("RT", "MT", "rt"):
        previous = None
        while previous != text:
            previous = text
            text = _RT_PREFIX.sub("", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION_INSTANCE.sub(r"@\1", text)
    text = text.rstrip()
    return _VIA.sub("", text) if "via" in text[-80:].lower() else text


def fold_text(text: str) -> str:
    """Lower case without accents, for a whole text at once (fast path for ASCII)."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    lowered = lowered.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fingerprint(text: str, title: str | None = None) -> Fingerprint:
    """Fold ``text`` (and an article's ``title`` before it) into comparable words."""
    body = clean_text(text).rstrip()
    truncated = False
    for mark in _ELLIPSIS:
        if body.endswith(mark):
            body = body[: -len(mark)]
            truncated = True
            break
    words = _WORD.findall(fold_text(body))
    if truncated and words and body and not body[-1].isspace():
        words.pop()  # the word the cut went through is incomplete
    if title:
        head = _WORD.findall(fold_text(clean_text(title)))
        # A feed often repeats the title as the first line of the text.
        if words[: len(head)] != head:
            words = head + words
    return Fingerprint(tuple(words), truncated)


@lru_cache(maxsize=500_000)
def word_hash(word: str) -> int:
    """A stable 32-bit hash of a word (CRC-32: the same on every machine and version)."""
    return zlib.crc32(word.encode("utf-8"))
