"""Every setting of the workspace (language of reports, publishing time zone, linter rules,
e-mail server, collection limits…), each checked by the settings' declaration: the last
section of Paramètres (:mod:`.settings`), whose forms post here one setting at a time.
A secret setting (the SMTP password) is write-only: the page says whether it is set."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from veilleur import publish, settings
from veilleur.i18n import t
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()


@router.page("/w/{ws}/settings/all", "settings_all", role=ADMIN)
def listing(ctx: Ctx) -> Response:
    """The former page of every setting: now the section « all » of Paramètres."""
    return RedirectResponse(ctx.path("settings", ws=ctx.slug) + "#all", status_code=303)


@router.page("/w/{ws}/settings/all", "settings_set", role=ADMIN, methods=("POST",))
def change(ctx: Ctx) -> Response:
    """One setting: its new value, or back to its default when left empty."""
    key, value = ctx.value("key"), ctx.value("value")
    with ctx.workspace() as ws:
        publish.open_queue(ws)  # the publishing pillar declares its settings when loaded
        settings.lookup(key)
        saved = ws.set_setting(key, value if value.strip() else None)
    if saved is None:
        note = t("“{key}” is back to its default.", key=key)
    else:
        note = t("“{key}” saved.", key=key)
    return ctx.redirect("settings", note=note, ws=ctx.slug)
