"""The PostgreSQL store's own commands: ``veilleur migrate`` and ``veilleur copy --to``
(a SQLite workspace moved across, verified), on a database of the test's own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pg_support
from veilleur.query import parse
from veilleur.store import migrations
from veilleur.store.postgres import SELECT_COLUMNS, PostgresStore, candidates, conditions, exact


@pytest.fixture
def empty_pg() -> Iterator[str]:
    """A new PostgreSQL database with no schema at all (not from the template)."""
    pg_support.require()
    import secrets

    name = f"veilleur_test_{secrets.token_hex(6)}"
    with pg_support._admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{pg_support.SERVER}/{name}"
    yield url
    pg_support.drop_database(url)


def _posts(path: Path, n: int) -> Path:
    lines = [
        json.dumps(
            {
                "network": "mastodon",
                "id": str(i),
                "author": f"user{i % 3}@exemple.fr",
                "text": f"Salon de l'emploi {i} à Lyon #recrutement",
                "created_at": f"2026-03-{1 + i % 28:02d}T10:00:00Z",
                "likes": i,
            },
            ensure_ascii=False,
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_migrate_builds_the_schema_then_has_nothing_to_do(cli, empty_pg, monkeypatch) -> None:
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    first = cli("migrate")
    assert first.code == 0, first.err
    assert all(r in first.out for r in ("pg0001", "pg0002", "pg0003")) and "applied" in first.out
    again = cli("migrate")
    assert again.code == 0
    assert "applied" not in again.out and "at revision pg0003" in again.out


def test_migrate_on_sqlite(cli) -> None:
    result = cli("migrate")
    assert result.code == 0, result.err
    assert f"at revision {migrations.HEAD}" in result.out


def test_copy_moves_a_workspace_and_it_answers_the_same(cli, tmp_path, empty_pg, monkeypatch):
    assert cli("import", "jsonl", str(_posts(tmp_path / "p.jsonl", 120))).code == 0
    assert cli("watch", "add", "emploi", "emploi lyon").code == 0
    assert cli("config", "set", "report.lang", "fr").code == 0
    before = cli("search", "emploi AND min_likes:100", "--limit", "100")
    copied = cli("copy", "--to", empty_pg)
    assert copied.code == 0, copied.err
    assert "posts: 120 rows" in copied.out and "verified" in copied.out
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    after = cli("search", "emploi AND min_likes:100", "--limit", "100")
    assert after.code == 0, after.err
    assert after.out == before.out and "119" in after.out
    assert "emploi lyon" in cli("watch", "list").out
    with PostgresStore(empty_pg) as store:  # vacuumed: statistics, the visibility map
        vacuumed = store.conn.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('posts', "
            "'posts_search') AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
        ).fetchone()
        assert vacuumed is not None and vacuumed[0] == 2
    # The sequences continue after the copied keys: a new post gets a new pk.
    more = _posts(tmp_path / "more.jsonl", 121)
    assert "1 new" in cli("import", "jsonl", str(more)).out
    with PostgresStore(empty_pg) as store:
        assert store.count_posts() == 121
        assert store.count_matches(parse("#recrutement").root) == 121


def test_copy_of_posts_holding_nul_stores_what_an_import_would(
    cli, tmp_path, empty_pg, monkeypatch
):
    """PostgreSQL's text refuses U+0000, which SQLite keeps: the copy of such a workspace
    failed. Each NUL now arrives as U+FFFD, as an import into PostgreSQL stores it, and the
    verification compares the target with the workspace's rows so changed."""
    records = [
        {"network": "mastodon", "id": "0", "author": "a", "text": "Avant\u0000après emploi",
         "title": "Ti\u0000tre", "author_name": "No\u0000m", "created_at": "2026-03-01T10:00:00Z"},
        {"network": "mastodon", "id": "1", "author": "b", "text": "Salon de l'emploi",
         "created_at": "2026-03-02T10:00:00Z"},
    ]  # fmt: skip
    src = tmp_path / "nul.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert cli("import", "jsonl", str(src)).code == 0
    copied = cli("copy", "--to", empty_pg)
    assert copied.code == 0, copied.err
    assert "posts: 2 rows" in copied.out and "verified" in copied.out
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    with PostgresStore(empty_pg) as store:
        post = store.get_post("mastodon", "0")
        assert post is not None
        assert (post.text, post.title, post.author_name) == (
            "Avant\ufffdaprès emploi",
            "Ti\ufffdtre",
            "No\ufffdm",
        )
        assert store.count_matches(parse("emploi").root) == 2
        assert store.count_matches(parse("après").root) == 1
    # An import of the same records into PostgreSQL stores the same posts.
    again = cli("import", "jsonl", str(src))
    assert again.code == 0 and "2 already known" in again.out, again.out


def test_copy_refuses_a_database_that_holds_data(cli, tmp_path, empty_pg) -> None:
    assert cli("import", "jsonl", str(_posts(tmp_path / "p.jsonl", 3))).code == 0
    assert cli("copy", "--to", empty_pg).code == 0
    again = cli("copy", "--to", empty_pg)
    assert again.code != 0
    assert "already holds data" in again.err


def test_copy_refuses_what_is_not_a_postgresql_url(cli) -> None:
    result = cli("copy", "--to", "mysql://x/y")
    assert result.code == 2
    assert "postgresql://" in result.err


def test_word_queries_are_narrowed_by_the_index() -> None:
    """Terms become a tsquery (the GIN index answers); conditions the index does not hold
    leave the matcher to decide over every post."""
    assert candidates(parse("emploi lyon").root) is not None
    assert candidates(parse("#recrutement OR site:lemonde.fr").root) is not None
    assert candidates(parse("network:x").root) is None
    assert candidates(parse("emploi -lyon").root) is not None
    assert exact(parse("emploi OR (#vote AND recrut*)").root)
    assert not exact(parse("emploi -lyon").root)
    assert not exact(parse('"salon de"').root)
    # Metadata the AND requires becomes SQL conditions (the matcher still decides).
    where = [sql for sql, _ in conditions(parse("network:x since:2024-01-01 min_likes:3").root)]
    assert where == ["p.network = ?", "p.created_at >= ?", "p.likes >= ?"]
    assert conditions(parse("network:x OR emploi").root) == []


def test_paged_candidates_keep_the_order_and_every_post(tmp_path, backend) -> None:
    """The date order is read in pages (keyset on created_at, pk): small pages give the
    same posts in the same order as one read, ties on the date included."""
    url = pg_support.create_database()
    try:
        from datetime import UTC, datetime

        from veilleur.model import Post
        from veilleur.store.postgres import PgSearch

        batch = [
            Post(
                network="x",
                id=str(i),
                author="a",
                text=f"emploi numéro {i}",
                created_at=datetime(2026, 1, 1 + i % 3, tzinfo=UTC),
            )
            for i in range(23)
        ]
        with PostgresStore(url) as store:
            store.write_posts(batch)
            search = store.search_index
            assert isinstance(search, PgSearch)
            node = parse("emploi").root
            whole = [r[0] for r in search._rows(node, "p.created_at DESC, p.pk DESC", page=10**6)]
            paged = [r[0] for r in search._rows(node, "p.created_at DESC, p.pk DESC", page=2)]
            assert paged == whole and len(whole) == 23
            assert [p.id for p in store.search(node, limit=5)] == [
                p.id for p in store.search(node, limit=None)
            ][:5]
    finally:
        pg_support.drop_database(url)


def test_watch_index_in_a_second_process_reads_postgresql(tmp_path) -> None:
    """The watch index's worker process opens the PostgreSQL store read-only (by its URL)
    and finds the same stories as one process on SQLite."""
    from tests.test_watch_index import _index_state, _posts
    from veilleur.store import SQLiteStore
    from veilleur.watch.index import update_index

    posts = _posts(300)
    with SQLiteStore(tmp_path / "one.sqlite") as lite:
        lite.write_posts(posts)
        expected = update_index(lite, chunk=60, workers=0), _index_state(lite)
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            store.write_posts(_posts(300))
            found = update_index(store, chunk=60, workers=1), _index_state(store)
        assert found[0] == expected[0]
        assert [tuple(r) for r in found[1]] == [tuple(r) for r in expected[1]]
    finally:
        pg_support.drop_database(url)


def test_doctor_checks_postgresql_and_backup_points_to_pg_dump(cli, empty_pg, monkeypatch):
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    assert cli("migrate").code == 0
    doctor = cli("doctor")
    assert doctor.code == 0, doctor.out + doctor.err
    assert "at revision pg0003" in doctor.out and "0 posts, 0 indexed" in doctor.out
    backup = cli("backup", "somewhere")
    assert backup.code == 2 and "pg_dump" in backup.err


def test_the_web_read_paths_work_on_postgresql(cli, tmp_path, empty_pg, monkeypatch) -> None:
    """The workbench's GET pages read through ``Workspace.reader()`` and the search page's
    ``match_summary``: on PostgreSQL too, with the answers of the three separate counts."""
    from veilleur.workspace import Workspace

    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    assert cli("import", "jsonl", str(_posts(tmp_path / "p.jsonl", 30))).code == 0
    node = parse("emploi AND min_likes:10").root
    with Workspace(tmp_path / "ws", create=False) as ws:
        reader = ws.reader()
        try:
            summary = reader.store.match_summary(node, authors=10)
            assert summary.total == ws.store.count_matches(node) == 20
            assert summary.by_network == ws.store.count_by_network(node)
            assert summary.top_authors == ws.store.top_authors(node, 10)
            capped = reader.store.match_summary(node, authors=10, budget=5)
            assert not capped.complete and capped.total == sum(capped.by_network.values()) == 5
            assert reader.store.match_summary(node, authors=10, budget=20) == summary
            assert reader.store.count_posts() == 30
        finally:
            reader.close()


def test_migrate_says_plainly_when_the_server_cannot_be_reached(cli, monkeypatch) -> None:
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", "postgresql://u:motdepasse@127.0.0.1:1/db")
    result = cli("migrate")
    assert result.code != 0
    assert "cannot reach the database postgresql://u:***@127.0.0.1:1/db" in result.err
    assert "motdepasse" not in result.err + result.out and "Traceback" not in result.err


def test_an_address_that_cannot_be_read_is_the_users_to_fix(cli) -> None:
    result = cli("copy", "--to", "postgresql://u:motdepasse@localhost:abc/db")
    assert result.code == 2
    assert "is not a valid PostgreSQL address" in result.err
    assert "motdepasse" not in result.err


def test_a_password_given_as_a_parameter_is_never_shown(cli) -> None:
    """libpq reads ``?password=`` as well as ``user:password@``: messages hide both."""
    url = "postgresql://u@127.0.0.1:1/db?password=motdepasse&sslmode=disable"
    result = cli("copy", "--to", url)
    assert result.code != 0
    assert "motdepasse" not in result.err + result.out
    assert "password=***" in result.err


def test_copy_refuses_a_database_of_another_application_untouched(cli, tmp_path, empty_pg):
    import psycopg

    with psycopg.connect(empty_pg, autocommit=True) as conn:
        conn.execute("CREATE TABLE posts (x int)")
    assert cli("import", "jsonl", str(_posts(tmp_path / "p.jsonl", 3))).code == 0
    result = cli("copy", "--to", empty_pg)
    assert result.code == 2
    assert "holds tables of another application (posts)" in result.err
    with psycopg.connect(empty_pg) as conn:  # nothing was created or changed in it
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert tables == [("posts",)]


def test_phrases_are_narrowed_by_positions_and_long_posts_still_found() -> None:
    """A phrase of several words selects, in the index, the posts holding them in a row
    (words' positions): the others are not read at all. A post too long for PostgreSQL's
    positions (a word 300 times) is still found; a database indexed before positions
    existed narrows by the words only, and finds the same posts."""
    from veilleur.store.postgres import POSITIONS_SETTING, PgSearch

    def post(i: int, text: str, title: str | None = None) -> Any:
        return _post(i, text, title, lang=None)

    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            store.write_posts(
                [
                    post(1, "Le salon de l'emploi ouvre à Lyon"),
                    post(2, "L'emploi au salon de Lyon"),  # every word, not in a row
                    post(3, "Un salon", "de l'emploi"),  # across text and title: no phrase
                    post(4, "salon " * 300 + "de l'emploi"),  # too long for positions
                ]
            )
            search = store.search_index
            assert isinstance(search, PgSearch) and search.positions
            node = parse('"salon de l\'emploi"').root
            read = [r[0] for r in search._rows(node, "p.created_at DESC, p.pk DESC")]
            assert len(read) == 2  # posts 2 and 3 are not candidates any more
            assert sorted(p.id for p in store.search(node, limit=None)) == ["1", "4"]
            # A database indexed before positions: the words alone narrow, same answers.
            store.set_setting(POSITIONS_SETTING, "0")
        with PostgresStore(url) as older:
            assert isinstance(older.search_index, PgSearch)
            assert not older.search_index.positions
            read = [r[0] for r in older.search_index._rows(node, "p.created_at DESC, p.pk DESC")]
            assert len(read) == 4
            assert sorted(p.id for p in older.search(node, limit=None)) == ["1", "4"]
            older.reindex_search()
            assert older.search_index.positions
            assert sorted(p.id for p in older.search(node, limit=None)) == ["1", "4"]
    finally:
        pg_support.drop_database(url)


def _gin_candidates(url: str, query: str) -> int:
    """How many posts the GIN index gives for ``query`` before PostgreSQL rechecks their
    positions on the heap (each such post is fetched): the Bitmap Index Scan's rows."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT pk FROM posts_search WHERE terms @@ %s::tsquery",
            (query,),
        ).fetchone()
    assert plan is not None
    nodes = [plan[0][0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Bitmap Index Scan":
            return int(node["Actual Rows"])
        nodes.extend(node.get("Plans", []))
    raise AssertionError(f"no GIN scan in {plan}")


def test_phrases_of_common_words_are_narrowed_by_their_pairs_in_the_index() -> None:
    """GIN knows no positions: a phrase whose words every post holds had every such post
    fetched and rechecked. Two words in a row, one of them short, are a lexeme of their own
    (level ``PAIRS``): the phrase requires its pairs, and the index alone leaves the posts
    holding them — same answers. A database indexed before the pairs narrows by positions, until
    ``reindex`` (``doctor`` says so: the test above)."""
    from veilleur.query.matcher import matcher
    from veilleur.store.postgres import PAIRS, POSITIONS_SETTING, STEM_POSITIONS, PgSearch

    texts = [
        "Le salon de l'emploi ouvre à Lyon",  # the phrase
        "L'emploi au salon de Lyon",  # two of its three pairs
        "De l'emploi ? Un salon, oui",  # the two others
        "emploi de salon, l'air de rien",  # the words only
        "Salon de l'emploi",  # the phrase again
        "Au salon, de l'emploi",  # the phrase: a comma is not a word
    ]
    posts = [_post(i, text, lang=None) for i, text in enumerate(texts, 1)]
    node = parse('"salon de l\'emploi"').root
    assert {p.id for p in posts if matcher(node)(p)} == {"1", "5", "6"}  # the meaning
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            store.write_posts(posts)
            search = store.search_index
            assert isinstance(search, PgSearch) and search.positions == PAIRS
            found = {p.id for p in store.search(node, limit=None)}
            assert found == {"1", "5", "6"}
            assert _gin_candidates(url, str(candidates(node, PAIRS))) == 3
            assert _gin_candidates(url, str(candidates(node, STEM_POSITIONS))) == 6
            # Only pairs with a short word have a lexeme (a third of the cost of every
            # pair): a phrase of longer words is narrowed by its positions, as before.
            longer = parse('"ouvre lyon"').root
            assert "'p:" not in str(candidates(longer, PAIRS))
            assert {p.id for p in store.search(longer, limit=None)} == set()
            assert {p.id for p in store.search(parse('"ouvre à lyon"').root)} == {"1"}
            store.set_setting(POSITIONS_SETTING, str(STEM_POSITIONS))  # as indexed before
        with PostgresStore(url) as older:
            assert older.search_index.positions == STEM_POSITIONS
            assert {p.id for p in older.search(node, limit=None)} == found
            older.reindex_search()
            assert older.search_index.positions == PAIRS
            assert {p.id for p in older.search(node, limit=None)} == found
    finally:
        pg_support.drop_database(url)


def _post(i: int, text: str, title: str | None = None, lang: str | None = "fr") -> Any:
    from datetime import UTC, datetime

    from veilleur.model import Post

    return Post(
        network="x",
        id=str(i),
        author="a",
        text=text,
        title=title,
        created_at=datetime(2026, 1, 1 + i, tzinfo=UTC),
        lang=lang,
    )


NEAR_POSTS = [
    (1, "Le salon de l'emploi ouvre à Lyon", None),  # two words between
    (2, "Salon à Lyon, puis bien des mots sans rapport, avant l'emploi", None),  # too far
    (3, "L'emploi des salons", None),  # the stems, the other way round
    (4, "salon " * 300 + "emploi", None),  # a stem 301 times: too long for positions
    (5, "emploi", "Salon"),  # one in the text, one in the title: no proximity (but read)
    (6, "La gare Part-Dieu, à Lyon", None),  # a word of two tokens, in a row
    (7, "Une part du dieu Lyon", None),  # its tokens apart
    (8, "salon salons " * 150 + "emploi", None),  # no word 256 times, but a stem 300 times
]


def _read(store: PostgresStore, query: str) -> set[str]:
    """The posts the index gives the matcher for ``query`` (what is read from the heap)."""
    from veilleur.store.postgres import PgSearch

    search = store.search_index
    assert isinstance(search, PgSearch)
    rows = search._rows(parse(query).root, "p.created_at DESC, p.pk DESC")
    return {r[1 + SELECT_COLUMNS.index("id")] for r in rows}


def _found(store: PostgresStore, query: str) -> set[str]:
    return {p.id for p in store.search(parse(query).root, limit=None)}


def test_near_is_narrowed_by_the_positions_of_words_and_stems() -> None:
    """NEAR/ONEAR select, in the index, the posts whose operands stand at the distances
    allowed (stems' positions, both ways for NEAR): a post holding the words too far apart
    is not read at all. What the index cannot tell (fields, posts too long for positions)
    is read and decided by the matcher, so the answers are the matcher's. A database
    indexed with the words' positions only (before this) reads more, answers the same, and
    ``reindex`` brings the stems' positions."""
    from veilleur.query.matcher import matcher
    from veilleur.store.postgres import POSITIONS, POSITIONS_SETTING, STEM_POSITIONS

    posts = [_post(i, text, title) for i, text, title in NEAR_POSTS]
    queries = {
        "salon NEAR/2 emploi": ({"1", "3", "4", "5", "8"}, {"1", "3", "4", "8"}),
        "emploi ONEAR/2 salon": ({"3", "4", "5", "8"}, {"3"}),
        "salon ONEAR/2 emploi": ({"1", "4", "8"}, {"1", "4", "8"}),
        "part-dieu NEAR/1 lyon": ({"6"}, {"6"}),
        "part-dieu": ({"6"}, {"6"}),
    }
    for query, (_read_expected, found) in queries.items():  # the reference meaning
        assert {p.id for p in posts if matcher(parse(query).root)(p)} == found, query
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            store.write_posts(posts)
            assert store.search_index.positions == POSITIONS >= STEM_POSITIONS
            for query, (read, found) in queries.items():
                assert _read(store, query) == read, query
                assert _found(store, query) == found, query
            store.set_setting(POSITIONS_SETTING, "1")  # as indexed by the previous veilleur
        with PostgresStore(url) as older:
            assert older.search_index.positions == 1
            assert _read(older, "salon NEAR/2 emploi") == {"1", "2", "3", "4", "5", "8"}
            assert _read(older, "part-dieu") == {"6", "7"}
            for query, (_read_expected, found) in queries.items():
                assert _found(older, query) == found, query
            older.reindex_search()
            assert older.search_index.positions == POSITIONS
            assert older.get_setting(POSITIONS_SETTING) == str(POSITIONS)
            for query, (read, _found_expected) in queries.items():
                assert _read(older, query) == read, query
    finally:
        pg_support.drop_database(url)


def test_near_beyond_the_span_falls_back_to_the_words() -> None:
    """A distance too wide to spell as ``<0>``…``<N>`` narrows by the operands' words (and
    the matcher decides): every post holding both words is read."""
    from veilleur.store.postgres import NEAR_SPAN

    wide = f"salon NEAR/{NEAR_SPAN} emploi"
    assert "<" not in str(candidates(parse(wide).root, 2))
    assert "<" in str(candidates(parse("salon NEAR/30 emploi").root, 2))


def test_doctor_says_when_the_index_lacks_positions_and_reindex_adds_them(
    cli, tmp_path, empty_pg, monkeypatch
) -> None:
    """A PostgreSQL workspace indexed by an older veilleur (no positions, the words' only,
    or no pairs): ``doctor`` says what is slower and to run ``veilleur reindex`` — advice, not a
    problem (exit 0); after the reindex it says nothing of it."""
    import psycopg

    from veilleur.store.postgres import POSITIONS_SETTING

    monkeypatch.setenv("VEILLEUR_DATABASE_URL", empty_pg)
    assert cli("import", "jsonl", str(_posts(tmp_path / "p.jsonl", 5))).code == 0
    doctor = cli("doctor")
    assert doctor.code == 0 and "to do" not in doctor.out, doctor.out
    with psycopg.connect(empty_pg, autocommit=True) as conn:
        conn.execute("DELETE FROM settings WHERE key = %s", (POSITIONS_SETTING,))
    doctor = cli("doctor")
    assert doctor.code == 0, doctor.out + doctor.err
    line = next(x for x in doctor.out.splitlines() if x.startswith("to do"))
    assert "search speed" in line and "words' positions: phrase and NEAR" in line
    assert "run  veilleur reindex  once" in line
    with psycopg.connect(empty_pg, autocommit=True) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES (%s, '1')", (POSITIONS_SETTING,))
    doctor = cli("doctor")
    assert doctor.code == 0
    assert "stems' positions: NEAR searches read more posts" in doctor.out
    with psycopg.connect(empty_pg, autocommit=True) as conn:
        conn.execute("UPDATE settings SET value = '2' WHERE key = %s", (POSITIONS_SETTING,))
    doctor = cli("doctor")
    assert doctor.code == 0
    assert "without the pairs of words in a row: searches for phrases" in doctor.out
    assert cli("reindex").code == 0
    doctor = cli("doctor")
    assert doctor.code == 0 and "to do" not in doctor.out and "reindex" not in doctor.out


def test_newest_first_walks_the_date_index_then_the_bitmap_with_the_same_answers() -> None:
    """A search for the newest posts walks the date index window by window while the
    candidates are dense (its cost follows the page: a frequent NEAR no longer reads every
    post holding both words), and hands over to the index's bitmap when they are sparse (a
    phrase whose words are everywhere but in a row twice). Windows end amid posts of the
    same date: the answers are those of the matcher over every post, newest first, for any
    limit."""
    from datetime import UTC, datetime

    from veilleur.model import Post
    from veilleur.query.matcher import matcher
    from veilleur.store.postgres import PgSearch

    texts = [
        "hiring a great team today",  # dense: NEAR/3 holds
        "team spirit, and much later we are hiring",  # both words, too far apart
        "l'emploi de salon, et le salon de ville pour l'emploi",  # the phrase's words, apart
    ]
    posts = [
        Post(
            network="x" if i % 4 else "mastodon",
            id=str(i),
            author="a",
            text=texts[i % 3] if i not in (7, 500) else "Le salon de l'emploi ouvre",
            created_at=datetime(2026, 1, 1 + i % 20, tzinfo=UTC),  # 30 posts a day
            lang="en" if i % 3 < 2 else "fr",
        )
        for i in range(600)
    ]
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            store.write_posts(posts)
            store.conn.execute("ANALYZE")
            search = store.search_index
            assert isinstance(search, PgSearch)
            search.WALK, search.WALK_MIN = 2, 8  # small windows: many of them, ties at edges
            pk = {p.id: n for n, p in enumerate(posts)}
            for query in (
                "hiring NEAR/3 team",
                '"salon de l\'emploi"',
                "emploi",
                "network:mastodon hiring",
                "hiring OR emploi",
                "nothing_here",
            ):
                node = parse(query).root
                keep = matcher(node)
                expected = [
                    p.id
                    for p in sorted(
                        (p for p in posts if keep(p)),
                        key=lambda p: (p.created_at, pk[p.id]),
                        reverse=True,
                    )
                ]
                for limit in (1, 5, 17, 50, 400, None):
                    got = [p.id for p in store.search(node, limit=limit)]
                    assert got == expected[:limit], (query, limit)
            store.search(parse("hiring NEAR/3 team").root, limit=5)
            assert {s[0] for s in search.stats} == {"walk"}  # dense: windows fill the page
            # the first window: WALK posts per row of the first page (max(16, limit * 1.25))
            assert search.stats[0][1] == 2 * 16
            # a window that finds fewer rows than the page's 21 (limit 17; a third of its
            # posts match): the next one looks for the rest only, not for a whole page again
            store.search(parse("hiring NEAR/3 team").root, limit=17)
            walks = [found for step, _budget, found in search.stats]
            assert len(walks) >= 2 and walks[0] < 21 and sum(walks) == 21, search.stats
            store.search(parse('"salon de l\'emploi"').root, limit=5)
            assert search.stats[0][0] == "walk" and search.stats[-1][0] == "bitmap"
            store.search(parse("hiring NEAR/3 team").root, limit=None)
            assert search.stats == []  # every match wanted: no walk
    finally:
        pg_support.drop_database(url)


def test_pg0002_indexes_posts_by_date_and_key_and_its_downgrade_drops_it() -> None:
    """The newest-first walk reads ``(created_at, pk)`` from an index alone: pg0002 makes
    it on a database at pg0001 (opening the store upgrades), and its downgrade removes it."""
    from alembic import command

    def indexed(store: PostgresStore) -> bool:
        found = store.conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_created_pk'"
        ).fetchone()
        return found is not None and "(created_at, pk)" in found[0]

    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            assert indexed(store)
            assert migrations.current(store.core) == migrations.PG_HEAD
            command.downgrade(migrations.config(store.core), "pg0001")
            assert not indexed(store)
            assert migrations.current(store.core) == "pg0001"
        with PostgresStore(url) as store:  # opened again: upgraded
            assert indexed(store)
            assert migrations.current(store.core) == migrations.PG_HEAD
    finally:
        pg_support.drop_database(url)


def test_pg0003_drops_the_index_on_the_date_alone_and_dates_still_use_an_index() -> None:
    """pg0002's ``(created_at, pk)`` serves what the index on ``created_at`` alone served:
    pg0003 drops the latter (its downgrade brings it back), and a range of dates and the
    newest posts are still read from an index, not by reading every post."""
    from alembic import command

    def names(store: PostgresStore) -> set[str]:
        rows = store.conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'posts'"
        ).fetchall()
        return {str(r[0]) for r in rows}

    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            assert migrations.current(store.core) == migrations.PG_HEAD == "pg0003"
            assert "posts_created_at" not in names(store) and "posts_created_pk" in names(store)
            store.write_posts([_post(i, f"post {i}") for i in range(1, 20)])
            store.conn.execute("ANALYZE posts")
            store.conn.execute("SET enable_seqscan = off")  # a small table: only the choice
            for sql in (
                "SELECT pk FROM posts WHERE created_at >= '2026-01-05' AND created_at < "
                "'2026-01-09'",
                "SELECT pk FROM posts ORDER BY created_at DESC LIMIT 5",
            ):
                plan = "\n".join(str(r[0]) for r in store.conn.execute(f"EXPLAIN {sql}"))
                assert "posts_created_pk" in plan, plan
            command.downgrade(migrations.config(store.core), "pg0002")
            assert "posts_created_at" in names(store)
    finally:
        pg_support.drop_database(url)
