"""The search page's counts in one pass agree with the three separate store calls."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from veilleur.imports import import_demo_corpus
from veilleur.query import parse
from veilleur.store import SQLiteStore


@pytest.mark.parametrize(
    "text", ["emploi", "recrutement OR formation", "network:mastodon", "lang:fr -emploi", "zzzz"]
)
def test_match_summary_agrees_with_the_separate_counts(tmp_path: Path, text: str) -> None:
    with SQLiteStore(tmp_path / "db.sqlite") as store:
        import_demo_corpus(store)
        root = parse(text).root
        summary = store.match_summary(root, authors=10)
        assert summary.total > 0 or text == "zzzz"
        assert summary.total == store.count_matches(root)
        assert summary.by_network == store.count_by_network(root)
        every = store.search(root, limit=100_000)
        by_hour: dict[str, int] = {}
        for post in every:
            hour = post.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H")
            by_hour[hour] = by_hour.get(hour, 0) + 1
        assert summary.by_hour == by_hour and sum(by_hour.values()) == summary.total
        expected = store.top_authors(root, limit=10)
        # Same accounts with the same figures, in the same order of (posts, engagement).
        assert [(c, e) for _, _, c, e in summary.top_authors] == [(c, e) for _, _, c, e in expected]
        ties = {(a, n, c, e) for a, n, c, e in expected if c > (expected[-1][2] if expected else 0)}
        assert ties <= set(summary.top_authors)


@pytest.mark.parametrize("text", ["emploi", "recrutement OR formation", "network:mastodon"])
def test_an_exact_summary_reads_the_matches_once(tmp_path: Path, text: str) -> None:
    """The counts by account and by hour come from one reading of the matches (the search
    page asks for the exact summary on request: a second reading doubled its time)."""
    with SQLiteStore(tmp_path / "db.sqlite") as store:
        import_demo_corpus(store)
        root = parse(text).root
        body, _params = store.search_index.compile(root).from_where()
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            summary = store.match_summary(root, authors=10)
        finally:
            store.conn.set_trace_callback(None)
        assert summary.total > 0
        head = body.split("?")[0]  # the statements are traced with their values in place
        assert len([s for s in statements if head in s]) == 1, statements
        assert sum(summary.by_hour.values()) == summary.total == sum(summary.by_network.values())


def test_the_count_of_posts_follows_every_write(tmp_path: Path) -> None:
    """count_posts is remembered between calls: it must still see this store's writes
    (committed or rolled back) and those of another connection."""
    from datetime import UTC, datetime

    from veilleur.model import Post

    def post(i: int) -> Post:
        return Post(id=str(i), network="x", author="a", text=f"texte {i}",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip

    with SQLiteStore(tmp_path / "db.sqlite") as store, SQLiteStore(tmp_path / "db.sqlite") as other:
        reader = store.reader()
        assert store.count_posts() == other.count_posts() == reader.count_posts() == 0
        store.write_posts([post(1), post(2)])
        assert store.count_posts() == other.count_posts() == reader.count_posts() == 2
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.execute("DELETE FROM posts")
            assert store.count_posts() == 0  # its own uncommitted write
            raise RuntimeError
        assert store.count_posts() == other.count_posts() == reader.count_posts() == 2
        other.write_posts([post(3)])
        assert store.count_posts() == other.count_posts() == reader.count_posts() == 3
        reader.close()


@pytest.mark.parametrize("text", ["emploi", "recrutement OR formation", "network:mastodon", "zzzz"])
def test_a_summary_within_its_budget_is_exact_and_past_it_says_so(
    tmp_path: Path, text: str
) -> None:
    """With a budget, the summary is the exact one when the matches fit in it; past it, it
    says it is not complete, its total is the budget, and its counts are those of the
    ``budget`` most recent matches (the posts the page lists first)."""
    with SQLiteStore(tmp_path / "db.sqlite") as store:
        import_demo_corpus(store)
        root = parse(text).root
        exact = store.match_summary(root, authors=10)
        roomy = store.match_summary(root, authors=10, budget=exact.total)
        assert roomy == exact and roomy.complete
        if exact.total < 2:
            return
        budget = exact.total // 2
        part = store.match_summary(root, authors=10, budget=budget)
        assert not part.complete and part.counted == budget
        # The total stays exact when the query is words only (counted in the index alone).
        words_only = text in ("emploi", "recrutement OR formation")
        assert part.total_exact is words_only
        assert part.total == (exact.total if words_only else budget)
        newest = store.search(root, limit=budget)
        by_network: dict[str, int] = {}
        by_author: dict[tuple[str, str], int] = {}
        for post in newest:
            by_network[post.network] = by_network.get(post.network, 0) + 1
            by_author[(post.author, post.network)] = (
                by_author.get((post.author, post.network), 0) + 1
            )
        assert part.by_network == by_network
        by_hour: dict[str, int] = {}
        for post in newest:
            hour = post.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H")
            by_hour[hour] = by_hour.get(hour, 0) + 1
        assert part.by_hour == by_hour
        for author, network, count, _engagement in part.top_authors:
            assert by_author[(author, network)] == count
        assert [c for _, _, c, _ in part.top_authors] == sorted(by_author.values(), reverse=True)[
            :10
        ]


def test_counts_per_utc_hour_make_the_readers_days() -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from veilleur.model import local_days

    hours = {"2026-03-14T12": 1, "2026-03-14T23": 2, "2026-03-15T10": 4, "pas-une-heure": 9}
    # Paris is UTC+1 in March: 23:00 UTC on the 14th is 00:00 on the 15th there
    assert local_days(hours, ZoneInfo("Europe/Paris")) == [
        (date(2026, 3, 15), 6),
        (date(2026, 3, 14), 1),
    ]
    # New York is UTC-4 after 8 March 2026: 10:00 UTC on the 15th is still the 15th, 06:00
    assert local_days(hours, ZoneInfo("America/New_York")) == [
        (date(2026, 3, 15), 4),
        (date(2026, 3, 14), 3),
    ]
    assert local_days({}, ZoneInfo("UTC")) == []
