"""Case and accent folding: the one key every search, index and comparison uses.

``fold`` lower-cases, removes the accents of Latin letters (é → e, Ç → c), spells the
ligatures out (œ → oe, æ → ae, ß → ss), maps compatibility forms to their plain letters
(ﬁ → fi, full-width Ａ → a) and turns typographic apostrophes into ``'``. It is meant to
agree with PostgreSQL's ``lower`` followed by ``unaccent`` on French and English text, so the
SQLite and PostgreSQL paths fold alike.

The length of the text may change (œ → oe, … → ...): never use folded offsets to slice the
original; :func:`veilleur.text.tokenize` keeps the original offsets for that.

Speed: ASCII text takes the ``str.lower`` fast path; otherwise two C-level Unicode
normalisations and two regular-expression passes, no per-character Python code.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold"]

# Characters NFKD leaves alone but a French reader (and PostgreSQL's unaccent) folds.
_SPECIAL: dict[str, str] = {
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "ẞ": "ss",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "ʹ": "'",
    "′": "'",
}


_MARKS = re.compile(r"[\u0300-\u036f]+")  # combining accents of Latin, Greek, Cyrillic
_SPECIALS = re.compile("[" + "".join(_SPECIAL) + "]")


def _special(match: re.Match[str]) -> str:
    return _SPECIAL[match.group(0)]


def fold(text: str) -> str:
    """Lower-case ``text`` and remove Latin accents, for matching (not for display)."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    # Compatibility decomposition (ﬁ → fi, ａ → a, é → e + ◌́), accents dropped, then the
    # other scripts recomposed (Hangul, kana and Indic text come back as they were).
    # Lower-cased again: a compatibility form can decompose to a capital (ℌ → H).
    stripped = _MARKS.sub("", unicodedata.normalize("NFKD", lowered)).lower()
    if not stripped.isascii():
        stripped = _SPECIALS.sub(_special, unicodedata.normalize("NFC", stripped))
    return stripped
