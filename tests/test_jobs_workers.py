"""``veilleur worker`` and ``veilleur scheduler`` against a real broker, with real worker
processes and local servers: a worker killed (SIGKILL, with its pool) in the middle of a
collection or of a publishing run, two schedulers started by mistake, per-host politeness
across workers. Redis absent: these tests skip and say why (under CI=true they fail)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from veilleur.sources import registry
from veilleur.workspace import Workspace

from .jobs_support import FeedServer, broker, kill_group, running, stop, veilleur, wait_until
from .sources_support import allow_local


def _workspace(path: Path, feeds: FeedServer, count: int, lease: int, **settings: str) -> None:
    """``lease``: short where a killed worker's jobs must be taken up soon, long enough that
    a loaded machine never stalls a live worker's renewal past it (a claim that expires
    while its job still runs lets the job run twice: the lease is the guarantee's bound)."""
    with Workspace(path) as ws:
        allow_local(ws)
        ws.set_setting("queue.lease", str(lease))
        ws.set_setting("queue.wait", "30")
        for key, value in settings.items():
            ws.set_setting(key.replace("_", ".", 1), value)
        with ws.store.transaction() as tx:
            for i in range(count):
                registry.add_source(ws.store, "rss", {"url": feeds.url(i)}, f"feed-{i}", conn=tx)


def _collected(ws: Workspace) -> int:
    return sum(1 for r in registry.list_sources(ws.store) if r.last_success is not None)


def test_a_worker_killed_mid_collection_the_other_finishes_every_entry_once(
    tmp_path: Path,
) -> None:
    url = broker("redis", 11)
    path, count, entries = tmp_path / "ws", 200, 5
    with FeedServer(entries=entries, delay=0.02) as feeds:
        _workspace(path, feeds, count, 10, network_per_host="8")
        doomed = veilleur(path, url, "worker", "--concurrency", "2")
        survivor = veilleur(path, url, "worker", "--concurrency", "2")
        scheduler = veilleur(path, url, "scheduler", "--tick", "0.5")
        with running(doomed, survivor, scheduler), Workspace(path) as ws:
            wait_until(lambda: _collected(ws) >= 40, 120, "a first part of the collection")
            kill_group(doomed)
            at_kill = _collected(ws)
            wait_until(
                lambda: _collected(ws) == count,
                300,
                lambda: f"the survivor finishing ({_collected(ws)} of {count} collected)",
            )
            stop(scheduler)
            stop(survivor)
            records = registry.list_sources(ws.store)
            posts = ws.store.count_posts()
        assert at_kill < count, "the kill came after the end: nothing was left to take over"
        assert posts == count * entries
        assert sum(r.posts_collected for r in records) == count * entries
        assert all(r.last_error is None for r in records)
        assert feeds.max_per_path == 1, "a source was collected twice at the same time"
        assert set(feeds.hits) == {f"/feed/{i}.xml" for i in range(count)}


@pytest.mark.parametrize("kind", ["redis", "amqp"])
def test_two_schedulers_do_not_double_the_work(tmp_path: Path, kind: str) -> None:
    """And, with Redis, the per-host limit holds across the workers' six processes."""
    url = broker(kind, 12)
    path, count = tmp_path / "ws", 40
    with FeedServer(entries=3, delay=0.05) as feeds:
        _workspace(path, feeds, count, 120, network_per_host="2")
        first = veilleur(path, url, "scheduler", "--tick", "0.2")
        second = veilleur(path, url, "scheduler", "--tick", "0.2")
        workers = [veilleur(path, url, "worker", "--concurrency", "3") for _ in range(2)]
        with running(first, second, *workers), Workspace(path) as ws:
            wait_until(lambda: _collected(ws) == count, 180, "every source collected")
            time.sleep(1)  # a few more passes of both schedulers: nothing is due any more
            errors = stop(first) + stop(second)
            for worker in workers:
                stop(worker)
            posts = ws.store.count_posts()
        assert "Traceback" not in errors, errors
        assert posts == count * 3
        # Each feed read exactly once: neither scheduler sent a job the other had sent.
        assert sorted(feeds.hits.values()) == [1] * count, feeds.hits.most_common(3)
        if kind == "redis":  # the politeness shared in Redis (RabbitMQ: per process only)
            assert feeds.max_total <= 2, f"{feeds.max_total} requests at once to one host"
