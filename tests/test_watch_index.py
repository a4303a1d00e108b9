"""The incremental index over batches: the same groups and stories whether batches are prepared
in a second process or here, in one run or many; key segments rebuilt after an upgrade and
merged when small; a late copy of a quiet story; a worker that dies mid-run."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from veilleur.errors import VeilleurError
from veilleur.model import Post
from veilleur.store import SQLiteStore
from veilleur.watch import segments
from veilleur.watch.index import update_index
from veilleur.watch.worker import Worker

WORDS = (
    "veille stratégique réseau social entreprise emploi formation jeunes région plan annonce "
    "gouvernement salon numérique recrutement artisanat export innovation santé énergie "
    "climat transport logement commerce tourisme agriculture industrie culture sport école "
    "université recherche données sécurité marché prix hausse baisse accord conseil projet"
).split()
START = datetime(2026, 9, 1, tzinfo=UTC)


def _posts(n: int, seed: int = 1, first: int = 0, hours: float = 0.5) -> list[Post]:
    """``n`` posts, a fifth of them copies ("RT @", cut with …, "via @") of recent ones."""
    rng = random.Random(seed)
    posts: list[Post] = []
    for i in range(first, first + n):
        when = START + timedelta(hours=i * hours)
        if posts and rng.random() < 0.2:
            source = posts[-rng.randint(1, min(len(posts), 40))].text
            kind = rng.random()
            if kind < 0.4:
                text = f"RT @a{i % 7}: {source}"
            elif kind < 0.7:
                text = source[: int(len(source) * 0.8)].rsplit(" ", 1)[0] + " …"
            else:
                text = f"{source} via @site{i % 5}"
        else:
            text = " ".join(rng.choices(WORDS, k=rng.randint(10, 22)))
        posts.append(Post(f"p{i}", rng.choice(("x", "mastodon", "bluesky")), f"a{i}", text, when))
    return posts


def _index_state(store: SQLiteStore) -> list[tuple[str, int, int, str]]:
    """Each post with its group's first post, its story's first post and the reason."""
    return store.conn.execute(
        "SELECT p.id, g.pk, s.representative, sp.reason FROM posts p "
        "JOIN story_posts sp ON sp.pk = p.pk JOIN stories s ON s.id = sp.story "
        "JOIN posts g ON g.pk = sp.grp ORDER BY p.pk"
    ).fetchall()


@pytest.mark.parametrize(("n", "chunk"), [(1500, 400), (600, 15)])
def test_second_process_gives_the_same_index_as_one(tmp_path: Path, n: int, chunk: int) -> None:
    """Also with batches smaller than the distance from a copy to its source (15 < 40), so
    that sources lie in batches saved before, or not yet saved, when a copy is prepared."""
    posts = _posts(n)
    results = []
    for workers in (0, 1):
        store = SQLiteStore(tmp_path / f"w{workers}.sqlite")
        store.write_posts(posts)
        result = update_index(store, chunk=chunk, workers=workers)
        results.append((result, _index_state(store)))
        store.close()
    (one, state_one), (two, state_two) = results
    assert one == two
    assert state_one == state_two
    assert one.posts == n and n * 0.13 < one.duplicates < n * 0.27


def test_batch_size_changes_nothing_within_a_run(tmp_path: Path) -> None:
    """Batches of 37 posts or one batch of all: the same groups and the same stories (the
    stories' state is carried from batch to batch, what was saved is read back)."""
    posts = _posts(700, seed=9)
    states = []
    for chunk in (37, 100_000):
        store = SQLiteStore(tmp_path / f"c{chunk}.sqlite")
        store.write_posts(posts)
        update_index(store, chunk=chunk, workers=0)
        states.append(_index_state(store))
        store.close()
    assert states[0] == states[1]


def test_many_small_runs_find_the_copies_one_run_finds(tmp_path: Path) -> None:
    posts = _posts(1200, seed=3)
    whole = SQLiteStore(tmp_path / "whole.sqlite")
    whole.write_posts(posts)
    update_index(whole, workers=0)
    runs = SQLiteStore(tmp_path / "runs.sqlite")
    for start in range(0, len(posts), 50):  # 24 runs: small segments, merged as they pile up
        runs.write_posts(posts[start : start + 50])
        update_index(runs, workers=0)
    groups = "SELECT p.id, g.id FROM story_posts sp JOIN posts p ON p.pk = sp.pk " \
        "JOIN posts g ON g.pk = sp.grp ORDER BY p.id"  # fmt: skip
    assert runs.conn.execute(groups).fetchall() == whole.conn.execute(groups).fetchall()
    small = runs.conn.execute(
        "SELECT count(*) FROM watch_segments WHERE posts < ?", (segments.TARGET_POSTS,)
    ).fetchone()[0]
    assert small <= segments.MAX_SMALL
    stored = runs.conn.execute("SELECT sum(posts) FROM watch_segments").fetchone()[0]
    signed = runs.conn.execute("SELECT count(*) FROM watch_signatures").fetchone()[0]
    assert stored == signed  # every signed post in exactly one segment
    whole.close()
    runs.close()


def test_segments_are_rebuilt_for_an_index_written_before_them(tmp_path: Path) -> None:
    """An upgraded workspace has signatures but no segments: the next run builds them and
    still finds copies of the posts indexed before the upgrade."""
    store = SQLiteStore(tmp_path / "old.sqlite")
    posts = _posts(300, seed=5)
    store.write_posts(posts)
    update_index(store, workers=0)
    with store.transaction() as tx:  # what schema 5 had: no segments, no state for them
        tx.execute("DELETE FROM watch_segments")
        tx.execute("DELETE FROM watch_state WHERE key = ?", (segments.STATE_KEY,))
    source = posts[10]
    store.write_posts(
        [Post("late", "x", "z", f"RT @a: {source.text}", source.created_at + timedelta(hours=3))]
    )
    assert update_index(store, workers=0).duplicates == 1
    assert store.conn.execute("SELECT sum(posts) FROM watch_segments").fetchone()[0] == 301
    store.close()


def test_a_late_copy_joins_a_quiet_story_without_resetting_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "late.sqlite")
    text = "Le salon régional de l'emploi des jeunes ouvre ses portes à Clermont jeudi matin"
    store.write_posts(
        [
            Post("a", "x", "u1", text, START),
            Post("b", "mastodon", "u2", text + " via @infos", START + timedelta(hours=2)),
        ]
    )
    update_index(store, workers=0)
    store.write_posts([Post("c", "bluesky", "u3", "RT @u1: " + text, START + timedelta(days=6))])
    assert update_index(store, workers=0).duplicates == 1
    size, first_seen, last_seen, representative = store.conn.execute(
        "SELECT size, first_seen, last_seen, representative FROM stories"
    ).fetchone()
    assert size == 3
    assert first_seen == int(START.timestamp())
    assert last_seen == int((START + timedelta(days=6)).timestamp())
    assert representative == store.conn.execute("SELECT pk FROM posts WHERE id = 'a'").fetchone()[0]
    store.close()


def test_a_worker_that_dies_fails_the_run_clearly(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "w.sqlite")
    store.write_posts(_posts(50))
    worker = Worker(store.path, 0)
    worker._process.kill()
    future = worker.submit([1])
    with pytest.raises(VeilleurError, match="stopped"):
        future.result(timeout=30)
    worker._reader.join(timeout=30)
    later = worker.submit([1])  # after the reader thread has given up: answered at once
    with pytest.raises(VeilleurError, match="stopped"):
        later.result(timeout=1)
    worker.close()
    store.close()


def test_digest_indexes_with_a_progress_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first digest of a large workspace indexes everything: the bar says so and counts
    every post once (here with no delay and a terminal simulated)."""
    from veilleur.cli import index_progress, progress
    from veilleur.watch.index import pending_posts

    store = SQLiteStore(tmp_path / "p.sqlite")
    store.write_posts(_posts(120))
    seen: list[int] = []
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "progress_wanted", lambda: True)
    import rich.progress

    update = rich.progress.Progress.update

    def counting(self: rich.progress.Progress, task: rich.progress.TaskID, **kw: Any) -> None:
        seen.append(int(kw.get("advance") or 0))
        update(self, task, **kw)

    monkeypatch.setattr(rich.progress.Progress, "update", counting)
    assert pending_posts(store) == 120
    index_progress.update_with_progress(store, "fr")
    assert sum(seen) == 120
    assert pending_posts(store) == 0
    store.close()
