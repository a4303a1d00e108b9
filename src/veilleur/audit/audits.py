"""Auditing accounts from the workspace: their posts read from the store, then scored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from veilleur.audit.account import AccountAudit, audit_posts
from veilleur.audit.relevance import Similarity
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import Post, Profile, format_datetime
from veilleur.store import SQLiteStore


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
    """The posts of ``author`` in the store (case of the handle ignored), oldest first,
    published in ``[since, until)`` — ``until`` excluded, as ``until:`` in a query."""
    where = ["lower(p.author) = lower(?)"]
    params: list[str] = [normalise_handle(author)]
    if network:
        where.append("p.network = ?")
        params.append(network)
    if since:
        where.append("p.created_at >= ?")
        params.append(format_datetime(since))
    if until:
        where.append("p.created_at < ?")
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
    on_account: Callable[[str], None] | None = None,
) -> list[AccountAudit]:
    """Audit each author in turn; raises ``UsageError`` naming an author with no post.
    ``on_account(handle)`` is called as each account's audit starts (a front end's progress).

    ``followers`` gives the follower counts of the authors, in the same order (engagement
    per 1,000 followers); it may be shorter than ``authors``. ``similarity`` replaces the
    TF-IDF similarity of the relevance (``veilleur.audit.embeddings.similarity``).
    """
    audits = []
    for index, author in enumerate(authors):
        if on_account is not None:
            on_account(normalise_handle(author))
        posts = load_posts(store, author, network, since, until)
        if not posts:
            handle = normalise_handle(author)
            raise UsageError(
                t(
                    "no post by '{handle}' on {network} in the workspace for this period: "
                    "import the account's posts first (veilleur import …)",
                    handle=handle,
                    network=network,
                )
                if network
                else t(
                    "no post by '{handle}' in the workspace for this period: "
                    "import the account's posts first (veilleur import …)",
                    handle=handle,
                )
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


def embedding_similarity() -> Similarity:
    """The relevance measured with multilingual sentence embeddings (the optional extra);
    a usage error naming the install command when the extra is missing."""
    from veilleur.audit import embeddings

    if not embeddings.available():
        raise UsageError(embeddings.missing_message())
    return embeddings.similarity
