"""A local Mastodon for the publishing tests, slowed down: :class:`SlowProxy` stands in front
of the fake Mastodon server (``mastodon_mock``), counts the statuses it is asked to create and
holds their answers — the window in which a publisher that dies has posted without knowing
it."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class SlowProxy:
    """Forwards to the fake Mastodon; a status creation is forwarded at once (the status
    exists) and answered ``hold`` seconds later, while ``holding`` — the window in which a
    worker that dies has posted without knowing it."""

    def __init__(
        self,
        upstream: str,
        hold: float = 3.0,
        *,
        first_only: bool = False,
        forget_keys: bool = False,
    ) -> None:
        """``first_only``: hold only the first status creation (its body kept in ``held``).
        ``forget_keys``: drop the ``Idempotency-Key`` header, as a server that no longer
        knows the key does (Mastodon keeps it an hour): a status sent twice is then made
        twice, so only the publisher's own guarantee stands between a post and its double."""
        self.upstream = upstream.rstrip("/")
        self.hold = hold
        self.holding = True
        self.first_only = first_only
        self.held = b""
        self.created = threading.Event()
        self.posts = 0
        self.forget_keys = forget_keys
        self._count = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in {"host", "content-length", "connection"}
                    and not (proxy.forget_keys and k.lower() == "idempotency-key")
                }
                answer = httpx.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body
                )
                if self.command == "POST" and self.path.startswith("/api/v1/statuses"):
                    with proxy._count:
                        proxy.posts += 1
                    first = not proxy.created.is_set()
                    if proxy.holding and (first or not proxy.first_only):
                        if first:
                            proxy.held = body or b""
                        proxy.created.set()
                        time.sleep(proxy.hold)
                try:
                    self.send_response(answer.status_code)
                    for key, value in answer.headers.items():
                        if key.lower() not in {"content-length", "transfer-encoding",
                                               "connection", "content-encoding"}:  # fmt: skip
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the worker was killed while waiting

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
