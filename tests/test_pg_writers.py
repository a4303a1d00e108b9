"""Several writers on one PostgreSQL store at once (issue 17): collections of different
sources write side by side (shared transactions, row locks), and nothing is lost, doubled
or seen out of order.

Real processes, each with its own connection, on a database of the test's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from tests import pg_support
from veilleur.model import Post
from veilleur.sources import registry
from veilleur.sources import tables as source_tables
from veilleur.store.postgres import PostgresStore

ROUNDS = 25
OWN = 30  # posts of a round only this source has
SHARED = 10  # posts of a round both sources collect (the same network and id)

# One collector: waits for the start file, then saves ROUNDS collections of its source as
# the workers do (registry.save_outcome: posts, state and bookkeeping in one transaction).
WRITER = textwrap.dedent(
    """
    import json, sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from veilleur.model import Post
    from veilleur.sources import registry
    from veilleur.store.postgres import PostgresStore

    url, name, start, rounds, own, shared = sys.argv[1:7]
    rounds, own, shared = int(rounds), int(own), int(shared)
    while not Path(start).exists():
        time.sleep(0.01)
    out = {"new": 0, "fresh": [], "spans": []}
    with PostgresStore(url) as store:
        record = registry.get_source(store, name)
        for r in range(rounds):
            ids = [f"{name}-{r}-{i}" for i in range(own)] + [f"both-{r}-{i}" for i in range(shared)]
            posts = [
                Post(network="mastodon", id=i, author=name, text=f"Offre d'emploi {i} à Lyon",
                     created_at=datetime(2026, 3, 1 + r % 28, tzinfo=UTC), likes=r)
                for i in ids
            ]
            began = time.monotonic()
            saved = registry.save_outcome(store, record, posts, {"round": r})
            out["spans"].append((began, time.monotonic()))
            out["new"] += saved.result.new
            out["fresh"] += [p.id for p in saved.new_posts]
    print(json.dumps(out))
    """
)

# A reader that remembers the last pk it saw, as the watch's alerts do: it must miss none.
WATERMARK = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import psycopg

    url, stop = sys.argv[1:3]
    seen, last = [], 0
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            done = Path(stop).exists()
            sql = "SELECT pk FROM posts WHERE pk > %s ORDER BY pk"
            rows = conn.execute(sql, (last,)).fetchall()
            seen += [r[0] for r in rows]
            if rows:
                last = rows[-1][0]
            if done:
                break
            time.sleep(0.001)
    print(json.dumps(seen))
    """
)


def _run(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> object:
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_two_collector_processes_lose_double_and_reorder_nothing(tmp_path: Path) -> None:
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            for name in ("a", "b"):
                registry.add_source(store, "rss", {"url": f"https://{name}.example/feed"}, name)
        start, stop = tmp_path / "start", tmp_path / "stop"
        reader = _run(WATERMARK, url, str(stop))
        writers = [
            _run(WRITER, url, name, str(start), str(ROUNDS), str(OWN), str(SHARED))
            for name in ("a", "b")
        ]
        time.sleep(1.0)  # both imported and connected: start them together
        start.touch()
        results = [_result(w) for w in writers]
        stop.touch()
        seen = _result(reader)

        expected = 2 * ROUNDS * OWN + ROUNDS * SHARED
        with PostgresStore(url) as store:
            pks = [r[0] for r in store.conn.execute("SELECT pk FROM posts ORDER BY pk")]
            indexed = store.conn.execute(
                "SELECT count(*) FROM posts p JOIN posts_search s ON s.pk = p.pk"
            ).fetchone()[0]
            sources = {r.name: r for r in registry.list_sources(store)}
        assert len(pks) == expected  # nothing lost, nothing doubled (unique (network, id))
        assert indexed == expected  # every post in the search index, once (its key)
        news = [r["new"] for r in results]  # type: ignore[index]
        assert sum(news) == expected  # each post counted new by exactly one writer
        fresh = [i for r in results for i in r["fresh"]]  # type: ignore[index]
        assert len(fresh) == len(set(fresh)) == expected  # alerts would see each post once
        for name, new in zip(("a", "b"), news, strict=True):
            assert sources[name].posts_collected == new
            assert sources[name].state == {"round": ROUNDS - 1}
        # The watermark reader read every post: keys were given in commit order.
        assert sorted(seen) == pks  # type: ignore[arg-type]
        # The two collections did run side by side (printed; the machine's load decides
        # how much they overlap, the answers above must hold either way).
        spans_a, spans_b = (r["spans"] for r in results)  # type: ignore[index]
        overlaps = sum(1 for a in spans_a for b in spans_b if a[0] < b[1] and b[0] < a[1])
        print(f"overlapping saves: {overlaps}")
    finally:
        pg_support.drop_database(url)


def _posts(name: str, n: int) -> list[Post]:
    return [
        Post(
            network="x",
            id=f"{name}-{i}",
            author=name,
            text=f"Salon de l'emploi {i}",
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        for i in range(n)
    ]


def test_a_collection_waits_for_no_other_source_but_for_an_exclusive_writer() -> None:
    """A source's collection saves while another source's transaction is open (row locks,
    not one lock for the database); a transaction of the rest of the store (exclusive)
    still holds every collection back until it commits. (Inserting posts is serialised
    from the insert to the commit, see PostgresStore._write: a's transaction here saves
    its state only, as a collection with nothing new does.)"""
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as one, PostgresStore(url) as two:
            for name in ("a", "b"):
                registry.add_source(one, "rss", {"url": f"https://{name}.example/feed"}, name)
            a = registry.get_source(one, "a")
            b = registry.get_source(two, "b")

            def save_b(done: threading.Event, name: str) -> None:
                registry.save_outcome(two, b, _posts(name, 5), {"step": name})
                done.set()

            # a's collection saving its state (no new post), not committed yet.
            with one.transaction(shared=True) as tx:
                source_tables.record_success(tx, a.name, '{"step": 1}', "2026-03-01T00:00:00Z", 0)
                done = threading.Event()
                saver = threading.Thread(target=save_b, args=(done, "b1"))
                saver.start()
                assert done.wait(20), "b's collection waited for a's transaction"
                saver.join()

            with one.transaction():  # exclusive: another pillar's transaction
                done = threading.Event()
                saver = threading.Thread(target=save_b, args=(done, "b2"))
                saver.start()
                assert not done.wait(1.0)
            assert done.wait(20)
            saver.join()
            assert registry.get_source(one, "b").state == {"step": "b2"}
            assert registry.get_source(one, "a").state == {"step": 1}
            assert one.count_posts() == 10
    finally:
        pg_support.drop_database(url)


def test_posts_are_given_their_keys_in_commit_order() -> None:
    """A writer of posts that has inserted holds the next one back until it commits: the
    keys are committed in order, so a reader that remembers the last key it saw (the
    watch's alerts) cannot skip a post committed late with a smaller key."""
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as one, PostgresStore(url) as two:

            def write_b(done: threading.Event) -> None:
                two.write_posts(_posts("b", 5))
                done.set()

            with one.transaction(shared=True) as tx:
                one.write_posts(_posts("a", 5), tx)
                done = threading.Event()
                writer = threading.Thread(target=write_b, args=(done,))
                writer.start()
                assert not done.wait(1.5), "b's posts were inserted while a's were uncommitted"
            assert done.wait(20)
            writer.join()
            (a_last,) = one.conn.execute("SELECT max(pk) FROM posts WHERE author = 'a'").fetchone()
            (b_first,) = one.conn.execute("SELECT min(pk) FROM posts WHERE author = 'b'").fetchone()
            assert b_first > a_last
    finally:
        pg_support.drop_database(url)


def test_the_staging_table_is_made_once_and_emptied_by_each_commit() -> None:
    """The COPY's temporary table is created once per connection and emptied by the commit
    (``ON COMMIT DELETE ROWS``), not created and truncated at every batch: the same file
    after many batches (a TRUNCATE gives it a new one), no row left between them. Two batches
    in one transaction, and a batch after a rolled-back one, still store exactly theirs."""
    url = pg_support.create_database()
    try:
        with PostgresStore(url) as store:
            raw = store.pg.raw

            def staged() -> tuple[int, int]:
                row = raw.execute(
                    "SELECT pg_relation_filenode('veilleur_posts_staging'), "
                    "(SELECT count(*) FROM veilleur_posts_staging)"
                ).fetchone()
                return int(row[0]), int(row[1])

            store.write_posts(_posts("a", 30))
            first = staged()
            assert first[1] == 0
            for name in ("b", "c", "d"):
                assert store.write_posts(_posts(name, 30)).new == 30
                assert staged() == first
            with store.transaction(shared=True) as tx:  # two batches, one transaction
                assert store.write_posts(_posts("e", 20), tx).new == 20
                assert store.write_posts(_posts("f", 20), tx).new == 20
            try:
                with store.transaction(shared=True) as tx:
                    store.write_posts(_posts("g", 20), tx)
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
            assert store.write_posts(_posts("h", 25)).new == 25
            assert staged()[1] == 0
            count = raw.execute("SELECT count(*) FROM posts").fetchone()[0]
            assert count == 4 * 30 + 2 * 20 + 25
            indexed = raw.execute("SELECT count(*) FROM posts_search").fetchone()[0]
            assert indexed == count
    finally:
        pg_support.drop_database(url)
