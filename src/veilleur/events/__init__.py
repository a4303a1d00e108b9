"""events: workshops with limited seats and conferences live-tweeted well — the pillar's door.

    add_event(ws, slug, EventSpec(...)) / edit_event / cancel_event / list_events / get_event
    seats_left(store, slug) -> Seats          capacity, taken, left, waiting
    register(ws, slug, Applicant(...))        a sign-up, pending until its e-mail link
    read_link(ws, token) / follow_link(ws, token)   the signed links of the mails
    cancel_registration / check_in            the organiser's side
    attendees / attendance / attendees_csv / attendees_json
    Courier(open_ws).send(ids)                the mails a web page owes, sent by one thread
                                              (per workspace) after the response, outside
                                              the server's lock
    serve_as(ws, name, base_url) / public_name(ws) / public_base(ws)
                                              the workspace's name (/e/NAME/SLUG) and address
                                              in its mails' links, on a server serving several
    run_step(ws)                              the periodic step (registered with the jobs'
                                              registry): offers, reminders, anonymisation,
                                              mails owed
    waiting_ranks / find_people / seat_holders  the organiser's lists (rank on the
                                              waitlist, the check-in page's search, who
                                              holds a seat)
    checkin_html / checkin_pdf(store, slug, output)   the check-in list to print
    wall(store, slug)                         the live wall: newest posts with the hashtag,
    moderate / set_attendees_only             hidden or pinned by an editor, attendees only
    signups_per_hour(ws) / consent_text(ws, event)   the public form's rate limit per
                                              address, and the consent it asks for
    forget_person / export_person             a person's rights
    build_kit(ws, slug, programme, networks)  the live-tweet kit; kit_html / kit_json / kit_pdf
    build_recap(ws, slug)                     the recap; recap_html / _markdown / _json / _pdf

The public pages (``/e/SLUG``, ``/e/NAME/SLUG``) call the same names. Importing this package
is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.events.courier import Courier
    from veilleur.events.demo import demo_event
    from veilleur.events.kit import Kit, build_kit, kit_html, kit_json, kit_pdf, read_program
    from veilleur.events.links import LinkError, NotSetUp, public_base, public_name, serve_as
    from veilleur.events.livewall import (
        Wall,
        WallPost,
        moderate,
        set_attendees_only,
        wall,
    )
    from veilleur.events.mails import Delivery
    from veilleur.events.mails import deliver as deliver_mails
    from veilleur.events.manage import (
        EventSpec,
        add_event,
        edit_event,
        get_event,
        list_events,
        seats_left,
    )
    from veilleur.events.model import STATUSES, Event, Registration, Seats
    from veilleur.events.privacy import anonymise_due, export_person
    from veilleur.events.privacy import forget as forget_person
    from veilleur.events.recap import (
        Recap,
        build_recap,
        recap_html,
        recap_json,
        recap_markdown,
        recap_pdf,
    )
    from veilleur.events.roster import (
        Attendance,
        attendance,
        attendees,
        attendees_csv,
        attendees_json,
        checkin_html,
        checkin_pdf,
        find_people,
        seat_holders,
        waiting_ranks,
    )
    from veilleur.events.scheduler import StepReport
    from veilleur.events.scheduler import step as run_step
    from veilleur.events.seats import (
        Applicant,
        Outcome,
        cancel_event,
        cancel_registration,
        check_in,
        consent_text,
        follow_link,
        read_link,
        register,
        signups_per_hour,
    )

__all__ = [
    "STATUSES",
    "Applicant",
    "Attendance",
    "Courier",
    "Delivery",
    "Event",
    "EventSpec",
    "Kit",
    "LinkError",
    "NotSetUp",
    "Outcome",
    "Recap",
    "Registration",
    "Seats",
    "StepReport",
    "Wall",
    "WallPost",
    "add_event",
    "anonymise_due",
    "attendance",
    "attendees",
    "attendees_csv",
    "attendees_json",
    "build_kit",
    "build_recap",
    "cancel_event",
    "cancel_registration",
    "check_in",
    "checkin_html",
    "checkin_pdf",
    "consent_text",
    "deliver_mails",
    "demo_event",
    "edit_event",
    "export_person",
    "find_people",
    "follow_link",
    "forget_person",
    "get_event",
    "kit_html",
    "kit_json",
    "kit_pdf",
    "list_events",
    "moderate",
    "public_base",
    "public_name",
    "read_link",
    "read_program",
    "recap_html",
    "recap_json",
    "recap_markdown",
    "recap_pdf",
    "register",
    "run_step",
    "seat_holders",
    "seats_left",
    "serve_as",
    "set_attendees_only",
    "signups_per_hour",
    "waiting_ranks",
    "wall",
]

__getattr__ = exports(
    __name__,
    {
        **{
            name: "veilleur.events.roster"
            for name in (
                "Attendance",
                "attendance",
                "attendees",
                "attendees_csv",
                "attendees_json",
                "checkin_html",
                "checkin_pdf",
                "find_people",
                "seat_holders",
                "waiting_ranks",
            )
        },
        **{
            name: "veilleur.events.kit"
            for name in ("Kit", "build_kit", "kit_html", "kit_json", "kit_pdf", "read_program")
        },
        "Courier": "veilleur.events.courier",
        "demo_event": "veilleur.events.demo",
        "LinkError": "veilleur.events.links",
        "NotSetUp": "veilleur.events.links",
        "public_base": "veilleur.events.links",
        "public_name": "veilleur.events.links",
        "serve_as": "veilleur.events.links",
        **{
            name: "veilleur.events.recap"
            for name in (
                "Recap",
                "build_recap",
                "recap_html",
                "recap_json",
                "recap_markdown",
                "recap_pdf",
            )
        },
        "Delivery": "veilleur.events.mails",
        "deliver_mails": "veilleur.events.mails:deliver",
        **{
            name: "veilleur.events.manage"
            for name in ("EventSpec", "add_event", "edit_event", "get_event", "list_events")
        },
        "seats_left": "veilleur.events.manage",
        **{
            name: "veilleur.events.model" for name in ("STATUSES", "Event", "Registration", "Seats")
        },
        "anonymise_due": "veilleur.events.privacy",
        "export_person": "veilleur.events.privacy",
        "forget_person": "veilleur.events.privacy:forget",
        "StepReport": "veilleur.events.scheduler",
        "run_step": "veilleur.events.scheduler:step",
        **{
            name: "veilleur.events.seats"
            for name in (
                "Applicant",
                "Outcome",
                "cancel_event",
                "cancel_registration",
                "check_in",
                "consent_text",
                "follow_link",
                "read_link",
                "register",
                "signups_per_hour",
            )
        },
        **{
            name: "veilleur.events.livewall"
            for name in (
                "Wall",
                "WallPost",
                "moderate",
                "set_attendees_only",
                "wall",
            )
        },
    },
)
