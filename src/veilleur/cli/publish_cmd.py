"""``veilleur publish --due``: send the due posts of the queue, each at most once."""

from __future__ import annotations

from typing import Annotated

import typer

from veilleur import publish as publishing
from veilleur.cli.context import err, out, workspace
from veilleur.errors import UsageError
from veilleur.i18n import _, t


def publish(
    ctx: typer.Context,
    due: Annotated[
        bool,
        typer.Option(
            "--due", help="Publish every scheduled post whose time has come (and due retries)."
        ),
    ] = False,
) -> None:
    """Publish the queue's due posts to Mastodon and Bluesky; safe to run twice or after a crash."""
    if not due:
        raise UsageError(_("say what to publish: --due (the scheduled posts whose time has come)"))
    report = publishing.publish_due_posts(workspace(ctx))
    for post in report.published:
        note = t(" (recovered after an interruption)") if post.id in report.reconciled else ""
        line = t(
            "published {id} {network} {url}", id=post.id, network=post.network, url=post.url or ""
        )
        out.print(line + note, markup=False)
    for post in report.failed:
        retry = (
            t("; next try {when} UTC", when=f"{post.next_attempt_at:%Y-%m-%d %H:%M}")
            if post.next_attempt_at
            else t("; not retried ('veilleur queue retry')")
        )
        line = t(
            "failed {id} {network}: {error}",
            id=post.id,
            network=post.network,
            error=post.last_error,
        )
        err.print(line + retry, markup=False)
    for post_id in report.busy:
        line = t("post {id} is being published by another process: left to it", id=post_id)
        out.print(line, markup=False)
    if not report.published and not report.failed and not report.busy:
        out.print(t("nothing due"))
    if report.failed:
        raise typer.Exit(1)
