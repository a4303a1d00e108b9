"""Presence audit: *pertinence*, *qualité*, *fréquence* of an account against the
organisation's profile, and the share of promotional and recruiting posts.

The pure scorers (frequency, relevance, quality, promo, engagement) work on lists of
posts; this module joins them to the workspace store, and ``report`` writes the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from veilleur.audit.account import AccountAudit, audit_posts
from veilleur.audit.relevance import Similarity
from veilleur.errors import UsageError
from veilleur.model import Post, Profile, format_datetime
from veilleur.store.sqlite import SQLiteStore

__all__ = ["AccountAudit", "audit_accounts", "audit_posts", "demo_report", "load_posts"]

DEMO_AUTHOR = "dupont-usinage"
DEMO_COMPETITORS = ("atelier-martin",)
DEMO_NETWORK = "linkedin"


def normalise_handle(handle: str) -> str:
    """``@Name`` and ``name`` are one handle (the store keeps them without the ``@``)."""
    return handle.strip().removeprefix("@")


def load_posts(
    store: SQLiteStore,
    author: str,
    network: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Post]:
    """The posts of ``author`` in the store (case of the handle ignored), oldest first."""
    where = ["lower(p.author) = lower(?)"]
    params: list[str] = [normalise_handle(author)]
    if network:
        where.append("p.network = ?")
        params.append(network)
    if since:
        where.append("p.created_at >= ?")
        params.append(format_datetime(since))
    if until:
        where.append("p.created_at <= ?")
        params.append(format_datetime(until))
    return list(store.iter_posts(" AND ".join(where), params, order="p.created_at ASC, p.pk ASC"))


def audit_accounts(
    store: SQLiteStore,
    authors: Sequence[str],
    profile: Profile,
    *,
    network: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    followers: Sequence[int] = (),
    similarity: Similarity | None = None,
) -> list[AccountAudit]:
    """Audit each author in turn; raises ``UsageError`` naming an author with no post.

    ``followers`` gives the follower counts of the authors, in the same order (engagement
    per 1,000 followers); it may be shorter than ``authors``. ``similarity`` replaces the
    TF-IDF similarity of the relevance (``veilleur.audit.embeddings.similarity``).
    """
    audits = []
    for index, author in enumerate(authors):
        posts = load_posts(store, author, network, since, until)
        if not posts:
            where = f" on {network}" if network else ""
            raise UsageError(
                f"no post by '{normalise_handle(author)}'{where} in the workspace for this "
                "period: import the account's posts first (veilleur import …)"
            )
        audits.append(
            audit_posts(
                posts,
                profile,
                author=normalise_handle(author),
                network=network,
                since=since,
                until=until,
                followers=followers[index] if index < len(followers) else None,
                similarity=similarity,
            )
        )
    return audits


def demo_profile_path() -> Path:
    return Path(__file__).parent / "data" / "demo_profile.toml"


def demo_report(store: SQLiteStore, out_dir: Path, lang: str = "fr") -> Path:
    """Write the audit of the demo account (HTML, and JSON beside it); return the HTML.

    Competitors of the demo corpus that have posts are set side by side with it.
    """
    from veilleur.audit.report import write
    from veilleur.profile import load_profile

    profile = load_profile(demo_profile_path())
    authors = [DEMO_AUTHOR]
    authors += [a for a in DEMO_COMPETITORS if load_posts(store, a, DEMO_NETWORK)]
    audits = audit_accounts(store, authors, profile, network=DEMO_NETWORK)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / f"audit-{DEMO_AUTHOR}.html"
    write(audits, "html", html, lang)
    write(audits, "json", out_dir / f"audit-{DEMO_AUTHOR}.json", lang)
    return html
