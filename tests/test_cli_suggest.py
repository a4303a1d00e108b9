"""``Did you mean …?`` for a mistyped command or option, in the user's language (issue 20)."""

from __future__ import annotations

import pytest


def test_a_mistyped_command_gets_a_suggestion(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("serach", "emploi")
    assert result.code == 2
    # 'search' first (the closest); other close names (user) may follow it
    assert "No such command 'serach'. Did you mean 'search'" in result.err


def test_a_mistyped_subcommand_gets_a_suggestion_in_french(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    result = cli("queue", "lsit")
    assert result.code == 2
    assert "Vouliez-vous dire 'list'\u00a0?" in result.err


def test_a_word_like_no_command_gets_no_suggestion(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("zzzz")
    assert result.code == 2 and "Did you mean" not in result.err


def test_a_mistyped_option_gets_a_suggestion(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert "Did you mean --limit?" in cli("search", "x", "--limt", "3").err
    monkeypatch.setenv("VEILLEUR_LANG", "fr")
    assert "Vouliez-vous dire --limit\u202f?" in cli("search", "x", "--limt", "3").err
