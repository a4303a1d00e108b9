"""The pages' HTML: Jinja2 templates in ``web/templates/``, autoescaped, in the reader's
language and time zone.

Every value printed goes through ``strip_controls`` (as in reports); links that come from
data go through the ``safe_url`` filter (only http and https), links to our own pages
through ``path(name, …)`` (the router's paths). Messages: ``t("English {x}", x=…)`` in a
template, extracted by ``make messages`` like the code's.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse

from veilleur.accounts import rank
from veilleur.i18n import N_, colon, gettext, ngettext, t
from veilleur.report.dates import day, number
from veilleur.report.safety import safe_url, strip_controls
from veilleur.report.typography import french_spacing

if TYPE_CHECKING:
    from veilleur.web.routing import Ctx

HTMX = "htmx-2.0.11.min.js"
"""The vendored htmx (npm package htmx.org 2.0.11, dist/htmx.min.js, 0BSD licence)."""


ROLE_NAMES = {
    "viewer": N_("viewer"),
    "editor": N_("editor"),
    "admin": N_("admin"),
    "owner": N_("owner"),
}
STATUS_NAMES = {
    "draft": N_("Drafts"),
    "submitted": N_("Waiting for approval"),
    "scheduled": N_("Scheduled"),
    "in_flight": N_("Being published"),
    "published": N_("Published"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}


class Fragment(Markup):
    """HTML rendered by :func:`render_fragment`: every value in it went through
    :func:`_finalize` already."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    if type(value) is Fragment:
        return value
    if isinstance(value, Markup):
        return Markup(strip_controls(str(value)))
    return strip_controls(value) if isinstance(value, str) else value


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("veilleur.web", "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
        auto_reload=False,  # the templates are the package's: no stat() of each at each page
    )
    env.filters["safe_url"] = lambda value: safe_url(value) or ""
    env.filters["number"] = _number
    env.globals["t"] = t
    env.globals["ngettext"] = ngettext
    env.globals["HTMX"] = HTMX
    env.globals["rank"] = rank
    env.globals["role_name"] = lambda role: gettext(ROLE_NAMES.get(str(role), str(role)))
    env.globals["status_name"] = lambda status: gettext(STATUS_NAMES.get(str(status), str(status)))
    env.globals["registration_status"] = _registration_status
    return env


def _registration_status(status: str) -> str:
    """An event registration's status as a person reads it (« en attente »…)."""
    from veilleur.events import STATUSES

    return gettext(STATUSES.get(str(status), str(status)))


def _number(value: float, lang: str = "fr") -> str:
    return number(value, lang, 0)


def moment(value: datetime | None, ctx: Ctx, zone: str | None = None) -> str:
    """A date and time in the reader's language and time zone (or ``zone``, an event's):
    « 3 décembre 2026, 09 h 30 » in French, “3 December 2026, 09:30” in English."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(zone) if zone else ctx.zone())
    return f"{day(local.date(), ctx.lang)}, {clock(local, ctx.lang)}"


def clock(value: datetime, lang: str) -> str:
    """A time of day as written in ``lang``: « 09 h 30 », “09:30” (``value`` as given,
    already in the zone to show)."""
    # Not strftime ("%H"): 20 µs a call, fifty times on a search page.
    if lang == "fr":
        return f"{value.hour:02d} h {value.minute:02d}"
    return f"{value.hour:02d}:{value.minute:02d}"


def _shared_globals(ctx: Ctx) -> dict[str, Any]:
    """What a template may use that depends on the reader's language and time zone only
    (and the workspace): all a :func:`render_fragment` part gets."""
    return {
        "lang": ctx.lang,
        "entry": ctx.entry,
        "path": ctx.path,
        "when": lambda value, zone=None: moment(value, ctx, zone),
        "clock": lambda value: clock(value, ctx.lang),
        "long_day": lambda value: day(value, ctx.lang),
        "colon": lambda: colon(ctx.lang),
        "fr": (lambda text: french_spacing(text)) if ctx.lang == "fr" else (lambda text: text),
        "num": lambda value: number(value, ctx.lang, 0),
    }


def render_page(ctx: Ctx, template: str, status: int, context: dict[str, Any]) -> HTMLResponse:
    """``template`` rendered for ``ctx``'s reader (the base layout needs ``ctx``)."""
    notes = ctx.session.pop("notes", []) if not ctx.htmx else []
    page = _shared_globals(ctx) | {
        "ctx": ctx,
        "user": ctx.user,
        "role": ctx.role,
        "csrf": ctx.csrf,
        "notes": notes,
    }
    return HTMLResponse(
        environment().get_template(template).render(page | context), status_code=status
    )


def render_fragment(ctx: Ctx, template: str, context: dict[str, Any]) -> Fragment:
    """A part of a page (``template``, autoescaped and cleaned like a page) as HTML to put
    in another template as it is (``{{ fragment }}``). It is given the language, time zone
    and workspace of the reader but not who they are (no ``ctx``, ``user``, ``role``,
    ``csrf``): a part may be shared by every reader of the same language and zone (the
    search page's results)."""
    return Fragment(environment().get_template(template).render(_shared_globals(ctx) | context))
