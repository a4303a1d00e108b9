"""A search index built with other text rules is detected on opening and rebuilt by
``veilleur reindex`` (issue 19; NOTES.md "Stale index")."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from veilleur.model import Post
from veilleur.query import parse
from veilleur.query.analysis import RULES_VERSION
from veilleur.store import SearchError, SQLiteStore
from veilleur.store.search_sqlite import RULES_SETTING, indexed_rows


def _import(cli: Any, tmp_path: Path, count: int = 30) -> None:
    path = tmp_path / "p.jsonl"
    records = (
        {"id": str(i), "network": "mastodon", "author": "a", "text": f"L'emploi à Lyon n°{i}",
         "created_at": "2026-01-01T00:00:00Z"}
        for i in range(count)
    )  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert cli("import", "jsonl", str(path)).code == 0


def _set_rules(db: Path, value: str | None) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (RULES_SETTING,))
        if value is not None:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (RULES_SETTING, value))
    conn.close()


def test_a_new_store_records_the_rules_of_its_index(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.sqlite") as store:
        assert store.get_setting(RULES_SETTING) == RULES_VERSION
        assert not store.search_index.stale


def test_a_workspace_from_before_the_setting_is_read_as_version_1(tmp_path: Path) -> None:
    empty, full = tmp_path / "empty.sqlite", tmp_path / "full.sqlite"
    with SQLiteStore(empty), SQLiteStore(full) as store:
        store.write_posts(
            [Post(id="1", network="x", author="a", text="emploi", created_at=datetime.now(UTC))]
        )
    _set_rules(empty, None)
    _set_rules(full, None)
    with SQLiteStore(empty) as store:
        assert store.get_setting(RULES_SETTING) == RULES_VERSION  # no posts: today's rules
    with SQLiteStore(full) as store:
        assert store.search_index.built_with == "1"
        assert store.get_setting(RULES_SETTING) is None  # opening writes nothing


def test_a_stale_index_is_refused_then_rebuilt_by_reindex(cli: Any, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    db = tmp_path / "ws" / "veilleur.sqlite"
    _set_rules(db, "0")
    with sqlite3.connect(db) as conn:  # an index made by other rules: emptied here
        conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')")
    conn.close()
    with SQLiteStore(db) as store:
        assert store.search_index.stale
        with pytest.raises(SearchError, match="veilleur reindex"):
            store.search(parse("emploi").root)
    refused = cli("search", "emploi")
    assert refused.code == 2
    assert "veilleur reindex" in refused.err and "version 0" in refused.err
    done = cli("reindex")
    assert done.code == 0, done.err
    assert "30" in done.out
    with SQLiteStore(db) as store:
        assert store.get_setting(RULES_SETTING) == RULES_VERSION
        assert len(store.search(parse("emploi NEAR/2 lyon").root, limit=None)) == 30
        assert store.count_matches(parse("lyon -emploi").root) == 0


def test_reindex_gives_the_index_the_import_made(cli: Any, tmp_path: Path) -> None:
    _import(cli, tmp_path, count=12)
    db = tmp_path / "ws" / "veilleur.sqlite"

    def rows() -> list[tuple[Any, ...]]:
        # The rows as the index holds them (rowid and column values read from its terms
        # and positions: the table keeps no copy of the values).
        with sqlite3.connect(db) as conn:
            found = sorted((rowid, *values) for rowid, values in indexed_rows(conn).items())
        conn.close()
        assert len(found) == 12 and any(row[1] for row in found)
        return found

    before = rows()
    assert cli("reindex").code == 0
    assert rows() == before
