"""Splitting hashtags into words: #ÉcoleNumérique → École Numérique, #recrutersurlesreseaux →
recruter sur les réseaux.

Two steps. CamelCase, digits and underscores give the obvious boundaries; each lower-case
run left is then cut with a word list, choosing the most probable sequence of words
(unigram model, Viterbi). The lists are the French and English word-frequency lists that
pyspellchecker ships (read offline, once, on first use); an unknown stretch costs more
than any word, so a tag that cannot be cut cleanly stays whole (#iphone stays iphone,
never i + phone).

Each piece is reported with its offsets in the tag, and with the word list's spelling when
it differs only by accents (reseaux → réseaux): useful for accessibility advice (a screen
reader reads #RecruterSurLesRéseaux better than #recrutersurlesreseaux).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from veilleur.text.normalize import fold

__all__ = ["Piece", "segment_hashtag", "split_camel"]

_MAX_WORD = 24
_MIN_COUNT = 20  # below this, the word lists hold typos and rare names
_SHORT_OK = frozenset({"a", "y", "à"})  # one-letter words allowed in a cut


@dataclass(frozen=True, slots=True)
class Piece:
    """A word of a hashtag: its text in the tag, offsets in the tag, the dictionary spelling."""

    text: str
    start: int
    end: int
    spelling: str


# Boundaries: lower→Upper (ÉcoleNumérique), UPPER→Upper+lower (RHManager → RH Manager),
# letters↔digits (Paris2024), and any non-alphanumeric character (_).
_CAMEL = regex.compile(
    r"\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+\p{M}*(?:\p{Ll}+\p{M}*)*|\p{Lu}+|\p{N}+|\p{L}+"
)


def split_camel(tag: str) -> list[tuple[int, int]]:
    """Offsets of the CamelCase / digit pieces of ``tag`` (without its #)."""
    return [(m.start(), m.end()) for m in _CAMEL.finditer(tag)]


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[float, str]], float]:
    """folded word → (cost, preferred spelling), merged from the French and English lists."""
    totals: dict[str, int] = {}  # folded word → count of all its spellings
    best: dict[str, tuple[int, str]] = {}  # folded word → its most frequent spelling
    plain: dict[str, int] = {}  # count of the accent-free spelling itself (recrute)
    for lang, weight in (("fr", 1.0), ("en", 0.35)):
        path = resources.files("spellchecker").joinpath(f"resources/{lang}.json.gz")
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            counts: dict[str, int] = json.load(handle)
        for word, count in counts.items():
            if count < _MIN_COUNT or len(word) > _MAX_WORD:
                continue
            if len(word) == 1 and word not in _SHORT_OK:
                continue
            key = fold(word)
            if not key.isalpha():
                continue
            scaled = int(count * weight)
            totals[key] = totals.get(key, 0) + scaled
            if word == key:
                plain[key] = plain.get(key, 0) + scaled
            known = best.get(key)
            if known is None or scaled > known[0]:
                best[key] = (scaled, word)
    words: dict[str, tuple[int, str]] = {}
    for key, count in totals.items():
        top_count, spelling = best[key]
        # Keep the accent-free spelling when it is a common word itself (ou/où, recrute/recruté).
        if plain.get(key, 0) * 4 >= top_count:
            spelling = key
        words[key] = (count, spelling)
    total = float(sum(c for c, _ in words.values()))
    lexicon = {key: (math.log(total / c), spelling) for key, (c, spelling) in words.items() if c}
    # An unknown stretch costs more than the rarest word, and more the longer it is.
    unknown = math.log(total) + 2.0
    return lexicon, unknown


def _cut(run: str) -> list[tuple[int, int, str]]:
    """Most probable cut of a lower-case run: (start, end, spelling) in the run."""
    lexicon, unknown = _lexicon()
    key = fold(run)
    if len(key) != len(run):  # folding changed the length (œ → oe): keep the run whole
        entry = lexicon.get(key)
        return [(0, len(run), entry[1] if entry else run)]
    n = len(key)
    best: list[float] = [0.0] + [math.inf] * n
    back: list[int] = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - _MAX_WORD), end):
            entry = lexicon.get(key[start:end])
            cost = entry[0] if entry else unknown * (end - start)
            total = best[start] + cost
            if total < best[end]:
                best[end] = total
                back[end] = start
    whole = lexicon.get(key)
    whole_cost = whole[0] if whole else unknown * n
    pieces: list[tuple[int, int, str]] = []
    end = n
    while end > 0:
        start = back[end]
        entry = lexicon.get(key[start:end])
        pieces.append((start, end, entry[1] if entry else run[start:end]))
        end = start
    pieces.reverse()
    if whole_cost <= best[n] or any(lexicon.get(key[s:e]) is None for s, e, _ in pieces):
        # A cut that leaves unknown stretches is a guess: keep the tag whole instead.
        return [(0, n, whole[1] if whole else run)]
    return pieces


def segment_hashtag(tag: str) -> list[Piece]:
    """The words of a hashtag (given with or without its #), with offsets in ``tag``."""
    offset = 1 if tag[:1] in ("#", "＃") else 0
    body = tag[offset:]
    pieces: list[Piece] = []
    for start, end in split_camel(body):
        text = body[start:end]
        if text.isalpha() and text == text.lower() and len(text) > 3:
            for s, e, spelling in _cut(text):
                pieces.append(
                    Piece(
                        text[s:e],
                        offset + start + s,
                        offset + start + e,
                        _respell(text[s:e], spelling),
                    )
                )
        else:
            pieces.append(Piece(text, offset + start, offset + end, text))
    return pieces


def _respell(text: str, spelling: str) -> str:
    """The dictionary spelling when it only adds accents to ``text``; else ``text``."""
    if spelling != text and fold(spelling) == fold(text):
        return spelling
    return text
