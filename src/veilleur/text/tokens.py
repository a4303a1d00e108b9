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

from typing import Literal, NamedTuple

import regex

from veilleur.text.extractor import extract
from veilleur.text.normalize import fold
from veilleur.text.segment import segment_hashtag

__all__ = ["Token", "TokenKind", "tokenize", "words"]

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
