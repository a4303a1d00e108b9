"""What a clone must not carry: virtualenvs, caches, copies of ../shared."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import ROOT


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to check")
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return out.splitlines()


def test_no_virtualenv_or_cache_is_tracked() -> None:
    bad = [
        path
        for path in _tracked()
        if path.split("/")[0] in {".venv", "venv", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
        or "__pycache__" in path
        or path.endswith(".pyc")
        # Databases belong to one machine, except those kept on purpose as test fixtures
        # (a workspace written by an earlier release, to test the upgrade).
        or (path.endswith((".sqlite", ".sqlite-wal")) and not path.startswith("tests/fixtures/"))
    ]
    assert bad == [], f"tracked files that belong to one machine: {bad}"


def test_shared_data_is_read_in_place_not_copied() -> None:
    shared_names = {
        "extract.yml", "tlds.yml", "validate.yml", "twitwi-bluesky-posts.json",
        "miniflux-large_atom.xml", "miniflux-large_rss.xml", "miniflux-rdf_UTF8.xml",
        "miniflux-encoding_WINDOWS-1251.xml", "miniflux-no_encoding_ISO-8859-1.xml",
    }  # fmt: skip
    copied = [path for path in _tracked() if path.rsplit("/", 1)[-1] in shared_names]
    assert copied == [], f"copies of ../shared in the repo: {copied}"
