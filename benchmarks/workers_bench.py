"""Collection by ``veilleur worker`` processes: N local feeds with 1 and with 2 workers.

    .venv/bin/python benchmarks/workers_bench.py [--feeds 600] [--entries 10] [--broker URL]

A thread of this process serves N RSS feeds on 127.0.0.1-127.0.0.20 (twenty loopback hosts,
as feeds come from many sites). For each worker count W (1, then 2), a fresh workspace gets
the N sources, W worker processes (``--concurrency 1`` each: one process, one job at a
time) start and become ready, then one scheduler sends every source as a job; the clock runs
from the scheduler's start to the last source saved. feeds/s and the speed-up of 2 against
1 come from the same run; memory is each worker process's RSS (main process and its pool
process) read from /proc at the end. Needs Redis (default redis://127.0.0.1:6379/15).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOSTS = [f"127.0.0.{n}" for n in range(1, 21)]


def serve(entries: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            i = self.path.rsplit("/", 1)[-1]
            items = "".join(
                f"<item><title>Article {j} du flux {i}</title>"
                f"<link>https://site{i}.example/{j}</link><guid>https://site{i}.example/{j}</guid>"
                f"<pubDate>Mon, 0{1 + j % 9} Mar 2026 08:00:00 +0000</pubDate>"
                f"<description>La veille stratégique du flux {i}, article {j}.</description></item>"
                for j in range(entries)
            )
            body = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Flux {i}</title><link>https://site{i}.example/</link>{items}"
                "</channel></rss>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the worker's pool), in MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def one_run(workers: int, feeds: int, port: int, broker: str) -> tuple[float, list[float]]:
    import redis

    from veilleur.sources import registry
    from veilleur.workspace import Workspace

    redis.Redis.from_url(broker).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="veilleur-workers-"))
    path = folder / "ws"
    with Workspace(path) as ws:
        ws.set_setting("network.allow_private", "true")
        ws.set_setting("queue.wait", "600")
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
    try:
        deadline = time.monotonic() + 120
        while sum("ready." in p.read_text() for p in folder.glob("worker-*.log")) < workers:
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start within 120 s")
            time.sleep(0.2)
        started = time.perf_counter()
        scheduler = subprocess.Popen([*command, "scheduler", "--tick", "0.5"], env=env,
                                     stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        with Workspace(path) as ws:
            while True:
                done = sum(1 for r in registry.list_sources(ws.store) if r.last_success)
                if done == feeds:
                    break
                time.sleep(0.1)
        seconds = time.perf_counter() - started
        memory = [rss_mb(p.pid) for p in procs]
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(60)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
    return seconds, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=600)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    server = serve(args.entries)
    port = server.server_address[1]
    print(f"{args.feeds} feeds x {args.entries} entries, load {os.getloadavg()[0]:.1f}")
    results = {}
    for workers in (1, 2):
        seconds, memory = one_run(workers, args.feeds, port, args.broker)
        results[workers] = seconds
        mem = ", ".join(f"{m:.0f}" for m in memory)
        print(
            f"{workers} worker(s): {seconds:.1f} s, {args.feeds / seconds:.1f} feeds/s, "
            f"memory per worker (main + pool process) {mem} MB"
        )
    print(f"speed-up 1 -> 2 workers: {results[1] / results[2]:.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")
    server.shutdown()


if __name__ == "__main__":
    main()
