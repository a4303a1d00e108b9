"""Publishing through ``veilleur worker``: a worker killed (SIGKILL) after Mastodon created a
status and before the worker recorded it — the job is taken up by another worker (started
after, or running beside it), which finds the status instead of posting it again; every
queued post goes out exactly once.
And ``veilleur run`` (no broker) publishes the due posts itself, through the same step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from veilleur.publish.queue import Queue
from veilleur.workspace import Workspace

from .jobs_support import broker, kill_group, running, stop, veilleur, wait_until
from .publish_support import SlowProxy


@pytest.fixture(scope="module")
def mastodon() -> Iterator[object]:
    from mastodon_mock.testing import MockServer

    with MockServer() as server:
        yield server


def _setup(cli, server: str, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "network.allow_private", "true").code == 0
    added = cli(
        "queue", "account", "add", "masto", "--network", "mastodon", "--server", server,
        "--secret", "alice_token", "--insecure",
    )  # fmt: skip
    assert added.code == 0, added.err
    for text in texts:
        queued = cli("queue", "add", text, "--account", "masto", "--at", "now")
        assert queued.code == 0, queued.err


def _published_texts(mastodon) -> list[str]:  # type: ignore[no-untyped-def]
    api = mastodon.client("alice")
    me = api.account_verify_credentials()
    return [s["content"] for s in api.account_statuses(me["id"], limit=40)]


def test_a_worker_killed_mid_publish_no_post_goes_out_twice(cli, mastodon, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = broker("redis", 13)
    proxy = SlowProxy(mastodon.base_url)
    stamp = time.monotonic_ns()
    texts = [f"Annonce {stamp} numéro {i}" for i in range(8)]
    path = tmp_path / "ws"
    try:
        _setup(cli, proxy.url, texts)
        with Workspace(path) as ws:
            ws.set_setting("queue.lease", "6")
            ws.set_setting("queue.wait", "20")
        scheduler = veilleur(path, url, "scheduler", "--tick", "0.5")
        doomed = veilleur(path, url, "worker", "--concurrency", "1")
        with running(scheduler, doomed):
            # The only worker posts; Mastodon has the status; the worker dies before knowing.
            assert proxy.created.wait(180), "no status was ever posted"
            kill_group(doomed)
            proxy.holding = False
            with Workspace(path) as ws:
                left = [p.status for p in Queue(ws.store).posts()]
            assert "in_flight" in left, left
            survivor = veilleur(path, url, "worker", "--concurrency", "2")
            with running(survivor), Workspace(path) as ws:

                def published() -> int:
                    return len(Queue(ws.store).posts(status="published"))

                wait_until(lambda: published() == len(texts), 240, "every post published")
                stop(scheduler)
                stop(survivor)
    finally:
        proxy.close()
    sent = [t for t in _published_texts(mastodon) if str(stamp) in t]
    assert proxy.posts >= len(texts)
    for text in texts:
        copies = sum(text in s for s in sent)
        assert copies == 1, f"{text!r} published {copies} times"


def test_run_without_broker_publishes_the_due_posts(cli, mastodon, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stamp = time.monotonic_ns()
    texts = [f"Sans courtier {stamp} {i}" for i in range(2)]
    _setup(cli, mastodon.base_url, texts)
    path = tmp_path / "ws"
    env = {**os.environ, "VEILLEUR_WORKSPACE": str(path)}
    env.pop("VEILLEUR_BROKER_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "veilleur.cli.main", "run", "--tick", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with Workspace(path) as ws:
            wait_until(
                lambda: len(Queue(ws.store).posts(status="published")) == 2, 180, "both published"
            )
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    sent = [t for t in _published_texts(mastodon) if str(stamp) in t]
    assert len(sent) == 2


def test_two_workers_one_killed_mid_publish_none_twice_none_lost(
    cli, mastodon, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Two workers publish at once; the one whose status Mastodon has just created (the
    proxy holds its answer) is killed with its pool; the other goes on, takes the dead
    one's post over after its lease and finds the status: every text once, none lost."""
    from veilleur.jobs.tables import Claims
    from veilleur.jobs.work import _stamp
    from veilleur.model import utcnow

    url = broker("redis", 15)
    proxy = SlowProxy(mastodon.base_url, hold=20.0, first_only=True)
    stamp = time.monotonic_ns()
    texts = [f"Annonce {stamp}x{i}y" for i in range(10)]
    path = tmp_path / "ws"
    try:
        _setup(cli, proxy.url, texts)
        with Workspace(path) as ws:
            ws.set_setting("queue.lease", "6")
            ws.set_setting("queue.wait", "20")
        scheduler = veilleur(path, url, "scheduler", "--tick", "0.5")
        workers = [veilleur(path, url, "worker", "--concurrency", "1") for _ in range(2)]
        with running(scheduler, *workers), Workspace(path) as ws:
            assert proxy.created.wait(180), "no status was ever posted"
            marker = next(
                f"{stamp}x{i}y" for i in range(10) if f"{stamp}x{i}y".encode() in proxy.held
            )
            post = next(p for p in Queue(ws.store).posts() if marker in p.texts[0])
            claims = Claims(ws.store)
            try:
                owners = [
                    o for k, o, _ in claims.active(_stamp(utcnow())) if k == f"publish:{post.id}"
                ]
            finally:
                claims.close()
            assert owners and owners[0].startswith("worker:"), owners
            pid = int(owners[0].rsplit(":", 2)[1])
            doomed = next(w for w in workers if os.getpgid(pid) == w.pid)
            kill_group(doomed)
            proxy.holding = False
            survivor = next(w for w in workers if w is not doomed)

            def published() -> int:
                return len(Queue(ws.store).posts(status="published"))

            wait_until(lambda: published() == len(texts), 240, "every post published")
            stop(scheduler)
            stop(survivor)
    finally:
        proxy.close()
    sent = [t for t in _published_texts(mastodon) if str(stamp) in t]
    for text in texts:
        copies = sum(text in s for s in sent)
        assert copies == 1, f"{text!r} published {copies} times"
