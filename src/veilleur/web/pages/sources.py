"""Sources: what the workspace collects, the health of each source (last success, last
error, posts collected), adding feeds (read once and checked against the collection's
SSRF rules), Mastodon and Bluesky sources, OPML in and out."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.responses import Response

from veilleur import sources
from veilleur.errors import UsageError
from veilleur.i18n import ngettext, t
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()

MAX_OPML = 2 * 1024 * 1024
"""Bytes an uploaded OPML file may hold (a feed reader's list of a few thousand feeds)."""


def _slug(ctx: Ctx) -> str:
    return ctx.entry.slug if ctx.entry else ""


def _added(ctx: Ctx, record: sources.SourceRecord) -> Response:
    note = t("Source “{name}” added.", name=record.name)
    return ctx.redirect("sources", note=note, ws=_slug(ctx))


@router.page("/w/{ws}/sources", "sources", role=VIEWER)
def listing(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = sources.list_sources(ws)
    rows = [(r, sources.describe(r)) for r in found]
    return ctx.render("sources.html", rows=rows)


@router.page("/w/{ws}/sources/rss", "source_add_rss", role=EDITOR, methods=("POST",))
def add_rss(ctx: Ctx) -> Response:
    url = ctx.value("url").strip()
    if not url:
        raise UsageError(t("Give the address of the feed."))
    with ctx.workspace() as ws:
        record = sources.add_rss(
            ws, url, name=ctx.value("name").strip() or None, full_text=bool(ctx.value("full_text"))
        )
    return _added(ctx, record)


@router.page("/w/{ws}/sources/mastodon", "source_add_mastodon", role=EDITOR, methods=("POST",))
def add_mastodon(ctx: Ctx) -> Response:
    kind, value = ctx.value("kind"), ctx.value("value").strip()
    if kind not in ("tag", "account", "search") or not value:
        raise UsageError(t("Choose a hashtag, an account or a search, and fill it in."))
    with ctx.workspace() as ws:
        record = sources.add_mastodon(
            ws,
            ctx.value("instance").strip(),
            name=ctx.value("name").strip() or None,
            **{kind: value},
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


@router.page("/w/{ws}/sources/opml", "sources_opml_import", role=EDITOR, methods=("POST",))
def opml_import(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UsageError(t("Choose an OPML file to import."))
    data = upload.file.read(MAX_OPML + 1)
    if len(data) > MAX_OPML:
        raise UsageError(
            t("{file}: more than {size} MB, too large for an OPML file", file=upload.filename, size=2)
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
