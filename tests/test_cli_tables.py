"""``queue list`` and ``source list`` readable in an 80-column terminal: every line fits, and
nothing a user types or reads (a source's name, an error) is cut with an ellipsis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from veilleur.cli.context import out
from veilleur.workspace import Workspace


@pytest.fixture(autouse=True)
def _eighty_columns() -> Iterator[None]:
    width = out.width
    out.width = 80
    yield
    out.width = width


def _column(table: str, header: str, next_header: str | None) -> str:
    """The text of one column, its folded pieces joined (the table has no vertical rules)."""
    lines = table.splitlines()
    head = next(i for i, line in enumerate(lines) if f" {header} " in f" {line} ")
    start = lines[head].index(header)
    end = lines[head].index(next_header) if next_header else None
    return "".join(line[start:end].strip() for line in lines[head + 2 :])


def test_source_list_fits_80_columns_and_cuts_nothing(
    cli, tmp_path: Path, httpserver: HTTPServer
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=410)
    with Workspace(tmp_path / "ws") as ws:
        ws.set_setting("network.allow_private", "true")
        ws.set_setting("network.retries", "0")
    name = "flux-rss-du-magazine-de-psychologie-le-cercle-psy"
    url = httpserver.url_for("/gone.xml")
    assert cli("source", "add", "rss", url, "--no-check", "--name", name).code == 0
    assert cli("collect").code == 1
    table = cli("source", "list").out
    assert max(len(line) for line in table.splitlines()) <= 80, table
    assert "…" not in table
    assert _column(table, "name", "type") == name
    error = _column(table, "last error", "posts")
    assert f"{url}:HTTP410Gone" in error.replace(" ", "")  # whole, folded over lines


def test_queue_list_fits_80_columns(cli) -> None:  # type: ignore[no-untyped-def]
    long_link = "https://exemple.fr/atelier-veille-2027?utm=lettre"  # the text: 60 at most
    assert cli("queue", "add", "-n", "linkedin", f"Atelier {long_link}", "--draft").code == 0
    assert cli("queue", "add", "-n", "x", "Court", "--draft").code == 0
    table = cli("queue", "list").out
    assert max(len(line) for line in table.splitlines()) <= 80, table
    rows = [line.split() for line in table.splitlines() if line.strip()[:1].isdigit()]
    assert [row[:3] for row in rows] == [["1", "draft", "linkedin"], ["2", "draft", "x"]]
    assert f"Atelier{long_link}" in _column(table, "text", "url / error")  # folded, not cut
