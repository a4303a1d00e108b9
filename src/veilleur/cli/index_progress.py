"""Bringing the watch's index up to date before a digest, with a progress bar when it is long.

The first digest of a large workspace indexes every post collected so far (about two
minutes for a million posts on two cores): a consultant must see that it is working.
"""

from __future__ import annotations

from veilleur.cli.context import err, progress_wanted
from veilleur.i18n import t
from veilleur.store import SQLiteStore

SHOW_FROM = 20_000  # fewer posts than this take a few seconds: no bar


def update_with_progress(store: SQLiteStore, lang: str | None = None) -> None:
    """Index the posts added since the last run; a bar on a terminal when there are many."""
    from veilleur.watch import pending_posts, update_index

    pending = pending_posts(store)
    if not pending:
        return
    if not progress_wanted() or pending < SHOW_FROM:
        update_index(store)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(t("Indexing new posts (duplicates, stories)", lang), total=pending)
        update_index(store, progress=lambda n: bar.advance(task, n))
