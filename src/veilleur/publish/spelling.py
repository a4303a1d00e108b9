"""Spelling for the linter: the audit's checker (pyspellchecker's offline French and
English word lists, with its accepted trade words and plural/feminine/British variants).

What is checked is the linter's choice: handles, hashtags, URLs and numbers are not words; a
word with a capital is taken for a name or an acronym and not checked; a word known in the
other language is accepted (French posts borrow English words).
"""

from __future__ import annotations

from functools import cache

from veilleur.audit.quality import Speller
from veilleur.text import tokenize

MIN_LENGTH = 3


@cache
def _speller() -> Speller:
    return Speller()


def known(word: str) -> bool:
    """Whether ``word`` is in the French or English word list (or the audit's extras)."""
    return _speller().known(word)


def misspelled(text: str, lang: str, extra: frozenset[str] = frozenset()) -> list[str]:
    """The distinct unknown words of ``text``, in order of appearance."""
    if lang not in ("fr", "en"):
        return []
    out: list[str] = []
    for token in tokenize(text):
        word = token.text
        if token.kind != "word" or len(word) < MIN_LENGTH:
            continue
        if any(c.isdigit() or c.isupper() for c in word) or "_" in word:
            continue
        lowered = word.lower().replace("’", "'")
        if lowered in extra or lowered in out or known(lowered):
            continue
        out.append(lowered)
    return out
