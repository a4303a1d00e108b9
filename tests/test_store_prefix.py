"""Prefix queries without the old prefix indexes (issue 19, revision 0012): a prefix that
starts few indexed words is searched as the OR of those words (``posts_fts_words``), one
that starts many, or has 3 or 4 characters (FTS5 keeps an index for them), is left to FTS5's
prefix query — the same posts as the matcher either way."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore
from veilleur.store.search_sqlite import MAX_PREFIX_WORDS, SQLiteCompiler, indexed_rows

FEW = "recrutement recruter recrutons emploi lyon salon Recrutement".split()


def _posts(n: int) -> list[Post]:
    rng = random.Random(2)
    many = [f"pro{i:03d}" for i in range(MAX_PREFIX_WORDS + 20)]  # pro0* starts > 64 words
    return [
        Post(
            id=str(i),
            network="x",
            author="a",
            text=" ".join(rng.choice(FEW + many) for _ in range(6)),
            title=rng.choice([None, "Recrutement à Lyon", "pro001 salon"]),
            lang="fr",
            created_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 9999)),
        )
        for i in range(n)
    ]


def test_prefixes_find_what_the_matcher_finds(tmp_path: Path) -> None:
    posts = _posts(300)
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(posts[:150])
        store.write_posts(posts[150:])  # words of a later batch are added
        compiler = SQLiteCompiler(store.conn)
        cases = [("recru*", True), ("pro0*", False), ("title:recru*", True), ("zzzzz*", True),
                 ("recru* -lyon", True), ("pro0* OR lyon*", False), ("rec*", False),
                 ("recr*", False), ("re*", True)]  # fmt: skip
        for query, expanded in cases:
            parsed = parse(query)
            node = parsed.root
            fts = compiler.compile(node).fts or ""
            assert (" *" not in fts) == expanded, (query, fts)
            expected = sorted(p.id for p in posts if parsed.matches(p))
            got = sorted(p.id for p in store.search(node, limit=None))
            assert got == expected, query
            assert store.count_matches(node) == len(expected)
        assert expected  # the last query matches something


def test_the_words_table_holds_the_word_columns_words(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        store.write_posts(_posts(50))
        words = {w for (w,) in store.conn.execute("SELECT word FROM posts_fts_words")}
        indexed = set()
        for w, _fr, _en, tw, *_ in indexed_rows(store.conn).values():
            indexed.update(w.split(), tw.split())
        assert words == indexed
        assert "recrutement" in words and "lyon" in words
        store.reindex_search()  # a rebuild makes the same table
        again = {w for (w,) in store.conn.execute("SELECT word FROM posts_fts_words")}
        assert again == words
