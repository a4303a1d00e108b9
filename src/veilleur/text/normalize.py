"""Case and accent folding: the one key every search, index and comparison uses.

``fold`` lower-cases, removes the accents of Latin letters (é → e, Ç → c), spells the
ligatures out (œ → oe, æ → ae, ß → ss), maps compatibility forms to their plain letters
(ﬁ → fi, full-width Ａ → a) and turns typographic apostrophes into ``'``. It is meant to
agree with PostgreSQL's ``lower`` followed by ``unaccent`` on French and English text, so the
SQLite and PostgreSQL paths fold alike.

The length of the text may change (œ → oe, … → ...): never use folded offsets to slice the
original; :func:`veilleur.text.tokenize` keeps the original offsets for that.

Speed: ASCII text takes the ``str.lower`` fast path; otherwise one ``str.translate`` over a
table that learns each non-ASCII character the first time it meets it.
"""

from __future__ import annotations

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


def _is_latin_base(char: str) -> bool:
    """Latin letters (Basic Latin up to IPA extensions, Latin Extended Additional)."""
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes the folding of a character on first use."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char)
        self[code] = folded
        return folded


def _fold_char(char: str) -> str:
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    if 0x0300 <= ord(char) <= 0x036F:  # a lone combining accent (text given in NFD)
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed == char:
        return char
    bases = [c for c in decomposed if not unicodedata.combining(c)]
    if bases and all(_is_latin_base(c) for c in bases):
        # é → e, ﬁ → fi, ａ → a, … → ..., no-break spaces → space.
        return "".join(_SPECIAL.get(c, c) for c in bases).lower()
    # Other scripts keep their marks (Arabic vowels, Devanagari signs...): only the
    # compatibility mapping applies (presentation forms, half-width kana...).
    return unicodedata.normalize("NFKC", char).lower()


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` and remove Latin accents, for matching (not for display)."""
    if text.isascii():
        return text.lower()
    return text.lower().translate(_TABLE)
