"""``veilleur backup``, ``veilleur doctor`` and ``veilleur reindex``: keep a copy of the
workspace's database, check it (both read it only), rebuild its search index (through the
store's door)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.progress import late_progress
from veilleur.i18n import t
from veilleur.store import backup as backup_database
from veilleur.store import diagnose


def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(help="A new file, or a folder to write a dated copy in.")],
) -> None:
    """Copy the workspace's database, consistent even while veilleur writes to it."""
    written = backup_database(workspace(ctx).db_path, dest)
    out.print(t("backup written to {path}", path=written), markup=False)
    err.print(
        t(
            "note: the secrets in it are encrypted with your key file; back it up too "
            "(veilleur doctor names it)"
        ),
        markup=False,
    )


def doctor(ctx: typer.Context) -> None:
    """Check the workspace's database (integrity, search index) and its permissions."""
    findings = diagnose(workspace(ctx).db_path)
    for finding in findings:
        mark = t("ok") if finding.ok else t("PROBLEM")
        out.print(f"{mark:8} {t(finding.check)}: {finding.detail}", markup=False)
    if not all(f.ok for f in findings):
        err.print(
            t(
                "problems found: restore a backup (veilleur backup) for a damaged database; "
                "chmod go-rwx for loose permissions"
            ),
            markup=False,
        )
        raise typer.Exit(1)


def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index with this veilleur's text rules (after an upgrade that says so)."""
    store = workspace(ctx).store
    total = store.count_posts()
    with late_progress(t("Rebuilding the search index"), total=total) as bar:
        done = store.reindex_search(progress=bar.advance)
    out.print(t("search index rebuilt: {n} posts", n=f"{done:,}"), markup=False)
