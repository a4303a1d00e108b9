"""``Did you mean …?`` for a mistyped command, in the user's language.

click 8.1 already suggests options (``--limt`` → ``--limit``, its words go through our
catalogue); for commands it only says "No such command". Every group of the command line is
built with :class:`Group` (``typer.Typer(cls=Group)``), which adds the closest names.
"""

from __future__ import annotations

import difflib

import click
import typer.core

from veilleur.i18n import t


def close_names(name: str, known: list[str]) -> list[str]:
    """The known names that look like ``name`` (a typo, a swapped letter), best first."""
    return difflib.get_close_matches(name, known, n=3, cutoff=0.6)


class Group(typer.core.TyperGroup):
    """A command group whose "No such command" names the commands the user may have meant."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            matches = close_names(name, self.list_commands(ctx)) if name else []
            if matches:
                names = ", ".join(f"'{m}'" for m in matches)
                exc.message = f"{exc.message} " + t("Did you mean {names}?", names=names)
            raise
