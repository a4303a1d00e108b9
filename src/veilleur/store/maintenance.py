"""Maintenance of a workspace's database: an online backup and a check-up.

Both work on the database file directly, read-only, without migrating it or checking it on
open (:mod:`veilleur.store.health` refuses a damaged database; these are what to run
then): :func:`backup` copies a live database with SQLite's online backup API (consistent
even while another veilleur writes), :func:`diagnose` runs the checks ``veilleur doctor``
shows.
"""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from veilleur.errors import UsageError
from veilleur.i18n import N_, t
from veilleur.store import health, secrets


@dataclass(frozen=True, slots=True)
class Finding:
    """One check: its name, whether it passed, and what was found. ``advice``: nothing is
    wrong, but the detail says what to do (``doctor`` marks it "to do", not a problem)."""

    check: str
    ok: bool
    detail: str
    advice: bool = False


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise UsageError(t("there is no database at {path}", path=path))
    uri = path.resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def backup(path: Path, dest: Path) -> Path:
    """Copy the database at ``path`` to ``dest`` (a new file, or a folder to put a dated
    file in), 0600, checked after copying; returns the file written."""
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"veilleur-{stamp}.sqlite"
    if dest.exists():
        raise UsageError(t("{path} exists: give a new file name or a folder", path=dest))
    source = _open(path)
    try:
        try:
            health.private_file(dest)
        except OSError as exc:
            raise health.storage_error(exc, dest) or UsageError(
                t("cannot write {path}: {reason}", path=dest, reason=exc.strerror or exc)
            ) from None
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            problems = [r[0] for r in target.execute("PRAGMA quick_check") if r[0] != "ok"]
        finally:
            target.close()
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise health.storage_error(exc, path) or health.damaged(str(path), str(exc)) from None
    finally:
        source.close()
    if problems:
        dest.unlink(missing_ok=True)
        raise health.damaged(str(path), "; ".join(problems[:3]))
    return dest


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


FREE_ADVICE_BYTES = 64_000_000
"""Unused pages from which ``doctor`` says how to give them back (also a quarter of the
file): an upgrade that rebuilds the search index leaves the old index's pages free (the
contentless index of revision 0013 is about 30 % smaller than 0012's), and SQLite keeps
them in the file for the next posts."""


def _free_space(conn: sqlite3.Connection, path: Path) -> Finding:
    """How much of the file is unused pages; advice (never a silent ``VACUUM``: it rewrites
    the whole file, needs as much free disk and holds the write lock for minutes on a large
    one) when it is a large share."""
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    (free,) = conn.execute("PRAGMA freelist_count").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    free_mb, total_mb = f"{free * size / 1e6:,.1f}", f"{pages * size / 1e6:,.1f}"
    if free * size < FREE_ADVICE_BYTES or free * 4 < pages:
        detail = t("{free} MB of the file's {total} MB unused", free=free_mb, total=total_mb)
        return Finding(N_("free space"), True, detail)
    detail = t(
        "{free} MB of the file's {total} MB unused (left by an upgrade of the search index or "
        "by deletions): new posts reuse them; to give them back to the disk, stop every "
        "veilleur of this workspace and run  sqlite3 {path} VACUUM  (it rewrites the file: "
        "minutes on a large one, and as much free disk)",
        free=free_mb,
        total=total_mb,
        path=path,
    )
    return Finding(N_("free space"), True, detail, advice=True)


def diagnose(path: Path) -> list[Finding]:
    """The checks of ``veilleur doctor``: integrity, foreign keys, the search index, and
    the permissions of the workspace, its database files and the secrets' key file."""
    found: list[Finding] = []
    conn = _open(path)
    try:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
            found.append(Finding(N_("integrity"), rows == ["ok"], "; ".join(rows)))
        except sqlite3.DatabaseError as exc:
            found.append(Finding(N_("integrity"), False, str(exc)))
            return found  # nothing else can be read
        found.append(_free_space(conn, path))
        try:
            orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
            found.append(
                Finding(N_("foreign keys"), not orphans, t("{n} orphan rows", n=len(orphans)))
            )
            posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
            indexed = conn.execute("SELECT count(*) FROM posts_fts").fetchone()[0]
            found.append(
                Finding(
                    N_("search index"),
                    posts == indexed,
                    t("{posts} posts, {indexed} indexed", posts=posts, indexed=indexed),
                )
            )
        except sqlite3.DatabaseError as exc:
            found.append(Finding(N_("search index"), False, str(exc)))
    finally:
        conn.close()
    files = [
        (path.parent, 0o700),
        *((path.with_name(path.name + s), 0o600) for s in ("", *health.JOURNAL_SUFFIXES)),
        (secrets.key_path(), 0o600),
    ]
    for file, wanted in files:
        mode = _mode(file)
        if mode is None:
            continue
        loose = bool(mode & 0o077)
        found.append(
            Finding(
                N_("permissions"),
                not loose,
                t(
                    "{path}: {mode} (expected {wanted})",
                    path=file,
                    mode=oct(mode),
                    wanted=oct(wanted),
                ),
            )
        )
    return found
