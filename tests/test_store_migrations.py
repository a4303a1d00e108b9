"""Alembic revisions after the baseline: each is applied in its own transaction, and one
that fails leaves the database at the revision before it, with nothing half-done."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from veilleur.store import SQLiteStore, migrations

PREVIOUS = migrations.HEAD  # the shipped head, which the test revision follows

REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9002"
down_revision = "{previous}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("notes", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO settings (key, value) VALUES ('note', 'written by 9002')")
    {failure}


def downgrade() -> None:
    op.drop_table("notes")
"""


@pytest.fixture
def scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped revisions that the store uses instead of them."""
    copy = tmp_path / "alembic"
    shutil.copytree(migrations.SCRIPTS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrations, "SCRIPTS", copy)
    monkeypatch.setattr(migrations, "HEAD", "9002")  # as the new revision would set it
    migrations.scripts.cache_clear()
    yield copy
    migrations.scripts.cache_clear()


def _state(db: Path) -> tuple[list[tuple[str]], bool, list[tuple[str]]]:
    with sqlite3.connect(db) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        notes = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").fetchone()[
            0
        ]
        note = conn.execute("SELECT value FROM settings WHERE key = 'note'").fetchall()
    conn.close()
    return version, bool(notes), note


def test_a_new_revision_upgrades_an_existing_workspace(scripts: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    SQLiteStore(db).close()  # at the shipped head
    (scripts / "versions" / "9002_notes.py").write_text(
        REVISION.format(failure="", previous=PREVIOUS)
    )
    migrations.scripts.cache_clear()
    with SQLiteStore(db) as store:
        assert migrations.current(store.core) == "9002"
    assert _state(db) == ([("9002",)], True, [("written by 9002",)])


def test_a_failing_revision_leaves_nothing_half_done(scripts: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    SQLiteStore(db).close()
    failing = REVISION.format(failure='raise RuntimeError("disk on fire")', previous=PREVIOUS)
    (scripts / "versions" / "9002_notes.py").write_text(failing)
    migrations.scripts.cache_clear()
    with pytest.raises(RuntimeError, match="disk on fire"):
        SQLiteStore(db)
    assert _state(db) == ([(PREVIOUS,)], False, [])


def test_head_names_the_newest_shipped_revision() -> None:
    # Opening a workspace compares its stamp with HEAD without reading the scripts.
    assert migrations.scripts().get_current_head() == migrations.HEAD
