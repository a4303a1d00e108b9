"""Sources: what the workspace collects and how each source is doing (last success, last
error, posts collected); add an RSS/Atom feed (checked: a public address, a real feed)."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import sources
from veilleur.errors import VeilleurError
from veilleur.i18n import t
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()


def _page(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    with ctx.workspace() as ws:
        records = sources.list_sources(ws)
    rows = [(r, sources.describe(r)) for r in records]
    return ctx.render("sources.html", status, rows=rows, **extra)


@router.page("/w/{ws}/sources", "sources", role=VIEWER)
def listing(ctx: Ctx) -> Response:
    return _page(ctx)


@router.page("/w/{ws}/sources", "source_add", role=EDITOR, methods=("POST",))
def add(ctx: Ctx) -> Response:
    """Add a feed; it is read once first, so a wrong address is said at once."""
    url = ctx.value("url").strip()
    try:
        with ctx.workspace() as ws:
            record = sources.add_rss(ws, url, name=ctx.value("name").strip() or None)
    except VeilleurError as exc:
        return _page(ctx, 400, error=str(exc), url=url)
    slug = ctx.entry.slug if ctx.entry else ""
    return ctx.redirect("sources", note=t("Source “{name}” added.", name=record.name), ws=slug)
