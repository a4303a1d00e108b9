"""The search index: one interface, one implementation per backend.

Every post written to the store is indexed for the query language in the same transaction
(:meth:`SearchIndex.index_posts`), and a query tree (:func:`veilleur.query.parse`) is
answered by :meth:`SearchIndex.search` and :meth:`SearchIndex.count` with exactly the posts
the in-memory matcher (:mod:`veilleur.query.matcher`) selects — the differential property
test (tests/test_query_differential.py) holds every implementation to it.

Implementations: :class:`veilleur.store.search_sqlite.SQLiteSearch` (FTS5). The PostgreSQL
one is :class:`veilleur.store.postgres.PgSearch`. What an implementation compiles a query
to is a :class:`Compiled`: the ``FROM posts p … WHERE …`` part of a SELECT, so the store
can count, group or page the matching posts
(:meth:`veilleur.store.SQLiteStore.count_by_network`) on any backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from veilleur.errors import VeilleurError
from veilleur.model import Post
from veilleur.query.ast import Node

IndexRow = tuple[int, str, str, str | None, str | None]
"""What is indexed of a post: its ``pk``, ``created_at`` (the store's text; the SQLite index
orders its rows by it), ``text``, ``title`` and ``lang``."""


class SearchError(VeilleurError):
    """The database refused a compiled query (a term its full-text engine cannot parse)."""

    exit_code = 2


class RulesCheck:
    """The text rules an index was built with (``built_with``, the setting
    ``search.rules``) against today's :data:`veilleur.query.analysis.RULES_VERSION`: a
    stale index refuses to answer rather than answer from words the matcher no longer
    sees. Shared by every backend's index."""

    built_with: str

    @property
    def stale(self) -> bool:
        from veilleur.query.analysis import RULES_VERSION

        return self.built_with != RULES_VERSION

    def _check_fresh(self) -> None:
        if self.stale:
            from veilleur.i18n import t
            from veilleur.query.analysis import RULES_VERSION

            raise SearchError(
                t(
                    "the search index was built with other text rules (version {old}, "
                    "this veilleur: {new}): run  veilleur reindex",
                    old=self.built_with,
                    new=RULES_VERSION,
                )
            )


class Compiled(Protocol):
    """A query compiled for one backend."""

    def from_where(self) -> tuple[str, list[Any]]:
        """``FROM posts p [JOIN …] [WHERE …]`` and its parameters, to wrap in a SELECT."""
        ...


class SearchIndex(Protocol):
    """Indexes posts for the query language and answers query trees."""

    def index_posts(self, tx: Any, rows: Iterable[IndexRow]) -> int:
        """Index these posts in the caller's transaction ``tx``; returns how many."""
        ...

    def index_after(self, tx: Any, after_pk: int) -> int:
        """Index every stored post with ``pk > after_pk`` (just written, or all of them)."""
        ...

    def reindex_posts(self, tx: Any, rows: Sequence[IndexRow]) -> int:
        """Index these already indexed posts anew (their language changed); how many.
        Called before ``posts`` changes: the SQLite index is contentless and deletes a
        post's old row with the values the stored post gives."""
        ...

    def compile(self, node: Node) -> Compiled:
        """The backend's form of ``node``."""
        ...

    def search(self, node: Node, *, sort: str = "date", limit: int | None = 50) -> list[Post]:
        """Posts matching ``node``, newest first, or best match first (``"relevance"``)."""
        ...

    def count(self, node: Node) -> int:
        """How many posts match ``node``."""
        ...
