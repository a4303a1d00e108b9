"""Paramètres of a workspace (admins), one page in three sections: the workspace (its
publishing time zone and report language), the publishing accounts (Mastodon, Bluesky:
the list and ONE form to add or update an account) and every declared setting (see
:mod:`.workspace_settings`, whose form posts there).

A token or app password is write-only: typed once, sealed at rest by the publish door,
never shown again. The old addresses (``/w/{ws}/publishing``, ``/w/{ws}/settings/all``)
redirect here.
"""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from veilleur import publish, settings
from veilleur.errors import VeilleurError
from veilleur.i18n import gettext, t
from veilleur.web.pages.workspace_settings import URL_SETTINGS, masked_url
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()

NETWORKS = ("mastodon", "bluesky")
"""The networks veilleur publishes to itself (the others through share links)."""


def page(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    """The Paramètres page (``extra``: an error to show in one section, and what was typed
    in the account form, secret excepted)."""
    with ctx.workspace() as ws:
        queue = publish.open_queue(ws)
        accounts = queue.accounts()
        zone, lang = queue.timezone, ws.setting("report.lang") or "fr"
        rows = [
            (
                s,
                gettext(s.help),
                None
                if s.secret
                else masked_url(ws.setting(s.key))
                if s.key in URL_SETTINGS
                else ws.setting(s.key),
                ws.setting(s.key) is not None,
            )
            for s in sorted(settings.SETTINGS.values(), key=lambda s: s.key)
        ]
    return ctx.render(
        "settings.html",
        status,
        accounts=accounts,
        zone=zone,
        report_lang=lang,
        networks=NETWORKS,
        rows=rows,
        typed=extra.pop("typed", {}),
        **extra,
    )


@router.page("/w/{ws}/settings", "settings", role=ADMIN)
def settings_page(ctx: Ctx) -> Response:
    return page(ctx)


@router.page("/w/{ws}/settings", "settings_save", role=ADMIN, methods=("POST",))
def save(ctx: Ctx) -> Response:
    zone, lang = ctx.value("timezone").strip(), ctx.value("report_lang")
    try:
        with ctx.workspace() as ws:
            publish.set_timezone(ws, zone)
            ws.set_setting("report.lang", lang)
    except VeilleurError as exc:
        return page(ctx, 400, error=str(exc))
    return ctx.redirect("settings", note=t("Settings saved."), ws=ctx.slug)


@router.page("/w/{ws}/settings/accounts", "account_add", role=ADMIN, methods=("POST",))
def add_account(ctx: Ctx) -> Response:
    """Add or update a publishing account (the one form: name, network, server or handle,
    secret, posting times, time zone); what was typed comes back with the error, never
    the secret."""
    name, network = ctx.value("name").strip(), ctx.value("network")
    typed = {k: ctx.value(k) for k in ("name", "network", "server", "handle", "times", "timezone")}
    try:
        if not name or network not in NETWORKS:
            raise VeilleurError(t("Give the account a name and choose its network."))
        if not ctx.value("secret").strip():
            raise VeilleurError(t("Give the access token or app password of the account."))
        with ctx.workspace() as ws:
            account = publish.add_account(
                ws,
                name,
                network,
                server=ctx.value("server").strip() or None,
                handle=ctx.value("handle").strip().lstrip("@") or None,
                secret=ctx.value("secret").strip(),
                times=ctx.value("times").replace(" ", ""),
                timezone=ctx.value("timezone").strip() or None,
            )
    except VeilleurError as exc:
        return page(ctx, 400, account_error=str(exc), typed=typed)
    note = t("Publishing account “{name}” saved.", name=account.name)
    return ctx.redirect("settings", note=note, ws=ctx.slug)


@router.page("/w/{ws}/publishing", "publishing_accounts", role=ADMIN)
def old_publishing(ctx: Ctx) -> Response:
    """The former Comptes de publication page: now a section of Paramètres."""
    return _to_section(ctx, "accounts")


def _to_section(ctx: Ctx, anchor: str) -> Response:
    return RedirectResponse(ctx.path("settings", ws=ctx.slug) + "#" + anchor, status_code=303)
