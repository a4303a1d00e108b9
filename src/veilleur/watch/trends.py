"""Trends: hashtags and words used more during the period than their own baseline — pure.

For each hashtag and content word of a watch's posts, the daily count over a baseline window
before the period gives its usual rate (copies of one text count once: one post reposted
fifty times is a story, not a trend); its rate during the period is compared with it as a
z-score under a Poisson model, ``(rate - usual) / sqrt((usual + PRIOR) / days)``:
a word that goes from 1 a day to 6 a day over a week stands out; one that goes from 40 to 45
does not. The prior keeps a word never seen before from topping the list on three uses. A
trend needs several authors, so that one account repeating a tag is not one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from veilleur.watch.stories import STOPWORDS

BASELINE_DAYS = 28
MIN_COUNT = 3
MIN_AUTHORS = 2
MIN_Z = 2.0
PRIOR = 0.5  # a day's worth of usage assumed for every term: new words need real volume


@dataclass(frozen=True, slots=True)
class Usage:
    """One post's contribution: when, by whom, which hashtags and content words."""

    time: datetime
    author: str
    group: int  # near-duplicate group: copies of one text count once
    hashtags: frozenset[str]  # as written (first spelling seen is shown)
    words: frozenset[str]  # folded


@dataclass(frozen=True, slots=True)
class Trend:
    term: str  # "#Tag" or a word
    kind: str  # hashtag | word
    count: int  # author-days during the period
    per_day: float
    usual_per_day: float
    z: float
    authors: int


def trends(
    usages: Iterable[Usage],
    since: datetime,
    until: datetime,
    *,
    baseline_days: int = BASELINE_DAYS,
    exclude: frozenset[str] = frozenset(),
    limit: int = 10,
) -> list[Trend]:
    """The terms above their baseline during ``[since, until)``, strongest first."""
    start = since - timedelta(days=baseline_days)
    days = max((until - since).total_seconds() / 86400, 1 / 24)
    current: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    before: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    authors: dict[tuple[str, str], set[str]] = defaultdict(set)
    spelling: dict[str, str] = {}
    skip = STOPWORDS | exclude
    for u in usages:
        if not start <= u.time < until:
            continue
        day = (u.time - start).days
        bucket = current if u.time >= since else before
        for tag in u.hashtags:
            key = tag.casefold()
            spelling.setdefault(key, tag)
            bucket[("hashtag", key)].add((u.group, day))
            authors[("hashtag", key)].add(u.author)
        for word in u.words:
            if len(word) >= 4 and word not in skip and not word.isdigit():
                bucket[("word", word)].add((u.group, day))
                authors[("word", word)].add(u.author)
    found: list[Trend] = []
    for (kind, key), seen in current.items():
        n_authors = len(authors[(kind, key)])
        if len(seen) < MIN_COUNT or n_authors < MIN_AUTHORS:
            continue
        rate = len(seen) / days
        usual = len(before.get((kind, key), ())) / baseline_days
        z = (rate - usual) / math.sqrt((usual + PRIOR) / days)
        if z >= MIN_Z and rate > usual:
            term = "#" + spelling[key] if kind == "hashtag" else key
            found.append(Trend(term, kind, len(seen), round(rate, 2), round(usual, 2),
                               round(z, 1), n_authors))  # fmt: skip
    # A hashtag and the word it is made of say the same thing: keep the hashtag.
    tags = {t.term[1:].casefold() for t in found if t.kind == "hashtag"}
    found = [t for t in found if t.kind == "hashtag" or t.term not in tags]
    found.sort(key=lambda t: (-t.z, -t.count, t.term))
    return found[:limit]
