"""Every setting of the workspace, linked from Paramètres (language of reports, publishing
time zone, linter rules, e-mail server, collection limits…), each checked by the settings'
declaration.
A secret setting (the SMTP password) is write-only: the page says whether it is set."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import publish, settings
from veilleur.i18n import gettext, t
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()


@router.page("/w/{ws}/settings/all", "settings_all", role=ADMIN)
def listing(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        publish.open_queue(ws)  # the publishing pillar declares its settings when loaded
        rows = [
            (
                s,
                gettext(s.help),
                ws.setting(s.key) if not s.secret else None,
                ws.setting(s.key) is not None,
            )
            for s in sorted(settings.SETTINGS.values(), key=lambda s: s.key)
        ]
    return ctx.render("workspace_settings.html", rows=rows)


@router.page("/w/{ws}/settings/all", "settings_set", role=ADMIN, methods=("POST",))
def change(ctx: Ctx) -> Response:
    """One setting: its new value, or back to its default when left empty."""
    key, value = ctx.value("key"), ctx.value("value")
    with ctx.workspace() as ws:
        publish.open_queue(ws)
        settings.lookup(key)
        saved = ws.set_setting(key, value if value.strip() else None)
    if saved is None:
        note = t("“{key}” is back to its default.", key=key)
    else:
        note = t("“{key}” saved.", key=key)
    slug = ctx.entry.slug if ctx.entry else ""
    return ctx.redirect("settings_all", note=note, ws=slug)
