"""Tableau de bord: one workspace at a glance — its watches, the queue's next posts and
what waits for approval, the sources in error, how many posts it holds."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import publish, sources, watch
from veilleur.web.routing import VIEWER, Ctx, Router

router = Router()


@router.page("/w/{ws}", "dashboard", role=VIEWER)
def dashboard(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        watches = watch.list_watches(ws.store)
        queue = publish.open_queue(ws)
        upcoming = queue.posts("scheduled")[:5]
        waiting = queue.posts("submitted")
        failed = queue.posts("failed")
        records = sources.list_sources(ws)
        posts = ws.store.count_posts()
    return ctx.render(
        "dashboard.html",
        watches=watches,
        upcoming=upcoming,
        waiting=waiting,
        failed=failed,
        sources_in_error=[s for s in records if s.last_error],
        source_count=len(records),
        posts=posts,
    )
