"""Every command documents itself, and docs/cli.md is the CLI's current help."""

from __future__ import annotations

import typer

from veilleur.cli.docs import commands, readme_with_summary, render
from veilleur.cli.main import app

from .conftest import ROOT


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    missing = [name for name, command in commands(root) if not (command.help or "").strip()]
    assert missing == [], f"commands without help text: {missing}"


def test_every_option_and_argument_has_help_text() -> None:
    root = typer.main.get_command(app)
    missing = [
        f"{name} {param.name}"
        for name, command in commands(root)
        for param in command.params
        if param.param_type_name == "option"
        and not getattr(param, "help", None)
        and param.name not in {"help", "install_completion", "show_completion"}
    ]
    assert missing == [], f"options without help text: {missing}"


def test_docs_cli_md_is_up_to_date() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), "docs/cli.md is out of date: run `make docs`"


def test_readme_command_table_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == readme_with_summary(readme), "README.md's command table is stale: make docs"
