"""Rédiger: one text, its rendering for each chosen network with the length counted as the
network counts it, and the lint findings, updated as one types (htmx); then to the queue.

An image may go with the text, with its alternative text: the form is sent as multipart.
The preview made when the image is chosen sends it (and checks it without keeping it); the
later ones, as one types, send only its name (``static/compose.js``); the queue keeps it
when the post is queued (``publish.queue_post(..., upload=)``)."""

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


def _file_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:120]


def uploaded_image(ctx: Ctx) -> tuple[bytes, str] | None:
    """The image sent with the form (field ``image``): its bytes and its file name."""
    item = ctx.form.get("image") if ctx.form is not None else None
    if isinstance(item, str) or item is None or not item.filename:
        return None
    data = item.file.read(MAX_UPLOAD + 1)
    return data, _file_name(item.filename)


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
            if image is None and ctx.value("image_name").strip():
                # The page's script sends the image with the preview made when it is
                # chosen (checked then), and only its name with the later ones.
                images = (publish.Image(_file_name(ctx.value("image_name").strip()), alt),)
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
