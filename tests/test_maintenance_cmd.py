"""``veilleur backup`` and ``veilleur doctor`` (issue 14)."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path
from typing import Any


def _import(cli: Any, tmp_path: Path, count: int = 40) -> None:
    path = tmp_path / "p.jsonl"
    records = (
        {"id": str(i), "network": "mastodon", "author": "a", "text": f"bonjour {i}",
         "created_at": "2026-01-01T00:00:00Z"}
        for i in range(count)
    )  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert cli("import", "jsonl", str(path)).code == 0


def test_backup_copies_a_checked_private_database(cli: Any, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    result = cli("backup", str(tmp_path / "copy.sqlite"))
    assert result.code == 0, result.err
    copy = tmp_path / "copy.sqlite"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (40,)
    conn.close()
    assert cli("backup", str(copy)).code == 2  # never overwrites
    folder = tmp_path / "backups"
    folder.mkdir()
    assert cli("backup", str(folder)).code == 0
    assert len(list(folder.glob("veilleur-*.sqlite"))) == 1
    assert cli("search", "bonjour", workspace=tmp_path / "ws").code == 0


def test_doctor_passes_a_healthy_workspace_and_names_problems(cli: Any, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    healthy = cli("doctor")
    assert healthy.code == 0, healthy.out + healthy.err
    assert "integrity: ok" in healthy.out and "40 posts, 40 indexed" in healthy.out
    db = tmp_path / "ws" / "veilleur.sqlite"
    db.chmod(0o644)
    loose = cli("doctor")
    assert loose.code == 1 and "0o644 (expected 0o600)" in loose.out
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    damaged = cli("doctor")
    assert damaged.code == 1 and "PROBLEM  integrity" in damaged.out
    assert "Traceback" not in damaged.err


def test_doctor_without_a_database_says_so(cli: Any) -> None:
    result = cli("doctor")
    assert result.code == 2 and "there is no database" in result.err


def test_doctor_says_how_much_of_the_file_is_unused_and_how_to_give_it_back(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """An upgrade that rebuilds the search index leaves the old index's pages free in the
    file: ``doctor`` says how much, and past a threshold how to give it back (never done
    behind the user's back: ``VACUUM`` rewrites the whole file)."""
    from veilleur.store import maintenance

    _import(cli, tmp_path)
    quiet = cli("doctor")
    assert quiet.code == 0 and "ok       free space: 0.0 MB of the file's" in quiet.out
    assert "VACUUM" not in quiet.out
    db = tmp_path / "ws" / "veilleur.sqlite"
    with sqlite3.connect(db) as conn:  # pages used, then freed, as by a dropped index
        conn.execute("CREATE TABLE scratch (b BLOB)")
        conn.executemany("INSERT INTO scratch VALUES (?)", [(b"x" * 4000,)] * 500)
        conn.commit()
        conn.execute("DROP TABLE scratch")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    monkeypatch.setattr(maintenance, "FREE_ADVICE_BYTES", 1_000_000)
    told = cli("doctor")
    assert told.code == 0, told.out + told.err  # advice, not a problem
    line = next(x for x in told.out.splitlines() if "free space" in x)
    assert line.startswith("to do    free space: 2.") and f"sqlite3 {db} VACUUM" in line
