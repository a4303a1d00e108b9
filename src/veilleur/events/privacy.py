"""Personal data of registrations: anonymised N days after the event, forgotten on request,
exported for the person who asks.

Anonymising keeps what the figures need (status, dates, the consent text the person agreed
to) and replaces what names a person (name, address, organisation, handles). It is run by
``veilleur run``'s loop for every event over for ``events.anonymise_days`` days (default 90).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from veilleur.events import tables
from veilleur.events.config import ANONYMISE_DAYS
from veilleur.events.model import ANONYMISED, Event, Registration
from veilleur.model import format_datetime, utcnow
from veilleur.store.handles import Tx
from veilleur.workspace import Workspace


def _scrub(tx: Tx, ids: list[int], now: datetime) -> int:
    changed = 0
    for registration_id in ids:
        changed += tables.anonymise_registrations(
            tx,
            [registration_id],
            {
                "name": ANONYMISED,
                "email": f"anonymised-{registration_id}@invalid",
                "organisation": None,
                "handles": "{}",
                "anonymised_at": format_datetime(now),
            },
        )
    return changed


def anonymise_due(ws: Workspace, *, now: datetime | None = None) -> int:
    """Anonymise the registrations of every event over for ``events.anonymise_days``;
    the number of registrations anonymised."""
    moment = now or utcnow()
    days = ws.setting_int(ANONYMISE_DAYS)
    cutoff = format_datetime(moment - timedelta(days=max(0, days)))
    store = ws.store
    done = 0
    for row in tables.events_ending_before(store, cutoff):
        event = Event.from_row(row)
        with store.transaction() as tx:
            ids = [int(r[0]) for r in tables.registrations(tx, event.id) if r[15] is None]
            done += _scrub(tx, ids, moment)
            tables.update_event(tx, event.id, {"anonymised_at": format_datetime(moment)})
    return done


def forget(ws: Workspace, email: str, *, now: datetime | None = None) -> int:
    """Anonymise every registration made with ``email`` now (a person's request); a seat
    they held for an event to come is freed and offered on first. The number anonymised."""
    from veilleur.events.seats import _hours, cancel

    moment = now or utcnow()
    store = ws.store
    with store.transaction() as tx:
        rows = [r for r in tables.registrations_of(tx, email.strip()) if r[15] is None]
        for row in rows:
            person = Registration.from_row(row)
            event_row = tables.event_by_id(tx, person.event_id)
            assert event_row is not None
            event = Event.from_row(event_row)
            if person.status in ("pending", "confirmed", "waitlisted", "offered") and (
                moment < event.ends_at
            ):
                cancel(tx, event, person, moment, _hours(ws))
            tables.drop_mails(tx, person.id, ("confirm", "offer", "cancelled", "d2", "d0"))
        return _scrub(tx, [int(r[0]) for r in rows], moment)


def export_person(ws: Workspace, email: str) -> dict[str, Any]:
    """Everything kept about the person with ``email``: each registration with its event,
    the consent text and the mails sent (a JSON-ready dict)."""
    store = ws.store
    found = []
    for row in tables.registrations_of(store, email.strip()):
        person = Registration.from_row(row)
        event_row = tables.event_by_id(store, person.event_id)
        event = Event.from_row(event_row) if event_row else None
        found.append(
            {
                **person.to_json(),
                "event": event.to_json() if event else None,
                "mails": [
                    {"kind": kind, "status": status, "sent_at": sent}
                    for kind, status, sent in tables.mails_of(store, person.id)
                ],
            }
        )
    return {"email": email.strip(), "registrations": found}
