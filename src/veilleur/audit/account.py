"""The audit of one account: the four measures joined, and the overall score.

The overall score weighs *pertinence*, *qualité*, *fréquence* and the balance between
value content and promotion (``OVERALL_WEIGHTS``, shown in every report). The balance
is 100 while promotion and recruiting stay within a third of the posts, and falls to 0
when every post is promotion.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from veilleur.audit import engagement, frequency, promo, quality, relevance
from veilleur.audit.words import Tokens, guess_language, split
from veilleur.model import Post, Profile

OVERALL_WEIGHTS = {"relevance": 0.35, "quality": 0.25, "frequency": 0.25, "balance": 0.15}


@dataclass(slots=True)
class AccountAudit:
    author: str
    network: str
    profile: Profile
    posts: list[Post]  # every post of the period, reposts included, oldest first
    own: list[Post]  # the account's own writing (reposts left out)
    langs: list[str]
    frequency: frequency.Frequency
    relevance: relevance.Relevance
    quality: quality.Quality
    promo: promo.PromoSummary
    engagement: engagement.Engagement | None
    balance: float
    overall: float
    since: datetime | None = None
    until: datetime | None = None

    @property
    def scores(self) -> dict[str, float]:
        return {
            "relevance": self.relevance.score,
            "quality": self.quality.score,
            "frequency": self.frequency.score,
            "balance": self.balance,
            "overall": self.overall,
        }


def balance_score(promo_share: float) -> float:
    if promo_share <= promo.ADVICE_SHARE:
        return 100.0
    return round(100 * (1 - (promo_share - promo.ADVICE_SHARE) / (1 - promo.ADVICE_SHARE)), 1)


def language(post: Post, tokens: Tokens, default: str) -> str:
    if post.lang in ("fr", "en"):
        return post.lang
    return guess_language(tokens.words, default)


def audit_posts(
    posts: Iterable[Post],
    profile: Profile,
    *,
    author: str,
    network: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    followers: int | None = None,
    tz: str = frequency.DEFAULT_TIMEZONE,
    similarity: relevance.Similarity | None = None,
) -> AccountAudit:
    """Audit ``posts`` (one account's) against ``profile``."""
    ordered = sorted(posts, key=lambda p: p.created_at)
    if network is None:
        common = Counter(p.network for p in ordered).most_common(1)
        network = common[0][0] if common else "linkedin"
    own = [p for p in ordered if not p.repost_of]
    default = profile.languages[0] if profile.languages else "fr"
    tokens = [split(p.text) for p in own]
    langs = [language(p, t, default) for p, t in zip(own, tokens, strict=True)]
    freq = frequency.measure(
        [p.created_at for p in ordered], network, since=since, until=until, tz=tz
    )
    summary = promo.measure([p.text for p in own])
    rel = relevance.measure(
        tokens,
        langs,
        profile,
        texts=[p.text for p in own],
        similarity=similarity,
        # off-profile subjects come from posts without any cue of an ad, even a weak one:
        # « CDI » or « postulez » are not subjects
        promotional=[any(c.category != promo.VALUE for c in v.cues) for v in summary.verdicts],
    )
    extra = [profile.name, *profile.keywords, *profile.regions, *profile.accounts.values()]
    extra_words = [w for phrase in extra for w in split(phrase).words]
    qual = quality.measure(
        own, tokens, langs, network, extra_words, alt_known=quality.carries_alt_text(network, own)
    )
    eng = engagement.measure(own, [v.promotional for v in summary.verdicts], followers)
    balance = balance_score(summary.share)
    parts = {
        "relevance": rel.score,
        "quality": qual.score,
        "frequency": freq.score,
        "balance": balance,
    }
    overall = sum(OVERALL_WEIGHTS[k] * v for k, v in parts.items()) if own else 0.0
    return AccountAudit(
        author=author,
        network=network,
        profile=profile,
        posts=ordered,
        own=own,
        langs=langs,
        frequency=freq,
        relevance=rel,
        quality=qual,
        promo=summary,
        engagement=eng,
        balance=balance,
        overall=round(overall, 1),
        since=since,
        until=until,
    )
