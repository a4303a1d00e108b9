"""Progress bars for work that takes a while: on standard error, only on a terminal, and only
once the work has run for :data:`DELAY` seconds (a quick command prints no bar at all).

``with late_progress(t("Collecting"), total=n) as bar: … bar.advance()``: the bar is
transient (it disappears when the work ends) and piped output stays clean.
"""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from veilleur.cli.context import err, progress_wanted
from veilleur.i18n import t

DELAY = 2.0  # seconds of work before a bar appears


class late_progress:
    """A bar that appears after ``delay`` seconds of work (``total=None``: no known end)."""

    def __init__(
        self,
        description: str,
        total: float | None = None,
        *,
        delay: float | None = None,
        console: Console | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.enabled = progress_wanted() if enabled is None else enabled
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console or err,
            transient=True,
        )
        self._task = self._progress.add_task(description, total=total)
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._timer = threading.Timer(DELAY if delay is None else delay, self._start)
        self._timer.daemon = True

    def _start(self) -> None:
        with self._lock:
            if not self._closed:
                self._progress.start()
                self._started = True

    @property
    def shown(self) -> bool:
        """Whether the bar has appeared (the work ran longer than the delay)."""
        return self._started

    def advance(self, amount: float = 1, description: str | None = None) -> None:
        if description is None:
            self._progress.update(self._task, advance=amount)
        else:
            self._progress.update(self._task, advance=amount, description=description)

    def __enter__(self) -> late_progress:
        if self.enabled:
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._closed = True
            self._timer.cancel()
            if self._started:
                self._progress.stop()


class revision_progress:
    """A listener for :func:`veilleur.store.migrations.on_progress`: a late bar while a
    revision rebuilds the search index of an existing workspace (revision 0011)."""

    def __init__(self) -> None:
        self._bar: late_progress | None = None
        self._done = 0

    def __call__(self, step: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = late_progress(
                t("Upgrading the search index (once, after this upgrade)"), total=total
            ).__enter__()
            self._done = 0
        self._bar.advance(done - self._done)
        self._done = done
        if done >= total:
            self._bar.__exit__(None, None, None)
            self._bar = None
