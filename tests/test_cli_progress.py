"""Progress bars: on standard error, only on a terminal, only once the work has run for two
seconds (``collect``, ``audit``, ``digest``)."""

from __future__ import annotations

import io
import time

from rich.console import Console

from veilleur.cli import progress
from veilleur.cli.progress import late_progress


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=80), buffer


def test_a_long_work_shows_its_bar_after_the_delay() -> None:
    console, buffer = _terminal()
    with late_progress("Collecte", total=3, delay=0.05, console=console, enabled=True) as bar:
        bar.advance(1, "source-a")
        # The bar comes from a timer thread: on a loaded machine it may take longer than
        # the delay to run, so wait for it (the bound only keeps a broken bar from hanging).
        deadline = time.monotonic() + 60
        while not bar.shown and time.monotonic() < deadline:
            time.sleep(0.02)
        assert bar.shown
        bar.advance(2)
    assert "source-a" in buffer.getvalue()


def test_a_quick_work_shows_no_bar() -> None:
    console, buffer = _terminal()
    with late_progress("Collecte", total=3, delay=5, console=console, enabled=True) as bar:
        bar.advance(3)
    assert not bar.shown and buffer.getvalue() == ""


def test_no_bar_when_standard_error_is_not_a_terminal() -> None:
    console, buffer = _terminal()
    with late_progress("Collecte", total=3, delay=0, console=console) as bar:  # pytest: no tty
        time.sleep(0.1)
        bar.advance(3)
    assert not bar.enabled and not bar.shown and buffer.getvalue() == ""


def test_the_delay_is_two_seconds() -> None:
    assert progress.DELAY == 2.0
