"""Queries are bounded (issue 14): each probe that crashed or ran for seconds is now a
QuerySyntaxError naming the column (exit 2), or runs in near-linear time."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from veilleur.model import Post
from veilleur.query import QuerySyntaxError, parse
from veilleur.query.matcher import near_holds, pattern_regex
from veilleur.query.parser import MAX_DEPTH, MAX_TERMS


@contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Not a timing assertion: a guard so that a regression fails instead of hanging (the
    cases below ran for minutes or hours before the fix, milliseconds after)."""

    def stop(*_: object) -> None:
        raise TimeoutError("still running: the bound is gone")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("query", "column", "words"),
    [
        ("(" * 200 + "a" + ")" * 200, MAX_DEPTH + 1, "nested"),
        ("NOT " * 5000 + "a", None, "too long"),
        ("NOT " * 1000 + "a", 4 * MAX_DEPTH + 1, "nested"),
        ("-" * 5000 + "a", MAX_DEPTH + 1, "nested"),
        ("-NOT (" * 40 + "a" + ")" * 40, None, "nested"),
        ("min_likes:99999999999999999999", 11, "too large"),
        ("min_reposts:9223372036854775808", 13, "too large"),
        ("min_likes:" + "9" * 5000, 11, "too large"),
        (" ".join(f"mot{i}" for i in range(10_000)), None, "too long"),
        (" ".join(f"m{i}" for i in range(MAX_TERMS + 1)), None, "too many terms"),
        ("a NEAR/2 b NEAR/2 c NEAR/2 d NEAR/2 e NEAR/2 f NEAR/2 g NEAR/2 h NEAR/2 i", 66,
         "proximity chain"),
        ("*a*a*a*a*a*a*a*a*a*c", 1, "too many *"),
        (" OR ".join(f"?{i}?" for i in range(60)), 391, "too many wildcards"),
        ('"a b"~²', 6, "proximity distance"),
        ("a NEAR/²3 b", 3, "distance"),
        ('"a b"~' + "9" * 5000, 6, "proximity distance"),
    ],
)  # fmt: skip
def test_refused_with_the_column(query: str, column: int | None, words: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert words in str(caught.value)
    if column is not None:
        assert caught.value.column == column
    assert f"at column {caught.value.column}" in str(caught.value)


def test_within_bounds_still_parses() -> None:
    parse("(" * (MAX_DEPTH - 1) + "a" + ")" * (MAX_DEPTH - 1))
    parse(" ".join(f"m{i}" for i in range(MAX_TERMS)))
    parse("min_likes:9223372036854775807")
    parse("recrut* ONEAR/50 lyon ONEAR/50 stage")


def test_refusals_exit_2_in_french(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    res = cli("search", "(" * 200 + "a" + ")" * 200)
    assert res.code == 2 and "imbriqués" in res.err and "65" in res.err
    res = cli("search", "min_likes:99999999999999999999")
    assert res.code == 2 and "trop grand" in res.err


def _post(text: str) -> Post:
    return Post("x", "rss", "a", text, datetime(2026, 1, 1, tzinfo=UTC), lang="fr")


def test_onear_chain_over_a_long_post_stays_fast() -> None:
    """3,000 candidate starts per operand: the old search tried their combinations."""
    text = " ".join(["aab"] * 3000 + ["x"] * 2000 + ["zz"])
    query = parse("aa* ONEAR/1000 aa* ONEAR/1000 aa* ONEAR/1000 zz")
    with hang_guard():
        assert query.matches(_post(text)) is False
        assert query.matches(_post(text + " aab aab aab zz")) is True


def test_wildcard_does_not_backtrack_catastrophically() -> None:
    with hang_guard():
        assert pattern_regex("*a*a*a*a*a*a*a*c").fullmatch("a" * 3000) is None
        assert pattern_regex("*a*a*a*a*a*a*a*c").fullmatch("a" * 3000 + "c")


def test_near_holds_many_positions() -> None:
    far = list(range(0, 200_000, 7))
    with hang_guard():
        assert not near_holds([far, [p + 3 for p in far]], [1, 1], 1, ordered=False)
        assert near_holds([far, [p + 3 for p in far]], [1, 1], 2, ordered=False)
        assert not near_holds([far, [p + 3 for p in far]], [1, 1], 1, ordered=True)
        assert near_holds([far, [p + 3 for p in far]], [1, 1], 2, ordered=True)
