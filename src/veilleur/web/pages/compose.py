"""Rédiger: one text, its rendering for each chosen network with the length counted as the
network counts it, and the lint findings, updated as one types (htmx); then to the queue.

An image may go with the text, with its alternative text: the form is sent as multipart
(htmx sends the file with each preview, which checks it without keeping it; the queue
keeps it through ``publish.store_image`` when the post is queued)."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import networks, publish
from veilleur.errors import UsageError
from veilleur.web.routing import EDITOR, UPLOAD_LIMIT, Ctx, Router

router = Router()

CHOICES = ("x", "mastodon", "bluesky", "linkedin", "threads", "facebook", "instagram")
DEFAULT = ("mastodon", "bluesky", "linkedin")


def _chosen(ctx: Ctx) -> list[str]:
    if ctx.form is not None:
        picked = [str(v) for v in ctx.form.getlist("network") if str(v) in CHOICES]
    else:
        picked = [v for v in ctx.request.query_params.getlist("network") if v in CHOICES]
    return picked or list(DEFAULT)


MAX_UPLOAD = 16 * 1024 * 1024


def uploaded_image(ctx: Ctx) -> tuple[bytes, str] | None:
    """The image sent with the form (field ``image``): its bytes and its file name."""
    item = ctx.form.get("image") if ctx.form is not None else None
    if isinstance(item, str) or item is None or not item.filename:
        return None
    data = item.file.read(MAX_UPLOAD + 1)
    return data, item.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120]


def _preview(ctx: Ctx) -> dict[str, object]:
    text, link = ctx.value("text"), ctx.value("link").strip() or None
    chosen = _chosen(ctx)
    if not text.strip():
        return {"composition": None, "error": None}
    image = uploaded_image(ctx)
    alt = ctx.value("alt").strip() or None
    try:
        with ctx.workspace() as ws:
            images: tuple[publish.Image, ...] = ()
            if image is not None:
                images = (publish.Image(image[1], alt),)
                # Type and size always; a missing alt text is the linter's to say.
                publish.check_image(image[0], image[1], alt, chosen, alt_required=False)
            draft = publish.Draft(text, images, link=link)
            result = publish.compose_post(ws, draft, ",".join(chosen), thread=True,
                                          message_lang=ctx.lang)  # fmt: skip
    except UsageError as exc:
        return {"composition": None, "error": str(exc)}
    return {"composition": result, "error": None, "images": images}


def _names() -> dict[str, str]:
    return {n: networks.name(n) for n in CHOICES}


@router.page("/w/{ws}/compose", "compose", role=EDITOR)
def compose(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        accounts = publish.open_queue(ws).accounts()
    return ctx.render("compose.html", 200, choices=CHOICES, chosen=_chosen(ctx), names=_names(),
                      accounts=accounts, text=ctx.value("text"), link=ctx.value("link"),
                      **_preview(ctx))  # fmt: skip


@router.page(
    "/w/{ws}/compose/preview",
    "compose_preview",
    role=EDITOR,
    methods=("POST",),
    max_body=UPLOAD_LIMIT,
)
def preview(ctx: Ctx) -> Response:
    """The previews and findings (an htmx fragment, posted as the text changes)."""
    return ctx.render("compose_preview.html", 200, names=_names(), **_preview(ctx))
