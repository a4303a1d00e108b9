"""Rédiger: one text, its rendering for each chosen network with the length counted as the
network counts it, and the lint findings, updated as one types (htmx); then to the queue."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import networks, publish
from veilleur.errors import UsageError
from veilleur.web.routing import EDITOR, Ctx, Router

router = Router()

CHOICES = ("x", "mastodon", "bluesky", "linkedin", "threads", "facebook", "instagram")
DEFAULT = ("mastodon", "bluesky", "linkedin")


def _chosen(ctx: Ctx) -> list[str]:
    if ctx.form is not None:
        picked = [str(v) for v in ctx.form.getlist("network") if str(v) in CHOICES]
    else:
        picked = [v for v in ctx.request.query_params.getlist("network") if v in CHOICES]
    return picked or list(DEFAULT)


def _preview(ctx: Ctx) -> dict[str, object]:
    text, link = ctx.value("text"), ctx.value("link").strip() or None
    chosen = _chosen(ctx)
    if not text.strip():
        return {"composition": None, "error": None}
    try:
        with ctx.workspace() as ws:
            draft = publish.Draft(text, link=link)
            result = publish.compose_post(ws, draft, ",".join(chosen), thread=True,
                                          message_lang=ctx.lang)  # fmt: skip
    except UsageError as exc:
        return {"composition": None, "error": str(exc)}
    return {"composition": result, "error": None}


def _names() -> dict[str, str]:
    return {n: networks.name(n) for n in CHOICES}


@router.page("/w/{ws}/compose", "compose", role=EDITOR)
def compose(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        accounts = publish.open_queue(ws).accounts()
    return ctx.render("compose.html", 200, choices=CHOICES, chosen=_chosen(ctx), names=_names(),
                      accounts=accounts, text=ctx.value("text"), link=ctx.value("link"),
                      **_preview(ctx))  # fmt: skip


@router.page("/w/{ws}/compose/preview", "compose_preview", role=EDITOR, methods=("POST",))
def preview(ctx: Ctx) -> Response:
    """The previews and findings (an htmx fragment, posted as the text changes)."""
    return ctx.render("compose_preview.html", 200, names=_names(), **_preview(ctx))
