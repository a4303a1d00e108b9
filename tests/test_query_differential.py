"""Differential property test: the in-memory matcher, SQLite and PostgreSQL return the same
posts (PostgreSQL: a database of the test's own, tests/pg_support.py; the ``tsvector``
candidates must hold every post the matcher keeps, which the recheck cannot repair).

Random queries from the grammar (every operator and field) over random French/English
posts built from a small vocabulary with inflections, accents, elisions, hyphens,
hashtags, mentions, cashtags and links, so that queries hit often. A fixed seed in
``make test``; many more examples in ``make test-long``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from veilleur.model import Media, Post
from veilleur.query import QuerySyntaxError, parse
from veilleur.store import SQLiteStore

WORDS = [
    "recrutement", "recrutements", "recruter", "Recrute", "emploi", "emplois", "l'emploi",
    "L’Emploi", "salon", "Salon", "développeur", "developpeurs", "Lyon", "Part-Dieu",
    "part", "dieu", "été", "Été", "ete", "jeunes", "des", "de", "la", "recruiting",
    "recruitment", "hire", "hiring", "Hired", "jobs", "job", "engineer", "engineers",
    "story", "stories", "in", "the", "chat", "chats", "organisation", "organization",
]  # fmt: skip
ENTITIES = [
    "#RecrutementTech", "#emploi", "#TechHiring", "@bob", "@Bob@mastodon.social", "@alice",
    "$AAPL", "$tsla", "https://www.lemonde.fr/emploi/article", "https://blog.example.com/jobs",
    "http://lemonde.fr", "www.example.org/Page",
]  # fmt: skip
QUERY_WORDS = [
    "recrutement", "recruter", "emploi", "emplois", "l'emploi", "salon", "developpeur",
    "lyon", "part-dieu", "ete", "Été", "jeunes", "recruiting", "hire", "jobs", "engineer",
    "stories", "chat", "organisation", "absent", "de",
]  # fmt: skip
WILDCARDS = [
    "recrut*", "emploi*", "hir*", "job*", "r?crutement", "organi?ation", "*ment", "e?e",
    "dev*", "s*n", "chat?", "recru*ing",
]  # fmt: skip
PHRASES = [
    "part-dieu", "l'emploi", "salon de l'emploi", "recrutement", "emploi des jeunes",
    "the story", "jobs", "Part Dieu", "de la",
]  # fmt: skip
FIELDS = [
    "lang:fr", "lang:en", "lang:und", "lang:de", "network:x", "network:mastodon",
    "author:marie", "from:PAUL", "site:lemonde.fr", "site:example.com", "site:www.lemonde.fr",
    "url:jobs", "url:/emploi", "url:page", "title:emploi", 'title:"salon de"', "title:recrut*",
    "since:2024-01-01", "until:2024-01-01", "since:2023-06-15", "has:link", "has:media",
    "is:reply", "is:repost", "is:quote", "min_likes:5", "min_reposts:1", "min_replies:3",
    "#recrutementtech", "#emploi", "#techhiring", "@bob", "@bob@mastodon.social", "$aapl",
    "$TSLA", 'raw:"Été"', 'raw:"Part-Dieu"', 'raw:"l\'emploi"', 'raw:"Salon"',
]  # fmt: skip
DATES = [
    datetime(2023, 6, 14, 23, 59, 59, tzinfo=UTC),
    datetime(2023, 6, 15, tzinfo=UTC),
    datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2024, 1, 1, tzinfo=UTC),
    datetime(2024, 3, 5, 12, 30, tzinfo=UTC),
]

texts = st.lists(st.sampled_from(WORDS + ENTITIES + ["!", ",", ":", "et", "and"]), max_size=14)


@st.composite
def posts(draw: st.DrawFn, index: int) -> Post:
    has_title = draw(st.booleans())
    return Post(
        id=f"p{index}",
        network=draw(st.sampled_from(["x", "mastodon", "rss"])),
        author=draw(st.sampled_from(["marie", "Marie", "paul", "Éloi"])),
        text=" ".join(draw(texts)),
        title=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5))) if has_title else None,
        created_at=draw(st.sampled_from(DATES)),
        lang=draw(st.sampled_from(["fr", "en", None, "de", "fr-CA", "EN"])),
        likes=draw(st.none() | st.integers(0, 9)),
        reposts=draw(st.none() | st.integers(0, 2)),
        replies=draw(st.none() | st.integers(0, 5)),
        reply_to=draw(st.none() | st.just("r")),
        repost_of=draw(st.none() | st.just("s")),
        quote_of=draw(st.none() | st.just("q")),
        media=[Media(url="https://img.example/1.png")] if draw(st.booleans()) else [],
    )


@st.composite
def corpora(draw: st.DrawFn) -> list[Post]:
    size = draw(st.integers(1, 12))
    return [draw(posts(i)) for i in range(size)]


def _term() -> st.SearchStrategy[str]:
    quoted = st.sampled_from(PHRASES).map(lambda p: f'"{p}"')
    return st.one_of(st.sampled_from(QUERY_WORDS), st.sampled_from(WILDCARDS), quoted)


def _near() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, b, op, n: f"{a} {op}/{n} {b}",
        _term(),
        _term(),
        st.sampled_from(["NEAR", "ONEAR"]),
        st.integers(0, 4),
    ) | st.builds(
        lambda ws, n: '"' + " ".join(ws) + f'"~{n}',
        st.lists(
            st.sampled_from(["emploi", "salon", "de", "jobs", "the", "lyon"]),
            min_size=2,
            max_size=3,
        ),
        st.integers(0, 3),
    )


leaves = st.one_of(_term(), _term(), st.sampled_from(FIELDS), _near())
queries = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"{a} {b}", inner, inner),
        st.builds(lambda a, b: f"({a}) AND ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) OR ({b})", inner, inner),
        st.builds(lambda a, b: f"{a} OR {b}", inner, inner),
        st.builds(lambda a: f"NOT ({a})", inner),
        st.builds(lambda a: f"-({a})", inner),
    ),
    max_leaves=6,
)


def _check(corpus: list[Post], texts: list[str], pg_url: str | None = None) -> None:
    if pg_url is not None:
        from veilleur.store.postgres import PostgresStore

        opened: SQLiteStore = PostgresStore(pg_url)
        with opened.transaction() as tx:
            tx.execute("TRUNCATE posts CASCADE")
    else:
        opened = SQLiteStore(":memory:")
    with opened as store:
        if pg_url is not None:  # windows of a few posts: many of them, and the switch
            search = store.search_index
            search.WALK, search.WALK_MIN = 1, 3  # type: ignore[attr-defined]
        store.write_posts(corpus)
        stored = {p.id: p for p in store.iter_posts()}
        for text in texts:
            try:
                query = parse(text)
            except QuerySyntaxError:  # pragma: no cover - the generator makes valid queries
                pytest.fail(f"generated query does not parse: {text!r}")
            # The matcher sees the posts as stored (the store keeps seconds, not µs).
            expected = sorted(p.id for p in stored.values() if query.matches(p))
            everything = [p.id for p in store.search(query.root, limit=None)]
            assert sorted(everything) == expected, f"{text!r} → {query.normalized!r}"
            if pg_url is not None:  # newest first with a limit: the walk of the date index
                for limit in (1, 4):
                    page = [p.id for p in store.search(query.root, limit=limit)]
                    assert page == everything[:limit], f"{text!r}, limit {limit}"


@seed(20260125)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpus=corpora(), texts=st.lists(queries, min_size=1, max_size=8))
def test_matcher_and_sqlite_agree(corpus: list[Post], texts: list[str]) -> None:
    _check(corpus, texts)


@pytest.mark.long
@seed(424242)
@settings(
    max_examples=3000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpus=corpora(), texts=st.lists(queries, min_size=1, max_size=8))
def test_matcher_and_sqlite_agree_long(corpus: list[Post], texts: list[str]) -> None:
    _check(corpus, texts)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    from tests import pg_support

    url = pg_support.create_database()
    yield url
    pg_support.drop_database(url)


@seed(20260125)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(corpus=corpora(), texts=st.lists(queries, min_size=1, max_size=8))
def test_matcher_and_postgresql_agree(pg_url: str, corpus: list[Post], texts: list[str]) -> None:
    _check(corpus, texts, pg_url)


@seed(7)
@settings(max_examples=200, deadline=None, database=None)
@given(text=queries)
def test_normalized_text_parses_to_the_same_tree(text: str) -> None:
    query = parse(text)
    assert parse(query.normalized).root == query.root
