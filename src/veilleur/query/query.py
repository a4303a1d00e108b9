"""``Query``: a parsed query, its normalised text, and its in-memory matcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from veilleur.model import Post
from veilleur.query.analysis import Doc
from veilleur.query.ast import Node, to_text
from veilleur.query.matcher import Predicate, compile_node, doc_of
from veilleur.query.parser import parse_node


@dataclass(frozen=True, slots=True)
class Query:
    """A query: the text as written, and its tree."""

    text: str
    root: Node = field(compare=False)
    _predicate: Predicate = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_predicate", compile_node(self.root))

    @property
    def normalized(self) -> str:
        """Explicit operators, a group in parentheses, folded words: what the engines run."""
        return to_text(self.root)

    def matches(self, post: Post) -> bool:
        """Whether ``post`` matches (the reference meaning every SQL backend follows)."""
        return self._predicate(doc_of(post), post)

    def matches_doc(self, doc: Doc, post: Post) -> bool:
        """Same, with the post's analysis already made (several queries over one post)."""
        return self._predicate(doc, post)

    def __str__(self) -> str:
        return self.normalized


def parse(text: str) -> Query:
    """Parse ``text``; raises :class:`veilleur.query.QuerySyntaxError` (with ``.column``)."""
    return Query(text, parse_node(text))


def compile_matcher(query: str | Query) -> Callable[[Post], bool]:
    """A predicate over posts for ``query`` (text, parsed once, or a parsed :class:`Query`)."""
    return (parse(query) if isinstance(query, str) else query).matches
