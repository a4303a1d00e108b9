"""Sources: what the workspace collects and how each source is doing (last success, last
error, posts collected); add an RSS/Atom feed (checked: a public address, a real feed), a
Mastodon hashtag, account or search (checked on its instance), a Bluesky search or account;
remove a source; the feeds in and out as OPML (an upload, a download)."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.responses import Response

from veilleur import sources
from veilleur.errors import UsageError, VeilleurError
from veilleur.i18n import ngettext, t
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()

MAX_OPML = 2 * 1024 * 1024
"""Bytes an uploaded OPML file may hold (a feed reader's list of a few thousand feeds)."""


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


def _slug(ctx: Ctx) -> str:
    return ctx.entry.slug if ctx.entry else ""


def _added(ctx: Ctx, record: sources.SourceRecord) -> Response:
    note = t("Source “{name}” added.", name=record.name)
    return ctx.redirect("sources", note=note, ws=_slug(ctx))


@router.page("/w/{ws}/sources/mastodon", "source_add_mastodon", role=EDITOR, methods=("POST",))
def add_mastodon(ctx: Ctx) -> Response:
    kind, value = ctx.value("kind"), ctx.value("value").strip()
    if kind not in ("tag", "account", "search") or not value:
        raise UsageError(t("Choose a hashtag, an account or a search, and fill it in."))
    with ctx.workspace() as ws:
        record = sources.add_mastodon(
            ws,
            ctx.value("instance").strip(),
            tag=value if kind == "tag" else None,
            account=value if kind == "account" else None,
            search=value if kind == "search" else None,
            name=ctx.value("name").strip() or None,
        )
    return _added(ctx, record)


@router.page("/w/{ws}/sources/bluesky", "source_add_bluesky", role=EDITOR, methods=("POST",))
def add_bluesky(ctx: Ctx) -> Response:
    kind, value = ctx.value("kind"), ctx.value("value").strip()
    if kind not in ("search", "author") or not value:
        raise UsageError(t("Choose a search or an account, and fill it in."))
    lang = ctx.value("lang").strip() or None
    with ctx.workspace() as ws:
        record = sources.add_bluesky(
            ws,
            search=value if kind == "search" else None,
            author=value if kind == "author" else None,
            lang=lang if kind == "search" else None,
            name=ctx.value("name").strip() or None,
        )
    return _added(ctx, record)


@router.page("/w/{ws}/sources/{name}/delete", "source_delete", role=EDITOR, methods=("POST",))
def delete(ctx: Ctx) -> Response:
    name = str(ctx.request.path_params["name"])
    with ctx.workspace() as ws:
        sources.remove_sources(ws, [name])
    note = t("Source “{name}” removed (its posts stay).", name=name)
    return ctx.redirect("sources", note=note, ws=_slug(ctx))


@router.page(
    "/w/{ws}/sources/opml",
    "sources_opml_import",
    role=EDITOR,
    methods=("POST",),
    max_body=MAX_OPML + 1024 * 1024,
)
def opml_import(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UsageError(t("Choose an OPML file to import."))
    data = upload.file.read(MAX_OPML + 1)
    if len(data) > MAX_OPML:
        raise UsageError(
            t(
                "{file}: more than {size} MB, too large for an OPML file",
                file=upload.filename,
                size=2,
            )
        )
    with ctx.workspace() as ws:
        done = sources.import_opml(ws, data, where=upload.filename)
    note = ngettext(
        "{n} feed added, {skipped} already collected.",
        "{n} feeds added, {skipped} already collected.",
        done.added,
    ).format(n=done.added, skipped=done.skipped)
    return ctx.redirect("sources", note=note, ws=_slug(ctx))


@router.page("/w/{ws}/sources.opml", "sources_opml_export", role=VIEWER)
def opml_export(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        document = sources.export_opml(ws)
    filename = f"veilleur-{_slug(ctx)}.opml"
    return Response(
        document,
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
