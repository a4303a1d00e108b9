"""The interface every backend's query compiler implements, and how PostgreSQL will do it.

A compiler turns a query tree (:mod:`veilleur.query.ast`) into whatever its store runs;
the in-memory matcher (:mod:`veilleur.query.matcher`) is the reference meaning, and the
differential property test (tests/test_query_differential.py) must pass against every
backend. :class:`veilleur.store.search_sqlite.SQLiteCompiler` is the first implementation.

PostgreSQL mapping (to be implemented with the PostgreSQL store)
-----------------------------------------------------------------

Index: the same :class:`veilleur.query.analysis.Doc` as SQLite, one ``tsvector`` column
per kind, built with the ``simple`` configuration from the tokens veilleur computed (so that
stems are exactly the Python ones; PostgreSQL's ``unaccent`` + ``french_stem`` chain gives
the same Snowball stems, but computing them once in Python removes any doubt)::

    w, tw        to_tsvector('simple', <folded words, space-joined>)
    fr, tfr      to_tsvector('simple', <French stems>)   empty unless read in French
    en, ten      to_tsvector('simple', <English stems>)  empty unless read in English
    tags, ment, cash, dom, meta   arrays (text[]) with GIN indexes

Positions in a ``simple`` tsvector are the word positions, aligned between a field's words
and stems, as in FTS5.

Nodes:

* ``Word`` → ``fr @@ 's1 <-> s2'::tsquery OR en @@ …`` (text and title columns);
* ``Phrase`` → ``w @@ 'a <-> b'::tsquery``; prefix ``Wildcard`` → ``w @@ 'recrut:*'``;
* ``And``/``Or``/``Not`` → SQL ``AND``/``OR``/``NOT`` (or ``&``/``|``/``!!`` inside one
  tsquery when all children are tsquery pieces of one column);
* ``Near`` of single-word operands, distance n, any order → the disjunction over
  ``d = 1 … n + 1`` of ``a <d> b | b <d> a`` (``<d>`` is "exactly d positions later"),
  plus ``a & b`` restricted by the matcher when ``a`` and ``b`` share a stem (FTS5 lets
  one occurrence satisfy both); ``ONEAR`` keeps the ``a <d> b`` half; operands of several
  words, and more than two operands, are narrowed with ``&`` and decided by the matcher;
* ``?`` wildcards, inner ``*``, ``raw:``, ``url:`` → narrowed by the index (the literal
  prefix, the folded phrase, ``position(… in lower(text))``) and decided by the matcher, as
  in SQLite (a PL/Python function, or in the application on the narrowed rows);
* ``Entity`` → ``tags @> ARRAY['value']``; ``site:`` → ``dom @> ARRAY['lemonde.fr']``;
* fields, dates, flags and counts → the same SQL conditions as SQLite, with
  ``coalesce(…, false)`` so that a NULL never turns ``NOT`` into unknown.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from veilleur.query.ast import Node

CompiledT_co = TypeVar("CompiledT_co", covariant=True)


class QueryCompiler(Protocol[CompiledT_co]):
    """Turns a query tree into what one backend runs (SQL text and parameters, …)."""

    def compile(self, node: Node) -> CompiledT_co:
        """The backend's form of ``node``; must select exactly the posts the matcher does."""
        ...
