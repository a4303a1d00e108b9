"""An explicit ``veilleur init``: other commands refuse a workspace folder that does not exist
(they used to create a mistyped path and report an empty workspace); ``demo`` and ``init``
create it."""

from __future__ import annotations

from pathlib import Path

import pytest

from veilleur.cli.main import execute


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = execute(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_missing_workspace_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "ws"
    code, _, err = _run(capsys, "-w", str(missing), "stats")
    assert code == 2
    assert f"veilleur init {missing}" in err
    assert not (tmp_path / "nonexistent").exists()


def test_the_refusal_is_french_under_a_french_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    code, _, err = _run(capsys, "-w", str(tmp_path / "absent"), "source", "list")
    assert code == 2
    assert "aucun espace de travail" in err and "veilleur init" in err


def test_the_default_workspace_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLEUR_WORKSPACE", str(tmp_path / "env-ws"))
    code, _, err = _run(capsys, "watch", "list")
    assert code == 2 and "veilleur init" in err
    assert not (tmp_path / "env-ws").exists()


def test_init_creates_the_folder_and_database_then_commands_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "ws"
    code, out, _ = _run(capsys, "init", str(target))
    assert code == 0 and "Workspace created" in out
    assert (target / "veilleur.sqlite").is_file()
    code, out, _ = _run(capsys, "init", str(target))
    assert code == 0 and "already there" in out
    code, out, _ = _run(capsys, "-w", str(target), "stats")
    assert code == 0 and "empty" in out


def test_init_without_a_folder_uses_the_workspace_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "chosen"
    code, _, _ = _run(capsys, "-w", str(target), "init")
    assert code == 0 and (target / "veilleur.sqlite").is_file()


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "init", str(target))
    assert code == 2 and "not a folder" in err


def test_a_folder_of_other_files_is_not_made_a_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "lettre.txt").write_text("bonjour", encoding="utf-8")
    for command in (["stats"], ["search", "emploi"], ["advise", "--demo", "--evidence"]):
        code, _, err = _run(capsys, "-w", str(documents), *command)
        assert not (documents / "veilleur.sqlite").exists(), command
        if command[0] != "advise":  # advice without evidence needs no workspace
            assert code == 2 and "is not a veilleur workspace" in err, err
            assert f"veilleur init {documents}" in err
    # an empty folder made for the workspace is one (its database comes on first use)
    empty = tmp_path / "veille"
    empty.mkdir()
    code, _, _ = _run(capsys, "-w", str(empty), "stats")
    assert code == 0 and (empty / "veilleur.sqlite").is_file()
