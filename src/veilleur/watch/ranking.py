"""Ranking a watch's stories, each rank explained — pure.

Five signals, each scaled to [0, 1] within the digest so that they can be added:

* ``match`` — how much of the story is about the watch: the share of its posts of the period
  that the watch's query matches;
* ``novelty`` — first seen during the period, and how recently;
* ``growth`` — more posts in the second half of the period than in the first;
* ``engagement`` — likes, reposts, replies and quotes (log scale, against the digest's top);
* ``diversity`` — distinct sources (accounts, sites) and networks that carried it;

plus ``volume`` (posts, log scale). The score is their weighted sum; the explanation keeps
the facts behind the strongest signals (:class:`Reason`), which the digest words in French or
English — a consultant must be able to say *why* a story is on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

WEIGHTS = {
    "match": 0.2,
    "novelty": 0.15,
    "growth": 0.15,
    "engagement": 0.15,
    "diversity": 0.2,
    "volume": 0.15,
}


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
    return math.log1p(value) / math.log1p(top) if top > 0 else 0.0


def rank(stories: list[StoryStats], since: datetime, until: datetime) -> list[Ranked]:
    """Stories best first, each with its components and reasons."""
    if not stories:
        return []
    span = max((until - since).total_seconds(), 1.0)
    top_engagement = max(s.engagement or 0 for s in stories)
    top_volume = max(s.volume for s in stories)
    top_sources = max(len(s.sources) for s in stories)
    top_networks = max(len(s.networks) for s in stories)
    ranked: list[Ranked] = []
    for s in stories:
        age = (until - s.first_seen).total_seconds()
        components = {
            "match": s.volume / max(s.in_period, s.volume, 1),
            "novelty": max(0.0, 1.0 - age / span) if s.first_seen >= since else 0.0,
            "growth": max(0.0, (s.recent - s.earlier) / max(s.volume, 1)),
            # Feeds carry no counts: unknown engagement is neither a merit nor a fault.
            "engagement": 0.5 if s.engagement is None else _log_scale(s.engagement, top_engagement),
            "diversity": 0.7 * _log_scale(len(s.sources) - 1, top_sources - 1)
            + 0.3 * ((len(s.networks) - 1) / max(top_networks - 1, 1)),
            "volume": _log_scale(s.volume - 1, top_volume - 1),
        }
        score = sum(WEIGHTS[k] * v for k, v in components.items())
        ranked.append(Ranked(s, round(score, 4), components, _reasons(s, components, since)))
    ranked.sort(key=lambda r: (-r.score, -r.stats.volume, r.stats.story))
    return ranked


def _reasons(s: StoryStats, c: dict[str, float], since: datetime) -> list[Reason]:
    """The facts behind the strongest signals, strongest first (at most four)."""
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
    if s.first_seen >= since:
        facts.append((WEIGHTS["novelty"] * c["novelty"], Reason("new", {"date": s.first_seen})))
    else:
        facts.append((0.0, Reason("ongoing", {"date": s.first_seen})))
    if c["match"] >= 0.999 and s.volume > 1:
        facts.append((WEIGHTS["match"] * 0.5, Reason("on_topic", {})))
    elif c["match"] < 0.5:
        facts.append((WEIGHTS["match"] * 0.3, Reason("partly", {"share": round(c["match"] * 100)})))
    facts.sort(key=lambda f: -f[0])
    return [r for _, r in facts[:4]]
