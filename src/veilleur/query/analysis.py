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

import itertools
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


def _entity_terms(entities: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What each entity of a text answers: ``(kind, value)`` with kind ``url`` (the URL as
    written), ``hashtag``, ``cashtag`` or ``mention`` (cleaned, no sigil; a mention
    ``@u@host`` gives ``u@host`` and ``u``), in order."""
    terms: list[tuple[str, str]] = []
    for kind, value in entities:
        if kind == "url":
            terms.append((kind, value))
            continue
        value = _clean(value[1:])  # the sigil, folded to # @ $
        if not value:
            continue
        if kind == "mention":
            handle = value.split("/", 1)[0]
            terms.append((kind, handle))
            if "@" in handle:
                terms.append((kind, handle.split("@", 1)[0]))
        else:
            terms.append((kind, value))
    return terms


def analyze(text: str, title: str | None, lang: str | None) -> Doc:
    """The :class:`Doc` of a post with this text, title and language."""
    body, entities = _field_words(text)
    head, _ = _field_words(title) if title else (FieldWords([], []), [])
    found: dict[str, set[str]] = {"hashtag": set(), "mention": set(), "cashtag": set()}
    urls: list[str] = []
    for kind, value in _entity_terms(entities):
        if kind == "url":
            urls.append(value)
        else:
            found[kind].add(value)
    return Doc(
        fields={"text": body, "title": head},
        readings=readings(lang),
        hashtags=frozenset(found["hashtag"]),
        mentions=frozenset(found["mention"]),
        cashtags=frozenset(found["cashtag"]),
        urls=tuple(urls),
    )


# -- the indexing path (issue 19): a post's terms, chunk by chunk ---------------------------

TERM_KINDS = ("w", "fr", "en", "tw", "tfr", "ten", "tags", "ment", "cash", "dom", "meta")
"""What :func:`index_terms` returns, in order: the folded words of the text, their French
and English stems (empty when the post is not read in that language), the same three for
the title, the hashtags, mentions, cashtags and link domains (sorted, distinct), and
``link`` when the text has a link."""

SEPARATORS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters that split a text into chunks read apart: twitter-text's spaces without
U+180E (``\\s`` does not match it, and a cashtag must be followed by ``\\s``). No token holds
one, and every rule of the text core reads one as it reads the start or end of a text
(tests/test_index_terms.py holds it), so the tokens of a text are those of its chunks."""
_SPLIT = re.compile(f"[{SEPARATORS}]+")
# str.split() splits on SEPARATORS and on U+001C–U+001F, which are not neutral (a cashtag
# must follow a space): those texts take the regular expression.
_INFO_SEPARATORS = re.compile("[\x1c-\x1f]")

_Chunk = tuple[str, str, str, tuple[tuple[str, str], ...]]
_CHUNK_LIMIT = 50_000
_CACHED_LENGTH = 32
# A chunk of text → its words, French stems and English stems (each followed by a space, or
# "" for a chunk without words) and its entity terms. Per process, bounded (cleared when
# full): most chunks of a corpus are words, with their punctuation, met again and again.
# Longer chunks (links, mostly, each met once) are not kept: they were a fifth of the
# entries and half of the memory (~45 MB when full).
# A chunk is read after a space (as it is in its text), except the first chunk of a text
# that does not start with a space, kept apart: the start of a text is not read as a space
# is (``çaexemple.fr`` alone is the link ``aexemple.fr``, after a space ``çaexemple.fr``).
_chunk_terms: dict[str, _Chunk] = {}
_head_terms: dict[str, _Chunk] = {}
_readings_of: dict[str | None, tuple[bool, bool]] = {}


def _new_chunk(chunk: str, head: bool = False) -> _Chunk:
    body, entities = _field_words(chunk if head else " " + chunk)
    words = body.words
    terms: tuple[tuple[str, str], ...] = ()
    if entities:
        found: list[tuple[str, str]] = []
        for kind, value in _entity_terms(entities):
            found.append((kind, value))
            if kind == "url":
                found.extend(("domain", d) for d in url_domains(value))
        terms = tuple(found)
    if words:
        text = " ".join(words) + " "
        fr = " ".join(stem_words(words, "fr")) + " "
        en = " ".join(stem_words(words, "en")) + " "
        # A stem equal to its words shares their string (the cache's memory).
        entry = (text, text if fr == text else fr, text if en == text else en, terms)
    else:
        entry = ("", "", "", terms)
    if len(chunk) <= _CACHED_LENGTH:
        cache = _head_terms if head else _chunk_terms
        if len(cache) >= _CHUNK_LIMIT:
            cache.clear()
        cache[chunk] = entry
    return entry


def _field_terms(text: str) -> tuple[str, str, str, tuple[tuple[tuple[str, str], ...], ...]]:
    """The words, French stems and English stems of ``text`` (space-separated) and its
    chunks' entity terms."""
    if _INFO_SEPARATORS.search(text) is None:
        chunks = text.split()
    else:
        chunks = [c for c in _SPLIT.split(text) if c]
    if not chunks:
        return "", "", "", ()
    get = _chunk_terms.get
    if text[0] in SEPARATORS:
        parts = [get(c) or _new_chunk(c) for c in chunks]
    else:
        first = chunks[0]
        parts = [_head_terms.get(first) or _new_chunk(first, head=True)]
        parts += [get(c) or _new_chunk(c) for c in itertools.islice(chunks, 1, None)]
    words, fr, en, terms = zip(*parts, strict=True)
    return "".join(words)[:-1], "".join(fr)[:-1], "".join(en)[:-1], terms


def index_terms(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
    """What :func:`analyze` sees of a post, as the search index holds it (see
    :data:`TERM_KINDS`): the same words, stems and entities, equal to building them from
    ``analyze(text, title, lang)`` (a test holds it), without a :class:`Doc`.

    For speed (issue 19): the text is cut at its spaces (:data:`SEPARATORS`) and each chunk
    is analysed once per process; a post is the joining of its chunks' terms."""
    found = _readings_of.get(lang)
    if found is None:
        read = readings(lang)
        found = _readings_of[lang] = ("fr" in read, "en" in read)
    fr, en = found
    w, wfr, wen, chunk_terms = _field_terms(text)
    if title:
        tw, tfr, ten, _ = _field_terms(title)
    else:
        tw = tfr = ten = ""
    tags = ment = cash = dom = meta = ""
    entities = [t for t in chunk_terms if t]
    if entities:
        found_terms: dict[str, set[str]] = {
            "hashtag": set(),
            "mention": set(),
            "cashtag": set(),
            "domain": set(),
            "url": set(),
        }
        for terms in entities:
            for kind, value in terms:
                found_terms[kind].add(value)
        tags = " ".join(sorted(found_terms["hashtag"]))
        ment = " ".join(sorted(found_terms["mention"]))
        cash = " ".join(sorted(found_terms["cashtag"]))
        dom = " ".join(sorted(found_terms["domain"]))
        meta = "link" if found_terms["url"] else ""
    return (
        w,
        wfr if fr else "",
        wen if en else "",
        tw,
        tfr if fr else "",
        ten if en else "",
        tags,
        ment,
        cash,
        dom,
        meta,
    )
