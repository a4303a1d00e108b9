"""Events of a workspace: add, list, show, edit, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from veilleur.errors import UsageError
from veilleur.events import links, tables
from veilleur.events.model import (
    Event,
    Seats,
    check_hashtag,
    check_slug,
    local_time,
    zone,
)
from veilleur.i18n import t
from veilleur.model import format_datetime, utcnow
from veilleur.store import SQLiteStore
from veilleur.store.handles import Db
from veilleur.workspace import Workspace

DEFAULT_TIMEZONE = "Europe/Paris"
MAX_CAPACITY = 100_000


@dataclass(frozen=True, slots=True)
class EventSpec:
    """What ``event add`` and ``event edit`` are given (None: unchanged on edit)."""

    title: str | None = None
    start: str | None = None
    end: str | None = None
    timezone: str | None = None
    location: str | None = None
    capacity: int | None = None
    hashtag: str | None = None
    description: str | None = None
    lang: str | None = None


def _check_capacity(capacity: int) -> int:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise UsageError(
            t("--capacity: expected a number of seats from 1 to {most}", most=MAX_CAPACITY)
        )
    return capacity


def _check_lang(lang: str) -> str:
    if lang not in ("fr", "en"):
        raise UsageError(t("--lang: expected fr or en, got '{lang}'", lang=lang))
    return lang


def _times(start: str, end: str, timezone: str) -> tuple[datetime, datetime]:
    where = zone(timezone)
    begins = local_time(start, where, "--start")
    ends = local_time(end, where, "--end")
    if ends <= begins:
        raise UsageError(t("--end must come after --start"))
    return begins, ends


def get_event(db: Db, slug: str) -> Event:
    """The event called ``slug``; a UsageError naming the known ones when there is none."""
    row = tables.event_by_slug(db, slug)
    if row is None:
        known = ", ".join(tables.slugs(db)) or "—"
        raise UsageError(t("no event '{slug}' (events: {known})", slug=slug, known=known))
    return Event.from_row(row)


def list_events(db: Db) -> list[Event]:
    return [Event.from_row(r) for r in tables.event_rows(db)]


def add_event(ws: Workspace, slug: str, spec: EventSpec) -> Event:
    """Create the event ``slug``; its title, start, end and capacity are required."""
    check_slug(slug)
    if not spec.title or not spec.start or not spec.end or spec.capacity is None:
        raise UsageError(t("an event needs --title, --start, --end and --capacity"))
    timezone = spec.timezone or DEFAULT_TIMEZONE
    begins, ends = _times(spec.start, spec.end, timezone)
    values: dict[str, Any] = {
        "slug": slug,
        "title": spec.title.strip(),
        "description": spec.description,
        "location": spec.location,
        "starts_at": format_datetime(begins),
        "ends_at": format_datetime(ends),
        "timezone": timezone,
        "capacity": _check_capacity(spec.capacity),
        "hashtag": check_hashtag(spec.hashtag),
        "lang": _check_lang(spec.lang or ws.setting("report.lang") or "fr"),
        "status": "open",
        "created_at": format_datetime(utcnow()),
    }
    links.serializer(ws)  # the signing key exists before any process signs a link
    store = ws.store
    with store.transaction() as tx:
        if tables.event_by_slug(tx, slug) is not None:
            raise UsageError(t("an event '{slug}' already exists", slug=slug))
        tables.insert_event(tx, values)
    return get_event(store, slug)


def edit_event(ws: Workspace, slug: str, spec: EventSpec) -> Event:
    """Change what ``spec`` gives; a capacity below the seats already taken is refused."""
    store = ws.store
    event = get_event(store, slug)
    values: dict[str, Any] = {}
    if spec.title is not None:
        values["title"] = spec.title.strip()
    for name in ("description", "location"):
        if getattr(spec, name) is not None:
            values[name] = getattr(spec, name) or None
    if spec.hashtag is not None:
        values["hashtag"] = check_hashtag(spec.hashtag)
    if spec.lang is not None:
        values["lang"] = _check_lang(spec.lang)
    if spec.start or spec.end or spec.timezone:
        timezone = spec.timezone or event.timezone
        where = zone(timezone)
        begins = local_time(spec.start, where, "--start") if spec.start else event.starts_at
        ends = local_time(spec.end, where, "--end") if spec.end else event.ends_at
        if ends <= begins:
            raise UsageError(t("--end must come after --start"))
        values.update(
            starts_at=format_datetime(begins), ends_at=format_datetime(ends), timezone=timezone
        )
    with store.transaction() as tx:
        if spec.capacity is not None:
            taken = tables.seats_taken(tx, event.id)
            if _check_capacity(spec.capacity) < taken:
                raise UsageError(
                    t(
                        "--capacity {capacity} is below the {taken} seats already taken: cancel "
                        "registrations first",
                        capacity=spec.capacity,
                        taken=taken,
                    )
                )
            values["capacity"] = spec.capacity
        tables.update_event(tx, event.id, values)
    if spec.capacity is not None and spec.capacity > event.capacity:
        from veilleur.events.seats import fill_free_seats

        fill_free_seats(ws, slug)
    return get_event(store, slug)


def seats(db: Db, event: Event) -> Seats:
    counts = tables.status_counts(db, event.id)
    taken = sum(counts.get(s, 0) for s in tables.HOLDING)
    return Seats(event.capacity, taken, counts.get("waitlisted", 0), counts)


def seats_left(store: SQLiteStore, slug: str) -> Seats:
    """The event's seats: capacity, taken, left, waiting (what the public page shows)."""
    return seats(store, get_event(store, slug))
