"""Events: the public pages (sign-up, the links of the mails) and the organiser's pages in
the workbench (list, attendees, check-in, printable list, live wall, recap).

Public pages serve, without a login, the events of every workspace the server serves:
``/e/SLUG``… the served workspace's (the server's home, the one ``veilleur -w DIR serve``
opens), ``/e/NAME/SLUG``… those of the workspace registered as NAME (the name of its
``/w/NAME/`` pages; the home answers under its own name too). Opening a workspace by its
name records the name in it (:meth:`Server.workspace`), so that its mails link here.
An unknown name, a workspace gone from its folder, an unknown event: 404.

Their forms carry the session's CSRF token like every other form (a visitor gets a session
cookie on the first page). The links of the mails (``…/SLUG/l/TOKEN``) show what they will
do on GET and act only on POST: mail scanners and link previews follow links, and must not
cancel a seat. A link is read with the key of the workspace of its address only, so one
workspace's link never acts on another's event. The mails they owe are recorded under the
workspace's lock and sent after the response by that workspace's courier
(:class:`veilleur.events.Courier`), outside the lock.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.responses import Response

from veilleur import accounts, events
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
NAMED = "_ws"
"""The suffix of a public page's route under a workspace's name (``event_public_ws``…)."""


def _slug(ctx: Ctx) -> str:
    return str(ctx.request.path_params["slug"])


@dataclass(frozen=True)
class Place:
    """Where a public page's events live: the workspace's folder, and its name in the
    address (None: the short ``/e/SLUG`` of the server's home)."""

    path: Path
    name: str | None


@dataclass
class Visit:
    """A public page's request on its workspace, opened once for the whole request (and
    named: its mails' links need it): the place, the workspace, and the registrations
    whose mails the page owes, handed to the courier once the workspace is left."""

    place: Place
    ws: Workspace
    owed: list[int] = field(default_factory=list)


def _place(ctx: Ctx) -> Place | None:
    """The workspace the public page's address names; None when there is none."""
    name = ctx.request.path_params.get("ws")
    if name is None:
        return Place(ctx.server.home_path, None)
    name = str(name)
    with ctx.home() as home:
        entry = accounts.workspace(home.store, name)
        # a home once served under a name elsewhere: its mails carry that name
        home_named = entry is None and events.public_name(home) == name
    if home_named:
        return Place(ctx.server.home_path, name)
    return Place(Path(entry.path), name) if entry else None


def public_paths(ctx: Ctx, name: str | None) -> Callable[..., str]:
    """``public_path(route, **params)`` for the templates: the public page ``route`` of
    the workspace called ``name`` (None: the home's short form)."""

    def public_path(route: str, **params: Any) -> str:
        if name is None:
            return ctx.path(route, **params)
        return ctx.path(route + NAMED, ws=name, **params)

    return public_path


def _not_found(ctx: Ctx) -> Response:
    return ctx.render("error.html", 404, message=t("No such event."))


def _render(ctx: Ctx, visit: Visit, template: str, status: int = 200, **extra: Any) -> Response:
    return ctx.render(template, status, public_path=public_paths(ctx, visit.place.name), **extra)


def _public_event(ctx: Ctx, visit: Visit, status: int = 200, **extra: object) -> Response:
    event = _find(visit.ws, _slug(ctx))
    if event is None:
        return _not_found(ctx)
    seats = events.seats_left(visit.ws.store, event.slug)
    consent = events.consent_text(visit.ws, event)
    return _render(
        ctx,
        visit,
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


_BY_NAME: list[tuple[str, str, tuple[str, ...], Callable[[Ctx], Response]]] = []


def _public(route: str, name: str, methods: tuple[str, ...] = ("GET",)) -> Callable[..., Any]:
    """Declare a public page twice: ``/e/…`` (the home) and ``/e/{ws}/…`` (by name). The
    named routes are declared after all the home's (at the end of the module): ``/e/A/mur``
    is the wall of the home's event A before it is workspace A's event « mur » (a name
    :data:`veilleur.events.model.RESERVED` keeps events from taking)."""

    def register(handler: Callable[[Ctx], Response]) -> Callable[[Ctx], Response]:
        router.page("/e/" + route, name, role=PUBLIC, methods=methods)(handler)
        _BY_NAME.append(("/e/{ws}/" + route, name + NAMED, methods, handler))
        return handler

    return register


def _located(handler: Callable[[Ctx, Visit], Response]) -> Callable[[Ctx], Response]:
    """The page ``handler`` on the workspace its address names, opened once for the request
    (a GET reads through a read-only handle, a POST holds the workspace's lock); an unknown
    name or a registered workspace whose folder is gone: 404. The mails the page owes are
    handed to the courier after the workspace is left: SMTP never holds a page up."""

    def page(ctx: Ctx) -> Response:
        place = _place(ctx)
        if place is None:
            return _not_found(ctx)
        with ExitStack() as stack:
            try:
                ws = stack.enter_context(ctx.server.workspace(place.path, place.name))
            except UsageError as exc:  # its folder is gone: not the visitor's to know
                log.warning("public event page of workspace %s: %s", place.name, exc)
                return _not_found(ctx)
            visit = Visit(place, ws)
            response = handler(ctx, visit)
        if visit.owed:
            ctx.server.courier(place.path).send(visit.owed)
        return response

    page.__name__, page.__doc__ = handler.__name__, handler.__doc__
    return page


@_public("{slug}", "event_public")
@_located
def public(ctx: Ctx, visit: Visit) -> Response:
    """The event's page: when, where, the seats left, the sign-up form."""
    return _public_event(ctx, visit, form={})


@_public("{slug}", "event_signup", methods=("POST",))
@_located
def signup(ctx: Ctx, visit: Visit) -> Response:
    """A sign-up: pending until the link of the confirmation mail is followed (no seat
    before). The same answer whether the address was known or not."""
    fields = {name: ctx.value(name) for name in ("name", "email", "organisation")}
    handles = {network: ctx.value(f"handle_{network}") for network, _ in NETWORKS}
    if ctx.value(HONEYPOT):  # a bot: answer as if it worked, record nothing
        return _sent(ctx, visit, fields["email"])
    ws = visit.ws
    event = _find(ws, _slug(ctx))
    if event is None:
        return _not_found(ctx)
    if ctx.value("consent") != "yes":
        return _public_event(
            ctx, visit, 400, form={**fields, **handles},
            error=t("Tick the consent box to sign up."),
        )  # fmt: skip
    # counted here, where a sign-up would be recorded: a form sent back for a forgotten
    # tick or an unknown event does not use up the address's quota
    if not ctx.server.signups.allow(client_key(ctx.client_host), events.signups_per_hour(ws)):
        response = _public_event(
            ctx, visit, 429, form={**fields, **handles},
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
            ctx, visit, 503, form={**fields, **handles},
            error=t("Sign-ups are not open at the moment."),
        )  # fmt: skip
    except UsageError as exc:
        return _public_event(ctx, visit, 400, form={**fields, **handles}, error=str(exc))
    visit.owed.append(person.id)
    return _sent(ctx, visit, fields["email"])


def _sent(ctx: Ctx, visit: Visit, email: str) -> Response:
    event = _find(visit.ws, _slug(ctx))
    if event is None:
        return _not_found(ctx)
    return _render(ctx, visit, "event_sent.html", event=event, email=email.strip())


def _read(ctx: Ctx, visit: Visit) -> tuple[str, Response | None, dict[str, Any]]:
    token = str(ctx.request.path_params["token"])
    try:
        link, event, person = events.read_link(visit.ws, token)
    except events.LinkError as exc:
        return token, ctx.render("error.html", 410, message=str(exc)), {}
    if event.slug != _slug(ctx):
        return token, ctx.render("error.html", 410, message=t("this link is for another event")), {}
    return token, None, {"action": link.action, "event": event, "person": person}


@_public("{slug}/l/{token}", "event_link")
@_located
def link_page(ctx: Ctx, visit: Visit) -> Response:
    """What the link will do, and a button to do it. Nothing changes on GET."""
    token, refused, found = _read(ctx, visit)
    if refused is not None:
        return refused
    return _render(ctx, visit, "event_link.html", token=token, **found)


@_public("{slug}/l/{token}", "event_link_act", methods=("POST",))
@_located
def link_act(ctx: Ctx, visit: Visit) -> Response:
    token, refused, _found = _read(ctx, visit)
    if refused is not None:
        return refused
    try:
        outcome = events.follow_link(visit.ws, token, slug=_slug(ctx), send=False)
    except events.LinkError as exc:
        return ctx.render("error.html", 410, message=str(exc))
    rank = None
    if outcome.registration.status == "waitlisted":
        _event, people = events.attendees(visit.ws.store, outcome.event.slug)
        rank = events.waiting_ranks(people).get(outcome.registration.id)
    visit.owed.extend(outcome.owed)
    return _render(ctx, visit, "event_done.html", outcome=outcome, rank=rank)


@_public("{slug}/mur", "event_public_wall")
@_located
def public_wall(ctx: Ctx, visit: Visit) -> Response:
    """The wall to show in the room or online: moderated, no login, refreshed by polling."""
    return _public_wall(ctx, visit, "event_wall_public.html")


@_public("{slug}/mur/posts", "event_public_wall_posts")
@_located
def public_wall_posts(ctx: Ctx, visit: Visit) -> Response:
    """The wall's posts alone (what the public wall's polling swaps in)."""
    return _public_wall(ctx, visit, "event_wall_posts.html")


def _public_wall(ctx: Ctx, visit: Visit, template: str) -> Response:
    event = _find(visit.ws, _slug(ctx))
    if event is None:
        return _not_found(ctx)
    found = events.wall(visit.ws.store, event.slug)
    return _render(ctx, visit, template, event=event, wall=found, public=True)


# -- the organiser's side, in the workbench ----


def _public_path(ctx: Ctx) -> Callable[..., str]:
    """The public pages of this ``/w/{ws}/`` page's workspace: ``/e/SLUG`` for the
    server's home (as its mails say), ``/e/NAME/SLUG`` for another."""
    assert ctx.entry is not None
    home = Path(ctx.entry.path).resolve() == ctx.server.home_path
    return public_paths(ctx, None if home else ctx.entry.slug)


@router.page("/w/{ws}/events", "events", role=VIEWER)
def event_list(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = [(e, events.seats_left(ws.store, e.slug)) for e in events.list_events(ws.store)]
        # without it every sign-up is refused (the mail's links cannot be made): say so here
        no_address = bool(found) and not events.public_base(ws)
    return ctx.render(
        "events.html", events=found, public_path=_public_path(ctx), no_address=no_address
    )


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
    return ctx.render("event_detail.html", public_path=_public_path(ctx), **_roster(ctx))


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
    return ctx.render(
        "event_wall.html", event=found.event, wall=found, public_path=_public_path(ctx)
    )


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


@router.page("/w/{ws}/events/{slug}/recap", "event_recap", role=VIEWER)
def recap(ctx: Ctx) -> Response:
    """The recap: stories of the hashtag, top posts and accounts, counts, attendance.
    A GET that writes: the recap brings the watch's index up to date first."""
    with ctx.workspace(write=True) as ws:
        found = events.build_recap(ws, _slug(ctx))
    return ctx.render("event_recap.html", recap=found, event=found.event)


for _path, _name, _methods, _handler in _BY_NAME:
    router.page(_path, _name, role=PUBLIC, methods=_methods)(_handler)
