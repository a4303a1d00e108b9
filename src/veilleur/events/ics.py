"""The ``.ics`` invitation sent with registration mails (RFC 5545, through icalendar).

Times are written in the event's own time zone (``DTSTART;TZID=Europe/Paris``) with the
``VTIMEZONE`` that defines it, so a calendar anywhere shows the right hour. The UID is
stable per event and person: a later mail (``METHOD:CANCEL``, a changed time) updates the
same entry in the person's calendar instead of adding a second one.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from veilleur.events.model import Event
from veilleur.model import utcnow


def uid(event: Event, registration_id: int, domain: str) -> str:
    return f"event-{event.id}-{registration_id}@{domain}"


def invitation(
    event: Event,
    *,
    registration_id: int,
    attendee: str | None,
    organiser: str,
    url: str | None = None,
    cancel: bool = False,
    sequence: int = 0,
    now: datetime | None = None,
) -> bytes:
    """The calendar file for one person: a ``REQUEST`` (or a ``CANCEL`` when the event or
    the person's seat is cancelled)."""
    calendar = Calendar()
    calendar.add("prodid", "-//veilleur//events//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    entry = VEvent()
    domain = organiser.rsplit("@", 1)[-1] or "veilleur"
    entry.add("uid", uid(event, registration_id, domain))
    entry.add("dtstamp", now or utcnow())
    entry.add("dtstart", event.local_start)
    entry.add("dtend", event.local_end)
    entry.add("summary", event.title)
    entry.add("sequence", sequence)
    entry.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if event.location:
        entry.add("location", event.location)
    description = event.description or ""
    if url:
        description = f"{description}\n\n{url}".strip()
    if description:
        entry.add("description", description)
    if url:
        entry.add("url", url)
    organizer = vCalAddress(f"mailto:{organiser}")
    organizer.params["cn"] = vText("veilleur")
    entry.add("organizer", organizer)
    if attendee:
        person = vCalAddress(f"mailto:{attendee}")
        person.params["role"] = vText("REQ-PARTICIPANT")
        entry.add("attendee", person)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
