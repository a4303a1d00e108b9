"""``veilleur demo``: a workspace built from the shipped corpus, and a tour of what it does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from veilleur.cli.context import out
from veilleur.demo import corpus_path
from veilleur.i18n import t
from veilleur.imports.jsonl import read_jsonl
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.workspace import Workspace


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder of the demo workspace (created or refreshed).")
    ] = Path("demo-workspace"),
) -> None:
    """Build a demo workspace from the shipped corpus and show what veilleur does."""
    with Workspace(out_dir) as ws:
        summary = ImportSummary()
        import_file(ws.store, corpus_path(), read_jsonl, summary)
        out.print(Rule("veilleur — démo / demo"))
        out.print(f"Workspace: {ws.path}")
        out.print(
            f"Import: {summary.read} {t('summary.read')} · {summary.new} {t('summary.new')} · "
            f"{summary.known} {t('summary.known')} · {summary.rejected} {t('summary.rejected')}"
        )
        out.print(t("stats.total", n=ws.store.count_posts()))
        for network, count in ws.store.stats()["network"]:
            out.print(f"  {network:<10} {count:>5}")
        out.print(Rule("search « recrutement »"))
        for post in ws.store.search_words(["recrutement"], limit=5):
            out.print(
                f"  {post.created_at:%Y-%m-%d} {post.network:<9} @{post.author}: {post.text[:90]}",
                markup=False,
            )
        out.print(f"\nNext: veilleur --workspace {ws.path} search emploi")
