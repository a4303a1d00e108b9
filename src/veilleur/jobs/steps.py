"""The periodic steps: one registry that ``veilleur run`` and ``veilleur scheduler`` both read.

A step says which jobs are due now (``due``: keys, e.g. the names of the sources due) and
does some of them (``run``). ``veilleur run`` (the embedded default, one process) runs each
step's due jobs itself at every cycle; ``veilleur scheduler`` enqueues one message per due
job (or batch of jobs) and the workers of ``veilleur worker`` run them — the same ``run``
functions in both modes. Every job is claimed first (:mod:`veilleur.jobs.tables`), so that
one job never runs twice at once, whoever started it.

A pillar adds its step with :func:`register_step` (the events pillar's, in
:mod:`veilleur.events.reminders`)::

    register_step(Step("events", due=due, run=run, rest=30))

and names its module in :data:`PLUGINS` (imported when the registry is read).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from veilleur.model import utcnow
from veilleur.sources import HostGate
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

Due = Callable[[Workspace, datetime], list[str]]
"""``due(workspace, now)``: the keys of the step's jobs due now (each a short text)."""

Run = Callable[[Workspace, Sequence[str], "HostGate | None"], None]
"""``run(workspace, keys, gate)``: do these jobs (``gate``: per-host politeness shared with
the other workers, None in one process). Must not raise for one job's failure."""


@dataclass(frozen=True, slots=True)
class Step:
    """A periodic step: its name (the claims' prefix), its due jobs, how to run them.

    ``rest``: seconds a job of this step is not started again after it ran (the alerts are
    checked at most once a minute); 0: as soon as it is due again. ``in_run``: whether
    ``veilleur run`` runs it through the registry (collection has its own loop there).
    ``batched``: the scheduler sends up to ``queue.batch`` of its jobs per message (jobs
    that are many and short, such as feeds to read)."""

    name: str
    due: Due
    run: Run
    rest: int = 0
    in_run: bool = True
    batched: bool = False


STEPS: dict[str, Step] = {}
"""Every periodic step, by name, in the order they run within a cycle."""

PLUGINS: list[str] = ["veilleur.events.reminders"]
"""Modules that register steps when imported (each keeps its step as ``STEP`` too): the
events' reminders, offers and mails."""

PRELOAD: list[str] = [
    "veilleur.sources.runner",
    "veilleur.sources.rss",
    "veilleur.sources.mastodon",
    "veilleur.sources.bluesky",
    "veilleur.watch.alerts",
    "veilleur.publish.usecases",
    "veilleur.publish.mastodon_client",
    "veilleur.publish.bluesky_client",
]
"""Modules a worker imports once before it starts its processes (they share them), rather
than once in each process at its first job."""


def register_step(step: Step) -> None:
    """Add (or replace) a periodic step."""
    STEPS[step.name] = step


def steps() -> list[Step]:
    """The registry, with the plugins' steps loaded."""
    for module in PLUGINS:
        plugin = importlib.import_module(module)
        step = getattr(plugin, "STEP", None)
        if isinstance(step, Step) and step.name not in STEPS:
            register_step(step)  # a registry replaced after the module's first import
    return list(STEPS.values())


def preload() -> None:
    """Import what the steps use (see :data:`PRELOAD`) and the plugins' steps."""
    for module in PRELOAD:
        importlib.import_module(module)
    steps()


# -- the steps every workspace has ----


def _due_sources(ws: Workspace, now: datetime) -> list[str]:
    from veilleur import sources

    return [r.name for r in sources.select_sources(ws, every=True) if r.is_due(now)]


def _collect(ws: Workspace, keys: Sequence[str], gate: HostGate | None) -> None:
    from veilleur import sources, watch

    # A source removed (or disabled) since it was queued is simply not there; one no longer
    # due was collected meanwhile: a scheduler that listed the due sources just before
    # another worker finished it and let its claim go sends it again (the claim is ours
    # now, so what we read is the last collection's state).
    now = utcnow()
    records = [r for r in sources.enabled_among(ws, keys) if r.is_due(now)]
    if records:
        report = sources.collect(ws, records, hooks=[watch.alert_hook(ws)], gate=gate)
        for item in report.sources:
            log.info("collected %s: %s, %d new", item.name, item.status, item.new)


def _due_posts(ws: Workspace, now: datetime) -> list[str]:
    from veilleur import publish

    return [str(p.id) for p in publish.open_queue(ws).due(now)]


def _publish(ws: Workspace, keys: Sequence[str], gate: HostGate | None) -> None:
    from veilleur import publish

    report = publish.publish_due_posts(ws, only={int(k) for k in keys})
    for post in report.published:
        log.info("published queued post %d", post.id)
    for post in report.failed:
        log.warning("queued post %d not published: %s", post.id, post.last_error)
    for post_id in report.busy:
        log.info("queued post %d left to the publisher that has it in hand", post_id)


def _due_alerts(ws: Workspace, now: datetime) -> list[str]:
    from veilleur import watch

    return ["check"] if watch.alert_rules(ws.store) else []


def _alerts(ws: Workspace, keys: Sequence[str], gate: HostGate | None) -> None:
    from veilleur import watch

    for alert in watch.check_alerts(ws):
        log.info("alert %s on story %d: delivered=%s", alert.rule, alert.story, alert.delivered)


register_step(Step("collect", _due_sources, _collect, in_run=False, batched=True))
register_step(Step("publish", _due_posts, _publish))
register_step(Step("alerts", _due_alerts, _alerts, rest=60))
