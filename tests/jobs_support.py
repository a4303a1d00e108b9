"""Helpers for the tests of ``veilleur worker`` / ``veilleur scheduler``: the real broker (or a
printed skip), a local feed server that counts what it serves, real worker processes."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def broker(kind: str, db: int = 11, *, empty: bool = True) -> str:
    """The URL of a real broker on this machine (Redis database ``db``, emptied first unless
    ``empty`` is false), or a skip that says why — a failure under CI=true, where .ci/run
    starts the servers. Each test file has its own database number (tests run in parallel):
    test_events_jobs 9, test_jobs_claims 10, test_jobs_workers 11, 12 and 14,
    test_jobs_publish 13 and 15."""
    port = {"redis": 6379, "amqp": 5672}[kind]
    if not _reachable(port):
        message = f"no {kind} server on 127.0.0.1:{port} (start it, see docs/deploy.md)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must run the broker tests")
        pytest.skip(message)
    if kind == "amqp":
        url = "amqp://guest:guest@127.0.0.1:5672//"
        _purge(url)
        return url
    import redis

    url = f"redis://127.0.0.1:6379/{db}"
    if empty:
        redis.Redis.from_url(url).flushdb()
    return url


def _purge(url: str) -> None:
    from veilleur.jobs.service import make_app

    app = make_app(url)
    try:
        app.control.purge()
    finally:
        app.close()


RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {i}</title>'
    "<link>https://feeds.example/{i}/</link>{items}</channel></rss>"
)
ITEM = (
    "<item><title>Item {j} of feed {i}</title><link>https://feeds.example/{i}/{j}</link>"
    "<guid>https://feeds.example/{i}/{j}</guid><pubDate>Mon, 0{d} Mar 2026 08:00:00 +0000"
    "</pubDate><description>Entry {j} of feed {i}.</description></item>"
)


class FeedServer:
    """Feeds at ``/feed/I.xml`` (``entries`` items each) on 127.0.0.1, answered after
    ``delay`` seconds; counts the requests per path and the most in flight at once, in all
    and per path."""

    def __init__(
        self, entries: int = 5, delay: float = 0.0, retry_after: int | None = None
    ) -> None:
        """``retry_after``: answer every request 429 Too Many Requests with this
        Retry-After (a host that rate-limits)."""
        self.entries = entries
        self.delay = delay
        self.retry_after = retry_after
        self.hits: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.max_per_path = 0
        self.max_total = 0
        self._total = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path
                with server._lock:
                    server.hits[path] += 1
                    server.in_flight[path] += 1
                    server._total += 1
                    server.max_per_path = max(server.max_per_path, server.in_flight[path])
                    server.max_total = max(server.max_total, server._total)
                try:
                    if server.delay:
                        time.sleep(server.delay)
                    if server.retry_after is not None:
                        self.send_response(429)
                        self.send_header("Retry-After", str(server.retry_after))
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    body = server.body(path)
                    if body is None:
                        self.send_response(404)
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.in_flight[path] -= 1
                        server._total -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def body(self, path: str) -> bytes | None:
        name = path.rsplit("/", 1)[-1]
        if not path.startswith("/feed/") or not name.endswith(".xml"):
            return None
        i = name[:-4]
        items = "".join(ITEM.format(i=i, j=j, d=1 + j % 9) for j in range(self.entries))
        return RSS.format(i=i, items=items).encode()

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/feed/{i}.xml"

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _ends_with(parent: int) -> Callable[[], None]:
    """What the child runs before ``exec``: ask Linux for a SIGTERM when the test process
    ends, however it ends. In a session of its own, a worker or scheduler outlived a pytest
    killed abruptly and took the next run's jobs from the same Redis database (seen: a
    reminder test then found no mail)."""

    def preexec() -> None:
        if sys.platform == "linux":
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the test process ended before the request was made
            os._exit(1)

    return preexec


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def veilleur(ws: Path, url: str, *args: str) -> subprocess.Popen[str]:
    """``veilleur ARGS`` in a process group of its own (a kill takes its children too),
    ended with the test process (:func:`_ends_with`); its error output (the workers' log)
    goes to a file beside the workspace, read by :func:`stop` — a pipe nobody reads would
    fill up and block the process."""
    env = {**os.environ, "VEILLEUR_WORKSPACE": str(ws), "VEILLEUR_BROKER_URL": url}
    log = ws.parent / f"{args[0]}-{time.monotonic_ns()}.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "veilleur.cli.main", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            text=True,
            start_new_session=True,
            preexec_fn=_ends_with(os.getpid()),
        )
    process.log = log  # type: ignore[attr-defined]
    return process


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL the process and every process it started (a machine lost, as far as the
    jobs can tell)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM, wait, and the process's error output (a kill after 30 s)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_group(process)
    with contextlib.suppress(ProcessLookupError):  # its pool processes end with it
        os.killpg(process.pid, signal.SIGKILL)
    log: Path = process.log  # type: ignore[attr-defined]
    return log.read_text(errors="replace")


@contextmanager
def running(*processes: subprocess.Popen[str]) -> Iterator[None]:
    """Processes stopped (killed if need be) when the block ends, whatever happens."""
    try:
        yield
    finally:
        for process in processes:
            if process.poll() is None:
                kill_group(process)


def wait_until(check: Callable[[], bool], timeout: float, what: str | Callable[[], str]) -> None:
    """Poll ``check`` until true; fail naming ``what`` after ``timeout`` seconds (a bound
    against a hang, not a measure: the work is checked by the assertions after)."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting: {what if isinstance(what, str) else what()}")
        time.sleep(0.2)
