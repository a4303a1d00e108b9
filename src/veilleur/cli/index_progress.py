"""Bringing the watch's index up to date before a digest, with a progress bar when it is long.

The first digest of a large workspace indexes every post collected so far (about two
minutes for a million posts on two cores): a consultant must see that it is working. The
bar appears once the indexing has run for two seconds (:mod:`veilleur.cli.progress`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.cli.progress import late_progress
from veilleur.i18n import t

if TYPE_CHECKING:
    from veilleur.store import SQLiteStore


def update_with_progress(store: SQLiteStore, lang: str | None = None) -> None:
    """Index the posts added since the last run; a bar on a terminal when it takes a while."""
    from veilleur.watch import pending_posts, update_index

    pending = pending_posts(store)
    if not pending:
        return
    with late_progress(t("Indexing new posts (duplicates, stories)", lang), total=pending) as bar:
        update_index(store, progress=bar.advance)
