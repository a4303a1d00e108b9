"""An upgrade that runs several revisions rebuilding the search index (0011, 0012, 0013)
fills it once (issue 19): the earlier ones make their layout and leave the filling to the
last, in one transaction. The database is the one three rebuilds made (an upgrade one
revision at a time, each filling the index, as every upgrade did before); an upgrade
stopped at 0011 or 0012 leaves a whole index; a killed or failing upgrade leaves the
workspace before those revisions, with its old index, and the next opening upgrades it."""

from __future__ import annotations

import importlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from veilleur.store import SQLiteStore, migrations, search_sqlite
from veilleur.store import engine as engines
from veilleur.store.search_sqlite import index_values

from .test_store_contentless import _answers, _posts

N = 2500  # two batches of 2000


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A workspace at 0010 (the index of 0004: rowid = pk, 11 columns with their values) and
    one at 0004, with what the workspace at head answered before they were taken back."""
    root = tmp_path_factory.mktemp("rebuildonce")
    db = root / "head.sqlite"
    with SQLiteStore(db) as store:
        store.write_posts(_posts(N))
        answers = _answers(store)
        command.downgrade(migrations.config(store.core), "0010")
    shutil.copy(db, root / "0010.sqlite")
    _at(db, "0010")
    engine = engines.create(db)
    with engine.connect() as core:
        command.downgrade(migrations.config(core), "0004")
    engine.dispose()
    shutil.copy(db, root / "0004.sqlite")
    reference = {}
    for start in ("0010", "0004"):
        # One revision at a time, each filling the index in its own transaction: what every
        # upgrade did before (FTS5's segments depend on the transactions it was filled in)
        copy = root / f"reference-{start}.sqlite"
        shutil.copy(root / f"{start}.sqlite", copy)
        engine = engines.create(copy)
        with engine.connect() as core:
            for revision in ("0011", "0012", "0013"):
                migrations.upgrade(core, revision)
        engine.dispose()
        reference[start] = _contents(copy)
    return {"root": root, "answers": answers, "reference": reference}


def _contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows — the FTS5 index's own tables (its segments, their index, the
    column sizes, its configuration), ``posts_fts_key`` and ``posts_fts_words`` included —
    and the schema."""
    with sqlite3.connect(db) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
            )
        ]
        found = {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
        found["schema"] = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
    conn.close()
    return found


def _at(db: Path, revision: str) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(revision,)]
    conn.close()


def _copy(made: dict[str, Any], start: str, tmp_path: Path) -> Path:
    db = tmp_path / f"from-{start}.sqlite"
    shutil.copy(made["root"] / f"{start}.sqlite", db)
    return db


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many posts the indexing path analysed (every rebuild analyses every post)."""
    count = [0]

    def counted(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        count[0] += 1
        return index_values(text, title, lang)

    monkeypatch.setattr(search_sqlite, "index_values", counted)
    yield count


@pytest.fixture
def heard() -> Iterator[list[tuple[str, int, int]]]:
    heard: list[tuple[str, int, int]] = []
    migrations.on_progress(lambda s, d, t: heard.append((s, d, t)))
    yield heard
    migrations.on_progress(None)


ONE_REBUILD = [("fts", 2000, N), ("fts", N, N)]


@pytest.mark.parametrize("start", ["0010", "0004"])
def test_an_upgrade_to_head_fills_the_index_once_and_makes_the_same_database(
    made: dict[str, Any],
    start: str,
    tmp_path: Path,
    analyses: list[int],
    heard: list[tuple[str, int, int]],
) -> None:
    db = _copy(made, start, tmp_path)
    with SQLiteStore(db) as store:
        assert analyses[0] == N  # each post analysed once (three rebuilds: 3 × N)
        assert heard == ONE_REBUILD  # one rebuild reported, not three
        assert _answers(store) == made["answers"]
    assert _contents(db) == made["reference"][start]


def _old_key(pk: int, created_at: str) -> int:
    previous = importlib.import_module("veilleur.store.alembic.versions.0011_fts_date_rowids")
    return int(previous.index_key(pk, created_at))


def _stored_rows(conn: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    columns = ", ".join(search_sqlite.FTS_COLUMNS)
    return {r[0]: tuple(r[1:]) for r in conn.execute(f"SELECT rowid, {columns} FROM posts_fts")}


def _check_0011(db: Path) -> None:
    """Every post indexed under 0011's key (its date, then its pk), with its values."""
    with sqlite3.connect(db) as conn:
        posts = conn.execute("SELECT pk, created_at, text, title, lang FROM posts").fetchall()
        expected = {_old_key(pk, at): index_values(t, ti, la) for pk, at, t, ti, la in posts}
        assert _stored_rows(conn) == expected
        assert len(expected) == N
        _searchable(conn, expected)
    conn.close()


def _searchable(conn: sqlite3.Connection, rows: dict[int, tuple[str, ...]]) -> None:
    """FTS5 finds by a word, a stem and a prefix the rows that hold them."""
    for column, term in ((0, "lyon"), (1, "technicien"), (0, "techn*")):
        name = search_sqlite.FTS_COLUMNS[column]
        match = f"{name} : {term}"
        found = {r for (r,) in conn.execute(_MATCH, (match,))}
        holding = {
            key
            for key, row in rows.items()
            if any(_is(word, term) for word in row[column].split(" "))
        }
        assert found == holding and holding, match


_MATCH = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?"


def _is(word: str, term: str) -> bool:
    return word.startswith(term[:-1]) if term.endswith("*") else word == term


def _check_0012(db: Path, keys: list[tuple[int, int]]) -> None:
    """Every post indexed under its compact key (the keys head gives), with its values, and
    every word of the word columns in ``posts_fts_words``."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, pk FROM posts_fts_key ORDER BY key").fetchall() == keys
        expected = {
            key: index_values(text, title, lang)
            for key, text, title, lang in conn.execute(
                "SELECT k.key, p.text, p.title, p.lang FROM posts p "
                "JOIN posts_fts_key k ON k.pk = p.pk"
            )
        }
        assert len(expected) == N
        assert _stored_rows(conn) == expected
        words = {w for row in expected.values() for c in (0, 3) for w in row[c].split(" ") if w}
        assert {w for (w,) in conn.execute("SELECT word FROM posts_fts_words")} == words
        _searchable(conn, expected)
    conn.close()


@pytest.mark.parametrize("how", ["veilleur", "alembic"])
def test_an_upgrade_stopped_at_0011_or_0012_leaves_a_whole_index(
    made: dict[str, Any],
    how: str,
    tmp_path: Path,
    analyses: list[int],
    heard: list[tuple[str, int, int]],
) -> None:
    """``migrations.upgrade(…, target)`` and Alembic's ``command.upgrade``: from 0010 to
    0012 (two revisions rebuilding the index, one filling it), to 0011, then on to head."""
    keys = sorted(made["reference"]["0010"]["posts_fts_key"])

    def upgrade(db: Path, target: str) -> None:
        engine = engines.create(db)
        with engine.connect() as core:
            if how == "veilleur":
                migrations.upgrade(core, target)
            else:
                command.upgrade(migrations.config(core), target)
        engine.dispose()

    db = _copy(made, "0010", tmp_path)
    upgrade(db, "0012")
    _at(db, "0012")
    _check_0012(db, keys)
    if how == "veilleur":  # one rebuild for two revisions (Alembic's own: one each)
        assert analyses[0] == N and heard == ONE_REBUILD

    db = _copy(made, "0010", tmp_path)
    upgrade(db, "0011")
    _at(db, "0011")
    _check_0011(db)
    with SQLiteStore(db) as store:  # from 0011 to head
        assert _answers(store) == made["answers"]
    assert _contents(db) == made["reference"]["0010"]


def _old_index_whole(db: Path) -> None:
    """The workspace is at 0010 with the index of 0004 it had: every post under its pk."""
    _at(db, "0010")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert (
            conn.execute("SELECT rowid FROM posts_fts ORDER BY rowid").fetchall()
            == conn.execute("SELECT pk FROM posts ORDER BY pk").fetchall()
        )
        posts = conn.execute("SELECT pk, text, title, lang FROM posts").fetchall()
        assert _stored_rows(conn) == {pk: index_values(t, ti, la) for pk, t, ti, la in posts}
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "posts_fts_key" not in names and "posts_fts_words" not in names
    conn.close()


def test_a_failing_upgrade_leaves_the_old_index_and_the_next_opening_upgrades(
    made: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _copy(made, "0010", tmp_path)
    calls = [0]

    def failing(text: str, title: str | None, lang: str | None) -> tuple[str, ...]:
        calls[0] += 1
        if calls[0] > N - 10:  # in the last batch of the filling revision
            raise RuntimeError("disk full, say")
        return index_values(text, title, lang)

    monkeypatch.setattr(search_sqlite, "index_values", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        SQLiteStore(db)
    _old_index_whole(db)
    monkeypatch.setattr(search_sqlite, "index_values", index_values)
    with SQLiteStore(db) as store:
        assert _answers(store) == made["answers"]
    assert _contents(db) == made["reference"]["0010"]


KILLED = """
import os, signal, sys
from veilleur.store import SQLiteStore, migrations

def listener(step, done, total):
    if done >= total:  # every post indexed, the transaction not committed yet
        print("killing", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

migrations.on_progress(listener)
SQLiteStore(sys.argv[1])
"""


def test_an_upgrade_killed_at_the_end_of_the_rebuild_leaves_the_old_index(
    made: dict[str, Any], tmp_path: Path
) -> None:
    db = _copy(made, "0010", tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED), str(db)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout == "killing\n"
    _old_index_whole(db)  # the three revisions rolled back together
    with SQLiteStore(db) as store:
        assert _answers(store) == made["answers"]
    assert _contents(db) == made["reference"]["0010"]
