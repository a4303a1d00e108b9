"""Secrets encrypted at rest (issue 14): publishing tokens, app passwords and
smtp.password never appear in the database file; the key lives outside it."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from veilleur import settings
from veilleur.store import SecretKeyError, SQLiteStore, secrets
from veilleur.workspace import Workspace

TOKEN = "jeton-mastodon-TRES-secret-0123456789"
PASSWORD = "mot-de-passe-smtp-TRES-secret"


def _database_bytes(ws: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(ws.iterdir()) if "sqlite" in p.name)


def test_secrets_are_not_in_the_database_file(cli: Any, tmp_path: Path) -> None:
    assert cli("config", "set", "smtp.password", PASSWORD).code == 0
    result = cli(
        "queue", "account", "add", "asso", "--network", "mastodon",
        "--server", "https://mastodon.example", "--secret", TOKEN,
    )  # fmt: skip
    assert result.code == 0, result.err
    data = _database_bytes(tmp_path / "ws")
    assert PASSWORD.encode() not in data and TOKEN.encode() not in data
    key = tmp_path / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    with Workspace(tmp_path / "ws") as ws:  # and they are read back as they were
        assert ws.setting("smtp.password") == PASSWORD
        from veilleur.publish import tables

        row = tables.account_row(ws.store, "asso")
        assert row is not None and row[4] == TOKEN


def test_clear_secrets_of_an_earlier_release_are_encrypted_on_first_open(tmp_path: Path) -> None:
    db = tmp_path / "ws" / "veilleur.sqlite"
    db.parent.mkdir()
    SQLiteStore(db).close()
    with sqlite3.connect(db) as conn:  # as an earlier release stored them
        conn.execute("INSERT INTO settings VALUES ('smtp.password', ?)", (PASSWORD,))
        conn.execute(
            "INSERT INTO publish_accounts (name, network, server, handle, secret, times, "
            "timezone, created_at) VALUES ('b', 'bluesky', NULL, 'b.bsky.social', ?, '', "
            "'Europe/Paris', '2026-01-01')",
            (TOKEN,),
        )
    conn.close()
    assert PASSWORD.encode() in db.read_bytes()
    with Workspace(db.parent) as ws:
        assert ws.setting("smtp.password") == PASSWORD
        assert str(ws.store.get_setting("smtp.password")).startswith("fernet:")
    assert PASSWORD.encode() not in _database_bytes(db.parent)
    assert TOKEN.encode() not in _database_bytes(db.parent)


def test_a_missing_or_wrong_key_is_a_clear_message(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("config", "set", "smtp.password", PASSWORD).code == 0
    key = tmp_path / "secret.key"
    key.rename(tmp_path / "elsewhere.key")
    with Workspace(tmp_path / "ws") as ws, pytest.raises(SecretKeyError, match="it is missing"):
        ws.setting("smtp.password")
    secrets._key(create=True)  # a new, different key
    with Workspace(tmp_path / "ws") as ws, pytest.raises(SecretKeyError, match="not the key"):
        ws.setting("smtp.password")
    monkeypatch.setenv("VEILLEUR_KEY_FILE", str(tmp_path / "elsewhere.key"))
    with Workspace(tmp_path / "ws") as ws:
        assert ws.setting("smtp.password") == PASSWORD


def test_the_key_file_defaults_to_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VEILLEUR_KEY_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert secrets.key_path() == tmp_path / "config" / "veilleur" / "key"
    assert secrets.unseal(secrets.seal("x")) == "x"
    assert stat.S_IMODE((tmp_path / "config" / "veilleur").stat().st_mode) == 0o700


def test_every_secret_setting_is_encrypted() -> None:
    declared = {key for key, s in settings.SETTINGS.items() if s.secret}
    assert declared == set(secrets.SECRET_SETTINGS)
