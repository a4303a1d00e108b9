"""Collecting: which sources are due, one concurrent pass, or the daemon of ``veilleur run``.

Use cases of the ``veilleur.sources`` door. Collectors know nothing of what happens to
the posts they save: a caller passes ``hooks``, called with each saved batch (the watch
passes its alerts: :func:`veilleur.watch.collect`). Sources never import the watch.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

from veilleur.model import Post, utcnow
from veilleur.sources import registry
from veilleur.sources.daemon import CycleHook, run_until_signalled
from veilleur.sources.http import HostGate, HttpPolicy
from veilleur.sources.registry import SourceRecord
from veilleur.sources.runner import BatchHook, CollectReport, ProgressHook, Runner, due_sources
from veilleur.workspace import Workspace

BATCH_HOOKS: list[BatchHook] = []
"""Hooks every collection passes to the runner before the caller's own, in order; a module
that wants the new posts of every batch appends its function here."""


def select_sources(
    ws: Workspace, names: Sequence[str] | None = None, *, every: bool = False
) -> list[SourceRecord]:
    """The sources named (an unknown name is an error), else the due ones (``every``: all
    the enabled ones)."""
    store = ws.store
    if names:
        return registry.list_sources(store, names)
    records = registry.list_sources(store)
    return [r for r in records if r.enabled] if every else due_sources(records, utcnow())


def enabled_among(ws: Workspace, names: Sequence[str]) -> list[SourceRecord]:
    """The enabled sources among ``names`` (one removed or disabled since is left out),
    reading only their rows: a worker's job names a few sources among thousands."""
    return [r for r in registry.find_sources(ws.store, names) if r.enabled]


def runner(
    ws: Workspace,
    hooks: Sequence[BatchHook] = (),
    progress: ProgressHook | None = None,
    gate: HostGate | None = None,
) -> Runner:
    """A runner on the workspace's store and network settings, calling the hooks per batch
    (``gate``: per-host politeness shared with other processes, see ``veilleur.jobs``)."""
    chain = [*BATCH_HOOKS, *hooks]

    def on_batch(record: SourceRecord, posts: list[Post]) -> None:
        for hook in chain:
            hook(record, posts)

    return Runner(
        ws.store,
        HttpPolicy.from_workspace(ws),
        concurrency=ws.setting_int("network.sources_at_once") or 32,
        on_batch=on_batch,
        on_progress=progress,
        env=dict(os.environ),
        gate=gate,
    )


def collect(
    ws: Workspace,
    records: Sequence[SourceRecord],
    *,
    hooks: Sequence[BatchHook] = (),
    progress: ProgressHook | None = None,
    gate: HostGate | None = None,
) -> CollectReport:
    """Collect ``records`` once, concurrently; ``progress`` is told of each source done."""
    return asyncio.run(runner(ws, hooks, progress, gate).collect(list(records)))


def run(
    ws: Workspace,
    *,
    tick: float = 60.0,
    on_cycle: CycleHook | None = None,
    hooks: Sequence[BatchHook] = (),
    every_cycle: Callable[[], None] | None = None,
) -> int:
    """Collect on schedule until SIGTERM or SIGINT (the batch in hand is finished); cycles run.

    ``every_cycle`` runs after each look for due sources (``veilleur.jobs`` runs the other
    periodic steps there: publishing, alerts, the events' reminders)."""
    return run_until_signalled(
        runner(ws, hooks), tick=tick, on_cycle=on_cycle, every_cycle=every_cycle
    )
