"""Snowball stemming (PyStemmer) of French and English words, on folded words.

Decision: **fold first, then stem** — ``stem(w, lang) == snowball_lang(fold(w))``.

Why folded input, though Snowball's French rules were written for accented words:

* search must not care whether the user typed accents: « reseaux », « réseaux » and
  « RÉSEAUX » give the same stem, and so do a post and a query written differently;
* PostgreSQL's usual French set-up is the chain ``unaccent, french_stem`` (unaccent is a
  filtering dictionary, so it runs *before* the stemmer): the same order gives the same stems
  in SQLite (computed here) and in PostgreSQL (computed there);
* the cost is small: a few accented verb endings (-é, -ée, -és) are then handled by the
  rules for -e/-es, which still conflate the usual forms (recruté, recrute, recruter → recrut).

Languages: ``fr``/``french`` and ``en``/``english`` (region tags such as ``fr-CA`` allowed).
Any other value, ``None`` or ``und`` returns the folded word unchanged: an unknown language
must not be stemmed with the wrong rules, and folded words still match themselves.
"""

from __future__ import annotations

from functools import cache

import Stemmer

from veilleur.text.normalize import fold

__all__ = ["normalize_lang", "stem", "stem_folded"]

_ALGORITHMS = {"fr": "french", "en": "english"}


def normalize_lang(lang: str | None) -> str:
    """``fr``, ``en`` or ``und`` for a language tag or name (``fr-FR``, ``English``...)."""
    if not lang:
        return "und"
    code = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    if code in ("fr", "fra", "fre", "french", "français", "francais"):
        return "fr"
    if code in ("en", "eng", "english", "anglais"):
        return "en"
    return "und"


@cache
def _stemmer(code: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_ALGORITHMS[code])


def stem_folded(folded: str, lang: str | None) -> str:
    """The stem of an already folded word (skips folding again in hot loops)."""
    code = normalize_lang(lang)
    if code == "und":
        return folded
    return str(_stemmer(code).stemWord(folded))


def stem(word: str, lang: str | None) -> str:
    """The Snowball stem of ``fold(word)`` in ``lang`` (``fr``/``en``), else the folded word."""
    return stem_folded(fold(word), lang)
