"""``veilleur run``: collect on schedule until stopped.

Each cycle collects the sources that are due (each has its own interval, see
:mod:`veilleur.sources.schedule`), then sleeps until the next one is due. SIGTERM or
Ctrl-C ask for a clean stop: no new source starts, the sources being collected finish and
are saved, and the daemon exits with status 0. A second signal stops at once; what was
committed stays committed and nothing is half-written (each source is one transaction).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from datetime import datetime

from veilleur.model import utcnow
from veilleur.sources.registry import list_sources
from veilleur.sources.runner import CollectReport, Runner, due_sources
from veilleur.store import SQLiteStore

CycleHook = Callable[[CollectReport], None]
log = logging.getLogger(__name__)


def seconds_to_next(store: SQLiteStore, now: datetime, tick: float) -> float:
    """Sleep until the earliest due source, but at least 1 s and at most ``tick``."""
    dues = [r.next_due() for r in list_sources(store) if r.enabled]
    if any(d is None for d in dues):
        return 1.0
    known = [d for d in dues if d is not None]
    if not known:
        return tick
    return max(1.0, min(tick, (min(known) - now).total_seconds()))


async def run_daemon(
    runner: Runner,
    stop: asyncio.Event,
    *,
    tick: float = 60.0,
    on_cycle: CycleHook | None = None,
    every_cycle: Callable[[], None] | None = None,
) -> int:
    """Collect due sources until ``stop`` is set; returns the number of cycles that ran.

    ``every_cycle`` (the other periodic steps of ``veilleur run``: publishing, alerts, the
    events' reminders) runs after each look for due sources, in a thread so that a signal
    still stops the loop."""
    store = runner.store
    cycles = 0
    while not stop.is_set():
        records = due_sources(list_sources(store), utcnow())
        if records:
            report = await runner.collect(records, stop)
            cycles += 1
            if on_cycle is not None:
                on_cycle(report)
        if every_cycle is not None and not stop.is_set():
            await asyncio.to_thread(every_cycle)
        if stop.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds_to_next(store, utcnow(), tick))
    return cycles


def run_until_signalled(
    runner: Runner,
    *,
    tick: float = 60.0,
    on_cycle: CycleHook | None = None,
    every_cycle: Callable[[], None] | None = None,
) -> int:
    """Run :func:`run_daemon` with SIGTERM/SIGINT wired to a clean stop."""

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()

        def on_signal() -> None:
            if stop.is_set() and task is not None:
                task.cancel()  # second signal: stop now
            stop.set()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, on_signal)
        return await run_daemon(runner, stop, tick=tick, on_cycle=on_cycle, every_cycle=every_cycle)

    return asyncio.run(main())
