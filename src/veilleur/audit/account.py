"""The audit of one account: the four measures joined, and the overall score.

The overall score weighs *pertinence*, *qualité*, *fréquence* and the balance between
value content and promotion (``OVERALL_WEIGHTS``, shown in every report). The balance
is 100 while promotion and recruiting stay within a third of the posts, and falls to 0
when every post is promotion.

Three kinds of posts are told apart: the account's original posts carry the scores;
its replies are scored apart (a reply is a conversation, not a publication); reposts
count only for the frequency. Spelling, readability and topics are judged only in the
languages veilleur has word lists for (:data:`ASSESSED_LANGS`); posts in other languages
are counted and shown as not assessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from veilleur.audit import engagement, frequency, promo, quality, relevance
from veilleur.audit.words import split
from veilleur.model import Post, Profile

OVERALL_WEIGHTS = {"relevance": 0.35, "quality": 0.25, "frequency": 0.25, "balance": 0.15}
ASSESSED_LANGS = ("fr", "en")
"""The languages whose spelling, stop words, readability and topics the audit knows."""


@dataclass(slots=True)
class Part:
    """One kind of the account's writing (original posts, or replies), scored.

    ``posts`` are all of that kind, ``langs`` their effective languages; ``assessed`` the
    posts in :data:`ASSESSED_LANGS`, which ``relevance`` and ``quality`` measure (in that
    order); ``promo`` classifies every post of ``posts``."""

    posts: list[Post]
    langs: list[str]
    assessed: list[Post]
    relevance: relevance.Relevance
    quality: quality.Quality
    promo: promo.PromoSummary

    @property
    def assessed_share(self) -> float:
        return len(self.assessed) / len(self.posts) if self.posts else 1.0

    def index(self) -> dict[int, int]:
        """The position in ``assessed`` of each assessed post (by identity)."""
        return {id(post): i for i, post in enumerate(self.assessed)}


@dataclass(slots=True)
class AccountAudit:
    author: str
    network: str
    profile: Profile
    posts: list[Post]  # every post of the period, reposts and replies included, oldest first
    own: list[Post]  # the account's original posts (no repost, no reply): they carry the scores
    langs: list[str]  # the effective language of each post of ``own``
    frequency: frequency.Frequency
    relevance: relevance.Relevance  # on the assessed original posts (``original.assessed``)
    quality: quality.Quality  # idem
    promo: promo.PromoSummary  # on every original post
    engagement: engagement.Engagement | None
    balance: float
    overall: float
    since: datetime | None = None
    until: datetime | None = None
    original: Part | None = None
    replies: Part | None = None  # None when the account wrote no reply in the period
    reposts: int = 0
    languages: dict[str, int] = field(default_factory=dict)  # own posts and replies

    @property
    def scores(self) -> dict[str, float]:
        return {
            "relevance": self.relevance.score,
            "quality": self.quality.score,
            "frequency": self.frequency.score,
            "balance": self.balance,
            "overall": self.overall,
        }

    @property
    def reply_share(self) -> float:
        """Replies among the account's posts (reposts included)."""
        n = len(self.replies.posts) if self.replies else 0
        return n / len(self.posts) if self.posts else 0.0

    @property
    def not_assessed_share(self) -> float:
        """Share of the account's own writing (posts and replies) in a language the audit
        cannot judge."""
        total = sum(self.languages.values())
        skipped = sum(n for lang, n in self.languages.items() if lang not in ASSESSED_LANGS)
        return skipped / total if total else 0.0


def balance_score(promo_share: float) -> float:
    if promo_share <= promo.ADVICE_SHARE:
        return 100.0
    return round(100 * (1 - (promo_share - promo.ADVICE_SHARE) / (1 - promo.ADVICE_SHARE)), 1)


def language(post: Post) -> str:
    """The post's effective language as the store settled it (``und`` when unknown); for a
    post not settled yet (a workspace waiting for ``veilleur relang``), the same rule,
    :func:`veilleur.text.resolve_language`, applied here."""
    if post.lang_source is not None:
        return post.lang or "und"
    from veilleur.text import resolve_language

    return resolve_language(post.lang, post.text, post.title).lang


def is_reply(post: Post, own_ids: frozenset[str] = frozenset()) -> bool:
    """A reply to another post; a reply to one of the account's own posts (``own_ids``)
    is a thread, which is publishing."""
    return bool(post.reply_to) and not post.repost_of and post.reply_to not in own_ids


def _part(
    posts: list[Post],
    profile: Profile,
    network: str,
    similarity: relevance.Similarity | None,
    alt_known: bool,
    labels: Mapping[tuple[str, str], str],
) -> Part:
    langs = [language(p) for p in posts]
    assessed = [p for p, lang in zip(posts, langs, strict=True) if lang in ASSESSED_LANGS]
    assessed_langs = [lang for lang in langs if lang in ASSESSED_LANGS]
    tokens = [split(p.text) for p in assessed]
    summary = promo.measure(
        [p.text for p in posts], [labels.get((p.network, p.id)) for p in posts] if labels else ()
    )
    verdict = {id(p): v for p, v in zip(posts, summary.verdicts, strict=True)}
    rel = relevance.measure(
        tokens,
        assessed_langs,
        profile,
        texts=[p.text for p in assessed],
        similarity=similarity,
        # off-profile subjects come from posts without any cue of an ad, even a weak one:
        # « CDI » or « postulez » are not subjects
        promotional=[any(c.category != promo.VALUE for c in verdict[id(p)].cues) for p in assessed],
    )
    extra = [profile.name, *profile.keywords, *profile.regions, *profile.accounts.values()]
    extra_words = [w for phrase in extra for w in split(phrase).words]
    qual = quality.measure(
        assessed, tokens, assessed_langs, network, extra_words, alt_known=alt_known
    )
    return Part(posts, langs, assessed, rel, qual, summary)


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
    labels: Mapping[tuple[str, str], str] | None = None,
) -> AccountAudit:
    """Audit ``posts`` (one account's) against ``profile``. ``labels``: the categories a
    consultant set, by ``(network, post id)``; they replace the classifier's verdicts."""
    ordered = sorted(posts, key=lambda p: p.created_at)
    if network is None:
        common = Counter(p.network for p in ordered).most_common(1)
        network = common[0][0] if common else "linkedin"
    ids = frozenset(p.id for p in ordered)
    own = [p for p in ordered if not p.repost_of and not is_reply(p, ids)]
    replied = [p for p in ordered if is_reply(p, ids)]
    alt_known = quality.carries_alt_text(network, [*own, *replied])
    freq = frequency.measure(
        [p.created_at for p in ordered], network, since=since, until=until, tz=tz
    )
    kept = labels or {}
    original = _part(own, profile, network, similarity, alt_known, kept)
    replies = _part(replied, profile, network, similarity, alt_known, kept) if replied else None
    summary = original.promo
    eng = engagement.measure(own, [v.promotional for v in summary.verdicts], followers)
    balance = balance_score(summary.share)
    parts = {
        "relevance": original.relevance.score,
        "quality": original.quality.score,
        "frequency": freq.score,
        "balance": balance,
    }
    overall = sum(OVERALL_WEIGHTS[k] * v for k, v in parts.items()) if own else 0.0
    languages = Counter([*original.langs, *(replies.langs if replies else [])])
    return AccountAudit(
        author=author,
        network=network,
        profile=profile,
        posts=ordered,
        own=own,
        langs=original.langs,
        frequency=freq,
        relevance=original.relevance,
        quality=original.quality,
        promo=summary,
        engagement=eng,
        balance=balance,
        overall=round(overall, 1),
        since=since,
        until=until,
        original=original,
        replies=replies,
        reposts=sum(1 for p in ordered if p.repost_of),
        languages=dict(languages.most_common()),
    )
