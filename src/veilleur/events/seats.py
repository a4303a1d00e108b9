"""Registration with limited seats: sign up, confirm by e-mail, waitlist, cancel, offers.

* :func:`register` records a ``pending`` registration and owes a confirmation mail; no
  seat is taken before the person follows the signed link (double opt-in).
* :func:`follow_link` acts on a signed link. Confirming takes a seat if one is left, else a
  place at the end of the waitlist. Every decision that counts seats runs in one
  ``BEGIN IMMEDIATE`` transaction: SQLite lets one writer in at a time, so the count read
  and the seat written cannot interleave with another process's — 50 confirmations at once
  for 15 seats give exactly 15 confirmed and 35 on the waitlist, in the order their
  confirmation was recorded.
* A seat freed (a cancellation, a larger capacity) is offered to the first on the waitlist
  (pretix's model): ``offered`` holds the seat until ``events.offer_hours`` have passed (or
  the event starts); then the offer lapses (``expired``) and passes to the next.
* The mails each change owes are written in the same transaction and delivered after the
  commit (:mod:`veilleur.events.mails`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from veilleur.errors import UsageError
from veilleur.events import links, mails, tables
from veilleur.events.config import OFFER_HOURS
from veilleur.events.links import CONFIRM_DAYS, LinkError
from veilleur.events.manage import get_event
from veilleur.events.model import Event, Registration
from veilleur.i18n import t
from veilleur.model import format_datetime, utcnow
from veilleur.networks import normalize_handle, resolve
from veilleur.store.handles import Tx
from veilleur.watch.alerts import is_address
from veilleur.workspace import Workspace

MAX_FIELD = 200


@dataclass(frozen=True, slots=True)
class Applicant:
    """What the sign-up form sends."""

    name: str
    email: str
    consent: str
    organisation: str | None = None
    handles: dict[str, str] = field(default_factory=dict)
    lang: str = "fr"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What following a link did: ``result`` is one of confirmed, waitlisted, already,
    cancelled, accepted, coming."""

    action: str
    result: str
    event: Event
    registration: Registration
    delivery: mails.Delivery | None = None
    owed: tuple[int, ...] = ()
    """The registrations owed a mail by this link (the person, and whoever was offered a
    seat it freed): what a caller that sends later (``send=False``) delivers."""


def _clean(value: str | None, what: str, *, required: bool = False) -> str | None:
    text = " ".join((value or "").split())
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise UsageError(t("{what}: control characters are not allowed", what=what))
    if required and not text:
        raise UsageError(t("{what} is required", what=what))
    if len(text) > MAX_FIELD:
        raise UsageError(t("{what}: {most} characters at most", what=what, most=MAX_FIELD))
    return text or None


def _check(applicant: Applicant) -> dict[str, object]:
    email = applicant.email.strip()
    if not is_address(email) or len(email) > MAX_FIELD:
        raise UsageError(t("'{address}' is not an e-mail address (name@example.fr)", address=email))
    consent = (applicant.consent or "").strip()
    if not consent:
        raise UsageError(t("a registration needs the consent text the person agreed to"))
    handles: dict[str, str] = {}
    for network, handle in applicant.handles.items():
        cleaned = _clean(handle, network)
        if cleaned:
            handles[resolve(network)] = normalize_handle(cleaned)
    return {
        "name": _clean(applicant.name, t("name"), required=True),
        "email": email,
        "organisation": _clean(applicant.organisation, t("organisation")),
        "handles": json.dumps(handles, ensure_ascii=False, sort_keys=True),
        "consent": consent,
        "lang": "fr" if applicant.lang.startswith("fr") else "en",
    }


def _open(event: Event, now: datetime) -> None:
    if event.status != "open":
        raise UsageError(t("“{title}” is cancelled", title=event.title))
    if event.is_over(now):
        raise UsageError(t("“{title}” is over", title=event.title))


def register(
    ws: Workspace,
    slug: str,
    applicant: Applicant,
    *,
    now: datetime | None = None,
    send: bool = True,
) -> Registration:
    """Record a sign-up (``pending``) and the confirmation mail it is owed, and send that
    mail (only that one, never the backlog) unless ``send`` is False: the web page sends
    it after the response, outside the workspace's lock (:func:`mails.deliver_apart`).
    Signing up again with the same address while a registration is in play returns that
    one (and owes nothing)."""
    moment = now or utcnow()
    values = _check(applicant)
    store = ws.store
    event = get_event(store, slug)
    _open(event, moment)
    links.base_url(ws)  # the mail needs it: say so before recording anything
    with store.transaction() as tx:
        known = tables.active_registration(tx, event.id, str(values["email"]))
        if known is not None:
            return Registration.from_row(known)
        registration_id = tables.insert_registration(
            tx,
            {
                **values,
                "event_id": event.id,
                "status": "pending",
                "registered_at": format_datetime(moment),
            },
        )
        mails.owe(tx, registration_id, "confirm")
    if send:
        mails.deliver(ws, registrations=[registration_id])
    return _registration(ws, registration_id)


def _registration(ws: Workspace, registration_id: int) -> Registration:
    row = tables.registration(ws.store, registration_id)
    if row is None:
        raise LinkError(t("this registration no longer exists"))
    return Registration.from_row(row)


def _lapse(tx: Tx, event: Event, now: datetime, hours: int) -> None:
    """Offers past their deadline expire and the seats pass on; then free seats are offered."""
    for row in tables.lapsed_offers(tx, format_datetime(now)):
        if int(row[1]) == event.id:
            tables.update_registration(tx, int(row[0]), {"status": "expired"})
    _offer(tx, event, now, hours)


def _offer(tx: Tx, event: Event, now: datetime, hours: int) -> None:
    if event.status != "open" or now >= event.starts_at:
        return
    deadline = min(now + timedelta(hours=hours), event.starts_at)
    while tables.seats_taken(tx, event.id) < event.capacity:
        row = tables.first_waiting(tx, event.id)
        if row is None:
            return
        tables.update_registration(
            tx, int(row[0]), {"status": "offered", "offer_expires_at": format_datetime(deadline)}
        )
        mails.owe(tx, int(row[0]), "offer")


def _hours(ws: Workspace) -> int:
    return max(1, ws.setting_int(OFFER_HOURS))


def read_link(ws: Workspace, token: str) -> tuple[links.Link, Event, Registration]:
    """What a link is for (the page shown before acting); a LinkError when it is not valid."""
    link = links.read(ws, token)
    person = _registration(ws, link.registration_id)
    row = tables.event_by_id(ws.store, person.event_id)
    if row is None:
        raise LinkError(t("this registration no longer exists"))
    return link, Event.from_row(row), person


def follow_link(
    ws: Workspace,
    token: str,
    *,
    slug: str | None = None,
    now: datetime | None = None,
    send: bool = True,
) -> Outcome:
    """Do what a signed link says (confirm, cancel, accept an offer, come, free a seat).

    ``slug``: the event the page's address names (a link for another event is refused).
    The mails it owes (``Outcome.owed``) are sent at once, unless ``send`` is False.
    """
    moment = now or utcnow()
    max_age = CONFIRM_DAYS * 86400 if _action(ws, token) == "confirm" else None
    link = links.read(ws, token, max_age=max_age)
    store = ws.store
    hours = _hours(ws)
    with store.transaction() as tx:
        row = tables.registration(tx, link.registration_id)
        if row is None:
            raise LinkError(t("this registration no longer exists"))
        person = Registration.from_row(row)
        event_row = tables.event_by_id(tx, person.event_id)
        assert event_row is not None
        event = Event.from_row(event_row)
        if slug is not None and slug != event.slug:
            raise LinkError(t("this link is for another event"))
        if person.anonymised_at is not None:
            raise LinkError(t("this registration no longer exists"))
        if event.status != "open":
            raise LinkError(t("“{title}” is cancelled", title=event.title))
        if event.is_over(moment):
            raise LinkError(t("“{title}” is over", title=event.title))
        offered_before = _offered(tx, event)
        _lapse(tx, event, moment, hours)
        person = Registration.from_row(tables.registration(tx, person.id))
        result = _act(tx, link.action, event, person, moment, hours)
        owed = (person.id, *sorted(_offered(tx, event) - offered_before))
    delivery = mails.deliver(ws, registrations=owed) if send else None
    return Outcome(link.action, result, event, _registration(ws, person.id), delivery, owed)


def _offered(tx: Tx, event: Event) -> set[int]:
    return {int(r[0]) for r in tables.registrations_by_status(tx, event.id, ("offered",))}


def _action(ws: Workspace, token: str) -> str:
    return links.read(ws, token).action


def _act(tx: Tx, action: str, event: Event, person: Registration, now: datetime, hours: int) -> str:
    status = person.status
    stamp = format_datetime(now)
    if action == "confirm":
        if status != "pending":
            if status in ("cancelled", "expired"):
                raise LinkError(t("this registration was cancelled: sign up again"))
            return "already"
        if tables.seats_taken(tx, event.id) < event.capacity and not tables.first_waiting(
            tx, event.id
        ):
            tables.update_registration(
                tx, person.id, {"status": "confirmed", "confirmed_at": stamp}
            )
            mails.owe(tx, person.id, "confirmed")
            return "confirmed"
        position = tables.next_position(tx, event.id)
        tables.update_registration(tx, person.id, {"status": "waitlisted", "position": position})
        mails.owe(tx, person.id, "waitlisted")
        return "waitlisted"
    if action == "accept":
        if status == "confirmed":
            return "already"
        if status != "offered":
            raise LinkError(
                t("this offer has passed to the next person on the waiting list")
                if status == "expired"
                else t("there is no seat offered to this registration")
            )
        tables.update_registration(
            tx, person.id, {"status": "confirmed", "confirmed_at": stamp, "offer_expires_at": None}
        )
        mails.owe(tx, person.id, "confirmed")
        return "accepted"
    if action == "come":
        if status in ("confirmed", "attended"):
            if person.coming_at is None:  # the first answer is the one kept
                tables.update_registration(tx, person.id, {"coming_at": stamp})
            return "coming"
        raise LinkError(t("this registration holds no seat"))
    # cancel, free
    if status in ("cancelled", "expired"):
        return "already"
    if status == "attended":
        raise LinkError(t("this registration holds no seat"))
    cancel(tx, event, person, now, hours)
    return "cancelled"


def cancel(tx: Tx, event: Event, person: Registration, now: datetime, hours: int) -> None:
    """Cancel ``person``'s registration in ``tx``; a seat it held is offered on."""
    tables.update_registration(
        tx, person.id, {"status": "cancelled", "cancelled_at": format_datetime(now)}
    )
    tables.drop_mails(tx, person.id, ("confirm", "offer", *mails.REMINDERS))
    if person.status != "pending":
        mails.owe(tx, person.id, "cancelled")
    _offer(tx, event, now, hours)


def cancel_registration(
    ws: Workspace, slug: str, email: str, *, now: datetime | None = None
) -> Registration:
    """The organiser cancels a person's registration (``veilleur event cancel SLUG --email``)."""
    moment = now or utcnow()
    store = ws.store
    event = get_event(store, slug)
    with store.transaction() as tx:
        row = tables.active_registration(tx, event.id, email)
        if row is None:
            raise UsageError(t("nobody registered with {email} for {slug}", email=email, slug=slug))
        person = Registration.from_row(row)
        cancel(tx, event, person, moment, _hours(ws))
    mails.deliver(ws)
    return _registration(ws, person.id)


def fill_free_seats(ws: Workspace, slug: str, *, now: datetime | None = None) -> None:
    """Let offers past their deadline lapse and offer the free seats (after a capacity
    change; the loop does it for every event)."""
    store = ws.store
    event = get_event(store, slug)
    with store.transaction() as tx:
        _lapse(tx, event, now or utcnow(), _hours(ws))
    mails.deliver(ws)


def cancel_event(ws: Workspace, slug: str, *, now: datetime | None = None) -> Event:
    """Cancel the event: everyone still in play is told (with a calendar cancellation)."""
    store = ws.store
    event = get_event(store, slug)
    if event.status == "cancelled":
        return event
    with store.transaction() as tx:
        tables.update_event(tx, event.id, {"status": "cancelled"})
        for row in tables.registrations_by_status(
            tx, event.id, ("pending", "confirmed", "waitlisted", "offered")
        ):
            tables.drop_mails(tx, int(row[0]), ("confirm", "offer", *mails.REMINDERS))
            if row[8] != "pending":
                mails.owe(tx, int(row[0]), "event-cancelled")
    mails.deliver(ws, now=now)
    return get_event(store, slug)


def check_in(
    ws: Workspace, slug: str, who: str, *, present: bool = True, now: datetime | None = None
) -> Registration:
    """Mark a person present (``attended``) on the day — by e-mail or registration number;
    ``present=False`` undoes it."""
    store = ws.store
    event = get_event(store, slug)
    with store.transaction() as tx:
        row = (
            tables.registration(tx, int(who))
            if who.isdigit()
            else tables.active_registration(tx, event.id, who)
        )
        if row is None or int(row[1]) != event.id:
            raise UsageError(t("nobody registered with {email} for {slug}", email=who, slug=slug))
        person = Registration.from_row(row)
        if present:
            if person.status not in ("confirmed", "attended"):
                raise UsageError(
                    t(
                        "{name} has no confirmed seat (status: {status})",
                        name=person.name,
                        status=person.status,
                    )
                )
            stamp = format_datetime(now or utcnow())
            tables.update_registration(
                tx, person.id, {"status": "attended", "attended_at": (person.attended_at and
                format_datetime(person.attended_at)) or stamp}
            )  # fmt: skip
        elif person.status == "attended":
            tables.update_registration(tx, person.id, {"status": "confirmed", "attended_at": None})
    return _registration(ws, person.id)


def signups_per_hour(ws: Workspace) -> int:
    """How many sign-ups the public page takes per hour from one client address
    (``events.signups_per_hour``, 20 by default)."""
    from veilleur.events.config import SIGNUPS_PER_HOUR

    return max(1, ws.setting_int(SIGNUPS_PER_HOUR) or 20)


def consent_text(ws: Workspace, event: Event) -> str:
    """The consent the public form asks for, in the reader's language: what the data is
    for and when it goes. The exact text shown is stored with the registration."""
    from veilleur.events.config import ANONYMISE_DAYS

    return t(
        "I agree that my name, e-mail address, organisation and accounts are used to organise "
        "“{title}” (registration, reminders, check-in list) and are erased {days} days after "
        "the event.",
        title=event.title,
        days=max(1, ws.setting_int(ANONYMISE_DAYS) or 90),
    )
