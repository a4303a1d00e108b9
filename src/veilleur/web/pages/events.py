"""Events: the public pages (sign-up, the links of the mails) and the organiser's pages in
the workbench (list, attendees, check-in, printable list, live wall, recap).

Public pages (``/e/SLUG``…) serve the events of the served workspace — the server's home,
the one ``veilleur -w DIR serve`` opens — without a login. Their forms carry the session's
CSRF token like every other form (a visitor gets a session cookie on the first page).
The links of the mails (``/e/SLUG/l/TOKEN``) show what they will do on GET and act only
on POST: mail scanners and link previews follow links, and must not cancel a seat.
The mails they owe are recorded under the workspace's lock and sent after the response by
the server's courier (:class:`veilleur.events.Courier`), outside the lock.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from starlette.responses import Response

from veilleur import events
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import utcnow
from veilleur.web.limits import client_key
from veilleur.web.routing import EDITOR, PUBLIC, VIEWER, Ctx, Router
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)
router = Router()

NETWORKS = (("x", "X (Twitter)"), ("mastodon", "Mastodon"), ("bluesky", "Bluesky"),
            ("linkedin", "LinkedIn"))  # fmt: skip
"""The networks whose handle the sign-up form asks for (each optional)."""
HONEYPOT = "website"
"""A form field people never see (hidden by the stylesheet) and bots fill in."""


def _slug(ctx: Ctx) -> str:
    return str(ctx.request.path_params["slug"])


def _public_event(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    with ctx.home() as ws:
        event = _find(ws, _slug(ctx))
        if event is None:
            return ctx.render("error.html", 404, message=t("No such event."))
        seats = events.seats_left(ws.store, event.slug)
        consent = events.consent_text(ws, event)
    return ctx.render(
        "event_public.html",
        status,
        event=event,
        seats=seats,
        consent=consent,
        networks=NETWORKS,
        honeypot=HONEYPOT,
        over=event.status != "open" or event.is_over(utcnow()),
        **extra,
    )


def _find(ws: Workspace, slug: str) -> events.Event | None:
    try:
        return events.get_event(ws.store, slug)
    except UsageError:
        return None


@router.page("/e/{slug}", "event_public", role=PUBLIC)
def public(ctx: Ctx) -> Response:
    """The event's page: when, where, the seats left, the sign-up form."""
    return _public_event(ctx, form={})


@router.page("/e/{slug}", "event_signup", role=PUBLIC, methods=("POST",))
def signup(ctx: Ctx) -> Response:
    """A sign-up: pending until the link of the confirmation mail is followed (no seat
    before). The same answer whether the address was known or not."""
    fields = {name: ctx.value(name) for name in ("name", "email", "organisation")}
    handles = {network: ctx.value(f"handle_{network}") for network, _ in NETWORKS}
    if ctx.value(HONEYPOT):  # a bot: answer as if it worked, record nothing
        return _sent(ctx, fields["email"])
    with ctx.home() as ws:
        event = _find(ws, _slug(ctx))
        if event is None:
            return ctx.render("error.html", 404, message=t("No such event."))
        if ctx.value("consent") != "yes":
            return _public_event(
                ctx, 400, form={**fields, **handles},
                error=t("Tick the consent box to sign up."),
            )  # fmt: skip
        # counted here, where a sign-up would be recorded: a form sent back for a forgotten
        # tick or an unknown event does not use up the address's quota
        if not ctx.server.signups.allow(client_key(ctx.client_host), events.signups_per_hour(ws)):
            response = _public_event(
                ctx, 429, form={**fields, **handles},
                error=t("Too many sign-ups from your address: try again in an hour."),
            )  # fmt: skip
            response.headers["Retry-After"] = "3600"
            return response
        applicant = events.Applicant(
            name=fields["name"],
            email=fields["email"],
            consent=events.consent_text(ws, event),
            organisation=fields["organisation"] or None,
            handles={k: v for k, v in handles.items() if v.strip()},
            lang=ctx.lang,
        )
        try:
            person = events.register(ws, event.slug, applicant, send=False)
        except events.NotSetUp as exc:  # the organiser's to fix, not the visitor's
            log.warning("public sign-up for %s refused: %s", event.slug, exc)
            return _public_event(
                ctx, 503, form={**fields, **handles},
                error=t("Sign-ups are not open at the moment."),
            )  # fmt: skip
        except UsageError as exc:
            return _public_event(ctx, 400, form={**fields, **handles}, error=str(exc))
    ctx.server.courier.send([person.id])  # after the lock: SMTP never holds a page up
    return _sent(ctx, fields["email"])


def _sent(ctx: Ctx, email: str) -> Response:
    with ctx.home() as ws:
        event = _find(ws, _slug(ctx))
    if event is None:
        return ctx.render("error.html", 404, message=t("No such event."))
    return ctx.render("event_sent.html", event=event, email=email.strip())


def _read(ctx: Ctx) -> tuple[str, Response | None, dict[str, Any]]:
    token = str(ctx.request.path_params["token"])
    with ctx.home() as ws:
        try:
            link, event, person = events.read_link(ws, token)
        except events.LinkError as exc:
            return token, ctx.render("error.html", 410, message=str(exc)), {}
    if event.slug != _slug(ctx):
        return token, ctx.render("error.html", 410, message=t("this link is for another event")), {}
    return token, None, {"action": link.action, "event": event, "person": person}


@router.page("/e/{slug}/l/{token}", "event_link", role=PUBLIC)
def link_page(ctx: Ctx) -> Response:
    """What the link will do, and a button to do it. Nothing changes on GET."""
    token, refused, found = _read(ctx)
    if refused is not None:
        return refused
    return ctx.render("event_link.html", token=token, **found)


@router.page("/e/{slug}/l/{token}", "event_link_act", role=PUBLIC, methods=("POST",))
def link_act(ctx: Ctx) -> Response:
    token, refused, _found = _read(ctx)
    if refused is not None:
        return refused
    with ctx.home() as ws:
        try:
            outcome = events.follow_link(ws, token, slug=_slug(ctx), send=False)
        except events.LinkError as exc:
            return ctx.render("error.html", 410, message=str(exc))
        rank = None
        if outcome.registration.status == "waitlisted":
            _event, people = events.attendees(ws.store, outcome.event.slug)
            rank = events.waiting_ranks(people).get(outcome.registration.id)
    ctx.server.courier.send(outcome.owed)
    return ctx.render("event_done.html", outcome=outcome, rank=rank)


# -- the organiser's side, in the workbench ----


def _served(ctx: Ctx) -> bool:
    """Whether this workspace's events have public pages: only the served workspace's do
    (``/e/SLUG`` names no workspace), so another one's pages must not link there — the
    link would 404, or open another organisation's event with the same slug."""
    return ctx.entry is not None and Path(ctx.entry.path).resolve() == ctx.server.home_path


@router.page("/w/{ws}/events", "events", role=VIEWER)
def event_list(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = [(e, events.seats_left(ws.store, e.slug)) for e in events.list_events(ws.store)]
    return ctx.render("events.html", events=found, served=_served(ctx))


def _roster(ctx: Ctx) -> dict[str, Any]:
    slug = _slug(ctx)
    with ctx.workspace() as ws:
        event, people = events.attendees(ws.store, slug)
        figures = events.attendance(ws.store, slug)
        seats = events.seats_left(ws.store, slug)
    return {"event": event, "people": people, "figures": figures, "seats": seats,
            "ranks": events.waiting_ranks(people)}  # fmt: skip


@router.page("/w/{ws}/events/{slug}", "event_detail", role=EDITOR)
def detail(ctx: Ctx) -> Response:
    """The event and its people: status, rank on the waitlist, attendance figures."""
    return ctx.render("event_detail.html", served=_served(ctx), **_roster(ctx))


@router.page("/w/{ws}/events/{slug}/print", "event_print", role=EDITOR)
def printable(ctx: Ctx) -> Response:
    """The check-in list to print: those holding a seat, by name, a box to tick."""
    found = _roster(ctx)
    people = events.seat_holders(found["people"])
    return ctx.render("event_print.html", **{**found, "people": people})


@router.page("/w/{ws}/events/{slug}/print.pdf", "event_print_pdf", role=EDITOR)
def printable_pdf(ctx: Ctx) -> Response:
    """The same list as a PDF (as ``veilleur event check-in-list``), for a printer far away."""
    slug = _slug(ctx)
    with ctx.workspace() as ws, tempfile.TemporaryDirectory(prefix="veilleur-checkin-") as folder:
        output = Path(folder) / "checkin.pdf"
        events.checkin_pdf(ws.store, slug, output)
        body = output.read_bytes()
    disposition = f'attachment; filename="checkin-{slug}.pdf"'
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


def _checkin_people(ctx: Ctx, query: str) -> tuple[events.Event, list[events.Registration]]:
    with ctx.workspace() as ws:
        event, people = events.attendees(ws.store, _slug(ctx))
    seated = events.seat_holders(people, offers=False)
    return event, events.find_people(seated, query) if query.strip() else seated


@router.page("/w/{ws}/events/{slug}/checkin", "event_checkin", role=EDITOR)
def checkin(ctx: Ctx) -> Response:
    """The check-in page for the day, made for a phone: a search box, one tap per person."""
    query = ctx.value("q")
    event, people = _checkin_people(ctx, query)
    template = "event_checkin_rows.html" if ctx.htmx else "event_checkin.html"
    return ctx.render(template, event=event, people=people, q=query)


@router.page("/w/{ws}/events/{slug}/checkin/{person:int}", "event_checkin_mark", role=EDITOR,
             methods=("POST",))  # fmt: skip
def checkin_mark(ctx: Ctx) -> Response:
    present = ctx.value("present") != "0"
    person_id = int(ctx.request.path_params["person"])
    with ctx.workspace() as ws:
        person = events.check_in(ws, _slug(ctx), str(person_id), present=present)
        event = events.get_event(ws.store, _slug(ctx))
    if ctx.htmx:
        return ctx.render("event_checkin_row.html", event=event, p=person, q=ctx.value("q"))
    note = (t("{name} is checked in.", name=person.name) if present
            else t("{name} is no longer checked in.", name=person.name))  # fmt: skip
    return ctx.redirect("event_checkin", note=note, ws=ctx.slug, slug=event.slug)


@router.page("/w/{ws}/events/{slug}/wall", "event_wall", role=VIEWER)
def wall(ctx: Ctx) -> Response:
    """The live wall: the newest posts with the event's hashtag, refreshed by polling; an
    editor hides or pins posts and may show registered attendees' posts only."""
    with ctx.workspace() as ws:
        found = events.wall(ws.store, _slug(ctx), with_hidden=ctx.can(EDITOR))
    return ctx.render("event_wall.html", event=found.event, wall=found, served=_served(ctx))


@router.page("/w/{ws}/events/{slug}/wall/posts", "event_wall_posts", role=VIEWER)
def wall_posts(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = events.wall(ws.store, _slug(ctx), with_hidden=ctx.can(EDITOR))
    return ctx.render("event_wall_posts.html", event=found.event, wall=found)


@router.page("/w/{ws}/events/{slug}/wall/moderate", "event_wall_moderate", role=EDITOR,
             methods=("POST",))  # fmt: skip
def wall_moderate(ctx: Ctx) -> Response:
    """Hide, show again, pin or unpin one post (the wall's posts come back with htmx)."""
    by = ctx.user.email if ctx.user else None
    with ctx.workspace() as ws:
        events.moderate(
            ws, _slug(ctx), ctx.value("network"), ctx.value("post"), ctx.value("action"), by=by
        )
        found = events.wall(ws.store, _slug(ctx), with_hidden=True)
    if ctx.htmx:
        return ctx.render("event_wall_posts.html", event=found.event, wall=found)
    return ctx.redirect("event_wall", ws=ctx.slug, slug=found.event.slug)


@router.page("/w/{ws}/events/{slug}/wall/options", "event_wall_options", role=EDITOR,
             methods=("POST",))  # fmt: skip
def wall_options(ctx: Ctx) -> Response:
    on = ctx.value("attendees_only") == "yes"
    with ctx.workspace() as ws:
        events.set_attendees_only(ws, _slug(ctx), on)
    note = (t("The wall shows registered attendees' posts only.") if on
            else t("The wall shows every post with the hashtag."))  # fmt: skip
    return ctx.redirect("event_wall", note=note, ws=ctx.slug, slug=_slug(ctx))


@router.page("/e/{slug}/mur", "event_public_wall", role=PUBLIC)
def public_wall(ctx: Ctx) -> Response:
    """The wall to show in the room or online: moderated, no login, refreshed by polling."""
    return _public_wall(ctx, "event_wall_public.html")


@router.page("/e/{slug}/mur/posts", "event_public_wall_posts", role=PUBLIC)
def public_wall_posts(ctx: Ctx) -> Response:
    """The wall's posts alone (what the public wall's polling swaps in)."""
    return _public_wall(ctx, "event_wall_posts.html")


def _public_wall(ctx: Ctx, template: str) -> Response:
    with ctx.home() as ws:
        event = _find(ws, _slug(ctx))
        if event is None:
            return ctx.render("error.html", 404, message=t("No such event."))
        found = events.wall(ws.store, event.slug)
    return ctx.render(template, event=event, wall=found, public=True)


@router.page("/w/{ws}/events/{slug}/recap", "event_recap", role=VIEWER)
def recap(ctx: Ctx) -> Response:
    """The recap: stories of the hashtag, top posts and accounts, counts, attendance.
    A GET that writes: the recap brings the watch's index up to date first."""
    with ctx.workspace(write=True) as ws:
        found = events.build_recap(ws, _slug(ctx))
    return ctx.render("event_recap.html", recap=found, event=found.event)
