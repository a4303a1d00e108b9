"""What every command shares: the workspace chosen on the command line, and the consoles."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:  # the store loads SQLAlchemy: `veilleur --help` must not
    from veilleur.workspace import Workspace

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass(slots=True)
class State:
    workspace_path: Path | None = None
    _workspace: Workspace | None = None

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from veilleur.cli.progress import revision_progress
            from veilleur.store import on_progress
            from veilleur.workspace import Workspace

            on_progress(revision_progress())  # a revision rebuilding the index shows a bar
            self._workspace = Workspace(self.workspace_path, create=False)
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def workspace(ctx: typer.Context) -> Workspace:
    return state(ctx).workspace()


def progress_wanted() -> bool:
    """Progress bars only on a terminal: piped output stays clean."""
    return sys.stderr.isatty()


def short_time(stamp: str) -> str:
    """A stored UTC time (``2026-05-01T08:30:00Z``) as a table shows it: ``2026-05-01 08:30``."""
    return stamp.replace("T", " ")[:16] if len(stamp) >= 16 and stamp[10:11] == "T" else stamp
