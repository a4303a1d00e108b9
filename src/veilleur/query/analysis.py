"""What a post looks like to the query language: its words, stems and entities.

One function, :func:`analyze`, turns a post's text, title and language into a :class:`Doc`.
The in-memory matcher reads it, and the SQLite index is built from it (see
:mod:`veilleur.store.search_sqlite`): both engines see exactly the same words at the same
positions, which is what makes their answers equal.

* Words are the text core's ``word`` tokens (:func:`veilleur.text.tokenize`, read through
  its indexing path :func:`veilleur.text.scan`), in order:
  French elision and hyphens split them, the words inside hashtags are words. URLs,
  mentions, hashtags and cashtags are *not* words; they are entities.
* Stems are Snowball stems of the folded words in the post's language. A post whose
  language is neither French nor English (or unknown) is read **both ways**: a word of
  the query matches when its French stem matches the French stems of the post *or* its
  English stem matches the English stems. A proximity operator must hold within one
  reading (all French stems, or all English stems) and within one field (text or title).
* Entities come from the text only (not the title). A mention ``@u@host`` answers both
  ``@u`` and ``@u@host``. A link's domain answers ``site:`` for itself and every parent
  domain (``www.lemonde.fr`` → ``lemonde.fr`` → ``fr``).

Tokens are cleaned of whitespace, control characters and the private-use characters the
index uses as escapes (a token left empty is dropped), so a token is always exactly one
token of the full-text index.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import Stemmer

from veilleur.text import normalize_lang, scan

RULES_VERSION = "1"
"""The version of what :func:`analyze` makes of a post. Bump it whenever the text core's
tokenize/extract/fold/stemming rules or this module change the words, stems or entities of
a post: a search index built with another version is stale (the store refuses to search it
until ``veilleur reindex``; see :mod:`veilleur.store.search_sqlite`)."""

FIELD_NAMES = ("text", "title")
_ALL_READINGS = ("fr", "en")


_ALGORITHMS = {"fr": "french", "en": "english"}


@cache
def _stemmer(reading: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_ALGORITHMS[reading])


def stem_words(words: list[str], reading: str) -> list[str]:
    """Snowball stems of folded words, in one call (the text core's ``stem_folded``, batched:
    a test holds them equal)."""
    return list(_stemmer(reading).stemWords(words))


def readings(lang: str | None) -> tuple[str, ...]:
    """The stemming languages a post is read in: its own, or both when it is not fr/en."""
    code = normalize_lang(lang)
    return (code,) if code in _ALL_READINGS else _ALL_READINGS


_BAD = {c: None for c in range(0x21)} | {0x7F: None} | {c: None for c in range(0xE000, 0xE080)}


def _clean(token: str) -> str:
    """A token without characters that would split it (or clash) in the full-text index."""
    cleaned = token.translate(_BAD)
    if not cleaned.isascii() and any(
        unicodedata.category(c)[0] in "ZC" and unicodedata.category(c) != "Co" for c in cleaned
    ):
        cleaned = "".join(
            c
            for c in cleaned
            if unicodedata.category(c)[0] not in "ZC" or unicodedata.category(c) == "Co"
        )
    return cleaned


@dataclass(slots=True)
class FieldWords:
    """The words of one field: folded (for matching) and as written (for ``raw:``)."""

    words: list[str]
    raw: list[str]


@dataclass(slots=True)
class Doc:
    """A post as the query language sees it (see the module docstring)."""

    fields: dict[str, FieldWords]
    readings: tuple[str, ...]
    hashtags: frozenset[str]
    mentions: frozenset[str]
    cashtags: frozenset[str]
    urls: tuple[str, ...]
    _stems: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    _stem_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    _word_set: frozenset[str] | None = None
    _domains: frozenset[str] | None = None

    def stems(self, reading: str, name: str) -> list[str]:
        """The stems of field ``name`` in ``reading``, aligned with its words."""
        key = (reading, name)
        found = self._stems.get(key)
        if found is None:
            found = stem_words(self.fields[name].words, reading)
            self._stems[key] = found
        return found

    def stem_set(self, reading: str) -> frozenset[str]:
        found = self._stem_sets.get(reading)
        if found is None:
            found = frozenset(s for name in FIELD_NAMES for s in self.stems(reading, name))
            self._stem_sets[reading] = found
        return found

    @property
    def word_set(self) -> frozenset[str]:
        if self._word_set is None:
            self._word_set = frozenset(w for f in self.fields.values() for w in f.words)
        return self._word_set

    @property
    def domains(self) -> frozenset[str]:
        if self._domains is None:
            self._domains = frozenset(d for url in self.urls for d in url_domains(url))
        return self._domains


def url_domains(url: str) -> list[str]:
    """The host of ``url`` and its parent domains, lower case, without port."""
    target = url if "://" in url else "http://" + url
    try:
        host = urlsplit(target).hostname or ""
    except ValueError:
        return []
    host = host.strip(".").lower()
    if not host:
        return []
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


_ASCII_BAD = re.compile("[\x00-\x20\x7f]")  # what _clean drops from ASCII words
_CLEAN_LIMIT = 100_000
_cleaned: dict[str, str] = {}


def _field_words(text: str) -> tuple[FieldWords, list[tuple[str, str]]]:
    raw, folded, entities = scan(text)
    joined = "".join(folded)
    if joined.isascii() and all(folded) and not _ASCII_BAD.search(joined):
        return FieldWords(folded, raw), entities  # nothing to clean (most posts)
    cache = _cleaned
    words: list[str] = []
    kept: list[str] | None = None  # the raw words, when a cleaned word was dropped
    for i, word in enumerate(folded):
        cleaned = cache.get(word)
        if cleaned is None:
            if len(cache) >= _CLEAN_LIMIT:
                cache.clear()
            cleaned = cache[word] = _clean(word)
        if cleaned:
            words.append(cleaned)
            if kept is not None:
                kept.append(raw[i])
        elif kept is None:
            kept = raw[:i]
    return FieldWords(words, raw if kept is None else kept), entities


def analyze(text: str, title: str | None, lang: str | None) -> Doc:
    """The :class:`Doc` of a post with this text, title and language."""
    body, entities = _field_words(text)
    head, _ = _field_words(title) if title else (FieldWords([], []), [])
    hashtags: set[str] = set()
    mentions: set[str] = set()
    cashtags: set[str] = set()
    urls: list[str] = []
    for kind, value in entities:
        if kind == "url":
            urls.append(value)
            continue
        value = _clean(value[1:])  # the sigil, folded to # @ $
        if not value:
            continue
        if kind == "hashtag":
            hashtags.add(value)
        elif kind == "cashtag":
            cashtags.add(value)
        else:
            handle = value.split("/", 1)[0]
            mentions.add(handle)
            if "@" in handle:
                mentions.add(handle.split("@", 1)[0])
    return Doc(
        fields={"text": body, "title": head},
        readings=readings(lang),
        hashtags=frozenset(hashtags),
        mentions=frozenset(mentions),
        cashtags=frozenset(cashtags),
        urls=tuple(urls),
    )
