"""The watch (*la veille*): saved watches, near-duplicates into stories, ranking, trends,
the accounts that matter, digests and alerts — the front door of the pillar.

    save_watch(store, watch) / get_watch / list_watches / remove_watch   saved queries
    update_index(store)                      dedup + stories of the posts added since last time
    build_digest(store, watch, since, until) the digest's data; render_digest(digest, fmt)
    newest_post(store)                       when the newest post was written
    send_digest(workspace, to, digest)       the digest by e-mail (smtp.* settings)
    add_rule / alert_rules / remove_rule / check_alerts    alert rules and their evaluation
    collect(workspace, records)              collect sources, alerts raised on each batch
    demo_digest(workspace, out_dir, lang)    the demo's digest, written beside the workspace

Importing this package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.watch.alerts import Alert, Rule, add_rule, remove_rule
    from veilleur.watch.alerts import batch_hook as alert_hook
    from veilleur.watch.alerts import check as check_alerts
    from veilleur.watch.alerts import pending as pending_alerts
    from veilleur.watch.alerts import rules as alert_rules
    from veilleur.watch.demo import DEMO_WATCH, demo_digest, demo_digest_text
    from veilleur.watch.digest import (
        Digest,
        build_digest,
        group_stories,
        newest_post,
        resolve_period,
    )
    from veilleur.watch.index import pending_posts, update_index
    from veilleur.watch.mail import Attachment as MailAttachment
    from veilleur.watch.mail import mail_missing, send_mail
    from veilleur.watch.render import to_html as digest_html
    from veilleur.watch.render import to_markdown as digest_markdown
    from veilleur.watch.render import view as digest_view
    from veilleur.watch.render import write as render_digest
    from veilleur.watch.tables import find_watch as get_watch
    from veilleur.watch.tables import list_watches, remove_watch, save_watch
    from veilleur.watch.usecases import collect, send_digest

__all__ = [
    "DEMO_WATCH",
    "Alert",
    "Digest",
    "MailAttachment",
    "Rule",
    "add_rule",
    "alert_hook",
    "alert_rules",
    "build_digest",
    "check_alerts",
    "collect",
    "demo_digest",
    "demo_digest_text",
    "digest_html",
    "digest_markdown",
    "digest_view",
    "get_watch",
    "group_stories",
    "list_watches",
    "mail_missing",
    "newest_post",
    "pending_alerts",
    "pending_posts",
    "remove_rule",
    "remove_watch",
    "render_digest",
    "resolve_period",
    "save_watch",
    "send_digest",
    "send_mail",
    "update_index",
]

__getattr__ = exports(
    __name__,
    {
        "get_watch": "veilleur.watch.tables:find_watch",
        "list_watches": "veilleur.watch.tables",
        "remove_watch": "veilleur.watch.tables",
        "save_watch": "veilleur.watch.tables",
        "Alert": "veilleur.watch.alerts",
        "Rule": "veilleur.watch.alerts",
        "add_rule": "veilleur.watch.alerts",
        "remove_rule": "veilleur.watch.alerts",
        "alert_hook": "veilleur.watch.alerts:batch_hook",
        "check_alerts": "veilleur.watch.alerts:check",
        "alert_rules": "veilleur.watch.alerts:rules",
        "collect": "veilleur.watch.usecases",
        "DEMO_WATCH": "veilleur.watch.demo",
        "demo_digest": "veilleur.watch.demo",
        "demo_digest_text": "veilleur.watch.demo",
        "Digest": "veilleur.watch.digest",
        "build_digest": "veilleur.watch.digest",
        "group_stories": "veilleur.watch.digest",
        "resolve_period": "veilleur.watch.digest",
        "newest_post": "veilleur.watch.digest",
        "pending_posts": "veilleur.watch.index",
        "update_index": "veilleur.watch.index",
        "send_mail": "veilleur.watch.mail",
        "MailAttachment": "veilleur.watch.mail:Attachment",
        "mail_missing": "veilleur.watch.mail",
        "pending_alerts": "veilleur.watch.alerts:pending",
        "digest_html": "veilleur.watch.render:to_html",
        "digest_markdown": "veilleur.watch.render:to_markdown",
        "digest_view": "veilleur.watch.render:view",
        "render_digest": "veilleur.watch.render:write",
        "send_digest": "veilleur.watch.usecases",
    },
)
