"""Secrets in transit (issue 14): no token, app password or SMTP password over a clear
connection unless asked for a local test server; smtp.password off the command line."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Any

import pytest

from veilleur.errors import UsageError
from veilleur.watch import mail
from veilleur.workspace import Workspace


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_an_http_publishing_server_is_refused(cli: Any, network: str) -> None:
    args = ["queue", "account", "add", "a", "-n", network, "--handle", "a.test", "--secret", "s"]
    result = cli(*args, "--server", "http://social.example")
    assert result.code == 2
    assert "http://" in result.err and "--insecure" in result.err
    assert cli(*args, "--server", "ftp://social.example").code == 2
    assert cli("queue", "account", "list").out.count(network) == 0
    assert cli(*args, "--server", "http://127.0.0.1:8080", "--insecure").code == 0
    assert cli(*args, "--server", "https://social.example").code == 0


def _smtp_ws(tmp_path: Path, **values: str) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    base = {"smtp.host": "127.0.0.1", "smtp.port": "2525", "smtp.from": "v@example.org"}
    for key, value in {**base, **values}.items():
        ws.set_setting(key, value)
    return ws


def test_smtp_auth_without_tls_is_refused_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected: list[object] = []
    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: connected.append(a))
    with _smtp_ws(tmp_path, **{"smtp.starttls": "false", "smtp.user": "u"}) as ws:
        settings = mail.smtp_settings(ws)
    message = mail.build_message("v@example.org", ["a@example.org"], "s", "t")
    with pytest.raises(UsageError, match="without TLS") as caught:
        mail.send(settings, message)
    assert "smtp.insecure" in str(caught.value) and caught.value.exit_code == 2
    assert connected == []


def test_smtp_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLEUR_SMTP_PASSWORD", "from-env")
    with _smtp_ws(tmp_path, **{"smtp.user": "u", "smtp.password": "stored"}) as ws:
        assert mail.smtp_settings(ws).password == "from-env"
    monkeypatch.delenv("VEILLEUR_SMTP_PASSWORD")
    with Workspace(tmp_path / "ws") as ws:
        assert mail.smtp_settings(ws).password == "stored"


def test_config_set_asks_for_a_secret_left_out(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []

    def prompt(text: str, hide_input: bool = False, **_: Any) -> str:
        asked.append((text, hide_input))
        return "tape-au-clavier"

    monkeypatch.setattr("typer.prompt", prompt)
    result = cli("config", "set", "smtp.password")
    assert result.code == 0, result.err
    assert "tape-au-clavier" not in result.out
    assert asked == [("Value of smtp.password", True)]
    with Workspace(tmp_path / "ws") as ws:
        assert ws.setting("smtp.password") == "tape-au-clavier"
    assert cli("config", "set", "smtp.host").code == 2  # not a secret: a value is needed


def test_publishing_checks_the_server_scheme_again(cli: Any, tmp_path: Path) -> None:
    from veilleur.publish import Account, client_for, open_queue
    from veilleur.publish.publisher import PublishError
    from veilleur.publish.tables import save_account

    args = ["queue", "account", "add", "local", "-n", "bluesky", "--handle", "a.test"]
    assert cli(*args, "--secret", "s", "--server", "http://127.0.0.1:8080", "--insecure").code == 0
    assert cli(*args[:3], "safe", *args[4:], "--secret", "s",
               "--server", "https://bsky.social").code == 0  # fmt: skip
    with Workspace(tmp_path / "ws") as ws:
        queue = open_queue(ws)
        assert queue.account("local").insecure  # the mark is stored
        assert not queue.account("safe").insecure
        client_for(queue.account("local"))  # accepted: added with --insecure
        # A row that says http:// without the mark (written by hand, or before the mark
        # existed and the scheme was checked at publish time) sends nothing.
        with ws.store.transaction() as tx:
            save_account(tx, "forged", "mastodon", "http://social.example", None, "token",
                          "[]", "Europe/Paris", "2026-12-06T00:00:00Z")  # fmt: skip
        forged = queue.account("forged")
        assert forged.server == "http://social.example" and not forged.insecure
        with pytest.raises(PublishError, match="not https://") as caught:
            client_for(forged)
        assert not caught.value.retryable
        with pytest.raises(PublishError, match="not https://"):
            client_for(Account("b", "bluesky", "http://pds.example", "a.test", "pw"))


def test_config_list_masks_the_smtp_password_without_the_key(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("config", "set", "smtp.password", "mot-de-passe").code == 0
    monkeypatch.setenv("VEILLEUR_KEY_FILE", str(tmp_path / "elsewhere.key"))  # key not here
    listed = cli("config", "list")
    assert listed.code == 0, listed.err
    assert "********" in listed.out and "mot-de-passe" not in listed.out
    shown = cli("config", "get", "smtp.password")
    assert shown.code == 0 and shown.out.strip() == "********"
    assert cli("config", "get", "smtp.host").out.strip() == "(not set)"
