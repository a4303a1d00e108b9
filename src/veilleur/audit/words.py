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
from functools import lru_cache

_ENTITY = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<mention>@[\w.\-]+(?:@[\w.\-]+)?)"
    r"|(?P<hashtag>#[^\W_][\w]*)"
)
# Words: letters, digits inside (« B2B »), apostrophes and hyphens inside (« aujourd'hui »,
# « savoir-faire »). ``\w`` is several times faster than a class of letters only; tokens
# that start with a digit are numbers and are dropped afterwards.
_WORD = re.compile(r"\w+(?:['\-]\w+)*")
# Articles and pronouns elided before a vowel: « l'atelier » counts as « atelier ».
_ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split())
_END = re.compile(r"[.!?…]+")
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
    sentences: int = 0


def split(text: str) -> Tokens:
    """Split ``text`` into words, hashtags, mentions and URLs (numbers are left out).

    Entities are taken out first (the words of a URL or a handle are not words), then the
    rest is cut into sentences at . ! ? … and each sentence into words: a handful of
    calls into the regular-expression engine per post, not one per token.
    """
    out = Tokens()
    text = text.replace("’", "'")
    if "@" in text or "#" in text or "http" in text or "www." in text:

        def take(match: re.Match[str]) -> str:
            kind, value = match.lastgroup, match.group(0)
            if kind == "url":
                out.urls.append(value)
            elif kind == "mention":
                out.mentions.append(value[1:])
            else:
                out.hashtags.append(value[1:])
            return " "

        text = _ENTITY.sub(take, text)
    for sentence in _END.split(text):
        words = [w for w in _WORD.findall(sentence) if not w[0].isdigit() and "_" not in w]
        if "'" in sentence:
            words = [_unelide(w) if "'" in w else w for w in words]
        if words:
            out.sentences += 1
            out.words.extend(words)
            out.sentence_start.append(True)
            out.sentence_start.extend([False] * (len(words) - 1))
    return out


@lru_cache(maxsize=200_000)
def _unelide(word: str) -> str:
    head, _, rest = word.partition("'")
    return rest if rest and head.lower() in _ELIDED else word


@lru_cache(maxsize=200_000)
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
