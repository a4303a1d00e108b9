"""The accounts pillar: users, roles, invitations, the login's rate limit, API tokens, and
``veilleur user add`` (the first owner of a workspace served in a browser)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from veilleur import accounts
from veilleur.errors import UsageError
from veilleur.model import utcnow
from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL

PASSWORD = "un-mot-de-passe-long"


def _org(ws: Workspace) -> int:
    return accounts.register_workspace(ws.store, ws.path).organisation_id


def test_passwords_are_hashed_with_argon2id_and_emails_normalised(ws: Workspace) -> None:
    user = accounts.add_user(ws.store, " Ana@Exemple.FR ", PASSWORD, "owner", "Atelier")
    assert user.email == "ana@exemple.fr"
    stored = ws.store.conn.execute("SELECT password_hash FROM account_users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(ws.store, "ANA@exemple.fr", PASSWORD, "1.2.3.4").id == user.id
    with pytest.raises(UsageError, match="exists already"):
        accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "viewer", "Atelier")
    with pytest.raises(UsageError, match="too short"):
        accounts.add_user(ws.store, "bob@exemple.fr", "court", "viewer", "Atelier")
    with pytest.raises(UsageError, match="not an e-mail"):
        accounts.add_user(ws.store, "bob", PASSWORD, "viewer", "Atelier")


def test_the_rate_limit_locks_even_the_right_password_then_the_window_passes(
    ws: Workspace,
) -> None:
    accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Atelier")
    start = utcnow()
    for i in range(5):
        with pytest.raises(accounts.LoginRefused, match="wrong"):
            accounts.authenticate(
                ws.store, "ana@exemple.fr", "faux", "ip1", start + timedelta(seconds=i)
            )
    with pytest.raises(accounts.LoginRefused, match="too many") as locked:
        accounts.authenticate(
            ws.store, "ana@exemple.fr", PASSWORD, "ip2", start + timedelta(minutes=1)
        )
    assert locked.value.retry_after == 15 * 60
    later = start + timedelta(minutes=16)
    assert accounts.authenticate(ws.store, "ana@exemple.fr", PASSWORD, "ip2", later).email


def test_one_address_trying_many_accounts_is_locked_too(ws: Workspace) -> None:
    start = utcnow()
    for i in range(20):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(ws.store, f"u{i}@exemple.fr", "faux", "9.9.9.9", start)
    accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Atelier")
    with pytest.raises(accounts.LoginRefused, match="too many"):
        accounts.authenticate(ws.store, "ana@exemple.fr", PASSWORD, "9.9.9.9", start)
    assert accounts.authenticate(ws.store, "ana@exemple.fr", PASSWORD, "8.8.8.8", start)


def test_an_invitation_is_single_use_and_expires(ws: Workspace) -> None:
    org = _org(ws)
    owner = accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Veilleur")
    token = accounts.invite(ws.store, org, "editor", owner.id)
    stored = ws.store.conn.execute("SELECT token_hash FROM account_invitations").fetchone()[0]
    assert token not in stored  # only its hash is kept
    user = accounts.accept_invitation(ws.store, token, "bea@exemple.fr", PASSWORD)
    assert accounts.role_in(ws.store, user.id, org) == "editor"
    with pytest.raises(UsageError, match="used already"):
        accounts.accept_invitation(ws.store, token, "cam@exemple.fr", PASSWORD)
    old = accounts.invite(ws.store, org, "viewer", owner.id, now=utcnow() - timedelta(days=8))
    with pytest.raises(UsageError, match="expired"):
        accounts.accept_invitation(ws.store, old, "cam@exemple.fr", PASSWORD)
    with pytest.raises(UsageError, match="not valid"):
        accounts.invitation(ws.store, "inventé")


def test_an_organisation_keeps_its_last_owner(ws: Workspace) -> None:
    org = _org(ws)
    owner = accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Veilleur")
    with pytest.raises(accounts.Forbidden):
        accounts.set_member_role(ws.store, org, owner.id, "admin")
    other = accounts.add_user(ws.store, "bea@exemple.fr", PASSWORD, "owner", "Veilleur")
    accounts.set_member_role(ws.store, org, owner.id, "admin")
    assert accounts.role_in(ws.store, owner.id, org) == "admin"
    assert accounts.role_in(ws.store, other.id, org) == "owner"


def test_a_password_change_ends_the_other_sessions(ws: Workspace) -> None:
    user = accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Atelier")
    with pytest.raises(UsageError, match="current password"):
        accounts.change_password(ws.store, user.id, "faux", "un-autre-mot-de-passe")
    changed = accounts.change_password(ws.store, user.id, PASSWORD, "un-autre-mot-de-passe")
    assert changed.session_epoch == user.session_epoch + 1
    assert accounts.authenticate(ws.store, "ana@exemple.fr", "un-autre-mot-de-passe", "x")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(ws: Workspace) -> None:
    user = accounts.add_user(ws.store, "ana@exemple.fr", PASSWORD, "owner", "Atelier")
    token = accounts.create_token(ws.store, user.id, "script")
    assert token not in str(ws.store.conn.execute("SELECT * FROM account_api_tokens").fetchall())
    found = accounts.token_user(ws.store, token)
    assert found is not None and found.id == user.id
    [(token_id, name, _, used)] = accounts.tokens(ws.store, user.id)
    assert name == "script" and used is not None
    assert accounts.revoke_token(ws.store, user.id, token_id)
    assert accounts.token_user(ws.store, token) is None


def test_user_add_from_the_command_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    res = cli("user", "add", "Ana@exemple.fr", "--role", "owner", "--password-stdin")
    assert res.code == 0, res.err
    assert "ana@exemple.fr" in res.out and "serve" in res.out
    with Workspace(tmp_path / "ws") as ws:
        user = accounts.authenticate(ws.store, "ana@exemple.fr", PASSWORD, "test")
        [membership] = accounts.memberships(ws.store, user.id)
        [entry] = accounts.workspaces(ws.store, membership.organisation_id)
        assert membership.role == "owner" and entry.path == (tmp_path / "ws").resolve()
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    refused = cli("user", "add", "bob@exemple.fr", "--role", "chef", "--password-stdin")
    assert refused.code == 2 and "unknown role" in refused.err
