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
from veilleur.i18n import colon, t
from veilleur.imports import import_demo_corpus
from veilleur.workspace import Workspace


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder of the demo workspace (created or refreshed).")
    ] = Path("demo-workspace"),
    lang: Annotated[Lang, typer.Option(help="Language of the tour and its reports.")] = Lang.fr,
    login: Annotated[
        bool,
        typer.Option(
            "--login",
            help="Also make a login for the web workbench (a new password each time) and "
            "say how to open it.",
        ),
    ] = False,
) -> None:
    """Build a demo workspace from the shipped corpus and show what veilleur does."""
    code = lang.value
    reports = out_dir / "reports"
    with Workspace(out_dir) as ws:
        out.print(Rule(t("veilleur — demo", code)))
        summary = import_demo_corpus(ws.store)
        out.print(f"{t('Workspace', code)}{colon(code)}{ws.path}", markup=False)
        out.print(
            f"{t('Demo corpus import', code)}{colon(code)}{summary.read} {t('read', code)} · "
            f"{summary.new} {t('new', code)} · {summary.known} {t('already known', code)}"
            f" · {summary.rejected} {t('rejected', code)}"
        )
        by_network = ", ".join(f"{n} {c}" for n, c in ws.store.stats()["network"])
        out.print(f"{t('{n} posts in all', code, n=ws.store.count_posts())} ({by_network})")

        query = "recrutement"
        out.print(Rule(t("Search “{q}”", code, q=query)))
        for post in ws.store.search_words([query], limit=5):
            line = f"  {post.created_at:%Y-%m-%d} {post.network:<9} @{post.author}{colon(code)}"
            line += post.text
            out.print(line if len(line) <= 110 else line[:109] + "…", markup=False)

        from veilleur.advise import demo_summary

        out.print(Rule(t("Advise: which network, to do what?", code)))
        out.print(demo_summary(code, store=ws.store), markup=False)

        from veilleur.audit import demo_report

        out.print(Rule(t("Presence audit", code)))
        path = demo_report(ws.store, reports, lang=code)
        out.print(t("Audit report written to {path}", code, path=path), markup=False)

        from veilleur.watch import demo_digest, demo_digest_text

        out.print(Rule(t("Watch: the week's digest", code)))
        digest = demo_digest(ws, reports, lang=code)
        out.print(demo_digest_text(ws, lang=code), markup=False)
        out.print(t("Digest written to {path}", code, path=digest), markup=False)

        from veilleur.publish import demo_compose

        out.print(Rule(t("Publish: one post composed for three networks", code)))
        out.print(demo_compose(code), markup=False)

        out.print(Rule(t("Next", code)))
        command = _command_name()
        for args in ("search emploi", "search '#SemaineDeLEmploi lang:fr'", "stats"):
            out.print(f"  {command} --workspace {ws.path} {args}", markup=False)
        if login:
            from veilleur import accounts

            user, password = accounts.demo_login(ws.store, ws.path)
            out.print(Rule(t("The web workbench", code)))
            out.print(f"  {command} --workspace {ws.path} serve", markup=False)
            out.print(
                t(
                    "then open http://127.0.0.1:8000/ and log in as {email} with the "
                    "password {password}",
                    code,
                    email=user,
                    password=password,
                ),
                markup=False,
            )


def _command_name() -> str:
    """How the user can call veilleur from here: ``make demo`` leaves it in .venv/bin."""
    if shutil.which("veilleur"):
        return "veilleur"
    script = Path(sys.executable).parent / "veilleur"
    return os.path.relpath(script) if script.exists() else "veilleur"
