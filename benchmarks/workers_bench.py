"""Collection by ``veilleur worker`` processes: N local feeds with 1, 2 and 4 workers.

    .venv/bin/python benchmarks/workers_bench.py [--feeds 10000] [--entries 10]
        [--workers 1 2 4] [--broker URL] [--postgres postgresql://postgres@127.0.0.1:5432]

A separate process serves the N RSS feeds on 127.0.0.1-127.0.0.20 (twenty loopback hosts,
as feeds come from many sites): an asyncio server with HTTP/1.1 keep-alive and every body
built before the clock starts, so that the server costs little beside the workers (on two
cores it still shares them: the figures are bounded by it). For each worker count W, a fresh
workspace gets the N sources, W worker processes (``--concurrency 1`` each: one process, one
job at a time) start and say they are ready, then one scheduler sends every source (by
batches of ``queue.batch``); the clock runs from the scheduler's start to the last post
saved. feeds/s and the speed-ups against one worker come from the same run; memory is each
worker's RSS and PSS (its main process + its pool process) read from /proc at the end; the
database's size per million posts is the workspace's files after the run. Needs Redis
(default redis://127.0.0.1:6379/6: the tests use 9 to 15 and empty theirs, see
tests/jobs_support.py — a benchmark there loses its queue). ``--postgres SERVER``: each
run's workspace keeps its data in a new PostgreSQL database on that server
(``VEILLEUR_DATABASE_URL``), dropped after; its size is ``pg_database_size``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

HOSTS = [f"127.0.0.{n}" for n in range(1, 21)]


def feed_body(i: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Article {j} du flux {i}</title>"
        f"<link>https://site{i}.example/{j}</link><guid>https://site{i}.example/{j}</guid>"
        f"<pubDate>Mon, 0{1 + j % 9} Mar 2026 08:00:00 +0000</pubDate>"
        f"<description>La veille stratégique du flux {i}, article {j} : les marchés, "
        f"les concurrents et les annonces de la semaine.</description></item>"
        for j in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Flux {i}</title><link>https://site{i}.example/</link>{items}"
        "</channel></rss>"
    ).encode()


def _serve(feeds: int, entries: int, port: multiprocessing.Queue[int]) -> None:
    """The feed server's process: ``GET /feed/I`` → feed I, keep-alive, until killed."""
    bodies = [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
        for body in (feed_body(i, entries) for i in range(feeds))
    ]
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                try:
                    writer.write(bodies[int(path.rsplit(b"/", 1)[-1])])
                except (ValueError, IndexError):
                    writer.write(missing)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "0.0.0.0", 0, backlog=1024)
        port.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def memory_mb(pid: int, field: str = "Rss") -> float:
    """Memory of a process and its children (the worker's pool), in MB: ``Rss`` counts the
    pages they share (the modules imported before the fork) in each, ``Pss`` divides them."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Figures(TypedDict):
    """One run's figures: seconds, each worker's RSS and PSS (MB), the database's bytes,
    the cores the machine kept busy meanwhile (on 2 cores, what bounds the speed-up)."""

    seconds: float
    memory: list[float]
    pss: list[float]
    bytes: float
    cores: float


def one_run(
    workers: int,
    feeds: int,
    entries: int,
    port: int,
    broker: str,
    batch: int,
    postgres: str | None = None,
) -> Figures:
    import redis

    redis.Redis.from_url(broker).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="veilleur-workers-"))
    database = None
    if postgres is not None:
        import secrets

        import psycopg

        database = f"veilleur_bench_{secrets.token_hex(4)}"
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        os.environ["VEILLEUR_DATABASE_URL"] = f"{postgres}/{database}"
    try:
        return _collect(workers, feeds, entries, port, broker, batch, folder, postgres, database)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database is not None:
            import psycopg

            os.environ.pop("VEILLEUR_DATABASE_URL", None)
            with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _cpu_jiffies() -> tuple[int, int]:
    """The machine's busy and total CPU time so far (``/proc/stat``, every core)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def _collect(
    workers: int,
    feeds: int,
    entries: int,
    port: int,
    broker: str,
    batch: int,
    folder: Path,
    postgres: str | None,
    database: str | None,
) -> Figures:
    from veilleur.sources import registry
    from veilleur.workspace import Workspace

    path = folder / "ws"
    with Workspace(path) as ws:
        ws.set_setting("network.allow_private", "true")
        ws.set_setting("queue.wait", "900")
        ws.set_setting("queue.batch", str(batch))
        with ws.store.transaction() as tx:
            for i in range(feeds):
                url = f"http://{HOSTS[i % len(HOSTS)]}:{port}/feed/{i}"
                registry.add_source(ws.store, "rss", {"url": url}, f"flux-{i}", conn=tx)
    env = {**os.environ, "VEILLEUR_WORKSPACE": str(path), "VEILLEUR_BROKER_URL": broker}
    command = [sys.executable, "-m", "veilleur.cli.main"]
    logs = [(folder / f"worker-{n}.log").open("w") for n in range(workers)]
    procs = [
        subprocess.Popen([*command, "worker", "--concurrency", "1"], env=env, stderr=log,
                         stdout=subprocess.DEVNULL, start_new_session=True)
        for log in logs
    ]  # fmt: skip
    expected = feeds * entries
    scheduler = None
    try:
        deadline = time.monotonic() + 180
        while sum("ready." in p.read_text() for p in folder.glob("worker-*.log")) < workers:
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start within 180 s")
            time.sleep(0.2)
        started = time.perf_counter()
        busy_before, total_before = _cpu_jiffies()
        scheduler = subprocess.Popen([*command, "scheduler", "--tick", "2"], env=env,
                                     stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        with Workspace(path) as ws:
            while ws.store.count_posts() < expected:
                time.sleep(0.25)
            seconds = time.perf_counter() - started
            busy_after, total_after = _cpu_jiffies()
            cores = (
                (busy_after - busy_before) / (total_after - total_before) * (os.cpu_count() or 1)
            )
            memory = [memory_mb(p.pid) for p in procs]
            shared = [memory_mb(p.pid, "Pss") for p in procs]
            records = registry.list_sources(ws.store)
            ok = sum(1 for r in records if r.last_success and r.last_error is None)
    finally:
        if scheduler is not None:
            scheduler.send_signal(signal.SIGTERM)
            scheduler.wait(60)
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    if database is not None:
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            row = admin.execute("SELECT pg_database_size(%s)", (database,)).fetchone()
            assert row is not None
            size = row[0]
    else:
        import sqlite3

        with sqlite3.connect(path / "veilleur.sqlite") as db:  # the log folded in
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(f.stat().st_size for f in path.iterdir() if f.name.startswith("veilleur.sqlite"))
    if ok != feeds:
        print(f"  warning: {feeds - ok} sources not collected cleanly")
    return {
        "seconds": seconds,
        "memory": memory,
        "pss": shared,
        "bytes": float(size),
        "cores": cores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--batch", type=int, default=20, help="queue.batch")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server (no database)")
    args = parser.parse_args()
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=_serve, args=(args.feeds, args.entries, ports), daemon=True
    )
    server.start()
    port = ports.get(timeout=120)
    print(
        f"{args.feeds} feeds x {args.entries} entries, batch {args.batch}, "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"load {os.getloadavg()[0]:.1f} (2 cores)"
    )
    rates: dict[int, float] = {}
    try:
        for workers in args.workers:
            found = one_run(
                workers, args.feeds, args.entries, port, args.broker, args.batch, args.postgres
            )
            seconds, memory, pss = found["seconds"], found["memory"], found["pss"]
            rates[workers] = args.feeds / seconds
            per_million = found["bytes"] / (args.feeds * args.entries) * 1e6 / 1e9
            print(
                f"{workers} worker(s): {seconds:.1f} s, {rates[workers]:.1f} feeds/s, "
                f"memory per worker (main + pool) RSS {', '.join(f'{m:.0f}' for m in memory)} MB, "
                f"PSS {', '.join(f'{m:.0f}' for m in pss)} MB, "
                f"database {per_million:.2f} GB per million posts, "
                f"cores busy {found['cores']:.2f} (all processes: workers, feed server, "
                f"database, scheduler), "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    finally:
        server.kill()
    base = rates.get(1)
    if base:
        for workers, rate in rates.items():
            if workers != 1:
                print(f"speed-up 1 -> {workers} workers: {rate / base:.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
