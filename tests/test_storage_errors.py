"""Storage failures (issue 14): disk full, read-only, locked, damaged → one message, exit 2,
never a traceback; a damaged database is refused before any write; private file modes."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veilleur.model import Post
from veilleur.store import SQLiteStore, StorageError, health
from veilleur.store import engine as engines


def _post(i: int, text: str = "bonjour le monde") -> Post:
    return Post(
        network="mastodon",
        id=str(i),
        author=f"a{i % 7}",
        text=f"{text} {i} " * 20,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _jsonl(path: Path, count: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            record = {
                "id": str(i),
                "network": "mastodon",
                "author": "a",
                "text": f"bonjour le monde {i} " * 10,
                "created_at": "2026-01-01T00:00:00Z",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def _filled(tmp_path: Path, count: int = 2000) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir(mode=0o700)
    with SQLiteStore(ws / "veilleur.sqlite") as store:
        store.write_posts([_post(i) for i in range(count)])
    return ws


# -- damaged databases ---------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused_with_advice(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "veilleur.sqlite").write_bytes(b"garbage" * 2000)
    for args in (["search", "bonjour"], ["import", "jsonl", str(_jsonl(tmp_path / "p.jsonl", 3))]):
        result = cli(*args)
        assert result.code == 2
        assert "is damaged (file is not a database)" in result.err
        assert "Restore a backup" in result.err and "Traceback" not in result.err
    assert (ws / "veilleur.sqlite").read_bytes() == b"garbage" * 2000


def test_a_truncated_database_is_refused_before_any_write(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = _filled(tmp_path)
    db = ws / "veilleur.sqlite"
    with db.open("r+b") as handle:  # a copy cut short, a crash on a full disk
        handle.truncate(db.stat().st_size // 2)
    before = db.read_bytes()
    result = cli("import", "jsonl", str(_jsonl(tmp_path / "p.jsonl", 50, start=10_000)))
    assert result.code == 2, result.err
    assert "is damaged" in result.err and "malformed" in result.err
    assert db.read_bytes() == before  # nothing written


def test_a_database_closed_cleanly_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _filled(tmp_path, 10)
    db = ws / "veilleur.sqlite"
    assert not health.changed_since_clean_close(db)
    checked: list[Path] = []
    original = health.check_on_open

    def spy(conn: sqlite3.Connection, path: Path) -> None:
        if health.changed_since_clean_close(path):
            checked.append(path)
        original(conn, path)

    monkeypatch.setattr(health, "check_on_open", spy)
    SQLiteStore(db).close()
    assert checked == []
    with db.open("ab") as handle:  # changed behind veilleur's back
        handle.write(b"\0" * 4096)
    assert health.changed_since_clean_close(db)
    SQLiteStore(db).close()  # a page of zeros at the end: still a sound database
    assert checked == [db]
    assert not health.changed_since_clean_close(db)


# -- full disk -----------------------------------------------------------------------------


def _small_disk(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every store connection may grow the database to ``pages`` pages only (ENOSPC)."""
    monkeypatch.setattr(engines, "PRAGMAS", (*engines.PRAGMAS, f"PRAGMA max_page_count = {pages}"))


def test_a_full_disk_raises_the_first_error_not_a_failed_rollback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _filled(tmp_path, 10)
    _small_disk(monkeypatch, 60)
    with SQLiteStore(ws / "veilleur.sqlite") as store:
        with pytest.raises(sqlite3.Error) as caught:
            for start in range(0, 5000, 500):
                store.write_posts(
                    [_post(i, "texte assez long pour remplir") for i in range(start, start + 500)]
                )
        assert "full" in str(caught.value)
        assert not store.conn.in_transaction
        assert store.count_posts() >= 10  # what was committed before is intact
        store.write_posts([])  # the store is still usable


def test_a_full_disk_is_one_message_and_exit_2(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(tmp_path, 10)
    _small_disk(monkeypatch, 60)
    result = cli("import", "jsonl", str(_jsonl(tmp_path / "p.jsonl", 5000, start=100)))
    assert result.code == 2
    assert "is full" in result.err and "Free some space" in result.err
    assert "Traceback" not in result.err and "rollback" not in result.err


# -- read-only and locked ------------------------------------------------------------------


def test_a_read_only_workspace_can_be_searched_but_not_written(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _filled(tmp_path, 30)
    # Root writes anywhere: stand in for a read-only mount where veilleur asks the system.
    monkeypatch.setattr(health, "writable", lambda path: False)
    before = (ws / "veilleur.sqlite").read_bytes()
    result = cli("search", "bonjour")
    assert result.code == 0, result.err
    assert "a1" in result.out
    result = cli("import", "jsonl", str(_jsonl(tmp_path / "p.jsonl", 5, start=500)))
    assert result.code == 2
    assert "is read-only" in result.err and "permissions" in result.err
    assert (ws / "veilleur.sqlite").read_bytes() == before
    with SQLiteStore(ws / "veilleur.sqlite", readonly=True) as store:
        assert store.count_posts() == 30
        with pytest.raises(sqlite3.OperationalError):
            store.set_setting("smtp.host", "x")


def test_a_locked_database_says_so(tmp_path: Path) -> None:
    ws = _filled(tmp_path, 3)
    other = sqlite3.connect(ws / "veilleur.sqlite", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with SQLiteStore(ws / "veilleur.sqlite") as store:
            store.conn.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(sqlite3.OperationalError) as caught:
                store.write_posts([_post(99)])
        error = health.storage_error(caught.value)
        assert isinstance(error, StorageError)
        assert "is locked" in str(error) and "run the command again" in str(error)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_other_errors_are_not_storage_errors() -> None:
    assert health.storage_error(ValueError("x")) is None
    assert health.storage_error(sqlite3.ProgrammingError("no such table: x")) is None


# -- private files -------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_workspace_folder_and_database_files_are_private(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "jsonl", str(_jsonl(tmp_path / "p.jsonl", 5)))
    assert result.code == 0, result.err
    ws = tmp_path / "ws"
    assert _mode(ws) == 0o700
    files = [p for p in ws.iterdir()]
    assert files and all(_mode(p) == 0o600 for p in files), [(p, oct(_mode(p))) for p in files]
    # -wal and -shm while a store is open take the database's mode
    with SQLiteStore(ws / "veilleur.sqlite") as store:
        store.write_posts([_post(1000)])
        journals = [ws / "veilleur.sqlite-wal", ws / "veilleur.sqlite-shm"]
        assert all(_mode(p) == 0o600 for p in journals if p.exists())
        assert any(p.exists() for p in journals)


def test_existing_loose_files_are_tightened_with_a_note(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = _filled(tmp_path, 3)
    ws.chmod(0o755)
    (ws / "veilleur.sqlite").chmod(0o644)
    result = cli("search", "bonjour")
    assert result.code == 0, result.err
    assert _mode(ws) == 0o700 and _mode(ws / "veilleur.sqlite") == 0o600
    assert result.err.count("now private to you") == 2
    assert cli("search", "bonjour").err.count("now private") == 0


def test_an_os_error_elsewhere_is_not_blamed_on_the_database() -> None:
    assert health.storage_error(PermissionError(13, "Permission denied")) is None
    error = health.storage_error(OSError(28, "No space left on device"), "ws/veilleur.sqlite")
    assert isinstance(error, StorageError) and "is full" in str(error)


def test_an_in_memory_store_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with SQLiteStore(":memory:") as store:
        store.write_posts([_post(1)])
        assert store.count_posts() == 1
    assert list(tmp_path.iterdir()) == []
