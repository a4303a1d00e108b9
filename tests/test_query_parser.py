"""The query parser: the tree it builds, the normalised text, and its error messages."""

from __future__ import annotations

from datetime import date

import pytest

from veilleur.query import QuerySyntaxError, parse
from veilleur.query.ast import (
    And,
    DateBound,
    Entity,
    Field,
    Flag,
    MinCount,
    Near,
    Not,
    Or,
    Phrase,
    Raw,
    Title,
    Wildcard,
    Word,
)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("Recrutement", Word(("recrutement",))),
        ("ÉCOLE", Word(("ecole",))),
        ("l'emploi", Word(("emploi",))),  # the elided article is not required
        ("l’emploi", Word(("emploi",))),
        ("part-dieu", Word(("part", "dieu"))),
        ('"Part-Dieu"', Phrase(("part", "dieu"))),
        ('"l\'emploi des jeunes"', Phrase(("l'", "emploi", "des", "jeunes"))),
        ("recrut*", Wildcard("recrut*")),
        ("Organi?ation", Wildcard("organi?ation")),
        ('raw:"Été"', Raw("Été", ("Été",), ("ete",))),
        ("#RecrutementTech", Entity("hashtag", "recrutementtech")),
        ("@Alice@Mastodon.Social", Entity("mention", "alice@mastodon.social")),
        ("$AAPL", Entity("cashtag", "aapl")),
        ("a b", And((Word(("a",)), Word(("b",))))),
        ("a AND b", And((Word(("a",)), Word(("b",))))),
        ("a OR b c", Or((Word(("a",)), And((Word(("b",)), Word(("c",))))))),
        ("NOT a b", And((Not(Word(("a",))), Word(("b",))))),
        ("-a", Not(Word(("a",)))),
        ("-(a OR b)", Not(Or((Word(("a",)), Word(("b",)))))),
        ("a OR (b OR c)", Or((Word(("a",)), Word(("b",)), Word(("c",))))),
        ("and or", And((Word(("and",)), Word(("or",))))),  # lower case: plain words
        ("a NEAR/3 b", Near((Word(("a",)), Word(("b",))), 3)),
        ("a ONEAR/0 b", Near((Word(("a",)), Word(("b",))), 0, ordered=True)),
        ('"a b"~4', Near((Phrase(("a",)), Phrase(("b",))), 4)),
        (
            "(a OR b) NEAR/2 c",
            Or((Near((Word(("a",)), Word(("c",))), 2), Near((Word(("b",)), Word(("c",))), 2))),
        ),
        ("NOT a NEAR/2 b", Not(Near((Word(("a",)), Word(("b",))), 2))),
        ("from:@LeMonde", Field("author", "lemonde")),
        ("author:bob", Field("author", "bob")),
        ("lang:FR-ca", Field("lang", "fr")),
        ("network:Mastodon", Field("network", "mastodon")),
        ("site:https://www.LeMonde.fr/eco/", Field("site", "www.lemonde.fr")),
        ("url:/Eco/", Field("url", "/eco/")),
        ("title:emploi", Title(Word(("emploi",)))),
        ('title:"salon emploi"', Title(Phrase(("salon", "emploi")))),
        ("since:2024-02-29", DateBound("since", date(2024, 2, 29))),
        ("until:2024-01-01", DateBound("until", date(2024, 1, 1))),
        ("has:link is:reply", And((Flag("link"), Flag("reply")))),
        ("min_likes:10", MinCount("likes", 10)),
    ],
)
def test_tree(text: str, tree: object) -> None:
    assert parse(text).root == tree


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("(emploi OR job) lang:fr -stage", "(emploi OR job) AND lang:fr AND NOT stage"),
        ("a OR b c", "a OR (b AND c)"),
        ('"l’emploi"', '"l\'emploi"'),
        ("from:Bob", "author:bob"),
        ('url:"a b"', 'url:"a b"'),
    ],
)  # fmt: skip
def test_normalized_text_round_trips(text: str, normalized: str) -> None:
    query = parse(text)
    assert query.normalized == normalized
    assert parse(query.normalized).root == query.root


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("emploi AND (a OR b", "unclosed parenthesis", 12),
        ("(a", "unclosed parenthesis", 1),
        ("since:2016-13-45", "invalid date '2016-13-45'", 7),
        ("until:yesterday", "invalid date 'yesterday'", 7),
        ("a author: b", "empty value for 'author:'", 10),
        ("lang:", "empty value for 'lang:'", 6),
        ("colour:red", "unknown field 'colour:'", 1),
        ("a NEAR/x b", "bad NEAR distance 'NEAR/x'", 3),
        ("a NEAR b", "bad NEAR distance 'NEAR'", 3),
        ("a ONEAR/-1 b", "bad ONEAR distance 'ONEAR/-1'", 3),
        ('"a b"~z', "bad proximity distance '~z'", 6),
        ('emploi "salon', "unterminated quote", 8),
        ("a AND", "a term is missing after AND", 6),
        ("OR a", "a term is missing before OR", 1),
        ("a )", "unexpected ')'", 3),
        ("()", "empty parentheses", 2),
        ('""', "empty phrase", 1),
        ("- a", "'-' must be followed by a term or a group", 1),
        ("has:video", "unknown value 'video' for 'has:'", 5),
        ("is:thread", "unknown value 'thread' for 'is:'", 4),
        ("min_likes:ten", "'min_likes:' needs a whole number", 11),
        ("network:myspace", "unknown network 'myspace'", 9),
        ("lang:français", "invalid language 'français'", 6),
        ("*", "a wildcard needs at least one letter", 1),
        ("a NEAR/2 b NEAR/3 c", "chained proximity operators must be the same", 12),
        ("a NEAR/2 (b c)", "NEAR and ONEAR work on words", 3),
        ("https://exemple.fr", "a link is not a word", 1),
        ("#", "'#' alone", 1),
        ("$12345678", "invalid cashtag", 1),
        ("", "empty query", 1),
    ],
)
def test_errors_name_what_and_where(text: str, message: str, column: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert caught.value.column == column
    assert str(caught.value).startswith(f"{message}") and f"at column {column}" in str(caught.value)


def test_issue_examples_read_as_written() -> None:
    with pytest.raises(QuerySyntaxError, match=r"^unclosed parenthesis at column 14"):
        parse("recrutements (a OR b")
    with pytest.raises(QuerySyntaxError, match=r"^invalid date '2016-13-45' at column 7"):
        parse("since:2016-13-45")
