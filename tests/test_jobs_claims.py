"""Job claims and the scheduler's pass, in one process on a real SQLite workspace: a job is
claimed once however many schedulers race; a worker takes over only the message that holds
the claim; a killed worker's claim frees itself after its lease. Plus the per-host gate in
Redis, and ``doctor`` with a broker."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from veilleur.jobs import work
from veilleur.jobs.steps import STEPS, Step
from veilleur.jobs.tables import Claims
from veilleur.model import format_datetime, utcnow
from veilleur.sources.http import Fetcher, FetchError, HttpPolicy
from veilleur.workspace import Workspace

from .jobs_support import FeedServer, broker
from .sources_support import allow_local


@pytest.fixture
def numbered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The registry replaced by one step with 200 jobs always due; what ran, in order."""
    ran: list[str] = []
    keys = [str(i) for i in range(200)]
    step = Step("test", lambda ws, now: keys, lambda ws, ks, gate: ran.extend(ks))
    monkeypatch.setattr("veilleur.jobs.steps.STEPS", {"test": step})
    assert "collect" not in {s.name for s in work.steps()}
    return ran


@pytest.mark.both_backends  # claims on PostgreSQL: the same upsert, row-locked
def test_racing_schedulers_send_each_job_once(ws: Workspace, numbered: list[str]) -> None:
    sent: list[str] = []
    lock = threading.Lock()

    def enqueue(step: str, keys: list[str], token: str) -> None:
        with lock:
            sent.extend(keys)

    def scheduler() -> None:
        claims = Claims(ws.store)
        try:
            for _ in range(3):
                work.schedule_once(ws, claims, enqueue)
        finally:
            claims.close()

    assert ws.store is not None  # opened once, before the threads share it
    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent, key=int) == [str(i) for i in range(200)]


@pytest.mark.both_backends  # claims on PostgreSQL: the same upsert, row-locked
def test_only_the_message_holding_the_claim_runs(ws: Workspace, numbered: list[str]) -> None:
    claims = Claims(ws.store)
    tokens: dict[str, list[str]] = {}
    work.schedule_once(ws, claims, lambda s, ks, tok: tokens.setdefault(ks[0], []).append(tok))
    assert work.run_message(ws, claims, "test", "7", "queued:forged") == "stale"
    assert work.run_message(ws, claims, "test", "7", tokens["7"][0]) == "done"
    assert work.run_message(ws, claims, "test", "7", tokens["7"][0]) == "stale"  # a copy
    assert numbered == ["7"]
    claims.close()


def test_a_batched_step_sends_its_jobs_by_batch_and_runs_only_those_it_holds(
    ws: Workspace, numbered: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    step = work.steps()[0]
    monkeypatch.setattr(
        "veilleur.jobs.steps.STEPS", {"test": Step("test", step.due, step.run, batched=True)}
    )
    ws.set_setting("queue.batch", "30")
    claims = Claims(ws.store)
    messages: list[tuple[list[str], str]] = []

    def enqueue(step: str, keys: list[str], token: str) -> None:
        if step == "test":  # (a plugin's step may be in the registry too)
            messages.append((keys, token))

    assert work.schedule_once(ws, claims, enqueue)["test"] == 200
    assert [len(keys) for keys, _ in messages] == [30] * 6 + [20]
    assert work.schedule_once(ws, claims, enqueue)["test"] == 0
    keys, token = messages[0]
    # Another worker already took over two jobs of the batch (a copy of a message sent again).
    now = utcnow()
    later = format_datetime(now + timedelta(seconds=60))
    assert claims.hand_over("test:0", token, "worker:other", later)
    assert claims.hand_over("test:5", token, "worker:other", later)
    assert work.run_message(ws, claims, "test", keys, token) == "done"
    assert numbered == [k for k in keys if k not in {"0", "5"}]
    assert claims.held("test:", format_datetime(now)) >= {"test:0", "test:5"}
    assert "test:1" not in claims.held("test:", format_datetime(now))  # released when done
    claims.close()


@pytest.mark.both_backends  # claims on PostgreSQL: the same upsert, row-locked
def test_a_dead_workers_claim_frees_itself_after_its_lease(ws: Workspace) -> None:
    claims = Claims(ws.store)
    now = utcnow()
    later = now + timedelta(seconds=3)
    assert claims.claim("collect:a", "worker:dead", format_datetime(now), format_datetime(later))
    assert not claims.claim("collect:a", "queued:x", format_datetime(now), format_datetime(later))
    assert claims.held("collect:", format_datetime(now)) == {"collect:a"}
    after = later + timedelta(seconds=1)
    assert claims.claim("collect:a", "queued:y", format_datetime(after), format_datetime(after))
    assert not claims.hand_over("collect:a", "worker:dead", "worker:dead", format_datetime(after))
    claims.close()


def test_a_feed_collected_while_a_scheduler_looks_is_not_collected_again(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two schedulers: the first reads the due sources; before it reads the claims, the
    second sends the feed and a worker collects it and lets its claim go. The first then
    finds the feed due (its list is from before) and free: it sends it again. The worker
    that gets that message must not read the feed a second time (it is no longer due)."""
    from veilleur.sources import registry

    allow_local(ws)
    collect = STEPS["collect"]
    with FeedServer(entries=2) as feeds:
        with ws.store.transaction() as tx:
            registry.add_source(ws.store, "rss", {"url": feeds.url(0)}, "feed-0", conn=tx)
        claims = Claims(ws.store)
        others: list[tuple[list[str], str]] = []
        mine: list[tuple[list[str], str]] = []

        def due_then_collected_meanwhile(w: Workspace, now: datetime) -> list[str]:
            due = collect.due(w, now)
            if not others:  # the other scheduler and its worker, between our two reads
                monkeypatch.setattr("veilleur.jobs.steps.STEPS", {"collect": collect})
                work.schedule_once(
                    ws, claims, lambda s, k, t: others.append((k, t)) if s == "collect" else None
                )
                [(keys, token)] = others
                assert work.run_message(ws, claims, "collect", keys, token) == "done"
                monkeypatch.setattr("veilleur.jobs.steps.STEPS", {"collect": racing})
            return due

        racing = Step("collect", due_then_collected_meanwhile, collect.run, in_run=False,
                      batched=True)  # fmt: skip
        monkeypatch.setattr("veilleur.jobs.steps.STEPS", {"collect": racing})
        work.schedule_once(
            ws, claims, lambda s, k, t: mine.append((k, t)) if s == "collect" else None
        )
        assert feeds.hits == {"/feed/0.xml": 1}  # the other worker's reading
        for keys, token in mine:  # the first scheduler's message, if it sent one
            work.run_message(ws, claims, "collect", keys, token)
        claims.close()
    assert feeds.hits == {"/feed/0.xml": 1}, "the feed was read twice"


def test_the_registry_has_the_steps_run_and_the_scheduler_share() -> None:
    assert list(STEPS)[:3] == ["collect", "publish", "alerts"]
    assert not STEPS["collect"].in_run  # `veilleur run` collects in its own loop
    assert STEPS["alerts"].rest == 60


def _forget_host(url: str, host: str) -> None:
    """Remove what the host gate keeps in Redis for ``host`` (its wait and its slots)."""
    import redis

    from veilleur.jobs.hostgate import PREFIX

    redis.Redis.from_url(url).delete(f"{PREFIX}{host}:hold", f"{PREFIX}{host}:slots")


class _RateLimited(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(429)
        self.send_header("Retry-After", "120")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_retry_after_told_to_one_worker_holds_the_others(tmp_path: Path) -> None:
    from veilleur.jobs.hostgate import RedisHostGate

    url = broker("redis", 10, empty=False)  # shared by this file's tests: not emptied
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed = f"http://127.0.0.1:{server.server_port}/feed.xml"
    # The 120 s wait a run before left for this port (ports come round again) is not ours.
    _forget_host(url, f"127.0.0.1:{server.server_port}")
    policy = HttpPolicy(allow_private=True, max_time=5, backoff_base=0.01)

    hits = _RateLimited.hits

    async def fetch() -> FetchError:
        async with Fetcher(policy, gate=RedisHostGate(url, 4, 30)) as http:
            with pytest.raises(FetchError) as caught:
                await http.get(feed)
            return caught.value

    try:
        first = asyncio.run(fetch())  # one worker meets the 429
        second = asyncio.run(fetch())  # another one, later: it does not ask the host
    finally:
        server.shutdown()
        server.server_close()
    assert first.retry_after == 120
    assert second.retry_after is not None and 100 < second.retry_after <= 120
    assert _RateLimited.hits == hits + 1


def test_the_per_host_limit_holds_across_gates(tmp_path: Path) -> None:
    from veilleur.jobs.hostgate import RedisHostGate

    url = broker("redis", 10, empty=False)
    host = f"limit-{uuid.uuid4().hex}.test:443"  # slots of its own, whoever else uses Redis
    inside = 0
    most = 0

    async def one(gate: RedisHostGate) -> None:
        nonlocal inside, most
        async with gate.slot(host):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.05)
            inside -= 1

    async def main() -> None:
        gates = [RedisHostGate(url, 2, 30, poll=0.01) for _ in range(4)]  # four "workers"
        await asyncio.gather(*(one(gates[i % 4]) for i in range(16)))
        for gate in gates:
            await gate.aclose()

    asyncio.run(main())
    assert most == 2


def test_doctor_checks_the_broker(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("init").code == 0
    quiet = cli("doctor")
    assert quiet.code == 0 and "broker:" not in quiet.out  # no broker set: nothing asked
    monkeypatch.setenv("VEILLEUR_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens
    down = cli("doctor")
    assert down.code == 1
    assert "PROBLEM  broker: redis://127.0.0.1:1/0" in down.out
    monkeypatch.setenv("VEILLEUR_BROKER_URL", broker("redis", 10, empty=False))
    up = cli("doctor")
    assert "ok       broker: redis://127.0.0.1:6379/10" in up.out
    assert "PROBLEM  workers: no worker answered" in up.out  # none started here
