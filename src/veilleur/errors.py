"""Errors every layer raises; the CLI turns them into a message and an exit status.

Exit statuses follow one rule across commands: 1 when the input was partly bad (some
records rejected, a lint error), 2 when the command itself could not run as asked.
"""

from __future__ import annotations


class VeilleurError(Exception):
    """Base class: its message is written for the user, in plain words."""

    exit_code = 2


class UsageError(VeilleurError):
    """The command was asked for something it cannot do (bad option, unknown key)."""

    exit_code = 2


class InputError(VeilleurError):
    """A file or payload is not what it claims to be. ``where`` names file:line:column."""

    exit_code = 2

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class MissingExtra(UsageError):
    """A feature needs an optional part of veilleur that is not installed (``pip install``
    names it: ``veilleur[pdf]``, ``veilleur[embeddings]``)."""

    exit_code = 2

    def __init__(self, feature: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional extra '{extra}', which is not installed. "
            f"Install it with: pip install 'veilleur[{extra}]' "
            f"(in a clone: .venv/bin/pip install -e '.[{extra}]')"
        )
