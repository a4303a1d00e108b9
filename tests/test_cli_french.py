"""Under a French language every line the user reads is French: help of every command, usage
errors, errors raised in the pillars, table headers and messages (issue 13, issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer

from veilleur.cli.main import app

from .conftest import Result

# Words that only English uses: one of them in a French output is an untranslated message.
# (Words French shares — "source", "date", "type", "option", "file", "message" — are not in the
# list, nor words that are also values typed as they are: "text", "network", "account".)
ENGLISH = {
    "the", "and", "with", "is", "are", "not", "of", "this", "which", "your", "must", "give",
    "cannot", "found", "added", "removed", "unknown", "expected", "should", "there",
    "what", "when", "only", "every", "been", "nothing", "yet", "name", "accounts",
    "status", "author", "posts", "show", "exit", "error", "missing", "such", "command",
    "argument", "default", "required", "write", "read", "set", "none", "sent", "saved", "named",
    "shows",
}  # fmt: skip
# Names the user types in a French help as in an English one (queries, settings, examples).
ALLOWED = {"author", "status"}  # ``author:`` in queries, ``--status`` values


def english_words(text: str) -> set[str]:
    """The English-only words of ``text``, leaving out options, queries and code."""
    text = re.sub(r"--?[\w-]+|\b\w+:\S*|'[^']*'|`[^`]*`|https?://\S+|\S+\.\w{2,5}\b", " ", text)
    text = re.sub(r"\b[A-Z][A-Z_]+\b", " ", text)  # metavars: TEXT, COMMAND, FILE
    text = re.sub(r"veilleur( [a-z][\w-]*)+", " ", text)  # a command line: veilleur watch show
    text = re.sub(r"^Usage.*$", " ", text, flags=re.M)  # the command line, then its words
    text = re.sub(r"(?<![\w<])/\S+", " ", text)  # paths: /tmp/pytest-of-root/…
    text = re.sub(r'"[^"\n]*"', " ", text)  # literals: {"posts": …}
    text = re.sub(r"\S*[=|]\S*", " ", text)  # values: rule=off|error
    text = re.sub(r"^  (\w[\w-]*)", " ", text, flags=re.M)  # command names in a list
    return {w for w in re.findall(r"[a-z]+", text.lower())} & ENGLISH - ALLOWED


def _paths(command: click.Command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            found += _paths(sub, (*prefix, name))
    return found


COMMANDS = _paths(typer.main.get_command(app))


def _run(cli, monkeypatch: pytest.MonkeyPatch, lang: str, *args: str) -> Result:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VEILLEUR_LANG", lang)
    result: Result = cli(*args)
    return result


def test_the_command_list_covers_the_whole_tree() -> None:
    assert ("queue", "account", "add") in COMMANDS and ("init",) in COMMANDS
    assert len(COMMANDS) > 50


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "veilleur")
def test_every_help_is_french(cli, monkeypatch: pytest.MonkeyPatch, path: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    french = _run(cli, monkeypatch, "fr", *path, "--help")
    english = _run(cli, monkeypatch, "en", *path, "--help")
    assert french.code == english.code == 0
    assert english_words(english.out), "the detector must see English in the English help"
    assert english_words(french.out) == set(), french.out


# Commands that fail or print an empty table, each with what it meets.
CASES = {
    "usage error": ("search",),
    "unknown option": ("search", "x", "--limt", "3"),
    "unknown command": ("serach", "x"),
    "unknown source": ("collect", "nope"),
    "bad date": ("digest", "veille", "--since", "2026-13-45"),
    "bad period": ("audit", "-a", "x", "-p", "p.toml", "--since", "2026-05-02",
                   "--until", "2026-05-01"),
    "unknown watch": ("watch", "show", "nope"),
    "unknown setting": ("config", "get", "smtp.hots"),
    "bad setting": ("config", "set", "network.timeout", "soon"),
    "unknown network": ("text", "count", "-n", "myspace", "bonjour"),
    "no profile": ("audit", "-a", "x", "-p", "absent.toml"),
    "empty queue": ("queue", "list"),
    "empty accounts": ("queue", "account", "list"),
    "empty alerts": ("alert", "list"),
    "empty watches": ("watch", "list"),
    "empty relays": ("relay", "list"),
    "settings": ("config", "list"),
    "nothing due": ("publish", "--due"),
    "no sources": ("source", "list"),
    "empty workspace": ("stats",),
    "bad mastodon source": ("source", "add", "mastodon", "--instance", "ftp://x", "--tag", "a"),
    "nothing to compose": ("compose", " "),
}  # fmt: skip


@pytest.mark.parametrize("args", CASES.values(), ids=CASES.keys())
def test_messages_errors_and_tables_are_french(
    cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    english = _run(cli, monkeypatch, "en", *args)
    french = _run(cli, monkeypatch, "fr", *args)
    assert french.code == english.code
    shown_en = english.out + english.err
    shown_fr = french.out + french.err
    assert shown_fr.strip(), "the command says something"
    assert english_words(shown_en), f"no English detected in: {shown_en}"
    assert english_words(shown_fr) == set(), shown_fr


def test_a_french_locale_gives_french_errors(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("VEILLEUR_LANG")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    done = cli("collect", "nope")
    assert done.code == 2
    assert "source inconnue nope" in done.err
