"""Background work: the periodic steps, run in one process by ``veilleur run`` (the embedded
default) or spread over Celery workers by ``veilleur scheduler`` and ``veilleur worker``
(a team server) — the door.

    STEPS / Step / register_step             the registry both modes read (collect, publish,
                                             alerts; a pillar adds its own, e.g. reminders)
    run_embedded(ws, tick=…, on_cycle=…)     ``veilleur run``: everything, one process
    run_worker(ws, concurrency=N)            ``veilleur worker``: consume the broker's jobs
    run_scheduler(ws, tick=…)                ``veilleur scheduler``: enqueue what is due
    broker_url(ws) / broker_checks(ws)       the broker in use, and its health for doctor

Every job is claimed in the store before it runs (``jobs/tables.py``): one job never runs
twice at once, two schedulers never send it twice, a killed worker's job is taken up again.
Importing this package is cheap (Celery is loaded by the worker and the scheduler only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.jobs.embedded import run_embedded
    from veilleur.jobs.service import (
        Check,
        broker_checks,
        broker_url,
        run_scheduler,
        run_worker,
    )
    from veilleur.jobs.steps import STEPS, Step, register_step

__all__ = [
    "STEPS",
    "Check",
    "Step",
    "broker_checks",
    "broker_url",
    "register_step",
    "run_embedded",
    "run_scheduler",
    "run_worker",
]

__getattr__ = exports(
    __name__,
    {
        "run_embedded": "veilleur.jobs.embedded",
        "Check": "veilleur.jobs.service",
        "broker_checks": "veilleur.jobs.service",
        "broker_url": "veilleur.jobs.service",
        "run_scheduler": "veilleur.jobs.service",
        "run_worker": "veilleur.jobs.service",
        "STEPS": "veilleur.jobs.steps",
        "Step": "veilleur.jobs.steps",
        "register_step": "veilleur.jobs.steps",
    },
)
