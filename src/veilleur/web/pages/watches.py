"""Veilles: the saved watches, and a watch's digest as a page (the same view as the
e-mailed digest: top stories and why, rising terms, accounts that matter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.responses import Response

from veilleur import watch
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()


@router.page("/w/{ws}/watches", "watches", role=VIEWER)
def watches(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = watch.list_watches(ws.store)
    return ctx.render("watches.html", watches=found)


@router.page("/w/{ws}/watches/{name}", "watch", role=VIEWER)
def digest(ctx: Ctx) -> Response:
    """The digest over the day or week ending now, or at the newest post (``end=newest``:
    a corpus no longer collected, like the demo's)."""
    name = str(ctx.request.path_params["name"])
    period = "day" if ctx.value("period") == "day" else "week"
    at_newest = ctx.value("end") == "newest"
    with ctx.workspace(write=True) as ws:  # the digest updates the watch index first
        found = watch.get_watch(ws.store, name)
        if found is None:
            return ctx.render("error.html", 404, message=t("No watch named “{name}”.", name=name))
        until = datetime.now(UTC)
        if at_newest:
            newest = watch.newest_post(ws.store)
            until = newest + timedelta(seconds=1) if newest else until
        since, until = watch.resolve_period(None, period, until)
        result = watch.build_digest(ws.store, name, since, until, lang=ctx.lang, now=until)
    view = watch.digest_view(result)
    return ctx.render("digest.html", watch=found, v=view, period=period, at_newest=at_newest)


@router.page("/w/{ws}/watches/{name}/delete", "watch_delete", role=EDITOR, methods=("POST",))
def delete(ctx: Ctx) -> Response:
    name = str(ctx.request.path_params["name"])
    with ctx.workspace() as ws:
        removed = watch.remove_watch(ws.store, name)
    if not removed:
        raise UsageError(t("No watch named “{name}”.", name=name))
    slug = ctx.entry.slug if ctx.entry else ""
    return ctx.redirect("watches", note=t("Watch “{name}” deleted.", name=name), ws=slug)
