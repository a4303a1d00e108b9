"""The audit of the demo corpus's account, for ``veilleur demo``.

The demo shows what a consultant gets: the replies measured apart, the languages the audit
could not assess, and a verdict corrected by hand (``veilleur audit label``): the demo sets
one, as a consultant would, and every report marks it.
"""

from __future__ import annotations

from pathlib import Path

from veilleur.audit.account import ASSESSED_LANGS, AccountAudit
from veilleur.audit.audits import audit_accounts, label_post, load_posts
from veilleur.audit.fmt import percent
from veilleur.i18n import colon, gettext, t
from veilleur.store import SQLiteStore

DEMO_AUTHOR = "dupont-usinage"
DEMO_COMPETITORS = ("atelier-martin",)
DEMO_NETWORK = "linkedin"
# The consultant's correction the demo makes: clients visiting the workshop's new robot cell
# is behind-the-scenes content (value), which the classifier reads as an ad (« nouvelle »,
# « découvrent »). A correction shows what ``veilleur audit label`` is for; the demo's first
# choice (demo-0058, a trade-fair stand, set to event) became what the classifier says, and
# the report showed the same category twice. Pick again if the classifier learns this one:
# the report then says « confirmé ».
DEMO_LABEL = ("demo-0010", "value")


def demo_profile_path() -> Path:
    return Path(__file__).parent / "data" / "demo_profile.toml"


def _demo_audits(store: SQLiteStore) -> list[AccountAudit]:
    from veilleur.audit import tables
    from veilleur.profile import load_profile

    post_id, category = DEMO_LABEL
    if DEMO_NETWORK in tables.post_networks(store, post_id):  # the shipped corpus is there
        label_post(store, post_id, category, network=DEMO_NETWORK)
    profile = load_profile(demo_profile_path())
    authors = [DEMO_AUTHOR]
    authors += [a for a in DEMO_COMPETITORS if load_posts(store, a, DEMO_NETWORK)]
    return audit_accounts(store, authors, profile, network=DEMO_NETWORK)


def demo_report(store: SQLiteStore, out_dir: Path, lang: str = "fr") -> Path:
    """Write the audit of the demo account (HTML, and JSON beside it); return the HTML.

    Competitors of the demo corpus that have posts are set side by side with it. The demo's
    correction (:data:`DEMO_LABEL`) is kept in the workspace first, as ``veilleur audit
    label`` would.
    """
    from veilleur.audit.report import write

    audits = _demo_audits(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / f"audit-{DEMO_AUTHOR}.html"
    write(audits, "html", html, lang)
    write(audits, "json", out_dir / f"audit-{DEMO_AUTHOR}.json", lang)
    return html


def demo_audit_text(store: SQLiteStore, lang: str = "fr") -> str:
    """A few lines for the terminal (after demo_report): the demo account's replies, its
    languages and the verdicts set by hand."""
    from veilleur.audit.report import language_line, reply_line

    audit = _demo_audits(store)[0]
    sep = colon(lang)
    lines = [
        f"@{audit.author} — {gettext('Overall score', lang)}{sep}{round(audit.overall)}/100",
        f"  {gettext('Replies', lang)}{sep}{reply_line(audit, lang)}",
        f"  {gettext('Languages', lang)}{sep}{language_line(audit, lang)}"
        + (
            " — " + t("{share} not assessed", lang, share=percent(audit.not_assessed_share, lang))
            if sum(code not in ASSESSED_LANGS for code in audit.languages) > 1
            else ""
        ),
    ]
    for part in (audit.original, audit.replies):
        if part is None:
            continue
        for post, verdict in zip(part.posts, part.promo.verdicts, strict=True):
            if verdict.overridden:
                text = (
                    post.text if len(post.text) <= 70 else post.text[:70].rsplit(" ", 1)[0] + " …"
                )
                lines.append(
                    "  "
                    + t(
                        "Verdict set by hand: “{text}” → {category} (veilleur audit label {id} "
                        "{key})",
                        lang,
                        text=text,
                        category=verdict.category_name(lang),
                        id=post.id,
                        key=verdict.category,
                    )
                )
    return "\n".join(lines)
