"""The records of the events pillar: an event, a registration, and their statuses.

Times are stored in UTC (ISO text, the store's format); an event keeps its time zone name
so that mails, the ``.ics`` invitation and the reminders speak the local time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veilleur.errors import UsageError
from veilleur.i18n import N_, t
from veilleur.model import format_datetime, parse_datetime

STATUSES = {
    "pending": N_("pending"),
    "confirmed": N_("confirmed"),
    "waitlisted": N_("waitlisted"),
    "offered": N_("offered"),
    "expired": N_("offer expired"),
    "cancelled": N_("cancelled"),
    "attended": N_("attended"),
}
"""Each status a registration goes through, as a person reads it.

``pending`` until the e-mail link is followed (double opt-in: no seat before); then
``confirmed`` (a seat) or ``waitlisted`` (a position); a freed seat makes the first one
``offered`` until its deadline, then ``confirmed`` or ``expired``; ``cancelled`` by the
person or the organiser; ``attended`` once checked in on the day."""

EVENT_STATUSES = {"open": N_("open"), "cancelled": N_("cancelled")}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED = frozenset({"l", "mur"})
"""Words of the public pages' addresses (``/e/SLUG/mur``, ``/e/SLUG/l/TOKEN``): an event so
named in a workspace served beside the home (``/e/NAME/SLUG``) could not be reached."""
ANONYMISED = "—"


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name`` (``Europe/Paris``); a UsageError for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            t("unknown time zone '{zone}' (expected a name such as Europe/Paris)", zone=name)
        ) from None


def local_time(value: str, where: ZoneInfo, option: str) -> datetime:
    """A date-time typed by a user, in UTC: with an offset it is that instant; without, a
    wall-clock time in ``where``. A time the clocks skip (spring forward) is refused; a
    time that happens twice (fall back) is the first."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            t(
                "{option}: '{value}' is not a date and time (expected YYYY-MM-DDTHH:MM)",
                option=option,
                value=value,
            )
        ) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    placed = parsed.replace(tzinfo=where, fold=0)
    back = placed.astimezone(UTC).astimezone(where).replace(tzinfo=None)
    if back != parsed:
        raise UsageError(
            t(
                "{option}: {value} does not exist in {zone} (the clocks skip it)",
                option=option,
                value=value,
                zone=where.key,
            )
        )
    return placed.astimezone(UTC)


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise UsageError(
            t(
                "'{slug}' is not a valid event name: lower-case letters, digits and hyphens, "
                "64 at most (atelier-twitter-lyon)",
                slug=slug,
            )
        )
    if slug in RESERVED:
        raise UsageError(
            t("'{slug}' cannot name an event: the addresses of the public pages use it", slug=slug)
        )
    return slug


def check_hashtag(hashtag: str | None) -> str | None:
    if hashtag is None or not hashtag.strip():
        return None
    tag = hashtag.strip().lstrip("#")
    if not re.fullmatch(r"\w+", tag) or tag.isdigit():
        raise UsageError(
            t(
                "--hashtag: '{tag}' is not a hashtag (letters, digits and _ only, not only digits)",
                tag=hashtag,
            )
        )
    return "#" + tag


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    slug: str
    title: str
    description: str | None
    location: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int
    hashtag: str | None
    lang: str
    status: str
    created_at: datetime
    anonymised_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> Event:
        return cls(
            id=int(row[0]),
            slug=str(row[1]),
            title=str(row[2]),
            description=row[3],
            location=row[4],
            starts_at=parse_datetime(row[5]),
            ends_at=parse_datetime(row[6]),
            timezone=str(row[7]),
            capacity=int(row[8]),
            hashtag=row[9],
            lang=str(row[10]),
            status=str(row[11]),
            created_at=parse_datetime(row[12]),
            anonymised_at=parse_datetime(row[13]) if row[13] else None,
        )

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    def is_over(self, now: datetime) -> bool:
        """Whether the event has ended at ``now`` (sign-ups and links are closed then)."""
        return now >= self.ends_at

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "location": self.location,
            "start": self.local_start.isoformat(),
            "end": self.local_end.isoformat(),
            "timezone": self.timezone,
            "capacity": self.capacity,
            "hashtag": self.hashtag,
            "lang": self.lang,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Registration:
    id: int
    event_id: int
    name: str
    email: str
    organisation: str | None
    handles: dict[str, str]
    consent: str
    lang: str
    status: str
    position: int | None
    registered_at: datetime
    confirmed_at: datetime | None = None
    offer_expires_at: datetime | None = None
    cancelled_at: datetime | None = None
    attended_at: datetime | None = None
    anonymised_at: datetime | None = None
    coming_at: datetime | None = None  # « je viens » (the D-2 reminder's link)

    @classmethod
    def from_row(cls, row: Any) -> Registration:
        def when(value: str | None) -> datetime | None:
            return parse_datetime(value) if value else None

        return cls(
            id=int(row[0]),
            event_id=int(row[1]),
            name=str(row[2]),
            email=str(row[3]),
            organisation=row[4],
            handles=dict(json.loads(row[5] or "{}")),
            consent=str(row[6]),
            lang=str(row[7]),
            status=str(row[8]),
            position=None if row[9] is None else int(row[9]),
            registered_at=parse_datetime(row[10]),
            confirmed_at=when(row[11]),
            offer_expires_at=when(row[12]),
            cancelled_at=when(row[13]),
            attended_at=when(row[14]),
            anonymised_at=when(row[15]),
            coming_at=when(row[16]),
        )

    def to_json(self) -> dict[str, Any]:
        def stamp(value: datetime | None) -> str | None:
            return format_datetime(value) if value else None

        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "handles": self.handles,
            "status": self.status,
            "position": self.position,
            "consent": self.consent,
            "lang": self.lang,
            "registered_at": stamp(self.registered_at),
            "confirmed_at": stamp(self.confirmed_at),
            "offer_expires_at": stamp(self.offer_expires_at),
            "cancelled_at": stamp(self.cancelled_at),
            "attended_at": stamp(self.attended_at),
            "coming_at": stamp(self.coming_at),
            "anonymised": self.anonymised_at is not None,
        }


@dataclass(frozen=True, slots=True)
class Seats:
    """An event's figures: what the public page shows (« Plus que 3 places »)."""

    capacity: int
    taken: int
    waiting: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.taken)

    def to_json(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "taken": self.taken,
            "left": self.left,
            "waiting": self.waiting,
            "counts": self.counts,
        }
