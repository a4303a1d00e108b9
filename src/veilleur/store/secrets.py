"""Secrets at rest: publishing tokens, app passwords and ``smtp.password`` are encrypted in
the database with Fernet (``cryptography``: AES-128-CBC and HMAC-SHA256), with a key kept
outside it.

The key is a file in the user's configuration folder, ``$XDG_CONFIG_HOME/veilleur/key``
(``~/.config/veilleur/key``), created 0600 (its folder 0700) the first time a secret is
stored; ``VEILLEUR_KEY_FILE`` names another file (tests, a key on removable media). A copy
of the database alone does not reveal the secrets; the key file must be backed up with it
(or the secrets set again).

A stored secret reads ``fernet:<token>``. A value without the prefix is a secret stored in
clear by an earlier release: it is still read, and :func:`seal_clear_secrets` (run when a
store opens for writing) encrypts every such value in place, with ``secure_delete`` on so
that the clear bytes are overwritten in the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from veilleur.errors import VeilleurError
from veilleur.i18n import t

KEY_ENV = "VEILLEUR_KEY_FILE"
PREFIX = "fernet:"

SECRET_SETTINGS = ("smtp.password", "events.link_key")
"""Settings whose values are secrets (:mod:`veilleur.settings` marks them ``secret``; a test
checks both lists agree)."""


class SecretKeyError(VeilleurError):
    """The key that decrypts the workspace's secrets is missing, unreadable or not the one
    they were encrypted with."""

    exit_code = 2


def key_path() -> Path:
    """Where the key is (see the module)."""
    named = os.environ.get(KEY_ENV)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "veilleur" / "key"


def _key(create: bool) -> bytes:
    from cryptography.fernet import Fernet

    path = key_path()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            raise _key_error(path, t("it is missing")) from None
    except OSError as exc:
        raise _key_error(path, exc.strerror or str(exc)) from None
    key = Fernet.generate_key()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another veilleur made it a moment ago
        return path.read_bytes().strip()
    except OSError as exc:
        raise SecretKeyError(
            t(
                "cannot create the key file {path} that encrypts secrets: {reason}. Set "
                "VEILLEUR_KEY_FILE to a file you may write.",
                path=path,
                reason=exc.strerror or str(exc),
            )
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def _key_error(path: Path, reason: str) -> SecretKeyError:
    return SecretKeyError(
        t(
            "the secrets of this workspace (publishing tokens, smtp.password) cannot be "
            "decrypted with the key file {path} ({reason}). Restore the key file that was "
            "beside them, or set the secrets again ('veilleur config set smtp.password', "
            "'veilleur queue account').",
            path=path,
            reason=reason,
        )
    )


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(secret: str) -> str:
    """``secret`` encrypted for the database (the key is created on first need)."""
    from cryptography.fernet import Fernet

    if is_sealed(secret):
        return secret
    return PREFIX + Fernet(_key(create=True)).encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(value: str) -> str:
    """The secret of a stored value (a value stored in clear is returned as it is)."""
    if not is_sealed(value):
        return value
    from cryptography.fernet import Fernet, InvalidToken

    path = key_path()
    try:
        fernet = Fernet(_key(create=False))
    except ValueError:
        raise _key_error(path, t("it is not a Fernet key")) from None
    try:
        return fernet.decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError, UnicodeError):
        raise _key_error(path, t("it is not the key they were encrypted with")) from None


_CLEAR = (
    (
        "SELECT rowid, value FROM settings WHERE key IN ({keys}) AND value NOT LIKE 'fernet:%'",
        "UPDATE settings SET value = ? WHERE rowid = ?",
    ),
    (
        "SELECT rowid, secret FROM publish_accounts "
        "WHERE secret IS NOT NULL AND secret NOT LIKE 'fernet:%'",
        "UPDATE publish_accounts SET secret = ? WHERE rowid = ?",
    ),
)


def seal_clear_secrets(conn: sqlite3.Connection) -> int:
    """Encrypt every secret an earlier release stored in clear; how many were. One
    transaction; the clear bytes are zeroed in the file (``secure_delete``)."""
    keys = ", ".join(f"'{key}'" for key in SECRET_SETTINGS)
    found: list[tuple[str, int, str]] = []
    for select, update in _CLEAR:
        try:
            rows = conn.execute(select.format(keys=keys)).fetchall()
        except sqlite3.OperationalError:  # no such table (a bare store in a test)
            continue
        found.extend((update, int(rowid), str(value)) for rowid, value in rows)
    if not found:
        return 0
    sealed = [(update, rowid, seal(value)) for update, rowid, value in found]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for update, rowid, value in sealed:
                conn.execute(update, (value, rowid))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA secure_delete = OFF")
    # secure_delete zeroes the cells rewritten above, not the copies the migrations that ran
    # before left in free space (a page split of the settings table moves its rows) nor the
    # old pages still in the main file while the WAL holds the new ones: rewrite the file
    # once (an old workspace's first opening) and fold the WAL back into it.
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(sealed)
