"""The mails of an event, and their delivery: each mail a registration is owed is a row of
``event_mails`` first, written in the same transaction as the change that owes it; then
:func:`deliver` claims the owed rows atomically (``BEGIN IMMEDIATE``), sends each through
the workspace's SMTP settings (:mod:`veilleur.watch`'s sending) and records the outcome.

So a mail goes once: two processes never claim the same row, a failed mail is retried at
the next delivery (at most :data:`MAX_ATTEMPTS` times), a process that died while sending
leaves a claim that another takes back after :data:`STALE` (the one case where a mail could
go twice: the server accepted it just before the crash).

Every mail is written in the registration's language (fr/en through gettext) and carries
the signed links that concern it; the confirmation of a seat carries the ``.ics``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from veilleur import watch
from veilleur.errors import VeilleurError
from veilleur.events import ics, links, tables
from veilleur.events.links import CONFIRM_DAYS
from veilleur.events.model import Event, Registration
from veilleur.i18n import t, using
from veilleur.model import format_datetime, utcnow
from veilleur.report.dates import day
from veilleur.report.safety import strip_controls
from veilleur.store.handles import Tx
from veilleur.watch.mail import SmtpSettings, build_message, send, smtp_settings
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)
KINDS = (
    "confirm",
    "confirmed",
    "waitlisted",
    "offer",
    "cancelled",
    "event-cancelled",
    "d2",
    "d0",
)
REMINDERS = ("d2", "d0")
MAX_ATTEMPTS = 5
STALE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str
    attachments: tuple[watch.MailAttachment, ...] = ()


@dataclass(slots=True)
class Delivery:
    """What one delivery did: mails sent, failed (kept for the next one), dropped."""

    sent: int = 0
    failed: int = 0
    dropped: int = 0
    waiting: int = 0
    """Mails owed but not tried: sending mail is not set up (``missing`` says what)."""
    missing: str | None = None
    errors: list[str] | None = None


def when(event: Event, lang: str) -> str:
    """« 15 mars 2027, 14:00–17:00 (Europe/Paris) »."""
    start, end = event.local_start, event.local_end
    same_day = start.date() == end.date()
    until = f"{end:%H:%M}" if same_day else f"{day(end.date(), lang)} {end:%H:%M}"
    return f"{day(start.date(), lang)}, {start:%H:%M}–{until} ({event.timezone})"


def _details(event: Event, lang: str) -> str:
    lines = [t("When: {when}", when=when(event, lang))]
    if event.location:
        lines.append(t("Where: {where}", where=event.location))
    if event.hashtag:
        lines.append(t("Hashtag: {tag}", tag=event.hashtag))
    return "\n".join(lines)


def _deadline(moment: datetime, event: Event, lang: str) -> str:
    local = moment.astimezone(event.zone)
    return f"{day(local.date(), lang)} {local:%H:%M}"


def compose(ws: Workspace, event: Event, person: Registration, kind: str) -> Mail:
    """The mail ``kind`` for ``person``, in their language."""
    sender = ws.setting("smtp.from") or "veilleur@localhost"

    def link(action: str) -> str:
        return links.url(ws, event.slug, person.id, action)

    def invitation(cancel: bool) -> tuple[watch.MailAttachment, ...]:
        content = ics.invitation(
            event,
            registration_id=person.id,
            attendee=person.email,
            organiser=sender,
            url=links.page_url(ws, event.slug),
            cancel=cancel,
            sequence=1 if cancel else 0,
        )
        return (
            watch.MailAttachment(
                "invitation.ics", content, "text", "calendar", (("method", "CANCEL" if cancel
                else "REQUEST"),)
            ),
        )  # fmt: skip

    with using(person.lang) as lang:
        hello = t("Hello {name},", name=person.name)
        details = _details(event, lang)
        attachments: tuple[watch.MailAttachment, ...] = ()
        if kind == "confirm":
            subject = t("Confirm your registration: {title}", title=event.title)
            body = t(
                "You asked to register for “{title}”.\n\n{details}\n\n"
                "To confirm your address and take a seat, follow this link within {days} days:"
                "\n{confirm}\n\nIf you did not ask for it, ignore this mail: nothing happens "
                "without the link.",
                title=event.title,
                details=details,
                days=CONFIRM_DAYS,
                confirm=link("confirm"),
            )
        elif kind == "confirmed":
            subject = t("Your seat is confirmed: {title}", title=event.title)
            body = t(
                "Your seat for “{title}” is confirmed. The invitation is attached for your "
                "calendar.\n\n{details}\n\nIf you cannot come, free your seat for someone on "
                "the waiting list:\n{cancel}",
                title=event.title,
                details=details,
                cancel=link("cancel"),
            )
            attachments = invitation(cancel=False)
        elif kind == "waitlisted":
            subject = t("On the waiting list: {title}", title=event.title)
            body = t(
                "“{title}” is full: you are number {position} on the waiting list. If a seat "
                "is freed, you will get a mail to take it.\n\n{details}\n\n"
                "To leave the waiting list:\n{cancel}",
                title=event.title,
                position=tables.waiting_rank(ws.store, event.id, person.position or 0),
                details=details,
                cancel=link("cancel"),
            )
        elif kind == "offer":
            deadline = person.offer_expires_at or utcnow()
            subject = t("A seat is free for you: {title}", title=event.title)
            body = t(
                "A seat has been freed for “{title}” and it is yours if you take it before "
                "{deadline}; after that it goes to the next person on the waiting list.\n\n"
                "{details}\n\nTake the seat:\n{accept}\n\nLet it go:\n{cancel}",
                title=event.title,
                deadline=_deadline(deadline, event, lang),
                details=details,
                accept=link("accept"),
                cancel=link("cancel"),
            )
        elif kind == "cancelled":
            subject = t("Registration cancelled: {title}", title=event.title)
            body = t(
                "Your registration for “{title}” is cancelled. Thank you for freeing your "
                "place.\n\n{details}",
                title=event.title,
                details=details,
            )
            attachments = invitation(cancel=True) if person.confirmed_at else ()
        elif kind == "event-cancelled":
            subject = t("Event cancelled: {title}", title=event.title)
            body = t(
                "We are sorry: “{title}” is cancelled.\n\n{details}",
                title=event.title,
                details=details,
            )
            attachments = invitation(cancel=True) if person.confirmed_at else ()
        elif kind == "d2":
            subject = t("In two days: {title}", title=event.title)
            body = t(
                "“{title}” is in two days.\n\n{details}\n\n"
                "I am coming:\n{come}\n\nI free my seat:\n{free}",
                title=event.title,
                details=details,
                come=link("come"),
                free=link("free"),
            )
        elif kind == "d0":
            subject = t("Today: {title}", title=event.title)
            practical = event.description or ""
            body = t(
                "See you today at “{title}”.\n\n{details}\n\n{practical}\n\n"
                "If you cannot come after all:\n{free}",
                title=event.title,
                details=details,
                practical=practical,
                free=link("free"),
            )
        else:
            raise ValueError(kind)
        text = strip_controls(f"{hello}\n\n{body}\n").replace("\n\n\n\n", "\n\n")
        return Mail(person.email, strip_controls(subject).replace("\n", " "), text, attachments)


def owe(tx: Tx, registration_id: int, kind: str) -> bool:
    """Record in the caller's transaction that ``kind`` is owed to the registration."""
    return tables.owe_mail(tx, registration_id, kind, format_datetime(utcnow()))


def deliver(
    ws: Workspace, *, now: datetime | None = None, registrations: Collection[int] | None = None
) -> Delivery:
    """Send every mail owed — only those of ``registrations`` when given (see the module's
    docstring); never raises for one mail."""
    return deliver_apart(nullcontext(ws), now=now, registrations=registrations)


def deliver_apart(
    workspace: Callable[[], AbstractContextManager[Workspace]] | AbstractContextManager[Workspace],
    *,
    now: datetime | None = None,
    registrations: Collection[int] | None = None,
) -> Delivery:
    """:func:`deliver`, holding the workspace only to claim and compose the mails and to
    record what became of them: ``workspace()`` opens it (the web server's lock), and the
    SMTP conversations happen outside, so a slow or silent server holds no page up."""

    def opened() -> AbstractContextManager[Workspace]:
        return workspace() if callable(workspace) else workspace

    report = Delivery(errors=[])
    only = None if registrations is None else sorted(set(registrations))
    moment = now or utcnow()
    # The mails of given registrations are a web page's: those owed when they were handed
    # over (committed before), never a reminder — reminders are the events step's to send.
    # (Before, a second round of this loop claimed the D-2 reminder the step had just written
    # for the same person, within the second ``created_at`` keeps; the step, run with a
    # clock two days ahead as tests do, took that fresh claim for a dead one's and the
    # reminder went twice. Bounding by time alone did not do: it is kept to the second.)
    owed_by = None if only is None else format_datetime(utcnow())
    but = () if only is None else REMINDERS
    while True:
        with opened() as ws:
            missing = watch.mail_missing(ws)
            if missing:
                report.missing = missing
                report.waiting = sum(
                    n for s, n in tables.mail_counts(ws.store).items() if s in ("pending", "failed")
                )
                return report
            settings = smtp_settings(ws)
            with ws.store.transaction() as tx:
                claimed = tables.claim_mails(
                    tx,
                    format_datetime(moment),
                    format_datetime(moment - STALE),
                    MAX_ATTEMPTS,
                    registrations=only,
                    owed_by=owed_by,
                    but=but,
                )
            composed = [(rid, kind, *_compose_one(ws, rid, kind)) for rid, kind in claimed]
        if not claimed:
            return report
        for registration_id, kind, mail, status, error in composed:
            if mail is not None:
                status, error = _send(settings, mail)
            # recorded at once, each: a process killed now leaves one mail to go twice
            with opened() as ws, ws.store.transaction() as tx:
                tables.finish_mail(
                    tx, registration_id, kind, format_datetime(utcnow()), status, error
                )
            if status == "sent":
                report.sent += 1
            elif status == "dropped":
                report.dropped += 1
            else:
                log.warning("event mail %s to registration %s not sent: %s", kind,
                            registration_id, error)  # fmt: skip
                report.failed += 1
                assert report.errors is not None
                report.errors.append(f"{kind} #{registration_id}: {error}")
        if report.failed:
            return report  # the server is failing: the rest waits for the next delivery


def _compose_one(
    ws: Workspace, registration_id: int, kind: str
) -> tuple[Mail | None, str, str | None]:
    """The mail to send, or None with the status to record (dropped, or failed)."""
    row = tables.registration(ws.store, registration_id)
    if row is None:
        return None, "dropped", None
    person = Registration.from_row(row)
    event_row = tables.event_by_id(ws.store, person.event_id)
    if person.anonymised_at is not None or event_row is None:
        return None, "dropped", None
    try:
        return compose(ws, Event.from_row(event_row), person, kind), "", None
    except VeilleurError as exc:
        return None, "failed", str(exc)


def _send(settings: SmtpSettings, mail: Mail) -> tuple[str, str | None]:
    try:
        send(settings, build_message(settings.sender, [mail.to], mail.subject, mail.text,
                                     None, mail.attachments))  # fmt: skip
    except VeilleurError as exc:
        return "failed", str(exc)
    return "sent", None
