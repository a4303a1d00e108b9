"""A proximity over wildcards is bounded in the SQLite store (issue 14's leftover, issue 19).

Before, ``a? NEAR/100 ?e`` was narrowed by the prefix ``a`` alone and every candidate was
rechecked by the matcher, which analyses the post's text again (~4–9 s on 10,000 posts).
Now the wildcards are expanded into the indexed words they match: a small product becomes
FTS5 ``NEAR()`` groups (no recheck at all), a large one is narrowed to the posts holding a
word of every operand and decided on the positions of their index rows. The index is
contentless (revision 0013): those positions are made again from each candidate's text by
the indexing path (``index_values``), never by the matcher's ``analyze``, and for the
candidates only. Not timed: the assertions count analyses and rechecks, and compare with the
matcher.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import veilleur.store.search_sqlite as search_sqlite
from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore

FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()


def _posts() -> list[Post]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    texts = [
        "le chat dort au soleil",  # au … le: ?u NEAR le
        "au revoir dit le chat",
        "une annonce de poste à Lyon",
        "on a vu le film",
        "ce texte ne parle de rien",
        "Ça va ? Le matin au marché",
    ]
    # Many posts with words of one operand only: the expansion must not recheck them.
    texts += [" ".join(FILLER[(i + j) % len(FILLER)] for j in range(8)) for i in range(60)]
    texts += [f"au {' '.join(FILLER[:6])} fin" for _ in range(20)]  # `au` without `le`
    return [
        Post(id=str(i), network="x", author="a", text=t, created_at=start + timedelta(hours=i))
        for i, t in enumerate(texts)
    ]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "near.sqlite")
    s.write_posts(_posts())
    return s


def _analyses(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The texts analysed by the matcher's path (``analyze``: a recheck of every candidate
    by ``veilleur_match``) and by the indexing path (``index_values``: a proximity's
    candidate read again, the index keeping no copy of its words)."""
    seen: list[str] = []
    reindexed: list[str] = []
    real = search_sqlite.analyze
    real_values = search_sqlite.index_values

    def counting(text: str, title: str | None, lang: str | None) -> object:
        seen.append(text)
        return real(text, title, lang)

    def counting_values(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        reindexed.append(text)
        return real_values(text, title, lang)

    monkeypatch.setattr(search_sqlite, "analyze", counting)
    monkeypatch.setattr(search_sqlite, "index_values", counting_values)
    search_sqlite._doc.cache_clear()
    return seen, reindexed


def _expected(query: str) -> set[str]:
    q = parse(query)
    return {p.id for p in _posts() if q.matches(p)}


@pytest.mark.parametrize(
    "query",
    [
        "?u NEAR/3 le",  # a stemmed word and a wildcard: narrowed, then positions
        '?u NEAR/3 "le"',
        "?u NEAR/100 ?e",
        "a? NEAR/100 ?e",
        "?u ONEAR/3 le",
        "l? ONEAR/2 ?u",
    ],
)
def test_a_proximity_over_wildcards_reads_no_text(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    analyses, reindexed = _analyses(monkeypatch)
    before = search_sqlite.NEAR_CHECKS[0]
    found = {p.id for p in store.search(parse(query).root, limit=None)}
    assert found == _expected(query)
    assert found  # the corpus holds a match for each
    assert analyses == []  # no post rechecked by the matcher's analysis
    # Rechecks only on posts holding a word of every operand, never the 20 `au` posts:
    # each recheck reads one candidate again, and only candidates are read.
    checks = search_sqlite.NEAR_CHECKS[0] - before
    assert checks <= 6
    assert len(reindexed) == checks
    assert not any(text.endswith(" fin") for text in reindexed)


def test_a_small_expansion_becomes_fts5_near_groups(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = search_sqlite.NEAR_CHECKS[0]
    # A quoted word is a folded word, like a wildcard's: one column, FTS5 can say it all.
    found = {p.id for p in store.search(parse('?u NEAR/3 "le"').root, limit=None)}
    assert found == _expected('?u NEAR/3 "le"') == {"0", "1", "3", "5"}
    assert search_sqlite.NEAR_CHECKS[0] == before  # FTS5 decided alone


def test_a_large_expansion_is_narrowed_then_decided_on_positions(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_sqlite, "MAX_NEAR_PRODUCT", 1)
    before = search_sqlite.NEAR_CHECKS[0]
    found = {p.id for p in store.search(parse("?u NEAR/3 l?").root, limit=None)}
    assert found == _expected("?u NEAR/3 l?")
    checks = search_sqlite.NEAR_CHECKS[0] - before
    assert 0 < checks <= 6


def test_a_wildcard_matching_no_indexed_word_matches_nothing(store: SQLiteStore) -> None:
    assert store.search(parse("zz?q NEAR/5 le").root, limit=None) == []
