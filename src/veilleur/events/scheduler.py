"""What ``veilleur run`` does for events at each turn of its loop (:func:`step`):

* offers past their deadline lapse and free seats are offered to the next person;
* the D-2 reminder (« je viens / je libère ma place ») is owed to each confirmed person
  from two days before the start, the D-0 one (practical details) from 07:00 on the day,
  in the event's time zone;
* registrations of events over for ``events.anonymise_days`` are anonymised;
* the mails owed are delivered.

A reminder is a row of ``event_mails`` keyed by registration and kind, inserted once and
claimed atomically: two loops on the same workspace, or a loop restarted mid-way, send it
once. A person who confirmed within the last two days gets no D-2 reminder (their
confirmation just told them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from veilleur.events import mails, privacy, tables
from veilleur.events.model import Event, Registration
from veilleur.events.seats import _hours, _lapse
from veilleur.model import format_datetime, utcnow
from veilleur.workspace import Workspace

D2 = timedelta(days=2)
MORNING = time(7, 0)


@dataclass(slots=True)
class StepReport:
    reminders: int = 0
    anonymised: int = 0
    delivery: mails.Delivery = field(default_factory=mails.Delivery)


def _morning(event: Event) -> datetime:
    start = event.local_start
    return datetime.combine(start.date(), MORNING, tzinfo=event.zone)


def step(ws: Workspace, *, now: datetime | None = None) -> StepReport:
    """One turn of the events' work (see the module's docstring)."""
    moment = now or utcnow()
    report = StepReport()
    store = ws.store
    upcoming = [
        Event.from_row(r)
        for r in tables.events_between(
            store, format_datetime(moment - timedelta(days=1)), "9999-12-31T00:00:00Z"
        )
    ]
    hours = _hours(ws)
    for event in upcoming:
        with store.transaction() as tx:
            _lapse(tx, event, moment, hours)
            holders = [
                Registration.from_row(r)
                for r in tables.registrations_by_status(tx, event.id, ("confirmed",))
            ]
            for person in holders:
                kinds = []
                if event.starts_at - D2 <= moment < event.starts_at and (
                    person.confirmed_at is not None and person.confirmed_at < event.starts_at - D2
                ):
                    kinds.append("d2")
                if _morning(event) <= moment < event.ends_at:
                    kinds.append("d0")
                for kind in kinds:
                    report.reminders += mails.owe(tx, person.id, kind)
    report.anonymised = privacy.anonymise_due(ws, now=moment)
    report.delivery = mails.deliver(ws, now=moment)
    return report
