"""The events' periodic step, registered with the jobs' registry (:mod:`veilleur.jobs.steps`).

``veilleur run`` (one process) and ``veilleur scheduler`` + ``veilleur worker`` (a team
server) both read that registry, so event reminders, offers that lapse, anonymisation and
the mails owed go out whichever way the workspace is run — through :func:`step` in both.

The step has one job per workspace (key ``turn``), due whenever the workspace has an
event: the job is claimed in the store before it runs (two schedulers, or a worker and
``veilleur run``, never run it at once), and each mail is a row claimed atomically on top of
that (:mod:`veilleur.events.mails`), so a reminder is sent once whoever runs the step.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from veilleur.events import tables
from veilleur.events.scheduler import step
from veilleur.jobs.steps import Step, register_step
from veilleur.sources import HostGate
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

NAME = "events"
REST = 30
"""Seconds between two runs of the step: reminders are owed by the hour, offers by the
hour; half a minute is prompt enough and keeps a busy scheduler from queueing it non-stop."""


def due(ws: Workspace, now: datetime) -> list[str]:
    """One job while the workspace has any event (past ones still need anonymising)."""
    return ["turn"] if tables.slugs(ws.store) else []


def run(ws: Workspace, keys: Sequence[str], gate: HostGate | None) -> None:
    report = step(ws)
    sent = report.delivery
    if report.reminders or report.anonymised or sent.sent or sent.failed:
        log.info(
            "events: %d reminders due, %d mails sent, %d failed, %d registrations anonymised",
            report.reminders,
            sent.sent,
            sent.failed,
            report.anonymised,
        )


STEP = Step(NAME, due, run, rest=REST)
register_step(STEP)
