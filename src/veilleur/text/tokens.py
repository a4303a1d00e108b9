"""Tokens for search and analysis: words, hashtags, mentions, URLs, cashtags, with offsets.

Rules, in the order they apply:

* entities come first (:func:`veilleur.text.extract`): a URL, mention, hashtag or cashtag
  is one token whose ``folded`` keeps its sigil (``#reseaux``, ``@marie``, ``$ekta``); a URL's
  ``folded`` is the URL itself (paths are case-sensitive);
* the words inside a hashtag are also emitted, as ``word`` tokens with offsets inside the
  tag (#ÉcoleNumérique → École, Numérique; #recrutersurlesreseaux → recruter sur les
  reseaux; see :mod:`veilleur.text.segment`);
* words are runs of letters, marks and digits; a hyphen splits them (Part-Dieu → Part,
  Dieu); so does the French elision after l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu'
  quoiqu' presqu' with a straight or a curly apostrophe (l'emploi, d’entraide → l', emploi;
  d’, entraide) — the elided particle is a token of its own, ``folded`` with a straight
  apostrophe (``l'``), so stop-word lists can drop it; other apostrophes stay inside the word
  (aujourd'hui, don't).

Offsets are ``[start, end)`` in code points of the original text; ``text`` is that slice.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import regex

from veilleur.text.extractor import (
    extract,
    extract_cashtags,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    remove_overlaps,
)
from veilleur.text.normalize import fold
from veilleur.text.segment import segment_hashtag

__all__ = ["Token", "TokenKind", "scan", "tokenize", "words"]

TokenKind = Literal["word", "hashtag", "mention", "url", "cashtag"]


class Token(NamedTuple):
    """A token: its text (a slice of the original), folded form, offsets and kind.

    A named tuple rather than a frozen dataclass: tokens are made by the hundred per post
    when a store indexes, and a tuple is several times cheaper to build.
    """

    text: str
    folded: str
    start: int
    end: int
    kind: TokenKind


_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}\p{N}]+)*")
_ELISION = regex.compile(
    r"(?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|l|d|j|m|n|s|t|c)['’ʼ](?=[\p{L}\p{N}])",
    regex.IGNORECASE,
)


def _words(text: str, start: int, end: int, out: list[Token]) -> None:
    """Append the word tokens of ``text[start:end]`` to ``out``."""
    for match in _WORD.finditer(text, start, end):
        pos, stop = match.start(), match.end()
        word = match.group(0)
        if "'" in word or "’" in word or "ʼ" in word:
            while True:
                elision = _ELISION.match(text, pos, stop)
                if elision is None:
                    break
                piece = elision.group(0)
                out.append(Token(piece, fold(piece[:-1]) + "'", pos, elision.end(), "word"))
                pos = elision.end()
        piece = text[pos:stop]
        out.append(Token(piece, fold(piece), pos, stop, "word"))


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` in order: entities, the words inside hashtags, other words."""
    tokens: list[Token] = []
    pos = 0
    for kind, entity in extract(text).all():
        if entity.start < pos:
            continue
        _words(text, pos, entity.start, tokens)
        raw = text[entity.start : entity.end]
        if kind == "url":
            tokens.append(Token(raw, raw, entity.start, entity.end, "url"))
        else:
            tokens.append(Token(raw, fold(raw), entity.start, entity.end, kind))  # type: ignore[arg-type]
        if kind == "hashtag":
            for piece in segment_hashtag(raw):
                start = entity.start + piece.start
                tokens.append(
                    Token(piece.text, fold(piece.text), start, start + len(piece.text), "word")
                )
        pos = entity.end
    _words(text, pos, len(text), tokens)
    return tokens


def words(text: str) -> list[str]:
    """The folded words of ``text`` (hashtag words included): the input of stemming."""
    return [t.folded for t in tokenize(text) if t.kind == "word"]


# -- the indexing path: the same words without Token objects ---------------------------------

_FOLDED_LIMIT = 100_000
# A word as written → its folded pieces: a str (one word) or a tuple of (as written, folded)
# pairs (a word that an elision splits). Per process, bounded: a corpus's vocabulary is small.
_folded: dict[str, str | tuple[tuple[str, str], ...]] = {}
_tag_words: dict[str, tuple[tuple[str, str], ...]] = {}


def _fold_word(word: str) -> str | tuple[tuple[str, str], ...]:
    if "'" not in word and "’" not in word and "ʼ" not in word:
        return fold(word)
    pieces: list[tuple[str, str]] = []
    pos = 0
    while True:
        elision = _ELISION.match(word, pos)
        if elision is None:
            break
        piece = elision.group(0)
        pieces.append((piece, fold(piece[:-1]) + "'"))
        pos = elision.end()
    if not pieces:
        return fold(word)
    rest = word[pos:]
    pieces.append((rest, fold(rest)))
    return tuple(pieces)


_APOSTROPHE = regex.compile("['’ʼ]")


def _fold_plain(word: str) -> str:
    """``fold(word)`` for a word without an apostrophe, kept in the cache."""
    if len(_folded) >= _FOLDED_LIMIT:
        _folded.clear()
    found = _folded[word] = fold(word)
    return found


def _scan_words(text: str, start: int, end: int, raw: list[str], folded: list[str]) -> None:
    words = _WORD.findall(text, start, end)
    if not words:
        return
    if _APOSTROPHE.search(text, start, end) is None:  # no elision to split: one pass
        get = _folded.get
        raw.extend(words)
        folded.extend([get(w) or _fold_plain(w) for w in words])  # type: ignore[misc]
        return
    cache = _folded
    for word in words:
        found = cache.get(word)
        if found is None:
            if len(cache) >= _FOLDED_LIMIT:
                cache.clear()
            found = cache[word] = _fold_word(word)
        if isinstance(found, str):
            raw.append(word)
            folded.append(found)
        else:
            for piece, piece_folded in found:
                raw.append(piece)
                folded.append(piece_folded)


def _hashtag_words(tag: str) -> tuple[tuple[str, str], ...]:
    found = _tag_words.get(tag)
    if found is None:
        if len(_tag_words) >= _FOLDED_LIMIT:
            _tag_words.clear()
        found = _tag_words[tag] = tuple((p.text, fold(p.text)) for p in segment_hashtag(tag))
    return found


def scan(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """What :func:`tokenize` finds, for an index: the word tokens' ``text`` and ``folded``
    (two aligned lists) and the other tokens as ``(kind, folded)`` (a URL as written), in
    order — without offsets or :class:`Token` objects, words folded once per process
    through a bounded cache. A test holds it equal to :func:`tokenize`."""
    raw: list[str] = []
    folded: list[str] = []
    entities: list[tuple[str, str]] = []
    tagged: list[tuple[str, Any]] = []
    if "." in text:
        tagged = [("url", e) for e in extract_urls(text)]
    if "@" in text or "＠" in text:
        tagged += [("mention", e) for e in extract_mentions(text)]
    if "#" in text or "＃" in text:
        tagged += [("hashtag", e) for e in extract_hashtags(text, check_url_overlap=False)]
    if "$" in text:
        tagged += [("cashtag", e) for e in extract_cashtags(text)]
    pos = 0
    if tagged:
        for kind, entity in remove_overlaps(tagged) if len(tagged) > 1 else tagged:
            _scan_words(text, pos, entity.start, raw, folded)
            value = text[entity.start : entity.end]
            if kind == "url":
                entities.append((kind, value))
            else:
                entities.append((kind, fold(value)))
                if kind == "hashtag":
                    for piece, piece_folded in _hashtag_words(value):
                        raw.append(piece)
                        folded.append(piece_folded)
            pos = entity.end
    _scan_words(text, pos, len(text), raw, folded)
    return raw, folded, entities
