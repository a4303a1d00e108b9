"""``veilleur search`` speaks the query language; ``veilleur watch`` saves queries."""

from __future__ import annotations

from pathlib import Path

import orjson

POSTS = [
    {"id": "1", "network": "mastodon", "author": "marie", "lang": "fr",
     "created_at": "2024-03-01T09:00:00Z", "text": "Salon de l'emploi à Lyon #recrutement"},
    {"id": "2", "network": "x", "author": "paul", "lang": "fr",
     "created_at": "2024-03-02T09:00:00Z", "text": "Nos offres de stage sont en ligne"},
    {"id": "3", "network": "bluesky", "author": "jane", "lang": "en",
     "created_at": "2024-03-03T09:00:00Z", "text": "Jobs fair in Lyon: employers are hiring"},
]  # fmt: skip


def _import(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "posts.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(p) for p in POSTS) + b"\n")
    assert cli("import", "jsonl", str(source)).code == 0


def test_search_speaks_the_language(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import(cli, tmp_path)
    result = cli("search", "lyon -hiring", "--format", "ids")
    assert (result.code, result.out.split()) == (0, ["1"])
    result = cli("search", "(emploi OR stage) lang:fr", "--format", "ids")
    assert result.out.split() == ["2", "1"]  # newest first
    result = cli("search", "lyon", "--format", "ids", "--limit", "1")
    assert result.out.split() == ["3"]


def test_search_explain_prints_the_normalised_query_and_sql(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import(cli, tmp_path)
    result = cli("search", "Emploi -stage lang:fr", "--explain")
    assert result.code == 0
    assert "emploi AND NOT stage AND lang:fr" in result.out
    assert "posts_fts MATCH" in result.out and "SELECT" in result.out


def test_a_bad_query_exits_2_with_the_column_and_no_traceback(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("search", "recrutement (a OR b")
    assert result.code == 2
    assert "unclosed parenthesis at column 13" in result.err
    assert "recrutement (a OR b\n" in result.err and "            ^" in result.err
    assert "Traceback" not in result.err + result.out
    result = cli("search", "since:2016-13-45")
    assert (result.code, "invalid date '2016-13-45' at column 7" in result.err) == (2, True)


def test_watch_add_list_show_rm(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import(cli, tmp_path)
    added = cli("watch", "add", "lyon", "lyon -stage", "--description", "Lyon jobs")
    assert added.code == 0 and "lyon AND NOT stage" in added.out
    assert cli("watch", "add", "lyon", "autre").code == 2  # the name is taken
    assert cli("watch", "add", "lyon", "lyon OR paris", "--replace").code == 0
    assert cli("watch", "add", "cassé", "(a OR").code == 2  # checked before it is saved
    listed = cli("watch", "list")
    assert "lyon OR paris" in listed.out and "cassé" not in listed.out
    shown = cli("watch", "show", "lyon", "--format", "ids")
    assert shown.out.split() == ["3", "1"]
    shown = cli("watch", "show", "lyon", "--format", "jsonl", "--limit", "1")
    assert [orjson.loads(line)["id"] for line in shown.out.splitlines()] == ["3"]
    assert cli("watch", "rm", "lyon").code == 0
    assert cli("watch", "show", "lyon").code == 2
    assert cli("watch", "rm", "lyon").code == 2
    assert "No watch yet" in cli("watch", "list").out
