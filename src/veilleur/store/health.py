"""The database file's health: storage errors in plain words, damage found before a write,
private file modes.

* :func:`storage_error` turns what SQLite or the operating system says when storage fails
  (disk full, read-only, locked, damaged, cannot open) into a :class:`StorageError`: what
  happened and what to do, exit 2, never a traceback.
* :func:`check_on_open`: a database whose file changed since veilleur last closed it
  cleanly (a crash, a copy, a disk error, another program) is checked with ``PRAGMA
  quick_check`` before anything is written to it, and refused when damaged. The clean close
  is recorded beside the database (``veilleur.sqlite.clean``: size, time and inode of the
  file after the last close) by :func:`record_clean_close`; a file that still matches it is
  not read again, so opening a healthy workspace costs one ``stat``.
* :func:`private_file`, :func:`tighten`: the database and its ``-wal``/``-shm`` are 0600
  (SQLite gives the journal files the database's mode), workspace folders 0700.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from veilleur.errors import VeilleurError
from veilleur.i18n import t

CLEAN_SUFFIX = ".clean"
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")

_FULL, _READONLY, _BUSY, _LOCKED, _CORRUPT, _NOTADB = 13, 8, 5, 6, 11, 26
_CANTOPEN, _IOERR, _PERM = 14, 10, 3


class StorageError(VeilleurError):
    """The workspace's storage failed (disk full, read-only, locked, damaged): what
    happened and what to do, never a traceback."""

    exit_code = 2


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def storage_error(exc: BaseException, path: Path | str | None = None) -> StorageError | None:
    """The :class:`StorageError` that says what ``exc`` means for the user, or None when
    ``exc`` is not a failure of the database's storage. SQLAlchemy's wrappers are looked
    through. Without ``path`` (a failure met in the middle of a command), only the
    database's own errors count: an ``OSError`` may concern any other file."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        exc = orig
    where = str(path) if path is not None else t("the workspace database")
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if path is None:
            return None
        if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
            return _full(where)
        if exc.errno == errno.EROFS or exc.errno in (errno.EACCES, errno.EPERM):
            return _readonly(where)
        return None
    if not isinstance(exc, sqlite3.Error):
        return None
    code = _code(exc)
    text = str(exc).lower()
    if code == _FULL or "disk is full" in text:
        return _full(where)
    if code in (_READONLY, _PERM) or "readonly database" in text:
        return _readonly(where)
    if code in (_BUSY, _LOCKED) or "database is locked" in text:
        return StorageError(
            t(
                "{where} is locked: another veilleur (or another program) is writing to it. "
                "Wait for it to finish and run the command again.",
                where=where,
            )
        )
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return damaged(where, str(exc))
    if code == _CANTOPEN or "unable to open" in text:
        return StorageError(
            t(
                "cannot open {where}: check that the workspace folder exists and that you "
                "may read and write it.",
                where=where,
            )
        )
    if code == _IOERR or "disk i/o error" in text:
        return StorageError(
            t(
                "reading or writing {where} failed (disk I/O error): check the disk and free "
                "space, then run 'veilleur doctor'.",
                where=where,
            )
        )
    return None


def _full(where: str) -> StorageError:
    return StorageError(
        t(
            "the disk holding {where} is full: nothing of the interrupted write was saved. "
            "Free some space and run the command again.",
            where=where,
        )
    )


def _readonly(where: str) -> StorageError:
    return StorageError(
        t(
            "{where} is read-only: this command needs to write to it. Check the permissions "
            "of the workspace folder and its files (or the mount), or use a workspace you may "
            "write to.",
            where=where,
        )
    )


def damaged(where: str, detail: str) -> StorageError:
    return StorageError(
        t(
            "{where} is damaged ({detail}): nothing was written to it. Restore a backup "
            "(made with 'veilleur backup') or run 'veilleur doctor' to see what is wrong.",
            where=where,
            detail=detail,
        )
    )


# -- clean close -------------------------------------------------------------------------


def _clean_path(path: Path) -> Path:
    return path.with_name(path.name + CLEAN_SUFFIX)


def _signature(path: Path) -> dict[str, Any] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "inode": info.st_ino}


def _wal_in_use(path: Path) -> bool:
    """Whether the database's write-ahead log holds pages (another veilleur may delete it
    between a look and a read: a log that vanished is not in use)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def changed_since_clean_close(path: Path) -> bool:
    """Whether the database file differs from what it was at veilleur's last clean close
    (True also when no clean close was ever recorded)."""
    current = _signature(path)
    if current is None or current["size"] == 0:
        return False  # a new database: nothing to check
    if _wal_in_use(path):
        return True  # left by a process that did not close cleanly (or still open)
    try:
        recorded = json.loads(_clean_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return bool(recorded != current)


def check_on_open(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged database before anything is written to it (see the module)."""
    if not changed_since_clean_close(path):
        return
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise damaged(str(path), str(exc)) from None
    problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
    if problems:
        raise damaged(str(path), "; ".join(problems[:3]))


def record_clean_close(path: Path) -> None:
    """Remember the file as veilleur left it (called once the last connection is closed)."""
    if _wal_in_use(path):
        return  # another connection still holds it: the next open checks
    signature = _signature(path)
    if signature is None:
        return
    target = _clean_path(path)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(signature, handle)
    except OSError:
        pass  # a read-only workspace: the next open checks again, which is safe


# -- private files -------------------------------------------------------------------------


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (SQLite then creates the
    database in it, and its journal files with the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def tighten(path: Path, mode: int) -> bool:
    """Take group and other permissions away from ``path`` (to ``mode``); True when it had
    some. Missing files and files we may not change are left alone."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    if not current & 0o077:
        return False
    try:
        os.chmod(path, mode)
    except OSError:
        return False
    return True


def tighten_database(path: Path) -> list[Path]:
    """The database and its journal files made 0600; the files that were looser."""
    files = [path, *(path.with_name(path.name + s) for s in JOURNAL_SUFFIXES)]
    return [f for f in files if tighten(f, 0o600)]


def writable(path: Path) -> bool:
    """Whether veilleur may write the database at ``path`` (and its folder, for the
    journal files)."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)
