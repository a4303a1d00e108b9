"""Trends: terms used more during the period than their own baseline — pure.

For each term of a watch's posts, the daily count over a baseline window before the period
gives its usual rate (copies of one text count once: one post reposted fifty times is a
story, not a trend); its rate during the period is compared with it as a z-score under a
Poisson model, ``(rate - usual) / sqrt((usual + PRIOR) / days)``: a word that goes from 1 a
day to 6 a day over a week stands out; one that goes from 40 to 45 does not. The prior keeps
a word never seen before from topping the list on three uses. A trend needs several authors,
so that one account repeating a tag is not one.

A *term* is what a reader takes for one: « #LeGrandDébat », « #LeGrandDebat » and
« legranddebat » are one (accents, case and the hashtag sign ignored, :func:`term_key`),
shown in the form people wrote most — with its accents when a fair share of them wrote
them (« français », not « francais »). Stop words, auxiliaries, modal verbs and calendar
words of the post's language (:mod:`veilleur.text.stoplists`) are never terms.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from veilleur.text import fold, is_stopword, tokenize

BASELINE_DAYS = 28
MIN_COUNT = 3
MIN_AUTHORS = 2
MIN_Z = 2.0
PRIOR = 0.5  # a day's worth of usage assumed for every term: new words need real volume
MIN_WORD = 4  # letters of a word (an acronym in capitals may have 3: « PME », « IBM »)
PHRASE_SHARE = 0.7  # a pair of words replaces a word when it carries this share of its uses
ACCENTED_SHARE = 0.2  # written with accents this often: the accents are shown

_NOT_ALNUM = re.compile(r"[\W_]+")
_SENTENCE_END = (".", "!", "?", "…", ":", "\n", "»", '"')


@dataclass(frozen=True, slots=True)
class Usage:
    """One post's contribution: when, by whom, which terms (``(key, written form)``)."""

    time: datetime
    author: str
    group: int  # near-duplicate group: copies of one text count once
    terms: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Trend:
    term: str  # as shown: "#LeGrandDébat" or "français"
    kind: str  # hashtag | word: the shown form's
    count: int  # (text, day) pairs during the period
    per_day: float
    usual_per_day: float
    z: float
    authors: int
    key: str = ""  # what its forms share (term_key)


def term_key(form: str) -> str:
    """What the forms of one term share: « #LeGrandDébat », « legranddebat » → legranddebat
    (a pair of words: the keys of both, « réseaux sociaux » → reseaux sociaux)."""
    return " ".join(_NOT_ALNUM.sub("", fold(w.lstrip("#"))) for w in form.split())


def _has_accent(form: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", form))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before.endswith(_SENTENCE_END)


def post_terms(text: str, lang: str | None) -> tuple[tuple[str, str], ...]:
    """The terms of a post written in ``lang`` (None or ``und``: unknown), as ``(key, form)``.

    Hashtags are kept whole (their words are not counted apart); a capital that only starts
    a sentence is not part of the written form.
    """
    tokens = tokenize(text)
    spans = [(t.start, t.end) for t in tokens if t.kind == "hashtag"]
    found: dict[str, str] = {}
    previous: tuple[int, str, str] | None = None  # end, key and form of the last word kept
    for token in tokens:
        if token.kind == "hashtag":
            key = term_key(token.text)
            if key and not key.isdigit() and not is_stopword(key, lang):
                found.setdefault(key, token.text)
            continue
        if token.kind != "word" or token.folded.endswith("'"):
            continue
        if any(a <= token.start < b for a, b in spans):
            continue
        form = token.text
        key = term_key(form)
        if len(form) < 3 or not key or key.isdigit() or is_stopword(token.folded, lang):
            previous = None
            continue
        if is_stopword(key, lang):
            previous = None
            continue
        if form[:1].isupper() and form[1:].islower() and _sentence_start(text, token.start):
            form = form.lower()
        # A short word (« job ») is no term alone, but may start or end one (« job dating »).
        alone = len(form) >= MIN_WORD or form.isupper()
        if alone:
            found.setdefault(key, form)
        if previous is not None and text[previous[0] : token.start] == " ":
            found.setdefault(f"{previous[1]} {key}", f"{previous[2]} {form}")
        previous = (token.end, key, form)
    return tuple(found.items())


def shown_form(forms: Counter[str]) -> str:
    """The form a term is shown in: the most written one — among those with accents when at
    least :data:`ACCENTED_SHARE` of the uses carry them (people often drop accents, rarely
    add wrong ones)."""
    total = sum(forms.values())
    accented = Counter({f: n for f, n in forms.items() if _has_accent(f)})
    pool = accented if accented and sum(accented.values()) >= ACCENTED_SHARE * total else forms
    return min(pool, key=lambda f: (-pool[f], not f.startswith("#"), f))


def trends(
    usages: Iterable[Usage],
    since: datetime,
    until: datetime,
    *,
    baseline_days: int = BASELINE_DAYS,
    exclude: frozenset[str] = frozenset(),
    limit: int = 10,
) -> list[Trend]:
    """The terms above their baseline during ``[since, until)``, strongest first.

    ``exclude``: folded words left out (the watch's own query: it is the topic).
    """
    start = since - timedelta(days=baseline_days)
    days = max((until - since).total_seconds() / 86400, 1 / 24)
    current: dict[str, set[tuple[int, int]]] = defaultdict(set)
    before: dict[str, set[tuple[int, int]]] = defaultdict(set)
    authors: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    skip = {term_key(word) for word in exclude}
    for u in usages:
        if not start <= u.time < until:
            continue
        day = (u.time - start).days
        bucket = current if u.time >= since else before
        for key, form in u.terms:
            if key in skip:
                continue
            bucket[key].add((u.group, day))
            authors[key].add(u.author)
            forms[key][form] += 1
    found: list[Trend] = []
    for key, seen in current.items():
        n_authors = len(authors[key])
        if len(seen) < MIN_COUNT or n_authors < MIN_AUTHORS:
            continue
        rate = len(seen) / days
        usual = len(before.get(key, ())) / baseline_days
        z = (rate - usual) / math.sqrt((usual + PRIOR) / days)
        if z >= MIN_Z and rate > usual:
            term = shown_form(forms[key])
            kind = "hashtag" if term.startswith("#") else "word"
            found.append(Trend(term, kind, len(seen), round(rate, 2), round(usual, 2),
                               round(z, 1), n_authors, key))  # fmt: skip
    found.sort(key=lambda t: (-t.z, -t.count, t.term))
    return _phrases(found)[:limit]


def _phrases(found: list[Trend]) -> list[Trend]:
    """« réseaux sociaux » rather than « réseaux » and « sociaux »: a pair of words that
    rises takes the place of the words it carries (when it carries most of their uses);
    a pair that carries neither is left out — its words say it already."""
    counts = {t.key: t.count for t in found}
    absorbed: set[str] = set()
    kept: set[str] = set()
    for t in found:
        if " " not in t.key:
            continue
        parts = [p for p in t.key.split(" ") if counts.get(p, 0) * PHRASE_SHARE <= t.count]
        if parts:
            kept.add(t.key)
            absorbed.update(parts)
    return [t for t in found if (" " not in t.key or t.key in kept) and t.key not in absorbed]
