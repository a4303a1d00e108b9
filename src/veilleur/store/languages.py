"""Every post's effective language, at ingest and for a workspace written before it existed.

The rule is :func:`veilleur.text.resolve_language` (the declared language when the text
agrees or says too little, the detected one when there is no declaration or the text
contradicts it with confidence); this module applies it where posts are stored:

* :func:`settle_language` on each post :meth:`SQLiteStore.write_posts` receives, whatever
  wrote it (importers, collectors, the demo): ``lang`` becomes the effective language,
  ``lang_declared`` keeps the declaration, ``lang_source`` says which was used. It always
  starts again from the declaration, so writing a post read from the store changes nothing.
* :func:`relang` recomputes it for every stored post (``veilleur relang``): after the
  upgrade to revision 0003, which leaves existing posts unresolved, or after the detector
  changed. Posts whose reading for the query language changes (read in French, in English,
  or both) are indexed anew, in the same transaction as their new language.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from veilleur.model import Post
from veilleur.query.analysis import readings
from veilleur.store.search import IndexRow, SearchIndex
from veilleur.text import resolve_language

if TYPE_CHECKING:
    from veilleur.store.prepared import Prepared


@dataclass(slots=True)
class LanguageUpdate:
    """What :func:`relang` did: posts read, posts whose language (or its source) changed,
    posts indexed anew for the query language."""

    checked: int = 0
    changed: int = 0
    reindexed: int = 0


def declared_language(post: Post) -> str | None:
    """What ``post`` declares: ``lang`` until it is resolved, ``lang_declared`` after."""
    return post.lang_declared if post.lang_source is not None else post.lang


def settle_language(post: Post, prepared: Prepared | None = None) -> None:
    """Give ``post`` its effective language (``lang``, ``lang_declared``, ``lang_source``);
    ``prepared``: the same, computed by an import's worker process where it was."""
    declared = declared_language(post)
    if prepared is None:
        choice = resolve_language(declared, post.text, post.title)
    else:
        choice = prepared.language(declared, post.text, post.title)
    post.lang, post.lang_declared, post.lang_source = choice.lang, declared, choice.source


def languages_pending(conn: sqlite3.Connection) -> int:
    """Posts not resolved yet (answered by the partial index ``posts_lang_pending``)."""
    row = conn.execute("SELECT count(*) FROM posts WHERE lang_source IS NULL").fetchone()
    return int(row[0])


_READ = (
    "SELECT pk, created_at, text, title, lang, lang_declared, lang_source FROM posts "
    "WHERE pk > ? ORDER BY pk LIMIT ?"
)
_UPDATE = "UPDATE posts SET lang = ?, lang_declared = ?, lang_source = ? WHERE pk = ?"


def relang(
    conn: sqlite3.Connection,
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
    search: SearchIndex,
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = 2000,
) -> LanguageUpdate:
    """Recompute the effective language of every stored post, ``batch`` posts a
    transaction: an interruption keeps the batches done, and running it again changes
    nothing (idempotent). ``progress(n)`` is called after each batch of ``n`` posts."""
    update = LanguageUpdate()
    last = 0
    while True:
        with transaction() as tx:
            rows = tx.execute(_READ, (last, batch)).fetchall()
            if not rows:
                return update
            changed: list[tuple[str, str | None, str, int]] = []
            again: list[IndexRow] = []
            for pk, created_at, text, title, lang, lang_declared, source in rows:
                declared = lang_declared if source is not None else lang
                choice = resolve_language(declared, text, title)
                if (choice.lang, declared, choice.source) == (lang, lang_declared, source):
                    continue
                changed.append((choice.lang, declared, choice.source, pk))
                if readings(lang) != readings(choice.lang):
                    again.append((pk, created_at, text, title, choice.lang))
            if again:  # first: the index deletes the old rows from the posts as stored
                search.reindex_posts(tx, again)
            tx.executemany(_UPDATE, changed)
        update.checked += len(rows)
        update.changed += len(changed)
        update.reindexed += len(again)
        last = rows[-1][0]
        if progress is not None:
            progress(len(rows))
