"""What the index computes of each new post on its own: the half of the work that parallelises.

Fingerprints, MinHash signatures, content terms and canonical URLs depend on nothing but the
post, so :func:`prepare` can run in a second process on the next batch while the first
assigns the current one to groups and stories (which depend on every earlier post).
:class:`Prepared` carries only arrays, numbers and short strings across — not the folded
words, which the few doubtful pairs recompute (:func:`fingerprint_of`).

Pure: no I/O.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from veilleur.watch import dedup
from veilleur.watch.canonical import canonical_url
from veilleur.watch.fingerprint import Fingerprint, fingerprint
from veilleur.watch.stories import content_terms

ARTICLE_NETWORKS = frozenset({"rss", "web", "website"})
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'»)\]]+", re.IGNORECASE)

# A row of the posts table, as the index reads it: pk, network, text, title, url, created_at.
Row = tuple[Any, ...]


@dataclass(slots=True)
class Prepared:
    """The per-post results for one batch of rows, in the rows' order."""

    pks: list[int]
    times: list[int]
    signatures: dedup.Signatures  # posts long enough to compare only
    terms: list[dict[int, int]]
    urls: list[list[str]]


def epoch(text: str) -> int:
    """Seconds since the epoch of a store date ``YYYY-MM-DDTHH:MM:SSZ`` (fast path)."""
    return calendar.timegm(
        (
            int(text[0:4]),
            int(text[5:7]),
            int(text[8:10]),
            int(text[11:13]),
            int(text[14:16]),
            int(text[17:19]),
            0,
            0,
            0,
        )
    )


def post_urls(text: str, url: str | None) -> list[str]:
    """Canonical URLs a post links, its own URL included (articles, quoted posts)."""
    found = []
    if "://" in text or "www." in text.lower():  # most posts link nothing: skip the search
        found = [canonical_url(u.rstrip(".,;:!?…")) for u in _URL.findall(text)]
    if url:
        found.append(canonical_url(url))
    return list(dict.fromkeys(u for u in found if u))


def fingerprint_of(row: Row) -> Fingerprint:
    """The fingerprint of a stored post (an article's title counts with its text)."""
    return fingerprint(row[2], row[3] if row[1] in ARTICLE_NETWORKS else None)


def prepare(rows: Sequence[Row]) -> Prepared:
    """Everything the index needs of each post that does not depend on other posts."""
    pks = [int(r[0]) for r in rows]
    prints = [fingerprint_of(r) for r in rows]
    return Prepared(
        pks=pks,
        times=[epoch(r[5]) for r in rows],
        signatures=dedup.signatures(pks, prints),
        terms=[content_terms(fp.words) for fp in prints],
        urls=[post_urls(r[2], r[4]) for r in rows],
    )
