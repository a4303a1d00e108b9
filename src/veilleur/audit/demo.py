"""The audit of the demo corpus's account, for ``veilleur demo``."""

from __future__ import annotations

from pathlib import Path

from veilleur.audit.audits import audit_accounts, load_posts
from veilleur.store import SQLiteStore

DEMO_AUTHOR = "dupont-usinage"
DEMO_COMPETITORS = ("atelier-martin",)
DEMO_NETWORK = "linkedin"


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
