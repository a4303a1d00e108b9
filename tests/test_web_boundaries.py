"""The web workbench, like the command line, goes only through the pillars' doors: no
module of ``src/veilleur/web/`` imports below a door, so no rule can hide in a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli_boundaries import violations

WEB = Path(__file__).parent.parent / "src" / "veilleur" / "web"


@pytest.mark.parametrize("path", sorted(WEB.glob("**/*.py")), ids=lambda p: p.name)
def test_web_module_uses_only_doors(path: Path) -> None:
    found = violations(path.read_text(encoding="utf-8"))
    # its own modules, and the lazy exports of its own door
    assert [v for v in found if "veilleur.web" not in v and "veilleur.lazy" not in v] == []


def test_the_web_modules_are_found() -> None:
    assert len(list(WEB.glob("pages/*.py"))) >= 6
