"""``veilleur worker`` and ``veilleur scheduler``: the work of ``veilleur run`` spread over
Celery workers (a team server). Without a broker, ``veilleur run`` does it all in one
process."""

from __future__ import annotations

from typing import Annotated

import typer

from veilleur.cli.context import err, workspace
from veilleur.i18n import t
from veilleur.model import utcnow


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Jobs done at the same time.")
    ] = 2,
) -> None:
    """Do the jobs the scheduler sends through the broker, until stopped.

    The broker: queue.broker_url or VEILLEUR_BROKER_URL. SIGTERM lets the jobs in hand
    finish."""
    from veilleur import jobs

    status = jobs.run_worker(workspace(ctx), concurrency=concurrency)
    if status:
        raise typer.Exit(status)


def scheduler(
    ctx: typer.Context,
    tick: Annotated[
        float, typer.Option(min=0.1, help="Seconds between two looks for due jobs.")
    ] = 10.0,
) -> None:
    """Send the due jobs to the workers through the broker, until stopped.

    Due jobs: sources to collect, posts to publish, alerts to check. Two schedulers
    started by mistake do not double the work."""
    from veilleur import jobs

    def on_tick(sent: dict[str, int]) -> None:
        if any(sent.values()):
            stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S")
            counts = ", ".join(f"{step} {n}" for step, n in sent.items() if n)
            err.print(f"{stamp} {t('jobs sent: {counts}', counts=counts)}", markup=False)

    passes = jobs.run_scheduler(workspace(ctx), tick=tick, on_tick=on_tick)
    err.print(t("Scheduler stopped after {n} passes.", n=passes), markup=False)
