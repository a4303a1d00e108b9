"""``veilleur run``: the embedded default — every periodic step in one process, no broker.

Collection keeps its own loop (:func:`veilleur.sources.run`: due sources collected
concurrently, alerts raised on each batch, SIGTERM finishes the batch in hand); after each
look for due sources, the other steps of the registry run here, under the same claims the
workers take, through the same functions.
"""

from __future__ import annotations

from veilleur.jobs.tables import Claims
from veilleur.jobs.work import run_steps_inline
from veilleur.sources import CycleHook
from veilleur.workspace import Workspace


def run_embedded(
    ws: Workspace,
    *,
    tick: float = 60.0,
    on_cycle: CycleHook | None = None,
) -> int:
    """Collect, publish, check alerts (and every registered step) until stopped; cycles run."""
    from veilleur import sources, watch

    claims = Claims(ws.store)

    def other_steps() -> None:
        run_steps_inline(ws, claims)

    try:
        return sources.run(
            ws,
            tick=tick,
            on_cycle=on_cycle,
            hooks=[watch.alert_hook(ws)],
            every_cycle=other_steps,
        )
    finally:
        claims.close()
