"""Paramètres of a workspace (admins): its publishing time zone and report language, and
the publishing accounts (Mastodon, Bluesky). A token or app password is write-only: typed
once, sealed at rest by the publish door, never shown again."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import publish
from veilleur.errors import VeilleurError
from veilleur.i18n import t
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()


def _page(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    with ctx.workspace() as ws:
        queue = publish.open_queue(ws)
        accounts = queue.accounts()
        zone, lang = queue.timezone, ws.setting("report.lang") or "fr"
    return ctx.render("settings.html", status, accounts=accounts, zone=zone, report_lang=lang,
                      **extra)  # fmt: skip


def _slug(ctx: Ctx) -> str:
    return ctx.entry.slug if ctx.entry else ""


@router.page("/w/{ws}/settings", "settings", role=ADMIN)
def settings_page(ctx: Ctx) -> Response:
    return _page(ctx)


@router.page("/w/{ws}/settings", "settings_save", role=ADMIN, methods=("POST",))
def save(ctx: Ctx) -> Response:
    zone, lang = ctx.value("timezone").strip(), ctx.value("report_lang")
    try:
        with ctx.workspace() as ws:
            publish.set_timezone(ws, zone)
            ws.set_setting("report.lang", lang)
    except VeilleurError as exc:
        return _page(ctx, 400, error=str(exc))
    return ctx.redirect("settings", note=t("Settings saved."), ws=_slug(ctx))


@router.page("/w/{ws}/settings/accounts", "account_add", role=ADMIN, methods=("POST",))
def add_account(ctx: Ctx) -> Response:
    network = ctx.value("network")
    if not ctx.value("secret"):
        return _page(ctx, 400, account_error=t("The access token or app password is needed."))
    try:
        with ctx.workspace() as ws:
            publish.add_account(
                ws,
                ctx.value("name").strip(),
                network if network in ("mastodon", "bluesky") else "",
                server=ctx.value("server").strip() or None,
                handle=ctx.value("handle").strip() or None,
                secret=ctx.value("secret"),
                times=ctx.value("times"),
            )
    except VeilleurError as exc:
        return _page(ctx, 400, account_error=str(exc))
    return ctx.redirect("settings", note=t("Publishing account saved."), ws=_slug(ctx))
