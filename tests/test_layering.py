"""The layers DESIGN.md draws: SQL and the database driver live in ``store/`` and in the
pillars' ``tables.py``, nowhere else (issue 13).

A pillar that needs a row calls a named function of its ``tables.py`` with the store or a
transaction; it does not import the driver, run statements or reach for ``store.conn``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "src" / "veilleur"

DRIVERS = {"sqlite3", "sqlalchemy"}
STATEMENT_CALLS = {"execute", "executemany", "executescript"}

# Files that other helpers of issue 13 are converting at the same time as this test was
# written (helper `doors`: watch/__init__.py's demo code and cli/; helper `store`:
# advise/evidence.py and query/sqlite.py). The lead empties this list once their branches
# are merged; do not add to it.
ALLOWED = {
    "advise/evidence.py",
    "query/sqlite.py",
}


def violations(source: str) -> list[str]:
    """What in ``source`` speaks to the database directly, as ``line: what``, in order."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, f"import {a.name}")
                for a in node.names
                if a.name.split(".")[0] in DRIVERS
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] in DRIVERS:
                found.append((node.lineno, f"from {node.module} import"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STATEMENT_CALLS
        ):
            found.append((node.lineno, f".{node.func.attr}(…)"))
        if isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append((node.lineno, ".conn"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def _checked_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "store" and path.name != "tables.py"
    ]


def test_sql_stays_in_store_and_the_pillars_tables() -> None:
    modules = _checked_modules()
    assert len(modules) > 100, "the package was not found where the test looks"
    offenders = {
        rel: found
        for path in modules
        if (rel := path.relative_to(PACKAGE).as_posix()) not in ALLOWED
        and (found := violations(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, (
        "SQL or the driver outside store/ and the pillars' tables.py — move the statement "
        f"into the pillar's tables.py and call it by name: {offenders}"
    )


def test_every_kind_of_direct_database_use_is_seen() -> None:
    source = "\n".join(
        [
            "import sqlite3",
            "import sqlalchemy.sql as sa",
            "from sqlalchemy import select",
            "rows = store.conn",
            "tx.execute('DELETE FROM posts')",
            "tx.executemany('INSERT INTO t VALUES (?)', [(1,)])",
            "from veilleur.watch import tables",
            "tables.save_stories(tx, clusterer, [], set())",
            "self.db = db",
        ]
    )
    assert violations(source) == [
        "1: import sqlite3",
        "2: import sqlalchemy.sql",
        "3: from sqlalchemy import",
        "4: .conn",
        "5: .execute(…)",
        "6: .executemany(…)",
    ]
