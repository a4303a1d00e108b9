"""Presence audit: *pertinence*, *qualité*, *fréquence* of an account against the
organisation's profile, and the share of promotional and recruiting posts — the pillar's door.

    audit_accounts(store, authors, profile, since=…, until=…) -> list[AccountAudit]
    audit_posts(posts, profile)              the same on posts already in hand (pure)
    to_html / to_markdown / to_json(audits, lang), write_report(audits, fmt, path, lang)
    embedding_similarity()                   relevance by sentence embeddings (optional extra)
    label_post(store, post_id, category)     a consultant's verdict, used by every later audit
    known_accounts(store)                    the accounts with posts (a front end's suggestions)
    report_view(audits, lang)                the report as data, for the web workbench's page
    demo_report(store, out_dir, lang)        the demo account's audit, for ``veilleur demo``
    demo_audit_text(store, lang)             its replies, languages and hand-set verdicts

The pure scorers (frequency, relevance, quality, promo, engagement) work on lists of posts;
``audits`` joins them to the workspace store, ``report`` writes the result. Importing this
package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.audit.account import AccountAudit, audit_posts
    from veilleur.audit.audits import (
        audit_accounts,
        embedding_similarity,
        known_accounts,
        label_post,
        load_posts,
        normalise_handle,
    )
    from veilleur.audit.demo import demo_audit_text, demo_profile_path, demo_report
    from veilleur.audit.report import report_view, to_html, to_json, to_markdown
    from veilleur.audit.report import write as write_report

__all__ = [
    "AccountAudit",
    "audit_accounts",
    "audit_posts",
    "demo_audit_text",
    "demo_profile_path",
    "demo_report",
    "embedding_similarity",
    "known_accounts",
    "label_post",
    "load_posts",
    "normalise_handle",
    "report_view",
    "to_html",
    "to_json",
    "to_markdown",
    "write_report",
]

__getattr__ = exports(
    __name__,
    {
        "AccountAudit": "veilleur.audit.account",
        "audit_posts": "veilleur.audit.account",
        "audit_accounts": "veilleur.audit.audits",
        "embedding_similarity": "veilleur.audit.audits",
        "known_accounts": "veilleur.audit.audits",
        "label_post": "veilleur.audit.audits",
        "load_posts": "veilleur.audit.audits",
        "normalise_handle": "veilleur.audit.audits",
        "demo_audit_text": "veilleur.audit.demo",
        "demo_profile_path": "veilleur.audit.demo",
        "demo_report": "veilleur.audit.demo",
        "report_view": "veilleur.audit.report",
        "to_html": "veilleur.audit.report",
        "to_json": "veilleur.audit.report",
        "to_markdown": "veilleur.audit.report",
        "write_report": "veilleur.audit.report:write",
    },
)
