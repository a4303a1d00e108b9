"""The list of people of an event (table, CSV, JSON) and its attendance figures."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from veilleur.events import tables
from veilleur.events.mails import when
from veilleur.events.manage import get_event
from veilleur.events.model import Event, Registration
from veilleur.i18n import current_lang, ngettext, t, using
from veilleur.model import format_datetime, utcnow
from veilleur.report.dates import percent
from veilleur.report.safety import csv_writer
from veilleur.store import SQLiteStore

CSV_COLUMNS = (
    "id",
    "status",
    "position",
    "name",
    "email",
    "organisation",
    "handles",
    "registered_at",
    "confirmed_at",
    "cancelled_at",
    "attended_at",
    "coming_at",
)


@dataclass(frozen=True, slots=True)
class Attendance:
    """An event's figures: registered (everyone who signed up), confirmed (who held a
    seat), attended (checked in), and once the event is over the no-shows and their rate."""

    registered: int
    confirmed: int
    waitlisted: int
    cancelled: int
    attended: int
    over: bool

    @property
    def no_shows(self) -> int | None:
        return self.confirmed - self.attended if self.over else None

    @property
    def no_show_rate(self) -> float | None:
        if not self.over or not self.confirmed:
            return None
        return (self.confirmed - self.attended) / self.confirmed

    def summary(self, lang: str | None = None) -> str:
        """« 6 inscrits, 4 confirmés, 1 en attente, 3 présents — absents : 1 (25 %) »: the
        figures in one line, the no-shows once the event is over."""
        lang = lang or current_lang()
        line = t(
            "{registered} registered, {confirmed} confirmed, {waitlisted} waiting, "
            "{attended} attended",
            lang,
            registered=self.registered,
            confirmed=self.confirmed,
            waitlisted=self.waitlisted,
            attended=self.attended,
        )
        if self.no_show_rate is not None:
            line += " — " + t(
                "no-shows: {count} ({rate})",
                lang,
                count=self.no_shows,
                rate=percent(self.no_show_rate, lang),
            )
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "registered": self.registered,
            "confirmed": self.confirmed,
            "waitlisted": self.waitlisted,
            "cancelled": self.cancelled,
            "attended": self.attended,
            "no_shows": self.no_shows,
            "no_show_rate": self.no_show_rate,
        }


def attendees(store: SQLiteStore, slug: str) -> tuple[Event, list[Registration]]:
    """The event and every registration, in the order they came."""
    event = get_event(store, slug)
    return event, [Registration.from_row(r) for r in tables.registrations(store, event.id)]


def attendance(store: SQLiteStore, slug: str, *, now: datetime | None = None) -> Attendance:
    event = get_event(store, slug)
    counts = tables.status_counts(store, event.id)
    return Attendance(
        registered=sum(counts.values()),
        confirmed=counts.get("confirmed", 0) + counts.get("attended", 0),
        waitlisted=counts.get("waitlisted", 0) + counts.get("offered", 0),
        cancelled=counts.get("cancelled", 0) + counts.get("expired", 0),
        attended=counts.get("attended", 0),
        over=(now or utcnow()) >= event.ends_at,
    )


def _cells(person: Registration) -> list[Any]:
    def stamp(value: datetime | None) -> str:
        return format_datetime(value) if value else ""

    handles = " ".join(f"{network}:{handle}" for network, handle in sorted(person.handles.items()))
    return [
        person.id,
        person.status,
        person.position if person.status in ("waitlisted", "offered") else "",
        person.name,
        person.email,
        person.organisation or "",
        handles,
        stamp(person.registered_at),
        stamp(person.confirmed_at),
        stamp(person.cancelled_at),
        stamp(person.attended_at),
        stamp(person.coming_at),
    ]


def attendees_csv(people: list[Registration]) -> str:
    """The list as CSV (cells a spreadsheet would run as formulas are neutralised)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_cells(p) for p in people)
    return buffer.getvalue()


def attendees_json(event: Event, people: list[Registration], figures: Attendance) -> str:
    payload = {
        "event": event.to_json(),
        "attendance": figures.to_json(),
        "registrations": [p.to_json() for p in people],
    }
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()


def waiting_ranks(people: list[Registration]) -> dict[int, int]:
    """Each waitlisted person's rank among those still waiting (1 = next for a freed seat):
    positions keep their gaps when people leave, ranks do not."""
    waiting = sorted(
        (p for p in people if p.status == "waitlisted" and p.position is not None),
        key=lambda p: (p.position, p.id),
    )
    return {person.id: rank for rank, person in enumerate(waiting, start=1)}


def find_people(people: list[Registration], query: str) -> list[Registration]:
    """The people whose name, address or organisation contains every word of ``query``
    (case and accents ignored): the check-in page's search box."""
    from veilleur.text import fold

    words = fold(query).split()

    def matches(person: Registration) -> bool:
        seen = fold(" ".join((person.name, person.email, person.organisation or "")))
        return all(word in seen for word in words)

    return [p for p in people if matches(p)]


SEAT_HOLDERS = ("confirmed", "attended", "offered")
"""Who holds a seat: the printable list names them (an offer may be taken by the day)."""
CHECKED_IN = ("confirmed", "attended")
"""Who may be checked in on the day: a confirmed seat (an open offer is not one yet)."""


def seat_holders(people: list[Registration], *, offers: bool = True) -> list[Registration]:
    """Those holding a seat, by name — the printable list (``offers``: with the seats
    offered and not yet taken) or the check-in page (without)."""
    statuses = SEAT_HOLDERS if offers else CHECKED_IN
    return sorted((p for p in people if p.status in statuses), key=lambda p: p.name.casefold())


def checkin_html(store: SQLiteStore, slug: str) -> str:
    """The check-in list to print (those holding a seat, by name, a box to tick, a column to
    sign), a page of its own in the event's language: the source of :func:`checkin_pdf`."""
    from veilleur.report import render

    event, people = attendees(store, slug)
    holders = seat_holders(people)
    with using(event.lang) as lang:
        labels = {
            "title": t("Check-in list"),
            "when": when(event, lang),
            "count": ngettext("{n} person", "{n} people", len(holders)).format(n=len(holders)),
            "present": t("Present"),
            "name": t("Name"),
            "organisation": t("Organisation"),
            "signature": t("Signature"),
        }
        return render(
            "veilleur.events", "checkin.html", event=event, people=holders, labels=labels,
            lang=lang,
        )  # fmt: skip


def checkin_pdf(store: SQLiteStore, slug: str, output: Path) -> None:
    """The check-in list as a PDF (WeasyPrint, the ``pdf`` extra), written whole or not at all."""
    from veilleur.events.kit import write_pdf

    write_pdf(checkin_html(store, slug), output)
