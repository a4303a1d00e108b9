"""The demo's watch « recrutement » and its digest, for ``veilleur demo``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from veilleur.i18n import colon
from veilleur.model import Watch, parse_datetime
from veilleur.watch import tables
from veilleur.workspace import Workspace

DEMO_WATCH = Watch(
    name="recrutement",
    query=(
        "recrutement OR recruter OR recrutons OR emploi OR embauche OR offres OR candidats "
        "OR hiring OR recruitment"
    ),
    description="Recrutement et emploi en France : ce qui se dit, qui le dit, ce qui monte.",
)


def demo_digest(workspace: Workspace, out_dir: Path, lang: str = "fr") -> Path:
    """Write the demo watch's digest (HTML and Markdown) in ``out_dir``; return the HTML path.

    Creates the watch « recrutement » if the workspace has none of that name. The digest
    covers the week ending at the newest post, not at today's date, so the demo corpus never
    goes stale.
    """
    from veilleur.watch.digest import build_digest
    from veilleur.watch.render import to_html, to_markdown
    from veilleur.watch.selection import save_watch

    store = workspace.store
    if tables.find_watch(store, DEMO_WATCH.name) is None:
        save_watch(store, DEMO_WATCH)
    newest = tables.newest_post_time(store)
    if newest is None:
        raise ValueError("the demo workspace has no posts")
    until = parse_datetime(newest) + timedelta(seconds=1)
    digest = build_digest(
        store, DEMO_WATCH.name, until - timedelta(days=7), until, lang=lang, now=until
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"digest-{DEMO_WATCH.name}.html"
    html_path.write_text(to_html(digest), encoding="utf-8")
    (out_dir / f"digest-{DEMO_WATCH.name}.md").write_text(to_markdown(digest), encoding="utf-8")
    return html_path


def demo_digest_text(workspace: Workspace, lang: str = "fr", stories: int = 3) -> str:
    """A few lines for the terminal: the demo digest's top stories and why (after demo_digest)."""
    from veilleur.watch.digest import build_digest
    from veilleur.watch.render import view

    newest = tables.newest_post_time(workspace.store)
    if newest is None:
        raise ValueError("the demo workspace has no posts")
    until = parse_datetime(newest) + timedelta(seconds=1)
    digest = build_digest(
        workspace.store, DEMO_WATCH.name, until - timedelta(days=7), until, lang=lang, now=until
    )
    v = view(digest)
    lines = [f"{v['title']} — {v['period']}", v["summary"]]
    for s in v["stories"][:stories]:
        head = s["title"] or s["text"]
        lines.append(f"  {s['rank']}. {head[:100]}")
        lines.extend(f"     – {w}" for w in s["why"][:3])
    if v["trends"]:
        terms = ", ".join(t["term"] for t in v["trends"][:5])
        lines.append(f"{v['h_trends']}{colon(lang)}{terms}")
    return "\n".join(lines)
