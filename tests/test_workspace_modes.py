"""veilleur makes its own workspace folder private, and only that: naming an existing folder
of the user's (``-w ~/Documents``) must not change that folder's mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from veilleur.errors import UsageError
from veilleur.workspace import Workspace


def test_a_users_folder_keeps_its_mode(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    (documents / "lettre.txt").write_text("bonjour", encoding="utf-8")
    with Workspace(documents):  # created on purpose here (init): the folder keeps its mode
        pass
    assert stat.S_IMODE(documents.stat().st_mode) == 0o755


def test_a_users_folder_is_not_taken_for_a_workspace(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    documents.chmod(0o755)
    (documents / "lettre.txt").write_text("bonjour", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a veilleur workspace"):
        Workspace(documents, create=False)
    assert sorted(p.name for p in documents.iterdir()) == ["lettre.txt"]
    assert stat.S_IMODE(documents.stat().st_mode) == 0o755


def test_a_workspace_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "veille"
    with Workspace(folder) as ws:
        ws.store  # noqa: B018  (creates the database)
    folder.chmod(0o755)
    with Workspace(folder, create=False):
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
