"""Fuzzing the query parser (issue 14): whatever the text, ``parse`` returns a query or
raises :class:`QuerySyntaxError` with a column inside the text — never another exception
(RecursionError, OverflowError, ValueError…). A parsed query matches a post without error
and prints a normalised text that parses again. Fast settings in ``make test``, the long run under
``-m long``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from veilleur.model import Post
from veilleur.query import QuerySyntaxError, parse
from veilleur.query.matcher import pattern_regex

POST = Post(
    "p", "mastodon", "marie", "Recrutement à Lyon : l'équipe #RH cherche @paul $AAPL "
    "https://exemple.fr/offre près de la Part-Dieu", datetime(2026, 1, 1, tzinfo=UTC),
    lang="fr", title="Offre d'emploi", likes=3,
)  # fmt: skip

PIECES = [
    "(", ")", "AND", "OR", "NOT", "-", "NEAR/3", "ONEAR/2", "NEAR/", "NEAR/99999", '"', "~2",
    "recrut*", "a?c", "*", "?", "#tag", "@u@h.fr", "$AAPL", "lang:fr", "min_likes:",
    "min_likes:99999999999999999999", "since:2026-13-40", "title:", 'title:"a b"', "site:",
    "url:x", "raw:Été", "network:twitter", "has:link", "is:reply", "author:@x", "l'emploi",
    "Part-Dieu", "²", "\x00", "\u202e", "é", "\U0001f600", " ", "\t", "\n", "https://a.fr",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
)

words = st.sampled_from(["emploi", "recrut*", '"offre d\'emploi"', "#rh", "lang:fr", "lyon",
                         "a?c", "@paul", "min_likes:2", "title:offre"])  # fmt: skip


def _tree(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return words
    inner = _tree(depth - 1)
    return st.one_of(
        words,
        inner.map(lambda q: f"({q})"),
        inner.map(lambda q: f"NOT {q}"),
        inner.map(lambda q: f"-{q}"),
        st.tuples(inner, st.sampled_from(["AND", "OR", ""]), inner).map(" ".join),
    )


# Well-formed queries, some nested far past the depth bound.
deep = st.one_of(
    _tree(4),
    st.tuples(st.integers(1, 300), _tree(2)).map(lambda nq: "(" * nq[0] + nq[1] + ")" * nq[0]),
    st.tuples(st.integers(1, 300), st.sampled_from(["NOT ", "-", "- ", "NOT -"]), words).map(
        lambda x: x[1] * x[0] + x[2]
    ),
)


def _check(text: str) -> None:
    try:
        query = parse(text)
    except QuerySyntaxError as exc:
        assert 1 <= exc.column <= max(len(text), 10_000) + 1, (text, exc.column)
        assert f"at column {exc.column}" in str(exc)
        return
    query.matches(POST)
    parse(query.normalized)  # the text the SQLite compiler hands back to the matcher
    # (not always the same tree: '¼' folds to '1⁄4', which reads as two words; see the
    # notes in docs/security.md)


FAST = settings(
    max_examples=300, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
LONG = settings(FAST, max_examples=20_000)


@seed(14)
@FAST
@given(text=st.one_of(texts, deep))
def test_parse_never_raises_anything_else(text: str) -> None:
    _check(text)


@pytest.mark.long
@seed(1414)
@LONG
@given(text=st.one_of(texts, deep))
def test_parse_never_raises_anything_else_long(text: str) -> None:
    _check(text)


def _naive(pattern: str) -> re.Pattern[str]:
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL)


@seed(15)
@settings(max_examples=500, deadline=None, database=None)
@given(
    pattern=st.text(alphabet="ab*?", min_size=1, max_size=8),
    word=st.text(alphabet="abc", max_size=12),
)
def test_wildcard_regex_means_what_the_naive_one_means(pattern: str, word: str) -> None:
    """The backtracking-free regex of a wildcard accepts exactly the same words."""
    assert bool(pattern_regex(pattern).fullmatch(word)) == bool(_naive(pattern).fullmatch(word))
