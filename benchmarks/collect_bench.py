"""feeds/s of one ``collect`` over N local feeds, 10 % changed, against bare conditional GETs.

    .venv/bin/python benchmarks/collect_bench.py [--feeds 1000] [--entries 20] [--changed 0.1]

A child process serves N RSS feeds (``--entries`` items each, ETag and 304 support) on
127.0.0.1-127.0.0.20 (one port, twenty loopback hosts, as feeds come from many sites).
A first collection reads every feed whole (not measured); then ``--changed`` of the feeds
get one new entry, and the measured collection runs in a fresh child process: conditional
GET of every feed, 304 for most, parsing and writing for the changed ones, the state saved
with the posts. The baseline, in the same run, sends the same conditional GETs with a bare
httpx client (same concurrency, nothing parsed, nothing written). Peak memory is the
measuring child's max RSS. The aim (issue 5): >= 200 feeds/s, < 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HOSTS = [f"127.0.0.{n}" for n in range(1, 21)]
WORDS = (
    "veille stratégique réseaux sociaux entreprise recrutement marque employeur contenu "
    "audience LinkedIn Mastodon Bluesky publication fréquence qualité pertinence"
).split()


# -- the feed server -------------------------------------------------------------------------


class Feeds:
    def __init__(self, port: int, count: int, entries: int) -> None:
        self.port, self.count, self.entries = port, count, entries
        self.versions = [0] * count

    def url(self, i: int) -> str:
        return f"http://{HOSTS[i % len(HOSTS)]}:{self.port}/feed/{i}"

    def body(self, i: int) -> bytes:
        v = self.versions[i]
        items = []
        for k in range(v + self.entries - 1, v - 1, -1):
            text = " ".join(WORDS[(i + k + j) % len(WORDS)] for j in range(60))
            day = 1 + k % 28
            items.append(
                f"<item><title>Article {k} du flux {i}</title>"
                f"<link>{self.url(i)}/{k}</link><guid>{self.url(i)}/{k}</guid>"
                f"<pubDate>Mon, {day:02d} Nov 2026 08:{k % 60:02d}:00 GMT</pubDate>"
                f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Flux {i}</title><link>{self.url(i)}</link>{''.join(items)}"
            "</channel></rss>"
        ).encode()

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(path)
        if parts.path == "/_bump":
            fraction = float(parse_qs(parts.query).get("fraction", ["0.1"])[0])
            step = max(1, round(1 / fraction)) if fraction else self.count + 1
            changed = [i for i in range(self.count) if i % step == 0]
            for i in changed:
                self.versions[i] += 1
            return 200, {}, str(len(changed)).encode()
        i = int(parts.path.rsplit("/", 1)[1])
        etag = f'"{i}-{self.versions[i]}"'
        if headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Content-Type": "application/rss+xml"}, self.body(i)


async def serve(port: int, count: int, entries: int) -> None:
    feeds = Feeds(port, count, entries)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                status, extra, body = feeds.answer(path, headers)
                reason = {200: "OK", 304: "Not Modified"}[status]
                out = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}"]
                out += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host=HOSTS, port=port, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


# -- the measured sides ----------------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_setup(ws: Path, port: int, count: int) -> None:
    from veilleur.sources import registry
    from veilleur.workspace import Workspace

    feeds = Feeds(port, count, 0)
    with Workspace(ws) as workspace:
        workspace.set_setting("network.allow_private", "true")
        store = workspace.store
        with store.transaction() as conn:
            for i in range(count):
                registry.add_source(store, "rss", {"url": feeds.url(i)}, f"feed-{i}", conn=conn)


def run_collect(ws: Path) -> dict[str, float]:
    from veilleur.sources import registry
    from veilleur.sources.http import HttpPolicy
    from veilleur.sources.runner import Runner
    from veilleur.workspace import Workspace

    with Workspace(ws) as workspace:
        records = registry.list_sources(workspace.store)
        runner = Runner(
            workspace.store,
            HttpPolicy.from_workspace(workspace),
            concurrency=workspace.setting_int("network.sources_at_once"),
        )
        started = time.perf_counter()
        report = asyncio.run(runner.collect(records))
        seconds = time.perf_counter() - started
    statuses = [s.status for s in report.sources]
    return {
        "seconds": seconds,
        "feeds": len(records),
        "new": report.new,
        "not_modified": statuses.count("not-modified"),
        "failed": statuses.count("error"),
        "peak_mb": peak_mb(),
    }


def run_baseline(ws: Path, concurrency: int, per_host: int) -> dict[str, float]:
    import httpx

    from veilleur.sources import registry
    from veilleur.workspace import Workspace

    with Workspace(ws) as workspace:
        rows = [
            (r.params["url"], r.state.get("etag")) for r in registry.list_sources(workspace.store)
        ]

    async def go() -> list[int]:
        slots = asyncio.Semaphore(concurrency)
        hosts: dict[str, asyncio.Semaphore] = {}
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

            async def one(url: str, etag: str | None) -> int:
                host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(per_host))
                async with slots, host:
                    headers = {"If-None-Match": etag} if etag else {}
                    response = await client.get(url, headers=headers)
                    return response.status_code

            return await asyncio.gather(*(one(u, e) for u, e in rows))

    started = time.perf_counter()
    codes = asyncio.run(go())
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "feeds": len(rows),
        "not_modified": codes.count(304),
        "peak_mb": peak_mb(),
    }


def child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--changed", type=float, default=0.1)
    parser.add_argument("--role", default="main", help=argparse.SUPPRESS)
    parser.add_argument("--ws", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.role == "serve":
        asyncio.run(serve(args.port, args.feeds, args.entries))
        return
    if args.role == "setup":
        run_setup(Path(args.ws), args.port, args.feeds)
        print("{}")
        return
    if args.role == "collect":
        print(json.dumps(run_collect(Path(args.ws))))
        return
    if args.role == "baseline":
        print(json.dumps(run_baseline(Path(args.ws), 32, 4)))
        return

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--role",
            "serve",
            "--port",
            str(port),
            "--feeds",
            str(args.feeds),
            "--entries",
            str(args.entries),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        with tempfile.TemporaryDirectory() as tmp:
            ws = str(Path(tmp) / "ws")
            child("--role", "setup", "--ws", ws, "--port", str(port), "--feeds", str(args.feeds))
            first = child("--role", "collect", "--ws", ws)
            import urllib.request

            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_bump?fraction={args.changed}"
            ) as answer:
                changed = int(answer.read())
            baseline = child("--role", "baseline", "--ws", ws)
            measured = child("--role", "collect", "--ws", ws)
    finally:
        server.terminate()
        server.wait()
    rate = measured["feeds"] / measured["seconds"]
    base_rate = baseline["feeds"] / baseline["seconds"]
    print(
        json.dumps(
            {
                "feeds": args.feeds,
                "entries": args.entries,
                "changed": changed,
                "first_collect": {
                    "seconds": round(first["seconds"], 2),
                    "new": first["new"],
                    "feeds_per_s": round(first["feeds"] / first["seconds"], 1),
                    "peak_mb": round(first["peak_mb"]),
                },
                "collect": {
                    "seconds": round(measured["seconds"], 2),
                    "feeds_per_s": round(rate, 1),
                    "new": measured["new"],
                    "not_modified": measured["not_modified"],
                    "failed": measured["failed"],
                    "peak_mb": round(measured["peak_mb"]),
                },
                "baseline": {
                    "seconds": round(baseline["seconds"], 2),
                    "feeds_per_s": round(base_rate, 1),
                    "not_modified": baseline["not_modified"],
                    "peak_mb": round(baseline["peak_mb"]),
                },
                "ratio": round(base_rate / rate, 2),
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
