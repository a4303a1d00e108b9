"""The accounts pillar's tables and every statement on them.

Tables: ``account_organisations`` (who the server works for), ``account_users`` (people who
log in), ``account_members`` (a user's role in an organisation), ``account_workspaces``
(the workspaces an organisation holds, by folder), ``account_invitations`` (single-use
links, stored as a hash of the token), ``account_login_failures`` (the login rate limit)
and ``account_api_tokens`` (personal tokens, hashed).

They live in the database of the server's *home* workspace (the one ``veilleur serve``
is given): see docs/internals/web.md. Dates are ISO 8601 text in UTC, as everywhere.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text, UniqueConstraint, text

from veilleur.store.handles import Db, Tx, conn
from veilleur.store.schema import metadata

organisations_table = Table(
    "account_organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", Text, nullable=False),
)

users_table = Table(
    "account_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", Text, nullable=False, unique=True),  # lower case
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    Column("lang", Text),  # the user's choice, None: the browser's
    Column("timezone", Text),
    Column("session_epoch", Integer, nullable=False, server_default=text("0")),
    Column("created_at", Text, nullable=False),
)

members_table = Table(
    "account_members",
    metadata,
    Column("user_id", Integer, ForeignKey("account_users.id"), primary_key=True),
    Column("organisation_id", Integer, ForeignKey("account_organisations.id"), primary_key=True),
    Column("role", Text, nullable=False),
)

workspaces_table = Table(
    "account_workspaces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("account_organisations.id"), nullable=False),
    Column("slug", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("path", Text, nullable=False, unique=True),  # absolute folder
    Column("created_at", Text, nullable=False),
)

invitations_table = Table(
    "account_invitations",
    metadata,
    Column("token_hash", Text, primary_key=True),  # sha256 of the token in the link
    Column("organisation_id", Integer, ForeignKey("account_organisations.id"), nullable=False),
    Column("role", Text, nullable=False),
    Column("email", Text),
    Column("created_by", Integer, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Text, nullable=False),
    Column("used_at", Text),
)

login_failures_table = Table(
    "account_login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # "email:…" or "ip:…"
    Column("at", Text, nullable=False),
)
Index("account_login_failures_key", login_failures_table.c.key, login_failures_table.c.at)

api_tokens_table = Table(
    "account_api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("account_users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("last_used_at", Text),
    Column("revoked_at", Text),
    UniqueConstraint("token_hash"),
)

Row: TypeAlias = tuple[Any, ...]

USER_COLUMNS = "id, email, password_hash, lang, timezone, session_epoch, created_at"


# -- organisations and workspaces --


def organisation_id(db: Db, name: str) -> int | None:
    row = conn(db).execute("SELECT id FROM account_organisations WHERE name = ?", (name,))
    found = row.fetchone()
    return int(found[0]) if found else None


def insert_organisation(tx: Tx, name: str, created_at: str) -> int:
    cursor = tx.execute(
        "INSERT INTO account_organisations (name, created_at) VALUES (?, ?)", (name, created_at)
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def organisation_rows(db: Db) -> list[Row]:
    """``(id, name)`` of every organisation, by name."""
    return conn(db).execute("SELECT id, name FROM account_organisations ORDER BY name").fetchall()


def workspace_rows(db: Db, organisation: int | None = None) -> list[Row]:
    """``(id, organisation_id, slug, name, path)``, by name."""
    return (
        conn(db)
        .execute(
            "SELECT id, organisation_id, slug, name, path FROM account_workspaces "
            "WHERE ? IS NULL OR organisation_id = ? ORDER BY name, id",
            (organisation, organisation),
        )
        .fetchall()
    )


def workspace_by_path(db: Db, path: str) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(
            "SELECT id, organisation_id, slug, name, path FROM account_workspaces WHERE path = ?",
            (path,),
        )
        .fetchone()
    )
    return row


def workspace_by_slug(db: Db, slug: str) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(
            "SELECT id, organisation_id, slug, name, path FROM account_workspaces WHERE slug = ?",
            (slug,),
        )
        .fetchone()
    )
    return row


def slugs(db: Db) -> set[str]:
    return {r[0] for r in conn(db).execute("SELECT slug FROM account_workspaces")}


def insert_workspace(
    tx: Tx, organisation: int, slug: str, name: str, path: str, created_at: str
) -> int:
    cursor = tx.execute(
        "INSERT INTO account_workspaces (organisation_id, slug, name, path, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (organisation, slug, name, path, created_at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


# -- users and roles --


def user_by_email(db: Db, email: str) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(f"SELECT {USER_COLUMNS} FROM account_users WHERE email = ?", (email,))
        .fetchone()
    )
    return row


def user_by_id(db: Db, user_id: int) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(f"SELECT {USER_COLUMNS} FROM account_users WHERE id = ?", (user_id,))
        .fetchone()
    )
    return row


def insert_user(tx: Tx, email: str, password_hash: str, created_at: str) -> int:
    cursor = tx.execute(
        "INSERT INTO account_users (email, password_hash, created_at) VALUES (?, ?, ?)",
        (email, password_hash, created_at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def set_password(tx: Tx, user_id: int, password_hash: str, *, new_epoch: bool) -> None:
    """Store a new hash; ``new_epoch``: every session signed before ends."""
    tx.execute(
        "UPDATE account_users SET password_hash = ?, "
        "session_epoch = session_epoch + ? WHERE id = ?",
        (password_hash, 1 if new_epoch else 0, user_id),
    )


def set_preferences(tx: Tx, user_id: int, lang: str | None, timezone: str | None) -> None:
    tx.execute(
        "UPDATE account_users SET lang = ?, timezone = ? WHERE id = ?", (lang, timezone, user_id)
    )


def set_role(tx: Tx, user_id: int, organisation: int, role: str) -> None:
    tx.execute(
        "INSERT INTO account_members (user_id, organisation_id, role) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = excluded.role",
        (user_id, organisation, role),
    )


def remove_member(tx: Tx, user_id: int, organisation: int) -> None:
    tx.execute(
        "DELETE FROM account_members WHERE user_id = ? AND organisation_id = ?",
        (user_id, organisation),
    )


def role_of(db: Db, user_id: int, organisation: int) -> str | None:
    row = (
        conn(db)
        .execute(
            "SELECT role FROM account_members WHERE user_id = ? AND organisation_id = ?",
            (user_id, organisation),
        )
        .fetchone()
    )
    return str(row[0]) if row else None


def memberships(db: Db, user_id: int) -> list[Row]:
    """``(organisation_id, organisation name, role)`` of a user, by name."""
    return (
        conn(db)
        .execute(
            "SELECT o.id, o.name, m.role FROM account_members m JOIN account_organisations o "
            "ON o.id = m.organisation_id WHERE m.user_id = ? ORDER BY o.name",
            (user_id,),
        )
        .fetchall()
    )


def members(db: Db, organisation: int) -> list[Row]:
    """``(user_id, email, role)`` of an organisation, by e-mail."""
    return (
        conn(db)
        .execute(
            "SELECT u.id, u.email, m.role FROM account_members m JOIN account_users u "
            "ON u.id = m.user_id WHERE m.organisation_id = ? ORDER BY u.email",
            (organisation,),
        )
        .fetchall()
    )


def count_role(db: Db, organisation: int, role: str) -> int:
    row = (
        conn(db)
        .execute(
            "SELECT count(*) FROM account_members WHERE organisation_id = ? AND role = ?",
            (organisation, role),
        )
        .fetchone()
    )
    return int(row[0])


# -- invitations --


def insert_invitation(
    tx: Tx,
    token_hash: str,
    organisation: int,
    role: str,
    email: str | None,
    created_by: int,
    created_at: str,
    expires_at: str,
) -> None:
    tx.execute(
        "INSERT INTO account_invitations (token_hash, organisation_id, role, email, "
        "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash, organisation, role, email, created_by, created_at, expires_at),
    )


def invitation(db: Db, token_hash: str) -> Row | None:
    """``(organisation_id, role, email, expires_at, used_at)``, or None."""
    row: Row | None = (
        conn(db)
        .execute(
            "SELECT organisation_id, role, email, expires_at, used_at FROM account_invitations "
            "WHERE token_hash = ?",
            (token_hash,),
        )
        .fetchone()
    )
    return row


def use_invitation(tx: Tx, token_hash: str, now: str) -> bool:
    """Mark the invitation used; False when it was used or expired meanwhile."""
    cursor = tx.execute(
        "UPDATE account_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
        "AND expires_at > ?",
        (now, token_hash, now),
    )
    return cursor.rowcount == 1


def open_invitations(db: Db, organisation: int, now: str) -> list[Row]:
    """``(email, role, expires_at)`` of the invitations still usable, newest first."""
    return (
        conn(db)
        .execute(
            "SELECT email, role, expires_at FROM account_invitations WHERE organisation_id = ? "
            "AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
            (organisation, now),
        )
        .fetchall()
    )


# -- the login rate limit --


def record_failure(tx: Tx, keys: list[str], at: str) -> None:
    tx.executemany(
        "INSERT INTO account_login_failures (key, at) VALUES (?, ?)", [(k, at) for k in keys]
    )


def failures_since(db: Db, key: str, since: str) -> int:
    row = (
        conn(db)
        .execute(
            "SELECT count(*) FROM account_login_failures WHERE key = ? AND at > ?", (key, since)
        )
        .fetchone()
    )
    return int(row[0])


def forget_failures(tx: Tx, key: str | None, before: str) -> None:
    """Drop ``key``'s failures (all of them), and everyone's older than ``before``."""
    tx.execute("DELETE FROM account_login_failures WHERE key = ? OR at < ?", (key or "", before))


# -- API tokens --


def insert_token(tx: Tx, user_id: int, name: str, token_hash: str, created_at: str) -> int:
    cursor = tx.execute(
        "INSERT INTO account_api_tokens (user_id, name, token_hash, created_at) "
        "VALUES (?, ?, ?, ?)",
        (user_id, name, token_hash, created_at),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def token_owner(db: Db, token_hash: str) -> int | None:
    row = (
        conn(db)
        .execute(
            "SELECT user_id FROM account_api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash,),
        )
        .fetchone()
    )
    return int(row[0]) if row else None


def touch_token(tx: Tx, token_hash: str, at: str) -> None:
    tx.execute(
        "UPDATE account_api_tokens SET last_used_at = ? WHERE token_hash = ?", (at, token_hash)
    )


def user_tokens(db: Db, user_id: int) -> list[Row]:
    """``(id, name, created_at, last_used_at)`` of a user's live tokens."""
    return (
        conn(db)
        .execute(
            "SELECT id, name, created_at, last_used_at FROM account_api_tokens "
            "WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC",
            (user_id,),
        )
        .fetchall()
    )


def revoke_token(tx: Tx, user_id: int, token_id: int, at: str) -> bool:
    cursor = tx.execute(
        "UPDATE account_api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? "
        "AND revoked_at IS NULL",
        (at, token_id, user_id),
    )
    return cursor.rowcount == 1
