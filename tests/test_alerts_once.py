"""A pending alert (its first delivery failed) is sent once when two ``alert check`` run at
once — a cron job on each machine, or one by hand beside a worker: each retry is claimed in
a write transaction before it is delivered. And a claim left by a run killed mid-delivery is
taken back after :data:`veilleur.watch.alerts.LEASE`.

Real parts: a real SMTP server on 127.0.0.1 (aiosmtpd), a second run as a real ``veilleur``
process, SQLite and PostgreSQL. The race is made certain, not likely: the server holds the
first run's message unanswered (the run is inside its delivery) until the second run has
finished; only then does the first run get its answer and go on."""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import orjson
import pytest
from aiosmtpd.controller import Controller

from veilleur.model import Post, Watch, parse_datetime, utcnow
from veilleur.watch import alerts
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends

T0 = datetime(2026, 10, 20, 9, tzinfo=UTC)
TEXTS = (
    "L'emploi des cadres repart en Auvergne selon l'Apec",
    "Salon de l'emploi à Lyon : inscriptions ouvertes pour les recruteurs demain",
)


@dataclass
class Smtp:
    """A real SMTP server whose answers the test decides: ``refuse`` (451, the delivery
    fails and the alert stays pending) or ``accept``; with ``hold``, the first message is
    left unanswered until :attr:`release` is set (``held`` tells it arrived)."""

    port: int
    refuse: bool = True
    hold: bool = False
    drop_held: bool = False  # the held message's sender was killed: not delivered
    accepted: list[int] = field(default_factory=list)  # the posts (of TEXTS) told, by 250
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp(_free_port())

    class Handler:
        async def handle_DATA(self, _server, session, envelope):  # type: ignore[no-untyped-def]
            if server.refuse:
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            body = str(message.get_content())  # type: ignore[attr-defined]
            which = next(i for i, text in enumerate(TEXTS) if text in body)
            if server.hold and not server.held.is_set():
                server.held.set()
                while not server.release.is_set():  # other connections are served meanwhile
                    await asyncio.sleep(0.01)
                if server.drop_held:
                    return "451 4.3.0 the client went away"
            server.accepted.append(which)
            return "250 OK"

    controller = Controller(
        Handler(), hostname="127.0.0.1", port=server.port, server_hostname="smtp.test"
    )
    controller.start()
    try:
        yield server
    finally:
        server.release.set()
        controller.stop()


@pytest.fixture
def path(ws: Workspace, smtp: Smtp) -> Path:
    """A workspace with a rule, SMTP set, and two alerts pending (their delivery failed)."""
    save_watch(ws.store, Watch("emploi", "emploi"))
    settings = {"smtp.host": "127.0.0.1", "smtp.port": str(smtp.port), "smtp.starttls": "false",
                "smtp.from": "veille@cabinet.example"}  # fmt: skip
    for key, value in settings.items():
        ws.set_setting(key, value)
    alerts.add_rule(ws.store, alerts.Rule("a", "emploi", ["marie"], mail="veille@pme.example"))
    ws.store.write_posts([Post(f"p{i}", "x", "marie", text, T0) for i, text in enumerate(TEXTS)])
    first = alerts.check(ws)
    assert len(first) == 2 and not any(a.delivered for a in first)
    assert len(alerts.pending(ws.store)) == 2
    smtp.refuse = False
    folder = ws.path
    ws.close()
    return folder


def _veilleur(folder: Path, *args: str) -> subprocess.Popen[str]:
    """``veilleur --workspace FOLDER ARGS`` in a process (and a session) of its own; the
    environment (the test's key file, its PostgreSQL database) is inherited."""
    return subprocess.Popen(
        [sys.executable, "-m", "veilleur.cli.main", "--workspace", str(folder), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _check_in_thread(folder: Path, results: list[alerts.Alert]) -> threading.Thread:
    def run() -> None:
        with Workspace(folder) as again:
            results.extend(alerts.check(again))

    thread = threading.Thread(target=run, name="alert check (first run)")
    thread.start()
    return thread


def test_two_checks_at_once_send_each_retried_alert_once(path: Path, smtp: Smtp) -> None:
    smtp.hold = True
    first: list[alerts.Alert] = []
    thread = _check_in_thread(path, first)
    assert smtp.held.wait(60), "the first run never reached the SMTP server"
    # The first run is inside the delivery of its first retry: a second run, a real process.
    second = _veilleur(path, "alert", "check")
    _, errors = second.communicate(timeout=120)
    assert second.returncode == 0, errors
    smtp.release.set()
    thread.join(120)
    assert not thread.is_alive()

    assert sorted(smtp.accepted) == [0, 1]  # each alert once, both sent
    assert [a.delivered for a in first] == [True] * len(first)
    assert len(first) == 1  # the first run had one in hand; the second run sent the other
    with Workspace(path) as again:
        assert alerts.pending(again.store) == []
        assert alerts.check(again) == []  # nothing left to send
    assert len(smtp.accepted) == 2


def test_a_claim_left_by_a_killed_run_is_taken_back_after_the_lease(path: Path, smtp: Smtp) -> None:
    smtp.hold = True
    smtp.drop_held = True
    killed = _veilleur(path, "alert", "check")
    try:
        assert smtp.held.wait(60), "the run never reached the SMTP server"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(killed.pid, signal.SIGKILL)  # a machine lost in the middle of a send
        killed.communicate(timeout=30)
    smtp.release.set()

    with Workspace(path) as ws:
        # The other alert was not claimed yet: a run now sends it; the killed run's claim
        # is fresh, so its alert waits (the dead run might still be sending it).
        now = utcnow()
        sent = alerts.retry_pending(ws, now=now)
        assert len(sent) == 1 and sent[0].delivered
        assert len(smtp.accepted) == 1
        waiting = alerts.pending(ws.store)
        assert len(waiting) == 1 and waiting[0].story != sent[0].story
        (entry,) = orjson.loads(alerts.tables.state(ws.store, alerts.PENDING_KEY) or "[]")
        claimed_at = parse_datetime(entry["claimed_at"])  # written by the killed run
        second = timedelta(seconds=1)
        assert alerts.retry_pending(ws, now=claimed_at + alerts.LEASE - second) == []
        assert len(smtp.accepted) == 1
        # Past the lease, the claim is taken back and the alert goes, once.
        late = alerts.retry_pending(ws, now=claimed_at + alerts.LEASE + second)
        assert [(a.story, a.delivered) for a in late] == [(waiting[0].story, True)]
        assert late[0].attempts == 3  # the failed try, the killed one, this one
        assert alerts.pending(ws.store) == []
    assert sorted(smtp.accepted) == [0, 1]
