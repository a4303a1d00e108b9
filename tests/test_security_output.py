"""What veilleur writes for people and spreadsheets (issue 14): no terminal escape from a
post reaches the terminal, no CSV cell runs as a formula, XML stays XML."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from veilleur.model import Post
from veilleur.report.safety import csv_cell, strip_controls
from veilleur.workspace import Workspace

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "@SUM(1+1)",
            "+1+1", "-2+3", "\t=1+1", "\r=1+1"]  # fmt: skip


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_cell_neutralises_formulas(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


def test_csv_cell_leaves_plain_values() -> None:
    assert [csv_cell(v) for v in ("Bonjour", "", 12, None, "a=b")] == [
        "Bonjour",
        "",
        12,
        None,
        "a=b",
    ]


def test_strip_controls_keeps_tab_and_newline() -> None:
    assert (
        strip_controls("a\tb\nc\r\nd\x1b]0;pwned\x07e\x1b[2J\x00\x9b") == "a\tb\nc\nd]0;pwnede[2J"
    )


def _store_posts(tmp_path: Path) -> None:
    t0 = datetime(2026, 11, 30, 10, tzinfo=UTC)
    posts = [
        Post(f"p{i}", "mastodon", f"auteur{i}", f"{cell} recrutement", t0, url=None)
        for i, cell in enumerate(FORMULAS)
    ]
    posts.append(Post("esc", "mastodon", "\x1b]0;owned\x07evil", "recrutement \x1b[2J ici", t0))
    posts.append(Post("formula-author", "mastodon", "=1+2", "=SUM(A1) recrutement", t0))
    with Workspace(tmp_path / "ws") as ws:
        ws.store.write_posts(posts)


def test_search_csv_neutralises_formulas(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _store_posts(tmp_path)
    res = cli("search", "recrutement", "-f", "csv", "--limit", "100")
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert len(rows) == len(FORMULAS) + 2
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    by_id = {r["id"]: r for r in rows}
    assert by_id["formula-author"]["author"] == "'=1+2"
    assert by_id["formula-author"]["text"] == "'=SUM(A1) recrutement"


def test_search_table_prints_no_terminal_escape(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _store_posts(tmp_path)
    res = cli("search", "recrutement", "--limit", "100")
    assert res.code == 0, res.err
    assert "\x1b" not in res.out and "\x07" not in res.out
    assert "evil" in res.out  # the rest of the name is shown


def test_search_table_prints_post_text_without_markup(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t0 = datetime(2026, 11, 30, 10, tzinfo=UTC)
    with Workspace(tmp_path / "ws") as ws:
        ws.store.write_posts([Post("m", "mastodon", "a", "recrutement [bold]gras[/bold]", t0)])
    res = cli("search", "recrutement")
    assert "[bold]gras[/bold]" in res.out


def test_queue_export_neutralises_formulas(cli) -> None:  # type: ignore[no-untyped-def]
    for text in ('=HYPERLINK("http://evil.example","clic")', "@SUM(1+1) bonjour"):
        assert cli("queue", "add", text, "--network", "x").code == 0
    for layout in ("hootsuite", "buffer"):
        res = cli("queue", "export", "--layout", layout)
        assert res.code == 0, res.err
        cells = [c for row in csv.reader(io.StringIO(res.out)) for c in row]
        assert '\'=HYPERLINK("http://evil.example","clic")' in cells
        assert "'@SUM(1+1) bonjour" in cells
        assert not any(c.startswith(("=", "@", "+", "-")) for c in cells)
