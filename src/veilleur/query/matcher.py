"""The in-memory engine: does one post match a query tree?

This is the reference meaning of the language; the SQL compilers must give the same
answers (a differential property test holds them to it). The semantics are spelled out in
:mod:`veilleur.query.analysis` (what words, stems and entities a post has) and here:

* proximity follows SQLite FTS5's ``NEAR`` exactly: with ``M`` the start of the operand
  occurrence that starts last, every operand ``i`` must start at ``p_i`` with
  ``M - p_i <= len_i + n`` — at most ``n`` words between the end of each operand and the
  start of the last one; occurrences may overlap, and ``a NEAR/n a`` holds when ``a``
  occurs once;
* ``ONEAR/n`` adds order: each operand ends before the next one starts, with at most ``n``
  words in between;
* ``?`` stands for exactly one character of the folded word, ``*`` for any run (also
  empty).

Cost stays near-linear in the size of the post whatever the query (issue 14): proximity is
decided over sorted positions with binary search (``O(P log P)`` for ``P`` occurrences,
never the product of the operands' occurrences), and a wildcard's regular expression
cannot backtrack catastrophically (see :func:`pattern_regex`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time
from functools import lru_cache

from veilleur.model import Post
from veilleur.query.analysis import FIELD_NAMES, Doc, analyze
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
from veilleur.text.stemming import stem_folded

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, as SQLite's ``lower()`` and ``NOCASE`` do."""
    return text.translate(_ASCII_LOWER)


def lang_code(lang: str | None) -> str:
    """The primary subtag ``lang:`` compares (``fr-CA`` → ``fr``); ``und`` when unknown."""
    if not lang:
        return "und"
    return ascii_lower(lang).replace("_", "-").split("-", 1)[0]


def _segment(part: str) -> str:
    return "".join("." if c == "?" else re.escape(c) for c in part)


@lru_cache(maxsize=1024)
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a wildcard pattern over one folded word (``fullmatch``).

    ``*a*b*c`` written naively as ``.*a.*b.*c`` backtracks in time exponential in the number
    of stars on a long word. Glob matching has a greedy answer: between two stars, the
    earliest occurrence of a fixed-length segment is always the best choice. So each middle
    segment is an atomic group ``(?>.*?seg)`` (no return into it) and only the last segment
    is anchored at the end: linear in the word for each star.
    """
    parts = pattern.split("*")
    if len(parts) == 1:
        return re.compile(_segment(pattern), re.DOTALL)
    middle = "".join(f"(?>.*?{_segment(p)})" for p in parts[1:-1] if p)
    return re.compile(_segment(parts[0]) + middle + ".*" + _segment(parts[-1]), re.DOTALL)


@lru_cache(maxsize=4096)
def word_stems(tokens: tuple[str, ...], reading: str) -> tuple[str, ...]:
    return tuple(stem_folded(t, reading) for t in tokens)


def _starts(seq: Sequence[str], sub: Sequence[str]) -> list[int]:
    """Positions where ``sub`` occurs in ``seq``."""
    n = len(sub)
    first = sub[0]
    return [
        i
        for i, item in enumerate(seq)
        if item == first and (n == 1 or list(seq[i : i + n]) == list(sub))
    ]


def _contains(seq: Sequence[str], sub: Sequence[str]) -> bool:
    if len(sub) == 1:
        return sub[0] in seq
    return bool(_starts(seq, sub))


def term_positions(term: Term, doc: Doc, reading: str, name: str) -> list[int]:
    """Start positions of ``term`` in field ``name`` of ``doc`` read in ``reading``."""
    if isinstance(term, Word):
        return _starts(doc.stems(reading, name), word_stems(term.tokens, reading))
    words = doc.fields[name].words
    if isinstance(term, Phrase):
        return _starts(words, term.tokens)
    regex = pattern_regex(term.pattern)
    return [i for i, w in enumerate(words) if regex.fullmatch(w)]


def term_length(term: Term) -> int:
    return 1 if isinstance(term, Wildcard) else len(term.tokens)


def _has_between(starts: list[int], low: int, high: int) -> bool:
    """Whether the sorted ``starts`` hold a value in ``[low, high]``."""
    k = bisect_left(starts, low)
    return k < len(starts) and starts[k] <= high


def near_holds(positions: list[list[int]], lengths: list[int], n: int, ordered: bool) -> bool:
    """FTS5's NEAR rule (or its ordered variant) over the operands' start positions
    (each list ascending, as :func:`term_positions` gives them)."""
    if any(not p for p in positions):
        return False
    if ordered:
        return _ordered(positions, lengths, n)
    others = range(len(positions))
    for j, starts in enumerate(positions):
        for last in starts:
            if all(
                _has_between(positions[i], last - lengths[i] - n, last) for i in others if i != j
            ):
                return True
    return False


def _ordered(positions: list[list[int]], lengths: list[int], n: int) -> bool:
    """ONEAR: operand ``i + 1`` starts between the end of operand ``i`` and ``n`` words
    after it. Dynamic programming over the reachable starts of each operand, level by level
    (the search this replaces tried every combination: exponential in the chain)."""
    reachable = positions[0]
    for i in range(1, len(positions)):
        ends = [p + lengths[i - 1] for p in reachable]  # ascending
        reachable = [p for p in positions[i] if bisect_right(ends, p) > bisect_left(ends, p - n)]
        if not reachable:
            return False
    return True


def _near(node: Near, doc: Doc, fields: Sequence[str] = FIELD_NAMES) -> bool:
    lengths = [term_length(t) for t in node.operands]
    needs_reading = any(isinstance(t, Word) for t in node.operands)
    for reading in doc.readings if needs_reading else doc.readings[:1]:
        for name in fields:
            positions = [term_positions(t, doc, reading, name) for t in node.operands]
            if near_holds(positions, lengths, node.distance, node.ordered):
                return True
    return False


def _term(term: Term, doc: Doc, fields: Sequence[str] = FIELD_NAMES) -> bool:
    if isinstance(term, Word):
        for reading in doc.readings:
            stems = word_stems(term.tokens, reading)
            if len(stems) == 1 and fields is FIELD_NAMES:
                if stems[0] in doc.stem_set(reading):
                    return True
            elif any(_contains(doc.stems(reading, name), stems) for name in fields):
                return True
        return False
    if isinstance(term, Phrase):
        if len(term.tokens) == 1 and fields is FIELD_NAMES:
            return term.tokens[0] in doc.word_set
        return any(_contains(doc.fields[name].words, term.tokens) for name in fields)
    regex = pattern_regex(term.pattern)
    return any(regex.fullmatch(w) for name in fields for w in doc.fields[name].words)


def _midnight(day: object) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)  # type: ignore[arg-type]


def evaluate(node: Node, doc: Doc, post: Post) -> bool:
    """Whether the post (and its analysis ``doc``) matches ``node``."""
    if isinstance(node, And):
        return all(evaluate(c, doc, post) for c in node.children)
    if isinstance(node, Or):
        return any(evaluate(c, doc, post) for c in node.children)
    if isinstance(node, Not):
        return not evaluate(node.child, doc, post)
    if isinstance(node, Word | Phrase | Wildcard):
        return _term(node, doc)
    if isinstance(node, Near):
        return _near(node, doc)
    if isinstance(node, Title):
        return _term(node.term, doc, ("title",))
    if isinstance(node, Raw):
        return any(_contains(doc.fields[name].raw, node.tokens) for name in FIELD_NAMES)
    if isinstance(node, Entity):
        found = {"hashtag": doc.hashtags, "mention": doc.mentions, "cashtag": doc.cashtags}
        return node.value in found[node.kind]
    return _meta(node, doc, post)


def _meta(node: Field | DateBound | Flag | MinCount, doc: Doc, post: Post) -> bool:
    if isinstance(node, Field):
        if node.name == "author":
            return ascii_lower(post.author) == node.value
        if node.name == "lang":
            return lang_code(post.lang) == node.value
        if node.name == "network":
            return post.network == node.value
        if node.name == "site":
            return node.value in doc.domains
        return any(node.value in url.lower() for url in doc.urls)
    if isinstance(node, DateBound):
        bound = _midnight(node.day)
        return post.created_at >= bound if node.name == "since" else post.created_at < bound
    if isinstance(node, Flag):
        if node.name == "link":
            return bool(doc.urls)
        if node.name == "media":
            return bool(post.media)
        value = {"reply": post.reply_to, "repost": post.repost_of, "quote": post.quote_of}
        return value[node.name] is not None
    count = {"likes": post.likes, "reposts": post.reposts, "replies": post.replies}[node.name]
    return count is not None and count >= node.value


def doc_of(post: Post) -> Doc:
    return analyze(post.text, post.title, post.lang)


def matcher(node: Node) -> Callable[[Post], bool]:
    """A function telling whether one post matches ``node``."""

    def matches(post: Post) -> bool:
        return evaluate(node, doc_of(post), post)

    return matches


Predicate = Callable[[Doc, Post], bool]


def _word_set_check(words: list[Word]) -> Predicate:
    """Any of several one-word terms: one set intersection per reading, not one per word."""
    by_reading = {r: frozenset(word_stems(w.tokens, r)[0] for w in words) for r in ("fr", "en")}

    def check(doc: Doc, post: Post) -> bool:
        return any(not by_reading[r].isdisjoint(doc.stem_set(r)) for r in doc.readings)

    return check


def compile_node(node: Node) -> Predicate:
    """``node`` as a closure, with stems computed once: what :class:`Query` runs. Same
    answers as :func:`evaluate` (the engine tests run through it)."""
    if isinstance(node, And | Or):
        singles = [c for c in node.children if isinstance(c, Word) and len(c.tokens) == 1]
        others = [c for c in node.children if not (isinstance(c, Word) and len(c.tokens) == 1)]
        parts: list[Predicate] = []
        if isinstance(node, Or) and singles:
            parts.append(_word_set_check(singles))
        else:
            parts.extend(_word_set_check([w]) for w in singles)
        parts.extend(compile_node(c) for c in others)
        if isinstance(node, And):
            return lambda doc, post: all(part(doc, post) for part in parts)
        return lambda doc, post: any(part(doc, post) for part in parts)
    if isinstance(node, Not):
        inner = compile_node(node.child)
        return lambda doc, post: not inner(doc, post)
    if isinstance(node, Word) and len(node.tokens) == 1:
        return _word_set_check([node])
    return lambda doc, post: evaluate(node, doc, post)
