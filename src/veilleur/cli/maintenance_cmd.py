"""``veilleur backup``, ``veilleur doctor``, ``veilleur relang`` and ``veilleur reindex``: keep
a copy of the workspace's database, check it (both read it only), recompute the posts'
effective languages, rebuild the search index (all through the store's door)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.progress import late_progress
from veilleur.i18n import t


def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(help="A new file, or a folder to write a dated copy in.")],
) -> None:
    """Copy the workspace's database, consistent even while veilleur writes to it."""
    from veilleur.errors import UsageError
    from veilleur.store import backup as backup_database

    ws = workspace(ctx)
    if ws.database_url is not None:
        raise UsageError(
            t(
                "this workspace is kept in PostgreSQL: back it up with  pg_dump -Fc  "
                "(and keep the key file apart)"
            )
        )
    written = backup_database(ws.db_path, dest)
    out.print(t("backup written to {path}", path=written), markup=False)
    err.print(
        t(
            "note: the secrets in it are encrypted with your key file; back it up too "
            "(veilleur doctor names it)"
        ),
        markup=False,
    )


def doctor(ctx: typer.Context) -> None:
    """Check the workspace's database, its permissions and, when one is set, the broker.

    The database: integrity, search index; the broker: it answers, and which workers do."""
    from veilleur import jobs
    from veilleur.store import Finding, diagnose

    ws = workspace(ctx)
    if ws.database_url is not None:
        from veilleur.store import diagnose_database

        findings: list[Finding | jobs.Check] = [*diagnose_database(ws.database_url)]
    else:
        findings = [*diagnose(ws.db_path)]
    if all(f.ok for f in findings if f.check == "integrity"):  # the settings can be read
        findings += jobs.broker_checks(ws)
    for finding in findings:
        advice = isinstance(finding, Finding) and finding.advice
        mark = t("PROBLEM") if not finding.ok else t("to do") if advice else t("ok")
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


def relang(ctx: typer.Context) -> None:
    """Recompute every post's language from its declared one and its text (after an upgrade)."""
    ws = workspace(ctx)
    ws.note_languages = False
    store = ws.store
    with late_progress(t("Checking the posts' languages"), total=store.count_posts()) as bar:
        done = store.relang(progress=bar.advance)
    out.print(
        t(
            "{checked} posts checked: {changed} changed language or source, "
            "{reindexed} indexed anew for search",
            checked=done.checked,
            changed=done.changed,
            reindexed=done.reindexed,
        ),
        markup=False,
    )


def reindex(ctx: typer.Context) -> None:
    """Rebuild the search index with this veilleur's text rules (after an upgrade that says so)."""
    store = workspace(ctx).store
    total = store.count_posts()
    with late_progress(t("Rebuilding the search index"), total=total) as bar:
        done = store.reindex_search(progress=bar.advance)
    out.print(t("search index rebuilt: {n} posts", n=f"{done:,}"), markup=False)


def migrate(ctx: typer.Context) -> None:
    """Bring the workspace's database to this veilleur's schema (SQLite file or PostgreSQL)."""
    from veilleur.store import migrate as migrate_database

    ws = workspace(ctx)
    applied, at, where = migrate_database(ws.database_url, ws.db_path)
    if applied:
        out.print(
            t("{db}: revisions applied: {revisions}", db=where, revisions=", ".join(applied)),
            markup=False,
        )
    out.print(t("{db} is at revision {revision}", db=where, revision=at), markup=False)


def copy(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="The empty PostgreSQL database: postgresql://…")],
) -> None:
    """Copy this SQLite workspace into PostgreSQL, verified table by table."""
    from veilleur.errors import UsageError
    from veilleur.store import copy_to
    from veilleur.store import is_database_url as is_url
    from veilleur.store import shown_url as shown

    if not is_url(to):
        raise UsageError(t("--to expects a PostgreSQL URL (postgresql://…), not {url}", url=to))
    ws = workspace(ctx)
    if ws.database_url is not None:
        raise UsageError(t("this workspace is already kept in {url}", url=shown(ws.database_url)))
    store = ws.store
    with late_progress(t("Copying the workspace"), total=None) as bar:
        copied = copy_to(
            store,
            to,
            lambda table, n: bar.advance(n, description=t("Copying {table}", table=table)),
        )
    for table in copied:
        out.print(
            t(
                "{table}: {rows} rows, checksum {checksum}",
                table=table.table,
                rows=f"{table.rows:,}",
                checksum=table.checksum[:16],
            ),
            markup=False,
        )
    out.print(
        t(
            "copied and verified into {url}; to work there, write that URL in {file} "
            "or set VEILLEUR_DATABASE_URL",
            url=shown(to),
            file=ws.path / "database.url",
        ),
        markup=False,
    )
