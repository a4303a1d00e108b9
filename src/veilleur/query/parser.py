"""Recursive-descent parser: query text → typed tree (:mod:`veilleur.query.ast`).

Grammar (precedence NOT > AND > OR; proximity binds tightest)::

    query    := or EOF
    or       := and ("OR" and)*
    and      := unary (["AND"] unary)*            juxtaposition is AND
    unary    := ("NOT" | "-") unary | near
    near     := primary (("NEAR/n" | "ONEAR/n") primary)*
    primary  := "(" or ")" | PHRASE ["~n"] | FIELD ":" value | CHUNK

A proximity operand is a word, a phrase, a wildcard or a parenthesised OR of those;
``(a OR b) NEAR/3 c`` is expanded into ``(a NEAR/3 c) OR (b NEAR/3 c)`` so that every
engine sees proximity between single terms only (SQLite's FTS5 ``NEAR`` takes phrases).

Hand-written rather than generated: the grammar is small, and every error must name the
column and what to write instead, in words a consultant understands.

Bounded (issue 14: a query is user input, and watches run unattended): at most
:data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` nested groups or negations (the parser
recurses), :data:`MAX_TERMS` terms, :data:`MAX_NEAR_OPERANDS` operands in a proximity
chain, counts in ``min_*:`` within a signed 64-bit integer, at most :data:`MAX_STARS` ``*``
in a wildcard, :data:`MAX_WILDCARDS` wildcards. Each refusal is a
:class:`QuerySyntaxError` naming the column (exit 2).
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import MAX_COUNT, parse_datetime
from veilleur.networks import IDS, resolve
from veilleur.query.ast import (
    And,
    DateBound,
    Entity,
    Field,
    Flag,
    MinCount,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Raw,
    Term,
    Title,
    Wildcard,
    Word,
)
from veilleur.query.errors import QuerySyntaxError
from veilleur.query.lexer import Lexeme, lex
from veilleur.text import fold, tokenize

FIELDS = (
    "author", "from", "lang", "network", "site", "url", "title", "since", "until", "has",
    "is", "min_likes", "min_reposts", "min_replies", "raw",
)  # fmt: skip
MAX_EXPANSION = 64
MAX_LENGTH = 10_000
MAX_DEPTH = 64
MAX_TERMS = 500
MAX_NEAR_OPERANDS = 8
MAX_STARS = 8
MAX_WILDCARDS = 50  # each one not a plain prefix scans the index's vocabulary (SQLite)
_HAS = ("link", "media")
_IS = ("reply", "repost", "quote")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LANG = re.compile(r"[a-z]{2,3}|und")
_HANDLE = re.compile(r"[\w.\-]+(?:@[\w\-]+(?:\.[\w\-]+)+)?")
_TAG = re.compile(r"[\w]*[^\W\d_][\w]*")
_CASH = re.compile(r"[A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?")
_PATTERN_CHARS = re.compile(r"[\w*?'’]+")


def _words(text: str) -> list[tuple[str, str]]:
    """(original, folded) of the plain words of ``text``, as the text core cuts them."""
    return [(t.text, t.folded) for t in tokenize(text) if t.kind == "word"]


def _is_elision(folded: str) -> bool:
    return folded.endswith("'")


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise QuerySyntaxError(
                t("query too long ({n} characters, at most {max})", n=len(text), max=MAX_LENGTH),
                MAX_LENGTH + 1,
                t("split it into several watches"),
            )
        self.text = text
        self.lexemes = lex(text)
        self.pos = 0
        self.depth = 0
        self.terms = 0
        self.wildcards = 0

    # -- helpers -------------------------------------------------------------------------

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def take(self) -> Lexeme:
        lexeme = self.lexemes[self.pos]
        self.pos += 1
        return lexeme

    def end_column(self) -> int:
        return len(self.text.rstrip()) + 1

    # -- grammar -------------------------------------------------------------------------

    def parse(self) -> Node:
        if not self.lexemes:
            raise QuerySyntaxError(t("empty query"), 1, t("write at least one word"))
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:
            if extra.kind == ")":
                raise QuerySyntaxError(
                    t("unexpected ')'"), extra.column, t("this parenthesis closes nothing")
                )
            raise QuerySyntaxError(  # pragma: no cover
                t("unexpected {what}", what=extra.kind), extra.column
            )
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (lexeme := self.peek()) is not None and lexeme.kind == "OR":
            self.take()
            children.append(self.parse_and(after=lexeme))
        return children[0] if len(children) == 1 else Or(tuple(_flatten(Or, children)))

    def parse_and(self, after: Lexeme | None = None) -> Node:
        children = [self.parse_unary(after)]
        while (lexeme := self.peek()) is not None and lexeme.kind not in ("OR", ")"):
            if lexeme.kind == "AND":
                self.take()
                children.append(self.parse_unary(after=lexeme))
            else:
                children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(_flatten(And, children)))

    def enter(self, lexeme: Lexeme) -> None:
        """One level deeper (a group or a negation); refused past :data:`MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                t("too many nested groups or negations (at most {max})", max=MAX_DEPTH),
                lexeme.column,
                t("remove parentheses, NOT or '-' that cancel out"),
            )

    def parse_unary(self, after: Lexeme | None = None) -> Node:
        lexeme = self.peek()
        if lexeme is None or lexeme.kind in ("AND", "OR", ")", "NEAR"):
            self.missing_operand(lexeme, after)
        assert lexeme is not None
        if lexeme.kind in ("NOT", "MINUS"):
            self.take()
            self.enter(lexeme)
            node = Not(self.parse_unary(after=lexeme))
            self.depth -= 1
            return node
        return self.parse_near()

    def missing_operand(self, lexeme: Lexeme | None, after: Lexeme | None) -> None:
        column = lexeme.column if lexeme is not None else self.end_column()
        if after is not None and after.kind == "MINUS":
            raise QuerySyntaxError(t("a term is missing after '-'"), column)
        if after is not None:
            raise QuerySyntaxError(t("a term is missing after {name}", name=after.kind), column)
        if lexeme is not None and lexeme.kind == ")":
            raise QuerySyntaxError(t("empty parentheses"), column, t("put a term inside"))
        if lexeme is None:
            raise QuerySyntaxError(t("a term is missing before end of query"), column)
        raise QuerySyntaxError(t("a term is missing before {what}", what=lexeme.kind), column)

    def parse_near(self) -> Node:
        start = self.peek()
        first = self.parse_primary()
        lexeme = self.peek()
        if lexeme is None or lexeme.kind != "NEAR":
            return first
        operands = [self.near_operand(first, lexeme)]
        distance, ordered = lexeme.number, lexeme.ordered
        while (lexeme := self.peek()) is not None and lexeme.kind == "NEAR":
            if (lexeme.number, lexeme.ordered) != (distance, ordered):
                raise QuerySyntaxError(
                    t("chained proximity operators must be the same"),
                    lexeme.column,
                    t("use one operator and distance in a chain, e.g. a NEAR/5 b NEAR/5 c"),
                )
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("AND", "OR", ")", "NEAR", "NOT", "MINUS"):
                self.missing_operand(nxt, lexeme)
            operands.append(self.near_operand(self.parse_primary(), lexeme))
            if len(operands) > MAX_NEAR_OPERANDS:
                raise QuerySyntaxError(
                    t("too many terms in one proximity chain (at most {max})",
                      max=MAX_NEAR_OPERANDS),
                    lexeme.column,
                )  # fmt: skip
        assert distance is not None
        combos = list(itertools.product(*operands))
        if len(combos) > MAX_EXPANSION:
            raise QuerySyntaxError(
                t(
                    "proximity over too many alternatives ({n}, at most {max})",
                    n=len(combos),
                    max=MAX_EXPANSION,
                ),
                start.column if start is not None else 1,
            )
        nears: list[Node] = [Near(tuple(c), distance, ordered) for c in combos]
        return nears[0] if len(nears) == 1 else Or(tuple(nears))

    def near_operand(self, node: Node, op: Lexeme) -> list[Term]:
        alternatives = node.children if isinstance(node, Or) else (node,)
        terms: list[Term] = []
        for alt in alternatives:
            if not isinstance(alt, Word | Phrase | Wildcard):
                raise QuerySyntaxError(
                    t(
                        "NEAR and ONEAR work on words, quoted phrases, wildcards and OR groups "
                        "of them"
                    ),
                    op.column,
                )
            terms.append(alt)
        return terms

    def parse_primary(self) -> Node:
        lexeme = self.take()
        if lexeme.kind == "(":
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QuerySyntaxError(t("empty parentheses"), nxt.column, t("put a term inside"))
            self.enter(lexeme)
            node = self.parse_or()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != ")":
                raise QuerySyntaxError(
                    t("unclosed parenthesis"), lexeme.column, t("add the closing ')'")
                )
            self.take()
            return node
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QuerySyntaxError(
                t("too many terms (at most {max})", max=MAX_TERMS),
                lexeme.column,
                t("split the query into several watches"),
            )
        if lexeme.kind == "PHRASE":
            return self.phrase(lexeme)
        if lexeme.kind == "FIELD":
            return self.field(lexeme)
        if lexeme.kind == "NOT":  # pragma: no cover - handled by parse_unary
            raise QuerySyntaxError(t("misplaced NOT"), lexeme.column)
        return self.chunk(lexeme.text, lexeme.column)

    # -- terms ---------------------------------------------------------------------------

    def phrase(self, lexeme: Lexeme) -> Node:
        words = [folded for _, folded in _words(lexeme.text)]
        if not words:
            raise QuerySyntaxError(
                t("empty phrase"), lexeme.column, t("put words between the quotes")
            )
        if lexeme.number is None:
            return Phrase(tuple(words))
        if len(words) == 1:
            return Phrase(tuple(words))
        return Near(tuple(Phrase((w,)) for w in words), lexeme.number)

    def chunk(self, text: str, column: int) -> Node:
        sigil = text[0]
        if sigil in "#＃@＠$" and len(text) > 1:
            return self.entity(text, column)
        if sigil in "#＃@＠$":
            raise QuerySyntaxError(
                t("'{sigil}' alone", sigil=sigil), column, t("write {sigil}name", sigil=sigil)
            )
        if "*" in text or "?" in text:
            return self.wildcard(text, column)
        return self.word(text, column)

    def word(self, text: str, column: int) -> Word:
        tokens = tokenize(text)
        folded = [t.folded for t in tokens if t.kind == "word"]
        if not folded:
            if any(t.kind == "url" for t in tokens):
                raise QuerySyntaxError(
                    t("'{text}' is a link, not a word", text=text),
                    column,
                    t("write site:{text} or url:{text}", text=text),
                )
            raise QuerySyntaxError(t("nothing to search in '{text}'", text=text), column)
        if len(folded) > 1 and not all(map(_is_elision, folded)):
            folded = [w for w in folded if not _is_elision(w)]  # l'emploi → emploi
        return Word(tuple(folded))

    def wildcard(self, text: str, column: int) -> Term:
        pattern = fold(text).replace("’", "'")
        if not _PATTERN_CHARS.fullmatch(pattern):
            raise QuerySyntaxError(
                t("a wildcard must be one word, got '{text}'", text=text),
                column,
                t("use * and ? inside a single word, e.g. recrut* or organi?ation"),
            )
        if not any(c not in "*?" for c in pattern):
            raise QuerySyntaxError(
                t("a wildcard needs at least one letter, got '{text}'", text=text), column
            )
        while "**" in pattern:
            pattern = pattern.replace("**", "*")
        self.wildcards += 1
        if self.wildcards > MAX_WILDCARDS:
            raise QuerySyntaxError(
                t("too many wildcards (at most {max})", max=MAX_WILDCARDS), column
            )
        if pattern.count("*") > MAX_STARS:
            raise QuerySyntaxError(
                t("too many * in the wildcard '{text}' (at most {max})", text=text, max=MAX_STARS),
                column,
            )
        return Wildcard(pattern)

    def entity(self, text: str, column: int) -> Entity:
        sigil, value = text[0], text[1:]
        if sigil in "#＃":
            if not _TAG.fullmatch(value):
                raise QuerySyntaxError(t("invalid hashtag '{text}'", text=text), column)
            return Entity("hashtag", fold(value))
        if sigil in "@＠":
            if not _HANDLE.fullmatch(value):
                raise QuerySyntaxError(t("invalid account '{text}'", text=text), column)
            return Entity("mention", fold(value))
        if not _CASH.fullmatch(value):
            raise QuerySyntaxError(
                t("invalid cashtag '{text}'", text=text),
                column,
                t("a cashtag is 1 to 6 letters, e.g. $AAPL"),
            )
        return Entity("cashtag", fold(value))

    # -- fields --------------------------------------------------------------------------

    def field(self, lexeme: Lexeme) -> Node:
        name, value, column = lexeme.name, lexeme.text, lexeme.value_column
        if name in ("http", "https"):
            raise QuerySyntaxError(
                t("a link is not a word"),
                lexeme.column,
                t("write site:domain or url:part-of-link"),
            )
        if name not in FIELDS:
            raise QuerySyntaxError(
                t("unknown field '{name}:'", name=name),
                lexeme.column,
                t("known fields: {fields}", fields=", ".join(FIELDS)),
            )
        if not value.strip():
            raise QuerySyntaxError(
                t("empty value for '{name}:'", name=name),
                column,
                t("write {name}:value with no space", name=name),
            )
        if name == "raw":
            words = _words(value)
            if not words:
                raise QuerySyntaxError(t("nothing to search in raw:'{value}'", value=value), column)
            return Raw(value, tuple(w for w, _ in words), tuple(f for _, f in words))
        if name == "title":
            if lexeme.quoted:
                node = self.phrase(Lexeme("PHRASE", column, text=value))
            else:
                node = self.chunk(value, column)
            if not isinstance(node, Word | Phrase | Wildcard):
                raise QuerySyntaxError(
                    t("title: takes a word, a quoted phrase or a wildcard"), column
                )
            return Title(node)
        if name in ("since", "until"):
            return DateBound(name, _date(value, column))  # type: ignore[arg-type]
        if name in ("has", "is"):
            allowed = _HAS if name == "has" else _IS
            if value.lower() not in allowed:
                raise QuerySyntaxError(
                    t("unknown value '{value}' for '{name}:'", value=value, name=name),
                    column,
                    _expected([f"{name}:{v}" for v in allowed]),
                )
            return Flag(value.lower())  # type: ignore[arg-type]
        if name.startswith("min_"):
            if not value.isascii() or not value.isdigit():
                raise QuerySyntaxError(
                    t("'{name}:' needs a whole number, got '{value}'", name=name, value=value),
                    column,
                    t("e.g. {example}", example=f"{name}:10"),
                )
            if len(value) > 19 or int(value) > MAX_COUNT:
                raise QuerySyntaxError(
                    t("'{name}:' number too large (at most {max})", name=name, max=MAX_COUNT),
                    column,
                )
            return MinCount(name[4:], int(value))  # type: ignore[arg-type]
        return self.meta_field("author" if name == "from" else name, value, column)

    def meta_field(self, name: str, value: str, column: int) -> Field:
        if name == "author":
            handle = value.lstrip("@＠")
            if not handle:
                raise QuerySyntaxError(t("empty value for '{name}:'", name="author"), column)
            return Field("author", _ascii_lower(handle))
        if name == "lang":
            code = value.lower().replace("_", "-").split("-", 1)[0]
            if not _LANG.fullmatch(code):
                raise QuerySyntaxError(
                    t("invalid language '{value}'", value=value),
                    column,
                    t("use a code such as fr or en"),
                )
            return Field("lang", code)
        if name == "network":
            try:
                network = resolve(value)  # network:twitter is X
            except UsageError:
                raise QuerySyntaxError(
                    t("unknown network '{value}'", value=value),
                    column,
                    t("known networks: {networks}", networks=", ".join(IDS)),
                ) from None
            return Field("network", network)
        if name == "site":
            host = re.sub(r"^[a-z][a-z0-9+.\-]*://", "", value.lower())
            host = re.split(r"[/?#]", host, maxsplit=1)[0].strip(".")
            if not host or not re.fullmatch(r"[^\s:@]+(?::\d+)?", host):
                raise QuerySyntaxError(
                    t("invalid site '{value}'", value=value),
                    column,
                    t("e.g. {example}", example="site:lemonde.fr"),
                )
            return Field("site", host.split(":", 1)[0])
        return Field("url", value.lower())


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only: what SQLite's NOCASE does, so both engines agree."""
    return text.translate(_ASCII_LOWER)


def _date(value: str, column: int) -> date:
    """A bare day, read by the one date parser of veilleur (:func:`~veilleur.model.parse_datetime`,
    as the commands' ``--since``/``--until``): the bound is that day at 00:00 UTC."""
    try:
        if _DATE.fullmatch(value) is None:
            raise ValueError
        return parse_datetime(value).date()
    except ValueError:
        raise QuerySyntaxError(
            t("invalid date '{value}'", value=value),
            column,
            t("write YYYY-MM-DD, e.g. 2024-03-31"),
        ) from None


def _expected(choices: list[str]) -> str:
    """``expected a or b or c``, in the current language."""
    return t("expected {choices}", choices=t(" or ").join(choices))


def _flatten(kind: type[And] | type[Or], children: list[Node]) -> list[Node]:
    out: list[Node] = []
    for child in children:
        if isinstance(child, kind):
            out.extend(child.children)
        else:
            out.append(child)
    return out


def parse_node(text: str) -> Node:
    """The tree of ``text``; raises :class:`QuerySyntaxError` with the column of the fault."""
    return _Parser(text).parse()
