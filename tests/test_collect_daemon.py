"""``veilleur run`` in a real process: it collects, and SIGTERM finishes the batch in hand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from veilleur.sources import registry
from veilleur.workspace import Workspace

from .sources_support import allow_local, feed_bytes


def test_sigterm_finishes_the_batch_in_hand(tmp_path: Path, httpserver: HTTPServer) -> None:
    started = threading.Event()
    release = threading.Event()
    body = feed_bytes("miniflux-large_atom.xml")

    def slow_feed(request: Request) -> Response:
        started.set()
        release.wait(10)  # the feed is being read when the daemon is told to stop
        return Response(body, content_type="application/atom+xml")

    httpserver.expect_request("/atom").respond_with_handler(slow_feed)
    ws_path = tmp_path / "ws"
    with Workspace(ws_path) as ws:
        allow_local(ws)
        ws.set_setting("network.timeout", "20")
        ws.set_setting("network.max_time", "30")
        registry.add_source(ws.store, "rss", {"url": httpserver.url_for("/atom")}, "dustri")

    env = {**os.environ, "VEILLEUR_WORKSPACE": str(ws_path), "VEILLEUR_LANG": "en"}
    process = subprocess.Popen(
        [sys.executable, "-m", "veilleur.cli.main", "run", "--tick", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert started.wait(30), "the daemon never fetched the feed"
        process.send_signal(signal.SIGTERM)
        release.set()
        _out, err = process.communicate(timeout=30)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Stop requested: the batch in hand was finished, 1 cycles." in err
    assert "1 sources: 25 new posts" in err
    with Workspace(ws_path) as ws:
        assert ws.store.count_posts() == 25
        record = registry.get_source(ws.store, "dustri")
        assert record.posts_collected == 25 and record.last_success is not None
    assert [r.path for r, _ in httpserver.log] == ["/atom"]  # stopped: no second cycle
