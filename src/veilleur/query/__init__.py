"""The query language: parse → typed tree → in-memory matcher, and compilers to SQL.

    from veilleur.query import parse, QuerySyntaxError
    query = parse('(recrutement OR embauche) lang:fr -stage')
    query.matches(post)        # one post, in memory (alerts, collectors)
    query.normalized           # the canonical text: explicit AND/OR/NOT and parentheses

The language itself is described in docs/query-language.md. The SQLite compiler is
:mod:`veilleur.store.search_sqlite`; :mod:`veilleur.query.compiler` is the interface other
backends (PostgreSQL) implement. Both engines give the same posts as the matcher: a
differential property test checks it.
"""

from __future__ import annotations

from veilleur.query.ast import Node, to_text
from veilleur.query.errors import QuerySyntaxError
from veilleur.query.query import Query, compile_matcher, parse

__all__ = ["Node", "Query", "QuerySyntaxError", "compile_matcher", "parse", "to_text"]
