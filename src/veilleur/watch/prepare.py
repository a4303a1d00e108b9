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
from itertools import chain, pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from veilleur.networks import ARTICLE_NETWORKS as ARTICLE_NETWORKS  # re-exported
from veilleur.watch import dedup
from veilleur.watch.canonical import canonical_url
from veilleur.watch.fingerprint import Fingerprint, fingerprint
from veilleur.watch.stories import content_terms

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'»)\]]+", re.IGNORECASE)

# A row of the posts table, as the index reads it: pk, network, text, title, url, created_at.
Row = tuple[Any, ...]


@dataclass(slots=True)
class Prepared:
    """The per-post results for one batch of rows, in the rows' order."""

    pks: list[int]
    times: list[int]
    signatures: dedup.Signatures  # posts long enough to compare only
    # Content terms of every post, flat: post i has terms[offsets[i]:offsets[i + 1]]
    # counted counts[...] times. Arrays, not 50,000 small dicts: they cross to the other
    # process in one copy instead of being rebuilt object by object.
    term_keys: npt.NDArray[np.int64]
    term_counts: npt.NDArray[np.int32]
    term_offsets: npt.NDArray[np.int64]
    # The batch's distinct terms, sorted: sorting a million keys is work the second process
    # can do while the index assigns the previous batch.
    distinct_terms: npt.NDArray[np.int64]
    urls: list[list[str]]

    def terms(self) -> list[dict[int, int]]:
        """Each post's content terms and their counts, in the posts' order."""
        keys, counts = self.term_keys.tolist(), self.term_counts.tolist()
        bounds = self.term_offsets.tolist()
        return [dict(zip(keys[a:b], counts[a:b], strict=True)) for a, b in pairwise(bounds)]


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
    terms = [content_terms(fp.words) for fp in prints]
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in terms], out=offsets[1:])
    total = int(offsets[-1])
    term_keys = np.fromiter(chain.from_iterable(terms), dtype=np.int64, count=total)
    return Prepared(
        pks=pks,
        times=[epoch(r[5]) for r in rows],
        signatures=dedup.signatures(pks, prints),
        term_keys=term_keys,
        term_counts=np.fromiter(
            chain.from_iterable(t.values() for t in terms), dtype=np.int32, count=total
        ),
        term_offsets=offsets,
        distinct_terms=np.unique(term_keys),
        urls=[post_urls(r[2], r[4]) for r in rows],
    )
