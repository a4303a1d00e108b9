"""File d'attente as a calendar: the week or the month of scheduled posts, times in the
workspace's time zone (named on the page), each post's publishing journal (its tries, the
network's ids and links, why it has not gone out) and its time changed by a form.

Moving a post sends the time the mover saw with it (``seen``): when someone else moved the
post meanwhile, the publish door refuses and says so rather than undo their move. An
editor moves the posts waiting for approval; an approved (scheduled) or failed post is
moved by an admin or an owner, as approving is theirs.
"""

from __future__ import annotations

import calendar as months
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.responses import RedirectResponse, Response

from veilleur import publish
from veilleur.errors import UsageError
from veilleur.i18n import N_, gettext, t
from veilleur.model import parse_datetime
from veilleur.report.dates import MONTHS_EN, MONTHS_FR, day
from veilleur.web.routing import ADMIN, EDITOR, VIEWER, Ctx, Router

router = Router()

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
VIEWS = ("week", "month")
STATES = {
    "submitted": N_("waiting for approval"),
    "scheduled": N_("scheduled"),
    "in_flight": N_("being published"),
    "published": N_("published"),
    "failed": N_("failed"),
}
"""One post's state, as a calendar entry says it."""


def _first(ctx: Ctx, view: str, today: date) -> date:
    """The first day shown: the Monday of the week, or the 1st of the month, of ``start``
    (a date, default today in the workspace's zone)."""
    try:
        start = date.fromisoformat(ctx.value("start")) if ctx.value("start") else today
        if not 1900 <= start.year <= 2999:  # the weeks around year 1 or 9999 overflow
            raise ValueError(start)
    except ValueError:
        raise UsageError(
            t("start: not a date: '{value}' (expected e.g. 2027-03-01)", value=ctx.value("start"))
        ) from None
    if view == "month":
        return start.replace(day=1)
    return start - timedelta(days=start.weekday())


def _span(view: str, first: date) -> tuple[int, date, date]:
    """Days shown, and the first day of the previous and of the next period."""
    if view == "month":
        days = months.monthrange(first.year, first.month)[1]
        before = (first - timedelta(days=1)).replace(day=1)
        return days, before, first + timedelta(days=days)
    return 7, first - timedelta(days=7), first + timedelta(days=7)


@router.page("/w/{ws}/queue/calendar", "queue_calendar", role=VIEWER)
def calendar_page(ctx: Ctx) -> Response:
    view = ctx.value("view") if ctx.value("view") in VIEWS else "week"
    with ctx.workspace() as ws:
        zone = publish.open_queue(ws).zone()
        today = datetime.now(zone).date()
        first = _first(ctx, view, today)
        days, before, after = _span(view, first)
        zone_name, dated = publish.calendar(ws, first, days)
    by_day: dict[date, list[publish.Dated]] = {}
    for item in dated:
        by_day.setdefault(item.local.date(), []).append(item)
    shown = [first + timedelta(days=n) for n in range(days)]
    # The month as weeks from Monday (days of the neighbouring months left blank).
    lead = [None] * first.weekday() if view == "month" else []
    cells: list[date | None] = [*lead, *shown]
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    return ctx.render(
        "calendar.html",
        view=view,
        first=first,
        last=shown[-1],
        before=before,
        after=after,
        today=today,
        weeks=weeks,
        by_day=by_day,
        zone=zone_name,
        weekdays=[gettext(d) for d in WEEKDAYS],
        states={k: gettext(v) for k, v in STATES.items()},
        count=len(dated),
        **_dates(ctx),
    )


def _dates(ctx: Ctx) -> dict[str, Any]:
    def month_name(value: date) -> str:
        names = MONTHS_FR if ctx.lang == "fr" else MONTHS_EN
        return f"{names[value.month - 1]} {value.year}"

    return {"day_name": lambda value: day(value, ctx.lang), "month_name": month_name}


def _can_move(ctx: Ctx, post: publish.QueuedPost) -> bool:
    if post.status == "submitted":
        return ctx.can(EDITOR)
    return post.status in ("scheduled", "failed") and ctx.can(ADMIN)


@router.page("/w/{ws}/queue/{post:int}", "queue_post", role=VIEWER)
def journal(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = publish.post_journal(ws, int(ctx.request.path_params["post"]))
    zone = ZoneInfo(found.zone)
    post = found.post
    # Where the calendar places it (a failed post at its next try), and so the form too.
    shown = post.published_at or post.next_attempt_at or post.scheduled_at
    local = shown.astimezone(zone) if shown else None
    return ctx.render(
        "queue_post.html",
        journal=found,
        post=post,
        local=local,
        field=local.strftime("%Y-%m-%dT%H:%M") if local else "",
        seen=post.scheduled_at.isoformat() if post.scheduled_at else "",
        movable=_can_move(ctx, post),
        parts=[
            [
                (rid, a.remote_urls[i] if i < len(a.remote_urls) else "")
                for i, rid in enumerate(a.remote_ids)
            ]
            for a in found.attempts
        ],
        back=ctx.value("back"),
        **_dates(ctx),
    )


@router.page("/w/{ws}/queue/{post:int}/move", "queue_move", role=EDITOR, methods=("POST",))
def move(ctx: Ctx) -> Response:
    """A new time for a post, written in the workspace's time zone (the calendar's)."""
    post_id = int(ctx.request.path_params["post"])
    at = ctx.value("at").strip()
    if not at:
        raise UsageError(t("Give the new date and time."))
    seen_text = ctx.value("seen", "-").strip()
    try:  # no field: no check; an empty one: the post had no time when the page was read
        seen: datetime | bool | None = (
            False if seen_text == "-" else parse_datetime(seen_text) if seen_text else None
        )
    except ValueError:
        raise UsageError(t("The form is damaged: reload the page and try again.")) from None
    with ctx.workspace() as ws:
        post = publish.open_queue(ws).get(post_id)
        if post.status in ADMIN_MOVES and not ctx.can(ADMIN):
            raise UsageError(t(ADMIN_MOVES[post.status]))
        # The role's states go with the move: a post approved since this check stays put.
        allowed = publish.MOVABLE if ctx.can(ADMIN) else ("submitted",)
        moved = publish.move_post(ws, post_id, at, seen=seen, statuses=allowed)
    start = moved.local.date().isoformat()
    view = ctx.value("view") if ctx.value("view") in VIEWS else "week"
    note = t("Post #{id} moved.", id=post_id)
    ctx.session.setdefault("notes", []).append(note)
    target = ctx.path("queue_calendar", query={"view": view, "start": start}, ws=ctx.slug)
    if ctx.htmx:
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


ADMIN_MOVES = {
    "scheduled": N_("Only an admin or an owner moves a post that is approved and scheduled."),
    "failed": N_("Only an admin or an owner moves a post that has failed."),
}
"""The states only an admin or an owner moves (approving is theirs), and what an editor
is told; any other state is the door's to refuse (a published post cannot be moved)."""
