"""The audit's fast pass over a post's text: words, hashtags, mentions, URLs, numbers.

The audit reads every post of an account several times (spelling, readability, topics,
promotion) and must do 10,000 posts in a few seconds, so it splits text once with one
regular expression and keeps what each scorer needs. Words are split at French elisions
(« l'atelier » gives « atelier »), keep their hyphens (« savoir-faire ») and their case
(a capital inside a sentence marks a proper noun for the spelling check).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<mention>@[\w.\-]+(?:@[\w.\-]+)?)"
    r"|(?P<hashtag>#[^\W_][\w]*)"
    r"|(?P<number>[-+]?\d[\d\s\u00a0\u202f.,]*\d%?|\d+%?)"
    r"|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"|(?P<end>[.!?…]+)"
)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_CAMEL = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+|[A-ZÀ-Ý]+(?![a-zà-ÿ])|\d+")


def word_set(text: str) -> frozenset[str]:
    """The words of a literal list written one after the other (data kept readable)."""
    return frozenset(text.split())


# A few words of each language that are frequent and not shared: enough to tell French
# from English on a post, far faster than a language model (10,000 posts in milliseconds).
_FR = word_set(
    "le la les des du un une et est sont pour dans sur avec nous vous ce cette ces qui que "
    "pas plus mais au aux par notre nos votre vos ils elles leur très chez été être"
)
_EN = word_set(
    "the and is are for with our your we you this that these which not but to of in on "
    "by at from has have was were will be it its their they very"
)


@dataclass(slots=True)
class Tokens:
    """What the audit needs from one text, in reading order."""

    words: list[str] = field(default_factory=list)
    # Each word's position: True when it starts a sentence (its capital proves nothing).
    sentence_start: list[bool] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    sentences: int = 0


def split(text: str) -> Tokens:
    """Split ``text`` into words, hashtags, mentions, URLs and numbers."""
    out = Tokens()
    start = True
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group(0)
        if kind == "word":
            word = _ELISION.sub("", value.replace("’", "'"))
            if word:
                out.words.append(word)
                out.sentence_start.append(start)
            start = False
        elif kind == "end":
            if not start:
                out.sentences += 1
            start = True
        elif kind == "hashtag":
            out.hashtags.append(value[1:])
        elif kind == "mention":
            out.mentions.append(value[1:])
        elif kind == "url":
            out.urls.append(value)
        elif kind == "number":
            out.numbers.append(value)
            start = False
    if not start:
        out.sentences += 1
    return out


def fold(word: str) -> str:
    """Lower case without accents: « Précision » and « precision » are one term."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe")


def hashtag_words(tag: str) -> list[str]:
    """The words a CamelCase hashtag is made of (``UsinageDePrécision`` → 3 words)."""
    return _CAMEL.findall(tag)


def guess_language(words: list[str], default: str = "fr") -> str:
    """``fr`` or ``en`` from frequent function words; ``default`` when they do not tell."""
    fr = en = 0
    for word in words:
        low = word.lower()
        if low in _FR:
            fr += 1
        elif low in _EN:
            en += 1
    if fr == en:
        return default
    return "fr" if fr > en else "en"
