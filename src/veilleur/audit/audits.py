"""Auditing accounts from the workspace: their posts read from the store, then scored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from veilleur.audit.account import AccountAudit, audit_posts
from veilleur.audit.frequency import DEFAULT_TIMEZONE
from veilleur.audit.relevance import Similarity
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import Post, Profile, format_datetime
from veilleur.networks import normalize_handle
from veilleur.store import SQLiteStore


def normalise_handle(handle: str) -> str:
    """``@Name`` and ``name`` are one handle: the importers' and collectors' rule."""
    return normalize_handle(handle)


def resolve_author(store: SQLiteStore, author: str, network: str | None = None) -> str:
    """The stored handle ``author`` names: itself (any case), else the one handle it is a
    unique prefix of (``dealingwith`` → ``dealingwith@indieweb.social``, a Mastodon handle
    without its instance). None found: a usage error suggesting close handles."""
    from veilleur.audit import tables

    typed = normalise_handle(author)
    low = typed.lower()
    known = tables.handles(store, network)
    exact = [h for h in known if h.lower() == low]
    if exact:
        return exact[0]
    for prefixed in (
        [h for h in known if h.lower().startswith(low + "@")],
        [h for h in known if h.lower().startswith(low)] if low else [],
    ):
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            raise UsageError(
                t(
                    "--author '{author}' matches several accounts: {handles}",
                    author=typed,
                    handles=", ".join(prefixed[:8]),
                )
            )
    import difflib

    # Close to the whole handle or to its part before the instance (« dealingwit »).
    by_key: dict[str, str] = {}
    for handle in known:
        by_key.setdefault(handle.lower(), handle)
        by_key.setdefault(handle.lower().split("@")[0], handle)
    close = [by_key[k] for k in difflib.get_close_matches(low, list(by_key), n=6, cutoff=0.7)]
    message = (
        t(
            "no post by '{handle}' on {network} in the workspace: import the account's posts "
            "first (veilleur import …)",
            handle=typed,
            network=network,
        )
        if network
        else t(
            "no post by '{handle}' in the workspace: import the account's posts first "
            "(veilleur import …)",
            handle=typed,
        )
    )
    if close:
        message += t(
            " — did you mean {handles}?", handles=", ".join(list(dict.fromkeys(close))[:3])
        )
    raise UsageError(message)


def known_accounts(store: SQLiteStore, limit: int = 200) -> list[tuple[str, str, int]]:
    """The accounts with posts in the workspace, ``(handle, network, posts)``, those with
    the most posts first: the suggestions of a front end's account field."""
    from veilleur.audit import tables

    return tables.authors(store, limit)


def label_post(
    store: SQLiteStore, post_id: str, category: str | None, network: str | None = None
) -> tuple[str, str]:
    """Keep a consultant's category for a post (None forgets it): every later audit uses
    it instead of the classifier's verdict. Returns ``(network, post id)``."""
    from veilleur.audit import tables
    from veilleur.audit.promo import CATEGORIES

    if category is not None and category not in CATEGORIES:
        raise UsageError(
            t(
                "unknown category '{category}': expected one of {categories}",
                category=category,
                categories=", ".join(CATEGORIES),
            )
        )
    found = tables.post_networks(store, post_id)
    if network is not None:
        found = [n for n in found if n == network]
    if not found:
        raise UsageError(t("no post '{id}' in the workspace", id=post_id))
    if len(found) > 1:
        raise UsageError(
            t(
                "post '{id}' exists on several networks ({networks}): give --network",
                id=post_id,
                networks=", ".join(found),
            )
        )
    tables.set_label(store, found[0], post_id, category)
    return found[0], post_id


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
    tz: str | None = None,
    on_account: Callable[[str], None] | None = None,
) -> list[AccountAudit]:
    """Audit each author in turn; raises ``UsageError`` naming an author with no post.
    ``on_account(handle)`` is called as each account's audit starts (a front end's progress).

    ``followers`` gives the follower counts of the authors, in the same order (engagement
    per 1,000 followers); it may be shorter than ``authors``. ``similarity`` replaces the
    TF-IDF similarity of the relevance (``veilleur.audit.embeddings.similarity``).
    ``tz``: the zone hours are read in; default the workspace's (:func:`timezone`).
    """
    zone = tz or timezone(store)
    from veilleur.audit import tables

    kept = tables.labels(store)
    audits = []
    for index, typed in enumerate(authors):
        author = resolve_author(store, typed, network)
        if on_account is not None:
            on_account(author)
        posts = load_posts(store, author, network, since, until)
        if not posts:
            handle = author
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
                tz=zone,
                labels=kept,
            )
        )
    return audits


def timezone(store: SQLiteStore) -> str:
    """The workspace's time zone: its ``publish.timezone`` setting (the zone the
    organisation works in), default Europe/Paris."""
    return store.get_setting("publish.timezone") or DEFAULT_TIMEZONE


def embedding_similarity() -> Similarity:
    """The relevance measured with multilingual sentence embeddings (the optional extra);
    a usage error naming the install command when the extra is missing."""
    from veilleur.audit import embeddings

    if not embeddings.available():
        raise UsageError(embeddings.missing_message())
    return embeddings.similarity
