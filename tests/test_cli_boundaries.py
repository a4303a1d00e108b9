"""The command line goes only through the pillars' front doors.

A module under ``src/veilleur/cli/`` may import a pillar's package (``veilleur.watch``) and
only the names in its ``__all__``, never a module below it (``veilleur.watch.digest``), and
otherwise only the shared modules every layer speaks (model, errors, workspace…). A web
front end built on the same doors then has nothing to copy from the CLI.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = Path(__file__).parent.parent / "src" / "veilleur" / "cli"
PILLARS = {
    "watch", "audit", "advise", "publish", "sources", "imports", "query", "text", "store",
    "events", "networks", "jobs", "accounts", "web",
}  # fmt: skip
SHARED = {"model", "errors", "workspace", "settings", "i18n", "report", "profile"}


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every import, at module level or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, [a.name for a in node.names]


def violations(source: str) -> list[str]:
    """What ``source`` (a CLI module's text) imports that a front end must not."""
    found = []
    for line, module, names in _imports(ast.parse(source)):
        parts = module.split(".")
        if parts[0] != "veilleur" or module.startswith("veilleur.cli"):
            continue
        if module == "veilleur":
            for name in names:
                if name not in PILLARS | SHARED | {"__version__"}:
                    found.append(f"line {line}: from veilleur import {name}")
            continue
        top = parts[1]
        if len(parts) > 2 and top in PILLARS:
            found.append(f"line {line}: {module} is below the door of veilleur.{top}")
        elif top in PILLARS:
            public = set(importlib.import_module(module).__all__)
            found += [f"line {line}: {module}.{n} is not in its __all__" for n in names
                      if n not in public]  # fmt: skip
        elif top not in SHARED:
            found.append(f"line {line}: {module} is neither a door nor a shared module")
    return found


@pytest.mark.parametrize("path", sorted(CLI.glob("**/*.py")), ids=lambda p: p.name)
def test_cli_module_uses_only_doors(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_imports_below_a_door() -> None:
    source = (
        "from veilleur.watch.digest import build_digest\n"
        "from veilleur.sources import registry\n"
        "def f():\n"
        "    import veilleur.publish.queue\n"
        "from veilleur.watch import build_digest\n"
        "from veilleur.model import Post\n"
    )
    assert violations(source) == [
        "line 1: veilleur.watch.digest is below the door of veilleur.watch",
        "line 2: veilleur.sources.registry is not in its __all__",
        "line 4: veilleur.publish.queue is below the door of veilleur.publish",
    ]
