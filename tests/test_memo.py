"""Answers remembered while the database is unchanged (``veilleur.store.memo``): shared by
the stores of one file in a process, given again without reading the database, and never
given after a commit — of this process's writer, of another connection, of another
process — nor inside a transaction that wrote."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from veilleur.model import Post
from veilleur.query import parse
from veilleur.store import SQLiteStore, memo

WORD = parse("atelier").root


def post(i: int, network: str = "mastodon", author: str = "anne", likes: int | None = None) -> Post:
    return Post(id=str(i), network=network, author=author, text=f"Un atelier numéro {i}",
                created_at=datetime(2026, 1, 1, 12, i % 60, tzinfo=UTC),
                likes=i if likes is None else likes)  # fmt: skip


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SQLiteStore, SQLiteStore]]:
    """The writer of a database and a reader of it (as the web server's pool has)."""
    with SQLiteStore(tmp_path / "db.sqlite") as writer:
        writer.write_posts([post(i) for i in range(1, 4)])
        reader = writer.reader()
        try:
            yield writer, reader
        finally:
            reader.close()


def statements(store: SQLiteStore) -> list[str]:
    """The statements ``store``'s connection runs from now on (filled as they run)."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def write_from_another_process(path: Path, *posts: int) -> None:
    code = textwrap.dedent(f"""
        from datetime import UTC, datetime
        from veilleur.model import Post
        from veilleur.store import SQLiteStore
        with SQLiteStore({str(path)!r}) as store:
            store.write_posts([
                Post(id=str(i), network="bluesky", author="bruno", text=f"Un atelier {{i}}",
                     created_at=datetime(2026, 2, 1, tzinfo=UTC))
                for i in {list(posts)!r}
            ])
    """)
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ), timeout=120)


def test_an_answer_asked_again_is_not_read_again(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    writer, reader = stores
    first = reader.match_summary(WORD, budget=2)
    assert (first.total, first.counted, first.complete) == (3, 2, False)
    assert reader.count_posts() == 3 and reader.get_setting("nothing-here") is None
    seen = statements(reader)
    assert reader.match_summary(WORD, budget=2) == first
    assert reader.count_posts() == 3 and reader.get_setting("nothing-here") is None
    # Another store of the process on the same file is given the same answers.
    other = writer.reader()
    try:
        seen_by_other = statements(other)
        assert other.match_summary(WORD, budget=2) == first and other.count_posts() == 3
        assert seen_by_other == []
    finally:
        other.close()
    assert seen == []


def test_a_change_to_a_given_answer_does_not_reach_the_next_reader(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    _, reader = stores
    given = reader.match_summary(WORD)
    given.by_network.clear()
    given.top_authors.clear()
    again = reader.match_summary(WORD)
    assert again.by_network == {"mastodon": 3} and again.top_authors == [("anne", "mastodon", 3, 6)]


def test_a_commit_of_the_writer_is_seen_at_once(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    writer, reader = stores
    assert reader.match_summary(WORD).total == 3 and reader.count_posts() == 3
    assert reader.get_setting("publish.timezone") is None
    writer.write_posts([post(4, network="bluesky", author="bruno")])
    writer.set_setting("publish.timezone", "America/Montreal")
    summary = reader.match_summary(WORD)
    assert summary.total == 4 and summary.by_network == {"mastodon": 3, "bluesky": 1}
    assert reader.count_posts() == writer.count_posts() == 4
    assert reader.get_setting("publish.timezone") == "America/Montreal"
    # Counts refreshed on a known post (no new row) change the engagement shown.
    writer.write_posts([post(1, likes=100)])
    assert reader.match_summary(WORD).top_authors[0] == ("anne", "mastodon", 3, 105)


def test_a_commit_of_another_process_is_seen_at_once(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    """``veilleur run`` collecting beside the web server: its commits show on the next
    page, though this process's stores did not write anything."""
    writer, reader = stores
    assert reader.match_summary(WORD).total == 3 and reader.count_posts() == 3
    assert writer.count_posts() == 3
    write_from_another_process(writer.path, 10, 11)
    assert reader.match_summary(WORD).by_network == {"mastodon": 3, "bluesky": 2}
    assert reader.count_posts() == writer.count_posts() == 5


def test_inside_a_transaction_the_store_sees_its_own_writes_and_others_do_not(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    writer, reader = stores
    assert writer.count_posts() == reader.count_posts() == 3
    with pytest.raises(RuntimeError), writer.transaction():
        writer.write_posts([post(20)], writer.conn)
        writer._put_setting("publish.timezone", "Asia/Tokyo")
        assert writer.count_posts() == 4 and writer.match_summary(WORD).total == 4
        assert writer.get_setting("publish.timezone") == "Asia/Tokyo"
        assert reader.count_posts() == 3 and reader.match_summary(WORD).total == 3
        assert reader.get_setting("publish.timezone") is None
        raise RuntimeError  # rolled back: nothing was committed
    assert writer.count_posts() == reader.count_posts() == 3
    assert writer.match_summary(WORD).total == 3 and writer.get_setting("publish.timezone") is None


def test_an_answer_computed_across_a_commit_is_not_kept(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    """A commit that lands while an answer is being computed: that answer may predate it,
    so it is not given to the next asker (who reads the database again)."""
    writer, reader = stores
    watcher = reader._watcher
    assert watcher is not None

    def count_then_commit() -> int:
        found = reader.count_posts()  # read before the commit below
        writer.write_posts([post(30)])
        # Another request looks something up meanwhile: it sees the commit, so a new
        # generation starts before this answer is done.
        assert reader.get_setting("publish.timezone") is None
        return found

    assert watcher.recall("racy", count_then_commit) == 3
    assert watcher.recall("racy", lambda: reader.count_posts()) == 4
    # Without a commit meanwhile, the answer is kept.
    assert watcher.recall("quiet", lambda: reader.count_posts()) == 4
    assert watcher.recall("quiet", lambda: -1) == 4


def test_the_watcher_is_shared_then_closed_with_the_last_store(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with SQLiteStore(path) as writer:
        reader = writer.reader()
        assert writer._watcher is not None and writer._watcher is reader._watcher
        key = writer._watcher.key
        assert memo._watchers[key].users == 2
        reader.close()
        assert memo._watchers[key].users == 1
    assert key not in memo._watchers
    # The last connection to close was the writer's: SQLite checkpointed and removed the
    # WAL, as when nothing was remembered.
    assert not path.with_name("db.sqlite-wal").exists()
    with SQLiteStore(":memory:") as memory:
        assert memory._watcher is None
        memory.write_posts([post(1)])
        assert memory.count_posts() == 1
        memory.write_posts([post(2)])
        assert memory.count_posts() == 2


def test_an_answer_asked_by_several_threads_at_once_is_computed_once(
    stores: tuple[SQLiteStore, SQLiteStore],
) -> None:
    """After a commit, twenty users asking the same page wait for the one computing it
    instead of reading the same rows twenty times."""
    _, reader = stores
    watcher = reader._watcher
    assert watcher is not None
    started, go = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        started.set()
        assert go.wait(30)
        return reader.count_posts()

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(watcher.recall, "shared", slow)
        assert started.wait(30)
        others = [pool.submit(watcher.recall, "shared", slow) for _ in range(3)]
        time.sleep(0.2)  # the others are waiting (were they not, they would call slow too)
        go.set()
        assert [f.result(30) for f in (first, *others)] == [3, 3, 3, 3]
    assert len(calls) == 1

    # A computation that fails: those waiting for it compute the answer themselves.
    started.clear()
    go.clear()

    def failing() -> int:
        started.set()
        assert go.wait(30)
        raise RuntimeError("lecture impossible")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(watcher.recall, "failing", failing)
        assert started.wait(30)
        second = pool.submit(watcher.recall, "failing", lambda: 7)
        time.sleep(0.2)
        go.set()
        with pytest.raises(RuntimeError):
            first.result(30)
        assert second.result(30) == 7
