"""An alert that could not be delivered stays pending and goes out at the next check; ``alert
list`` shows it; ``alert add --mail`` warns when SMTP is not set up (issue 20). Delivery over
a real SMTP server on 127.0.0.1 (aiosmtpd), as the digest's mail test does."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from veilleur.model import Post, Watch
from veilleur.watch.selection import save_watch
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL

T0 = datetime(2026, 10, 20, 9, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Message]]]:
    received: list[Message] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            received.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="smtp.test")
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


@pytest.fixture
def path(ws: Workspace) -> Path:
    save_watch(ws.store, Watch("emploi", "emploi"))
    folder = ws.path
    ws.close()
    return folder


def _new_post(folder: Path, i: int) -> None:
    with Workspace(folder) as again:
        text = f"Nouveau {i} : l'emploi des cadres repart en Auvergne"
        again.store.write_posts([Post(f"p{i}", "x", "marie", text, T0)])


def test_add_mail_warns_when_smtp_is_not_set(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    res = cli("alert", "add", "a", "--watch", "emploi", "--account", "marie",
              "--mail", "veille@pme.example", workspace=path)  # fmt: skip
    assert res.code == 0, res.err
    assert "alert 'a' saved" in res.err
    assert "warning: sending mail needs 'smtp.host'" in res.err
    assert "pending" in res.err


def test_undelivered_alert_stays_pending_and_is_sent_at_the_next_check(
    cli,  # type: ignore[no-untyped-def]
    path: Path,
    smtp: tuple[int, list[Message]],
) -> None:
    port, received = smtp
    assert cli("alert", "add", "a", "--watch", "emploi", "--account", "marie",
               "--mail", "veille@pme.example", workspace=path).code == 0  # fmt: skip
    _new_post(path, 1)
    first = cli("alert", "check", workspace=path)
    assert first.code == 1  # not delivered: SMTP is not set
    assert "NOT sent, pending" in first.err and "smtp.host" in first.err
    listed = cli("alert", "list", workspace=path)
    assert "pending" in listed.out
    row = next(line for line in listed.out.splitlines() if "emploi" in line)
    assert row.rstrip("│ ").endswith("1")  # one alert pending for this rule

    settings = {
        "smtp.host": "127.0.0.1",
        "smtp.port": str(port),
        "smtp.starttls": "false",
        "smtp.from": "veille@cabinet.example",
    }
    for key, value in settings.items():
        assert cli("config", "set", key, value, workspace=path).code == 0
    second = cli("alert", "check", workspace=path)
    assert second.code == 0, second.err
    assert "sent" in second.err and "@marie" in second.err
    (message,) = received
    assert message["To"] == "veille@pme.example"
    assert "emploi" in str(message["Subject"])
    # Delivered once: nothing pending any more, nothing sent twice.
    assert cli("alert", "check", workspace=path).code == 0
    assert len(received) == 1
    row = next(line for line in cli("alert", "list", workspace=path).out.splitlines()
               if "emploi" in line)  # fmt: skip
    assert not row.rstrip("│ ").endswith("1")


def test_a_removed_rule_drops_its_pending_alerts(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("alert", "add", "a", "--watch", "emploi", "--account", "marie",
        "--mail", "veille@pme.example", workspace=path)  # fmt: skip
    _new_post(path, 1)
    assert cli("alert", "check", workspace=path).code == 1
    assert cli("alert", "rm", "a", workspace=path).code == 0
    again = cli("alert", "check", workspace=path)
    assert again.code == 0 and "NOT sent" not in again.err


def _mail_and_webhook(cli, path: Path, port: int, hook: str) -> None:  # type: ignore[no-untyped-def]
    settings = {"smtp.host": "127.0.0.1", "smtp.port": str(port), "smtp.starttls": "false",
                "smtp.from": "veille@cabinet.example", "network.allow_private": "true"}  # fmt: skip
    for key, value in settings.items():
        assert cli("config", "set", key, value, workspace=path).code == 0
    args = ["--account", "marie", "--mail", "veille@pme.example", "--webhook", hook]
    assert cli("alert", "add", "a", "--watch", "emploi", *args, workspace=path).code == 0


def test_a_failing_webhook_does_not_send_the_mail_again(
    cli,  # type: ignore[no-untyped-def]
    path: Path,
    smtp: tuple[int, list[Message]],
    httpserver: HTTPServer,
) -> None:
    port, received = smtp
    _mail_and_webhook(cli, path, port, httpserver.url_for("/hook"))
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok", status=200)
    _new_post(path, 1)
    first = cli("alert", "check", workspace=path)
    assert first.code == 1 and "HTTP 503" in first.err
    assert len(received) == 1  # the mail went
    second = cli("alert", "check", workspace=path)
    assert second.code == 1 and "NOT sent, pending" in second.err
    third = cli("alert", "check", workspace=path)
    assert third.code == 0 and "sent" in third.err
    assert len(received) == 1  # never again: only the webhook was retried
    assert len(httpserver.log) == 3
    assert cli("alert", "check", workspace=path).code == 0  # nothing pending any more
    assert len(httpserver.log) == 3


def test_a_pending_alert_is_dropped_after_the_last_attempt(
    cli,  # type: ignore[no-untyped-def]
    path: Path,
    smtp: tuple[int, list[Message]],
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from veilleur.watch import alerts

    monkeypatch.setattr(alerts, "MAX_ATTEMPTS", 3)
    port, received = smtp
    _mail_and_webhook(cli, path, port, httpserver.url_for("/hook"))
    httpserver.expect_request("/hook").respond_with_data("down", status=500)
    _new_post(path, 1)
    outputs = [cli("alert", "check", workspace=path) for _ in range(3)]
    assert all(o.code == 1 for o in outputs)
    assert "pending until the next check" in outputs[1].err
    assert "NOT sent after 3 attempts, dropped" in outputs[2].err and "HTTP 500" in outputs[2].err
    assert len(httpserver.log) == 3 and len(received) == 1
    after = cli("alert", "check", workspace=path)
    assert after.code == 0 and after.err == ""  # dropped: not tried again
    assert len(httpserver.log) == 3
    row = next(line for line in cli("alert", "list", workspace=path).out.splitlines()
               if "emploi" in line)  # fmt: skip
    assert not row.rstrip("│ ").endswith("1")


def test_a_retry_keeps_the_alerts_another_process_added_meanwhile(ws: Workspace) -> None:
    # A retry claims an alert, delivers it (seconds on a slow server), then records the
    # outcome: an alert a batch of `veilleur run` (or a worker) added in between must stay.
    from veilleur.watch import alerts

    ws.store.write_posts([Post(f"p{i}", "x", "marie", f"emploi {i}", T0) for i in range(2)])
    pks = [pk for pk, _ in alerts.tables.posts_by_pk(ws.store, [1, 2])]
    post = Post("p0", "x", "marie", "emploi 0", T0)
    first = alerts.Alert("a", "emploi", "account", 1, post, pk=pks[0], attempts=1)
    second = alerts.Alert("a", "emploi", "account", 2, post, pk=pks[1], attempts=1)
    alerts._add_pending(ws.store, [first])
    claimed = alerts._claim_retry(ws.store, {"a"}, "run-1", datetime.now(UTC), set())
    assert claimed is not None and (claimed.story, claimed.pk) == (1, pks[0])
    alerts._add_pending(ws.store, [second])  # added by another process meanwhile
    claimed.delivered = True
    alerts._finish_retry(ws.store, claimed, "run-1")  # the retry delivered the first one
    assert [(a.story, a.pk) for a in alerts.pending(ws.store)] == [(2, pks[1])]
