"""Engagement, where the network gave counts: interactions per post and per 1,000
followers, the best and the worst posts, and value content against promotion.

Interactions are likes + reposts + replies + quotes; views are not interactions. A post
without any count is left out (an export that has no counts says nothing, not zero).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from veilleur.model import Post


@dataclass(slots=True)
class Engagement:
    measured: int  # posts that carry counts
    mean: float
    median: float
    per_1000_followers: float | None
    best: list[tuple[Post, int]]
    worst: list[tuple[Post, int]]
    value_mean: float | None
    promo_mean: float | None


def interactions(post: Post) -> int | None:
    counts = (post.likes, post.reposts, post.replies, post.quotes)
    if all(c is None for c in counts):
        return None
    return sum(c or 0 for c in counts)


def measure(
    posts: Sequence[Post],
    promotional: Sequence[bool],
    followers: int | None = None,
    top: int = 3,
) -> Engagement | None:
    """None when no post has counts."""
    scored = [
        (post, n, promo)
        for post, promo in zip(posts, promotional, strict=True)
        if (n := interactions(post)) is not None
    ]
    if not scored:
        return None
    values = [n for _, n, _ in scored]
    ranked = sorted(scored, key=lambda item: (-item[1], item[0].created_at))
    value_counts = [n for _, n, promo in scored if not promo]
    promo_counts = [n for _, n, promo in scored if promo]
    mean = statistics.fmean(values)
    return Engagement(
        measured=len(scored),
        mean=mean,
        median=float(statistics.median(values)),
        per_1000_followers=(1000 * mean / followers) if followers else None,
        best=[(p, n) for p, n, _ in ranked[:top]],
        worst=[(p, n) for p, n, _ in reversed(ranked[-top:])] if len(ranked) > top else [],
        value_mean=statistics.fmean(value_counts) if value_counts else None,
        promo_mean=statistics.fmean(promo_counts) if promo_counts else None,
    )
