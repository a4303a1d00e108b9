"""A small spelling adapter over pyspellchecker's offline French and English word lists.

Shared intent with the audit's checker (issue on the audit): handles, hashtags, URLs and
numbers are not words; a word with a capital is taken for a name or an acronym and not
checked; a word known in the other language is accepted (French posts borrow English words).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from veilleur.text import tokenize

MIN_LENGTH = 3


@cache
def _checker(lang: str) -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language=lang, distance=1)


def known(word: str, lang: str) -> bool:
    """Whether ``word`` (lower-case) is in the word list of ``lang`` or of the other one."""
    other = "en" if lang == "fr" else "fr"
    return any(word in _checker(code) for code in (lang, other))


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
        if lowered in extra or lowered in out or known(lowered, lang):
            continue
        out.append(lowered)
    return out
