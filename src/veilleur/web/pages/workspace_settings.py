"""Every setting of the workspace (language of reports, publishing time zone, linter rules,
e-mail server, collection limits…), each checked by the settings' declaration: the last
section of Paramètres (:mod:`.settings`), whose forms post here one setting at a time.
A secret setting (the SMTP password) is write-only: the page says whether it is set."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from starlette.responses import RedirectResponse, Response

from veilleur import publish, settings
from veilleur.i18n import t
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()


@router.page("/w/{ws}/settings/all", "settings_all", role=ADMIN)
def listing(ctx: Ctx) -> Response:
    """The former page of every setting: now the section « all » of Paramètres."""
    return RedirectResponse(ctx.path("settings", ws=ctx.slug) + "#all", status_code=303)


MASK = "********"


def masked_url(value: str | None) -> str | None:
    """A URL with the password it may hold masked (``redis://:********@host:6379/0``):
    a broker's address is shown, its password is not."""
    if not value:
        return value
    parts = urlsplit(value)
    if parts.password is None:
        return value
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


URL_SETTINGS = frozenset({"queue.broker_url"})
"""Settings holding an address that may carry a password: shown masked."""


@router.page("/w/{ws}/settings/all", "settings_set", role=ADMIN, methods=("POST",))
def change(ctx: Ctx) -> Response:
    """One setting: its new value, or back to its default when left empty. A secret
    (write-only: its field is always shown empty) is kept when left empty, and cleared
    only through its « clear » box; a masked address sent back unchanged is kept."""
    key, value = ctx.value("key"), ctx.value("value")
    with ctx.workspace() as ws:
        publish.open_queue(ws)  # the publishing pillar declares its settings when loaded
        declared = settings.lookup(key)
        unchanged = (declared.secret and not value.strip() and ctx.value("clear") != "yes") or (
            key in URL_SETTINGS and MASK in value and value == masked_url(ws.setting(key))
        )
        if unchanged:
            return ctx.redirect("settings", note=t("“{key}” unchanged.", key=key), ws=ctx.slug)
        saved = ws.set_setting(key, value if value.strip() else None)
    if saved is None:
        note = t("“{key}” is back to its default.", key=key)
    else:
        note = t("“{key}” saved.", key=key)
    return ctx.redirect("settings", note=note, ws=ctx.slug)
