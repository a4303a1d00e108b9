"""The networks layer stays at the bottom: collectors and importers both read it, and it
reads nothing above ``model`` (so neither runs back up into the other)."""

from __future__ import annotations

import ast
from pathlib import Path

import veilleur

SRC = Path(veilleur.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("veilleur")}


def _package_imports(package: str) -> dict[str, set[str]]:
    return {p.name: _imports(p) for p in sorted((SRC / package).glob("*.py"))}


def test_networks_import_only_model_errors_and_themselves() -> None:
    # i18n (the messages' language) reads nothing of veilleur: a leaf every layer may use.
    assert _imports(SRC / "i18n.py") == set()
    allowed = ("veilleur.model", "veilleur.errors", "veilleur.i18n", "veilleur.networks")
    wrong = {
        module: sorted(n for n in names if not n.startswith(allowed))
        for module, names in _package_imports("networks").items()
    }
    assert {m: n for m, n in wrong.items() if n} == {}
    registry = _imports(SRC / "networks" / "registry.py")
    assert registry <= {
        "veilleur.errors",
        "veilleur.i18n",
    }  # pure data: model and text/ may read it


def test_collectors_and_importers_do_not_import_each_other() -> None:
    sources = {m: sorted(n for n in names if n.startswith("veilleur.imports"))
               for m, names in _package_imports("sources").items()}  # fmt: skip
    imports = {m: sorted(n for n in names if n.startswith("veilleur.sources"))
               for m, names in _package_imports("imports").items()}  # fmt: skip
    assert {m: n for m, n in sources.items() if n} == {}
    assert {m: n for m, n in imports.items() if n} == {}
