"""Every operator of the query language on French and English posts, in both engines.

Each case runs twice: the in-memory matcher over the posts, and the SQLite store (FTS5 +
SQL) over the same posts stored. The expected ids were worked out by hand from the texts
below and the Snowball rules (e.g. French Snowball leaves « recrutons » as ``recruton``:
it is not an inflection of ``recrutement`` for the stemmer).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from veilleur.model import Media, Post
from veilleur.query import parse
from veilleur.store import SQLiteStore


def _post(id: str, text: str, when: datetime, lang: str | None, **extra: object) -> Post:
    return Post(id=id, text=text, created_at=when, lang=lang, **extra)  # type: ignore[arg-type]


CORPUS = [
    _post(
        "F1",
        "Nous recrutons des développeurs à Lyon ! L'emploi tech à la Part-Dieu "
        "#RecrutementTech @bob https://www.lemonde.fr/emploi/article $AAPL",
        datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        "fr",
        network="mastodon",
        author="Marie",
        likes=12,
        reposts=3,
    ),
    _post(
        "F2",
        "Le salon de l'emploi ouvre ses portes : recrutement massif cette année.",
        datetime(2023, 11, 15, 8, 0, tzinfo=UTC),
        "fr-FR",
        network="x",
        author="paul",
        reply_to="99",
        likes=2,
    ),
    _post(
        "F3",
        "Les entreprises recrutent encore, malgré la crise.",
        datetime(2024, 1, 10, 12, 0, tzinfo=UTC),
        "fr",
        network="rss",
        author="lemonde",
        title="Marché de l’emploi : les recrutements repartent",
        media=[Media(url="https://img.example.org/1.jpg", alt="Graphique")],
    ),
    _post(
        "E1",
        "We are recruiting engineers in Lyon. Great jobs at #TechHiring @Bob "
        "https://blog.example.com/jobs",
        datetime(2024, 2, 20, 17, 30, tzinfo=UTC),
        "en",
        network="bluesky",
        author="jane.bsky.social",
        likes=40,
        quote_of="q1",
    ),
    _post(
        "E2",
        "Hiring freeze: no recruitment this year, said the CEO $TSLA",
        datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC),
        "en",
        network="x",
        author="joe",
        replies=5,
    ),
    _post(
        "U1",
        # Spanish with French and English words: neither fr nor en, so read both ways
        # (the store gives it its effective language, es, when it is written)
        "Recrutement y recruiting: la misma story para los jóvenes, l'emploi des jeunes "
        "como dicen en Francia",
        datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC),
        "es",
        network="mastodon",
        author="anon",
        repost_of="r1",
    ),
]

CASES = [
    # words: stems in the post's language, case and accents ignored
    ("recrutement", {"F1", "F2", "F3", "U1"}),  # F1 via #RecrutementTech, F3 via its title
    ("RECRUTER", {"F1", "F2", "F3", "U1"}),
    ("emploi", {"F1", "F2", "F3", "U1"}),  # l'emploi, L'emploi, l’emploi
    ("developpeur", {"F1"}),
    ("DÉVELOPPEURS", {"F1"}),
    ("recruiting", {"E1", "E2", "U1"}),  # recruitment → recruit too
    ("engineer", {"E1"}),
    ("hire", {"E1", "E2"}),  # Hiring, and the word inside #TechHiring
    ("stories", {"U1"}),  # a post in another language is read in English too
    ("tech", {"F1", "E1"}),  # words inside hashtags are words
    ("part-dieu", {"F1"}),
    # phrases: in order, unstemmed
    ('"part-dieu"', {"F1"}),
    ('"Part Dieu"', {"F1"}),
    ('"salon de l\'emploi"', {"F2"}),
    ('"l’emploi des jeunes"', {"U1"}),
    ('"recrutements"', {"F3"}),  # no stemming inside quotes
    ('"emploi de"', set()),
    # raw: case and accents count
    ('raw:"Part-Dieu"', {"F1"}),
    ('raw:"part-dieu"', set()),
    ('raw:"Marché"', {"F3"}),
    ('raw:"Marche"', set()),
    # wildcards on the unstemmed word
    ("recrut*", {"F1", "F2", "F3", "U1"}),
    ("RECRU?TING", {"E1", "U1"}),
    ("hir*", {"E1", "E2"}),
    ("*ruitment", {"E2"}),
    ("r?crutement", {"F1", "F2", "U1"}),
    # boolean operators and precedence NOT > AND > OR
    ("emploi -salon", {"F1", "F3", "U1"}),
    ("emploi NOT lang:fr", {"U1"}),
    ("(salon OR hiring) lang:en", {"E1", "E2"}),
    ("salon OR hiring lang:en", {"F2", "E1", "E2"}),
    ("-(emploi OR jobs)", {"E2"}),
    ("NOT emploi OR salon", {"E1", "E2", "F2"}),
    ("emploi AND jeunes", {"U1"}),
    # proximity
    ("salon NEAR/2 emploi", {"F2"}),  # salon de l' emploi: two words between
    ("salon NEAR/1 emploi", set()),
    ("emploi NEAR/2 salon", {"F2"}),
    ("salon ONEAR/2 emploi", {"F2"}),
    ("emploi ONEAR/2 salon", set()),
    ('"massif recrutement"~0', {"F2"}),
    ('"recrutement massif"~0', {"F2"}),
    ("recruiting NEAR/2 lyon", {"E1"}),
    ('recrutons NEAR/9 "part-dieu"', {"F1"}),  # a stemmed word near a phrase
    ('recrutons NEAR/8 "part-dieu"', set()),
    ("marche NEAR/2 emploi", {"F3"}),  # in the title
    ("(salon OR marche) NEAR/2 emploi", {"F2", "F3"}),
    ("recrut* ONEAR/3 massif", {"F2"}),
    # entities
    ("#recrutementtech", {"F1"}),
    ("#RecrutementTech", {"F1"}),
    ("#tech", set()),  # the hashtag only, never the plain word
    ("#techhiring", {"E1"}),
    ("@bob", {"F1", "E1"}),
    ("$aapl", {"F1"}),
    ("$TSLA", {"E2"}),
    # fields
    ("lang:fr", {"F1", "F2", "F3"}),
    ("lang:en", {"E1", "E2"}),
    ("lang:und", set()),
    ("lang:es", {"U1"}),
    ("-lang:en", {"F1", "F2", "F3", "U1"}),
    ("network:x", {"F2", "E2"}),
    ("author:MARIE", {"F1"}),
    ("from:@joe", {"E2"}),
    ("site:lemonde.fr", {"F1"}),
    ("site:example.com", {"E1"}),  # blog.example.com: subdomains included
    ("site:www.example.com", set()),
    ("url:/jobs", {"E1"}),
    ("url:ARTICLE", {"F1"}),
    ("title:emploi", {"F3"}),
    ('title:"marché de"', {"F3"}),
    ("title:recrut*", {"F3"}),
    ("since:2024-01-01", {"F1", "F3", "E1", "U1"}),  # U1 is at 00:00:00 exactly
    ("until:2024-01-01", {"F2", "E2"}),  # E2 at 23:59:59 the day before
    ("has:link", {"F1", "E1"}),
    ("has:media", {"F3"}),
    ("is:reply", {"F2"}),
    ("is:repost", {"U1"}),
    ("is:quote", {"E1"}),
    ("min_likes:12", {"F1", "E1"}),
    ("min_reposts:3", {"F1"}),
    ("min_replies:5", {"E2"}),
    ("-min_likes:12", {"F2", "F3", "E2", "U1"}),  # unknown counts are below any N
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    path: Path = tmp_path_factory.mktemp("engines") / "posts.sqlite"
    with SQLiteStore(path) as opened:
        opened.write_posts(CORPUS)
        yield opened


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_matcher(text: str, expected: set[str]) -> None:
    query = parse(text)
    assert {p.id for p in CORPUS if query.matches(p)} == expected


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sqlite(store: SQLiteStore, text: str, expected: set[str]) -> None:
    found = store.search(parse(text).root, limit=None)
    assert {p.id for p in found} == expected


@pytest.fixture(scope="module")
def pg_store() -> Iterator[SQLiteStore]:
    from tests import pg_support
    from veilleur.store.postgres import PostgresStore

    url = pg_support.create_database()
    try:
        with PostgresStore(url) as opened:
            opened.write_posts(CORPUS)
            yield opened
    finally:
        pg_support.drop_database(url)


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_postgresql(pg_store: SQLiteStore, text: str, expected: set[str]) -> None:
    found = pg_store.search(parse(text).root, limit=None)
    assert {p.id for p in found} == expected
    assert pg_store.count_matches(parse(text).root) == len(expected)


def test_postgresql_orders_newest_first_limits_and_ranks(pg_store: SQLiteStore) -> None:
    assert [p.id for p in pg_store.search(parse("emploi").root, limit=2)] == ["F1", "F3"]
    found = pg_store.search(parse("emploi OR recrutement").root, sort="relevance", limit=None)
    assert {p.id for p in found} == {"F1", "F2", "F3", "U1"}


def test_sqlite_orders_newest_first_and_limits(store: SQLiteStore) -> None:
    found = store.search(parse("emploi").root, limit=2)
    assert [p.id for p in found] == ["F1", "F3"]


def test_relevance_sort_returns_the_same_posts(store: SQLiteStore) -> None:
    found = store.search(parse("emploi OR recrutement").root, sort="relevance", limit=None)
    assert {p.id for p in found} == {"F1", "F2", "F3", "U1"}


def test_batched_stems_are_the_text_cores_stems() -> None:
    from veilleur.query.analysis import stem_words
    from veilleur.text import stem

    words = ["recrutements", "recrutons", "emplois", "l'", "developpeurs", "hiring", "stories"]
    for lang in ("fr", "en"):
        assert stem_words(words, lang) == [stem(w, lang) for w in words]
