"""Ranking a watch's stories, each rank explained — pure.

Six signals, each scaled to [0, 1] so that they can be added:

* ``engagement`` — reach and engagement: likes, reposts, replies and quotes, a text copied
  many times counting once at its best (log scale, against the digest's top) — the
  heaviest weight: what people did with a story says more than how many posts it has;
* ``diversity`` — spread: distinct sources (accounts, sites) and networks that carried it,
  on an absolute scale (20 sources, 4 networks are full marks); an account that only
  reposted counts for less than one that wrote;
* ``match`` — how much of the story is about the watch: the share of its posts of the period
  that the watch's query matches;
* ``novelty`` — first seen during the period, and how recently; never for a story none of
  whose posts has a trustworthy date (``dated``): an undated feed item is not new;
* ``growth`` — more posts in the second half of the period than in the first, weighed by
  the evidence: 5 against 0 is a hint, 40 against 10 a rise;
* ``volume`` — distinct texts (copies count once, log scale; 20 are full marks).

The score is their weighted sum; the explanation (:class:`Reason`) first says which signals
made the rank (``main``), then the facts behind them, which the digest words in French or
English — a consultant must be able to say *why* a story is on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

WEIGHTS = {
    "engagement": 0.30,
    "diversity": 0.20,
    "match": 0.15,
    "volume": 0.15,
    "novelty": 0.10,
    "growth": 0.10,
}
FULL_SOURCES = 20  # distinct sources for full marks in spread
FULL_TEXTS = 20  # distinct texts for full marks in volume
FULL_NETWORKS = 4
REPOSTER_WEIGHT = 0.3  # an account that only reposted, against one that wrote
GROWTH_PRIOR = 4  # posts assumed on both halves when weighing a rise…
GROWTH_FULL = 4.0  # …and the evidence (in standard deviations) for full marks
MAIN_SHARE = 0.4  # a signal "made the rank" when it brings this share of the strongest one


@dataclass(slots=True)
class StoryStats:
    """What ranking needs to know of one story over the digest's period."""

    story: int
    volume: int  # the watch's posts of the period in this story
    in_period: int  # all the story's posts of the period, matching or not
    recent: int  # posts in the second half of the period
    earlier: int  # posts in the first half
    engagement: int | None  # likes + reposts + replies + quotes; None: no post has counts
    sources: list[str]  # distinct accounts or sites
    networks: list[str]
    first_seen: datetime
    copies: int = 0  # posts that are near-duplicates of another one of the story
    reposters: int = 0  # sources that only reposted (no text of their own in the story)
    dated: bool = True  # False: no post of the story has a trustworthy date


@dataclass(frozen=True, slots=True)
class Reason:
    """One fact explaining a rank: a message key of :mod:`veilleur.watch.messages` and values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Ranked:
    stats: StoryStats
    score: float
    components: dict[str, float]
    reasons: list[Reason]


def _log_scale(value: float, top: float) -> float:
    return min(1.0, math.log1p(max(value, 0.0)) / math.log1p(top)) if top > 0 else 0.0


def _growth(recent: int, earlier: int) -> float:
    """The rise from the first half of the period to the second, in standard deviations of a
    Poisson count (with a prior), scaled to [0, 1]: 5 posts after 0 is a hint, not a rise."""
    rise = (recent - earlier) / math.sqrt(recent + earlier + GROWTH_PRIOR)
    return min(1.0, max(0.0, rise) / GROWTH_FULL)


def rank(stories: list[StoryStats], since: datetime, until: datetime) -> list[Ranked]:
    """Stories best first, each with its components and reasons."""
    if not stories:
        return []
    span = max((until - since).total_seconds(), 1.0)
    top_engagement = max(s.engagement or 0 for s in stories)
    ranked: list[Ranked] = []
    for s in stories:
        age = (until - s.first_seen).total_seconds()
        sources = len(s.sources) - (1 - REPOSTER_WEIGHT) * min(s.reposters, len(s.sources))
        components = {
            "match": s.volume / max(s.in_period, s.volume, 1),
            "novelty": max(0.0, 1.0 - age / span) if s.dated and s.first_seen >= since else 0.0,
            "growth": _growth(s.recent, s.earlier),
            # Feeds carry no counts: unknown engagement is neither a merit nor a fault.
            "engagement": 0.5 if s.engagement is None else _log_scale(s.engagement, top_engagement),
            "diversity": 0.7 * _log_scale(sources - 1, FULL_SOURCES - 1)
            + 0.3 * min(1.0, (len(s.networks) - 1) / (FULL_NETWORKS - 1)),
            "volume": _log_scale(s.volume - s.copies - 1, FULL_TEXTS - 1),
        }
        score = sum(WEIGHTS[k] * v for k, v in components.items())
        ranked.append(Ranked(s, round(score, 4), components, _reasons(s, components, since)))
    ranked.sort(key=lambda r: (-r.score, -r.stats.volume, r.stats.story))
    return ranked


def _main(s: StoryStats, c: dict[str, float]) -> Reason:
    """The signals that made the rank: the strongest one, and a second one close to it."""
    weighted = {k: WEIGHTS[k] * v for k, v in c.items() if k != "match"}
    if s.engagement is None:  # the neutral half-mark for feeds is no merit
        weighted.pop("engagement")
    ordered = sorted(weighted, key=lambda k: -weighted[k])
    top = weighted[ordered[0]] if ordered else 0.0
    signals = [k for k in ordered[:2] if top > 0 and weighted[k] >= MAIN_SHARE * top]
    return Reason("main", {"signals": signals or ["match"]})


def _reasons(s: StoryStats, c: dict[str, float], since: datetime) -> list[Reason]:
    """Which signals made the rank, then the facts behind the strongest (at most three)."""
    facts: list[tuple[float, Reason]] = []
    if len(s.sources) > 1:
        facts.append(
            (
                WEIGHTS["diversity"] * c["diversity"] + 0.01,
                Reason(
                    "sources",
                    {"n": len(s.sources), "networks": len(s.networks), "names": s.networks},
                ),
            )
        )  # fmt: skip
    if s.copies:
        facts.append((WEIGHTS["volume"] * c["volume"], Reason("copies", {"n": s.copies})))
    if s.volume > 1:
        facts.append((WEIGHTS["volume"] * c["volume"], Reason("volume", {"n": s.volume})))
    if c["growth"] > 0 and s.recent >= 2:
        facts.append(
            (WEIGHTS["growth"] * c["growth"] + 0.02,
             Reason("growth", {"recent": s.recent, "earlier": s.earlier}))
        )  # fmt: skip
    if s.engagement:
        facts.append(
            (WEIGHTS["engagement"] * c["engagement"], Reason("engagement", {"n": s.engagement}))
        )
    if not s.dated:
        facts.append((1.0, Reason("undated", {"date": s.first_seen})))
    elif s.first_seen >= since:
        facts.append((WEIGHTS["novelty"] * c["novelty"], Reason("new", {"date": s.first_seen})))
    else:
        facts.append((0.0, Reason("ongoing", {"date": s.first_seen})))
    if c["match"] >= 0.999 and s.volume > 1:
        facts.append((WEIGHTS["match"] * 0.3, Reason("on_topic", {})))
    elif c["match"] < 0.5:
        facts.append((WEIGHTS["match"] * 0.3, Reason("partly", {"share": round(c["match"] * 100)})))
    facts.sort(key=lambda f: -f[0])
    return [_main(s, c), *(r for _, r in facts[:3])]
