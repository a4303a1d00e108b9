"""Publishing from several machines on one PostgreSQL database (issue 17): two workspace
folders name the same database (their ``database.url``), as two machines of a team do, and
each runs ``veilleur publish --due``. The workspace folder's file lock guards nothing between
them; the database's lock per post does. Every post is created once on the (local, fake)
Mastodon, even when one publisher is killed (SIGKILL) while the server holds its answer.

Real processes, the real PostgreSQL (a database of the test's own), a local fake Mastodon
behind a proxy that counts the creations and forgets the ``Idempotency-Key`` (so that a
double send shows as a double status, not hidden by the server's memory of the key).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests import pg_support
from veilleur.publish.publisher import publish_due
from veilleur.publish.queue import Account, Queue, QueuedPost
from veilleur.publish.tables import POST_LOCKS
from veilleur.workspace import URL_FILE, Workspace

from .publish_support import SlowProxy
from .test_publish_queue import FakeNetwork


@pytest.fixture(scope="module")
def mastodon() -> Iterator[object]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def database() -> Iterator[str]:
    url = pg_support.create_database()
    try:
        yield url
    finally:
        pg_support.drop_database(url)


def _folders(tmp_path: Path, url: str) -> tuple[Path, Path]:
    """Two workspace folders (two machines) kept in the same database."""
    folders = (tmp_path / "machine-a", tmp_path / "machine-b")
    for folder in folders:
        folder.mkdir(mode=0o700)
        (folder / URL_FILE).write_text(url + "\n", encoding="utf-8")
    return folders


def _queue(cli, folder: Path, server: str, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "network.allow_private", "true", workspace=folder).code == 0
    added = cli(
        "queue", "account", "add", "masto", "--network", "mastodon", "--server", server,
        "--secret", "alice_token", "--insecure", workspace=folder,
    )  # fmt: skip
    assert added.code == 0, added.err
    for text in texts:
        queued = cli("queue", "add", text, "--account", "masto", "--at", "now", workspace=folder)
        assert queued.code == 0, queued.err


def _publisher(folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "VEILLEUR_LANG": "en"}
    env.pop("VEILLEUR_DATABASE_URL", None)  # each folder's database.url decides
    return subprocess.Popen(
        [sys.executable, "-m", "veilleur.cli.main", "--workspace", str(folder), "publish", "--due"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        out, err = process.communicate(timeout=180)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 0, err
    return out, err


def _copies(mastodon, stamp: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many statuses of the account hold each text of this test (by its marker)."""
    api = mastodon.client("alice")
    me = api.account_verify_credentials()
    counted: dict[str, int] = {}
    for status in api.account_statuses(me["id"], limit=40):
        source = api.status_source(status["id"])["text"]
        for marker in re.findall(rf"{stamp}n\d+", source):
            counted[marker] = counted.get(marker, 0) + 1
    return counted


def test_two_machines_publish_due_at_once_each_post_created_once(
    cli, mastodon, database: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Both publishers start together; every creation is held a second by the server, so
    their runs overlap for several seconds. Each post is created once; together they
    publish all of them (each skips the posts the other has in hand)."""
    proxy = SlowProxy(mastodon.base_url, hold=1.0, forget_keys=True)  # type: ignore[attr-defined]
    stamp = f"deux-{time.monotonic_ns()}"
    texts = [f"Annonce {stamp}n{i} publiée" for i in range(6)]
    first, second = _folders(tmp_path, database)
    try:
        _queue(cli, first, proxy.url, texts)
        publishers = [_publisher(first), _publisher(second)]
        outputs = [_finish(p)[0] for p in publishers]
    finally:
        proxy.close()
    with Workspace(first) as ws:
        assert [p.status for p in Queue(ws.store).posts()] == ["published"] * len(texts)
    assert _copies(mastodon, stamp) == {f"{stamp}n{i}": 1 for i in range(len(texts))}
    assert proxy.posts == len(texts), outputs
    published = [
        line for out in outputs for line in out.splitlines() if line.startswith("published ")
    ]
    assert len(published) == len(texts), outputs


def _lock_held(url: str, post_id: int) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid "
            "AND objid = %s::oid AND objsubid = 2",
            (POST_LOCKS, post_id),
        ).fetchone()
    return bool(row and row[0])


def test_a_publisher_killed_mid_send_the_other_machine_reconciles(
    cli, mastodon, database: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Machine A's publisher posts, and the server holds its answer; machine B's publisher,
    started meanwhile, leaves that post to A and publishes the others. A is killed
    (SIGKILL): the server frees its lock, and B's next run finds the status A created
    instead of sending it again."""
    proxy = SlowProxy(mastodon.base_url, hold=120.0, first_only=True, forget_keys=True)  # type: ignore[attr-defined]
    stamp = f"tue-{time.monotonic_ns()}"
    texts = [f"Annonce {stamp}n{i} publiée" for i in range(4)]
    first, second = _folders(tmp_path, database)
    doomed = None
    try:
        _queue(cli, first, proxy.url, texts)
        doomed = _publisher(first)
        assert proxy.created.wait(120), "the first publisher never posted"
        with Workspace(second) as ws:
            marker = next(m for m in re.findall(rf"{stamp}n\d+", proxy.held.decode()))
            held = next(p for p in Queue(ws.store).posts() if marker in p.texts[0])
            assert held.status == "in_flight"
        out, _ = _finish(_publisher(second))
        assert f"post {held.id} is being published by another process" in out, out
        with Workspace(second) as ws:
            statuses = {p.id: p.status for p in Queue(ws.store).posts()}
        assert statuses == {p: "published" for p in statuses} | {held.id: "in_flight"}

        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.communicate()
        proxy.holding = False
        deadline = time.monotonic() + 60
        while _lock_held(database, held.id):  # the server notices the closed session
            assert time.monotonic() < deadline, "the killed publisher's lock was never freed"
            time.sleep(0.1)
        out, _ = _finish(_publisher(second))
        assert "recovered after an interruption" in out, out
    finally:
        if doomed is not None and doomed.poll() is None:
            os.killpg(doomed.pid, signal.SIGKILL)
            doomed.communicate()
        proxy.close()
    with Workspace(first) as ws:
        assert [p.status for p in Queue(ws.store).posts()] == ["published"] * len(texts)
    assert _copies(mastodon, stamp) == {f"{stamp}n{i}": 1 for i in range(len(texts))}
    assert proxy.posts == len(texts)


# -- the same rules in one process, with an in-memory network (tests/test_publish_queue.py) --


def _workspace_queue(folder: Path) -> tuple[Workspace, Queue]:
    ws = Workspace(folder)
    queue = Queue(ws.store)
    if not queue.accounts():
        queue.add_account(Account("asso", "mastodon", "https://m.example", secret="t"))
    return ws, queue


def test_a_post_another_session_holds_is_left_to_it(database: str, tmp_path: Path) -> None:
    import psycopg

    folder, _ = _folders(tmp_path, database)
    ws, queue = _workspace_queue(folder)
    net = FakeNetwork()
    try:
        held, free = (queue.add("mastodon", [text], account="asso") for text in ("Un", "Deux"))
        assert held is not None and free is not None
        with psycopg.connect(database, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s::integer, %s::integer)", (POST_LOCKS, held))
            report = publish_due(queue, lambda account: net, ws.path)
        assert report.busy == [held]
        assert [p.id for p in report.published] == [free]
        assert [text for _, text, _ in net.posts] == ["Deux"]
        # The other session ended: its lock went with it, and the post goes out.
        report = publish_due(queue, lambda account: net, ws.path)
        assert [p.id for p in report.published] == [held] and report.busy == []
        assert sorted(text for _, text, _ in net.posts) == ["Deux", "Un"]
    finally:
        ws.close()


def test_a_post_sent_since_the_listing_is_not_sent_again(database: str, tmp_path: Path) -> None:
    """The queue is listed before any post is held: another machine may publish a listed
    post in between. The publisher reads each post again once it holds it."""
    here, there = _folders(tmp_path, database)
    ws, queue = _workspace_queue(here)
    other_ws, other_queue = _workspace_queue(there)
    net = FakeNetwork()

    class ListedBeforeTheOtherRan(Queue):
        def due(self, now: datetime | None = None) -> list[QueuedPost]:
            listed = super().due(now)
            publish_due(other_queue, lambda account: net, other_ws.path)
            return listed

    try:
        for text in ("Un", "Deux", "Trois"):
            queue.add("mastodon", [text], account="asso")
        late = ListedBeforeTheOtherRan(ws.store)
        report = publish_due(late, lambda account: net, ws.path)
        assert report.published == [] and report.failed == []
        assert sorted(text for _, text, _ in net.posts) == ["Deux", "Trois", "Un"]
    finally:
        other_ws.close()
        ws.close()
