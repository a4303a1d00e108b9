"""The typed syntax tree of a query, and its normalised text.

Every node is a frozen dataclass; word values are already *folded* (lower case, accents
removed) and split into tokens by the text core when the parser builds them, so the
matcher and the SQL compilers never fold or tokenize query text themselves.

``to_text(node)`` prints the normalised query: explicit ``AND``/``OR``/``NOT``, parentheses
around every group, quoted values. Parsing that text gives the same tree back (the SQLite
compiler relies on it to hand a sub-query to its verification function).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Word:
    """A bare word: matches its stem in the post's language. Several tokens (``part-dieu``)
    must follow one another."""

    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrase:
    """Quoted words: folded, unstemmed, in this order. (``"a b"~n`` is parsed into a
    :class:`Near` of one-word phrases.)"""

    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Wildcard:
    """One unstemmed folded word against a pattern: ``*`` any run, ``?`` one character."""

    pattern: str

    @property
    def prefix(self) -> str:
        """The literal characters before the first wildcard."""
        cut = min(i for i in (self.pattern.find("*"), self.pattern.find("?")) if i >= 0)
        return self.pattern[:cut]

    @property
    def is_prefix(self) -> bool:
        """``recrut*``: a plain prefix, which full-text indexes answer directly."""
        return (
            self.pattern.endswith("*")
            and self.pattern.count("*") == 1
            and "?" not in (self.pattern)
        )


@dataclass(frozen=True, slots=True)
class Raw:
    """``raw:"…"``: the words exactly as written, case and accents included, in order."""

    text: str
    tokens: tuple[str, ...]  # the original token texts
    folded: tuple[str, ...]  # their folded forms (for index narrowing)


Term: TypeAlias = Word | Phrase | Wildcard


@dataclass(frozen=True, slots=True)
class Near:
    """``a NEAR/n b`` (any order) or ``a ONEAR/n b`` (in that order)."""

    operands: tuple[Term, ...]
    distance: int
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """``#tag``, ``@handle`` or ``$CASH``: the entity, never the plain word."""

    kind: Literal["hashtag", "mention", "cashtag"]
    value: str  # folded, without the sigil


@dataclass(frozen=True, slots=True)
class Title:
    """``title:…``: a word, phrase or wildcard in the title only."""

    term: Term


@dataclass(frozen=True, slots=True)
class Field:
    """A condition on the post's metadata (author, lang, network, site, url)."""

    name: Literal["author", "lang", "network", "site", "url"]
    value: str


@dataclass(frozen=True, slots=True)
class DateBound:
    """``since:DATE`` (at or after 00:00 UTC) or ``until:DATE`` (before 00:00 UTC)."""

    name: Literal["since", "until"]
    day: date


@dataclass(frozen=True, slots=True)
class Flag:
    """``has:link``, ``has:media``, ``is:reply``, ``is:repost``, ``is:quote``."""

    name: Literal["link", "media", "reply", "repost", "quote"]


@dataclass(frozen=True, slots=True)
class MinCount:
    """``min_likes:N``, ``min_reposts:N``, ``min_replies:N``: at least N."""

    name: Literal["likes", "reposts", "replies"]
    value: int


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node: TypeAlias = (
    Word
    | Phrase
    | Wildcard
    | Raw
    | Near
    | Entity
    | Title
    | Field
    | DateBound
    | Flag
    | MinCount
    | Not
    | And
    | Or
)

FLAG_FIELDS = {
    "link": "has",
    "media": "has",
    "reply": "is",
    "repost": "is",
    "quote": "is",
}
_SIGILS = {"hashtag": "#", "mention": "@", "cashtag": "$"}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _join(tokens: tuple[str, ...], sep: str) -> str:
    """Tokens joined so that the text core cuts them the same way again (no space after
    an elided article: ``l'emploi``)."""
    out = tokens[0]
    for prev, token in itertools.pairwise(tokens):
        out += ("" if prev.endswith("'") else sep) + token
    return out


def _term_text(term: Term) -> str:
    if isinstance(term, Word):
        return _join(term.tokens, "-")
    if isinstance(term, Phrase):
        return _quote(_join(term.tokens, " "))
    return term.pattern


def to_text(node: Node) -> str:
    """The normalised query text of ``node`` (round-trips through the parser)."""
    if isinstance(node, Word | Phrase | Wildcard):
        return _term_text(node)
    if isinstance(node, Raw):
        return "raw:" + _quote(node.text)
    if isinstance(node, Near):
        op = f" ONEAR/{node.distance} " if node.ordered else f" NEAR/{node.distance} "
        return op.join(_term_text(t) for t in node.operands)
    if isinstance(node, Entity):
        return _SIGILS[node.kind] + node.value
    if isinstance(node, Title):
        return "title:" + _term_text(node.term)
    if isinstance(node, Field):
        plain = node.value and not any(c in node.value for c in ' \t\n()"\\\u00a0\u202f')
        return f"{node.name}:{node.value if plain else _quote(node.value)}"
    if isinstance(node, DateBound):
        return f"{node.name}:{node.day.isoformat()}"
    if isinstance(node, Flag):
        return f"{FLAG_FIELDS[node.name]}:{node.name}"
    if isinstance(node, MinCount):
        return f"min_{node.name}:{node.value}"
    if isinstance(node, Not):
        return "NOT " + _group(node.child)
    if isinstance(node, And):
        return " AND ".join(_group(c) for c in node.children)
    return " OR ".join(_group(c) for c in node.children)


def _group(node: Node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, And | Or | Near) else text
