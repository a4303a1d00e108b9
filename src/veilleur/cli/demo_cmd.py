"""``veilleur demo``: a workspace built from the shipped corpus, and a tour of what it does."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from veilleur.cli.context import out
from veilleur.cli.options import Lang
from veilleur.i18n import colon, register, t
from veilleur.imports import import_demo_corpus
from veilleur.workspace import Workspace

register(
    {
        "demo.title": {"fr": "veilleur — démonstration", "en": "veilleur — demo"},
        "demo.workspace": {"fr": "Espace de travail", "en": "Workspace"},
        "demo.import": {"fr": "Import du corpus de démonstration", "en": "Demo corpus import"},
        "demo.search": {"fr": "Recherche « {q} »", "en": "Search “{q}”"},
        "demo.advice": {"fr": "Conseiller : quel réseau, pour quoi faire ?",
                        "en": "Advise: which network, to do what?"},
        "demo.audit": {"fr": "Audit de présence", "en": "Presence audit"},
        "demo.audit_written": {"fr": "Rapport d'audit écrit dans {path}",
                               "en": "Audit report written to {path}"},
        "demo.digest": {"fr": "Veille : le digest de la semaine", "en": "Watch: the week's digest"},
        "demo.digest_written": {"fr": "Digest écrit dans {path}", "en": "Digest written to {path}"},
        "demo.compose": {"fr": "Publier : un message composé pour trois réseaux",
                         "en": "Publish: one post composed for three networks"},
        "demo.next": {"fr": "Et ensuite", "en": "Next"},
    }
)  # fmt: skip


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder of the demo workspace (created or refreshed).")
    ] = Path("demo-workspace"),
    lang: Annotated[Lang, typer.Option(help="Language of the tour and its reports.")] = Lang.fr,
) -> None:
    """Build a demo workspace from the shipped corpus and show what veilleur does."""
    code = lang.value
    reports = out_dir / "reports"
    with Workspace(out_dir) as ws:
        out.print(Rule(t("demo.title", code)))
        summary = import_demo_corpus(ws.store)
        out.print(f"{t('demo.workspace', code)}{colon(code)}{ws.path}", markup=False)
        out.print(
            f"{t('demo.import', code)}{colon(code)}{summary.read} {t('summary.read', code)} · "
            f"{summary.new} {t('summary.new', code)} · {summary.known} {t('summary.known', code)}"
            f" · {summary.rejected} {t('summary.rejected', code)}"
        )
        by_network = ", ".join(f"{n} {c}" for n, c in ws.store.stats()["network"])
        out.print(f"{t('stats.total', code, n=ws.store.count_posts())} ({by_network})")

        query = "recrutement"
        out.print(Rule(t("demo.search", code, q=query)))
        for post in ws.store.search_words([query], limit=5):
            line = f"  {post.created_at:%Y-%m-%d} {post.network:<9} @{post.author}{colon(code)}"
            line += post.text
            out.print(line if len(line) <= 110 else line[:109] + "…", markup=False)

        from veilleur.advise import demo_summary

        out.print(Rule(t("demo.advice", code)))
        out.print(demo_summary(code, store=ws.store), markup=False)

        from veilleur.audit import demo_report

        out.print(Rule(t("demo.audit", code)))
        path = demo_report(ws.store, reports, lang=code)
        out.print(t("demo.audit_written", code, path=path), markup=False)

        from veilleur.watch import demo_digest, demo_digest_text

        out.print(Rule(t("demo.digest", code)))
        digest = demo_digest(ws, reports, lang=code)
        out.print(demo_digest_text(ws, lang=code), markup=False)
        out.print(t("demo.digest_written", code, path=digest), markup=False)

        from veilleur.publish import demo_compose

        out.print(Rule(t("demo.compose", code)))
        out.print(demo_compose(code), markup=False)

        out.print(Rule(t("demo.next", code)))
        command = _command_name()
        for args in ("search emploi", "search '#SemaineDeLEmploi lang:fr'", "stats"):
            out.print(f"  {command} --workspace {ws.path} {args}", markup=False)


def _command_name() -> str:
    """How the user can call veilleur from here: ``make demo`` leaves it in .venv/bin."""
    if shutil.which("veilleur"):
        return "veilleur"
    script = Path(sys.executable).parent / "veilleur"
    return os.path.relpath(script) if script.exists() else "veilleur"
