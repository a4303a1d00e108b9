"""The events pillar's tables and every statement on them.

Tables: ``events`` (one workshop or conference of the workspace), ``event_registrations``
(one person's sign-up: contact, consent text, status, waitlist position, offer deadline)
and ``event_mails`` (each mail a registration is owed, claimed by the process that sends
it: a ``(registration, kind)`` row exists once, so a mail goes at most once even when two
``veilleur run`` loops work on the same workspace).

The rest of the pillar calls the functions below with the store (``Db``: a read outside
any transaction) or what ``store.transaction()`` yields (``Tx``: the statement joins the
caller's ``BEGIN IMMEDIATE`` transaction, which is what makes seat counting exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, Text

from veilleur.store.handles import Db, Tx, conn
from veilleur.store.schema import metadata

events_table = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("location", Text),
    Column("starts_at", Text, nullable=False),
    Column("ends_at", Text, nullable=False),
    Column("timezone", Text, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("hashtag", Text),
    Column("lang", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("anonymised_at", Text),
)

event_registrations_table = Table(
    "event_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("organisation", Text),
    Column("handles", Text, nullable=False),
    Column("consent", Text, nullable=False),
    Column("lang", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("position", Integer),
    Column("registered_at", Text, nullable=False),
    Column("confirmed_at", Text),
    Column("offer_expires_at", Text),
    Column("cancelled_at", Text),
    Column("attended_at", Text),
    Column("anonymised_at", Text),
    Column("coming_at", Text),  # « je viens »: the reminder's link, first answer
)
Index(
    "event_registrations_status",
    event_registrations_table.c.event_id,
    event_registrations_table.c.status,
)
Index("event_registrations_email", event_registrations_table.c.email)

event_mails_table = Table(
    "event_mails",
    metadata,
    Column(
        "registration_id",
        Integer,
        ForeignKey("event_registrations.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("kind", Text, primary_key=True),
    Column("status", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("claimed_at", Text),
    Column("sent_at", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", Text),
)
Index("event_mails_status", event_mails_table.c.status)

event_wall_posts_table = Table(
    "event_wall_posts",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("network", Text, primary_key=True),
    Column("post_id", Text, primary_key=True),
    Column("state", Text, nullable=False),
    Column("by", Text),
    Column("at", Text, nullable=False),
)
"""The live wall's moderation: a post ``hidden`` or ``pinned`` by an editor (revision 0009)."""

event_wall_options_table = Table(
    "event_wall_options",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("attendees_only", Integer, nullable=False, server_default="0"),
)

EVENT_COLUMNS = (
    "id, slug, title, description, location, starts_at, ends_at, timezone, capacity, "
    "hashtag, lang, status, created_at, anonymised_at"
)
REGISTRATION_COLUMNS = (
    "id, event_id, name, email, organisation, handles, consent, lang, status, position, "
    "registered_at, confirmed_at, offer_expires_at, cancelled_at, attended_at, anonymised_at, "
    "coming_at"
)
Row = Sequence[Any]
HOLDING = ("confirmed", "offered", "attended")
"""The statuses that hold a seat."""


# -- events ------------------------------------------------------------------------------


def insert_event(tx: Tx, values: dict[str, Any]) -> int:
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = tx.execute(f"INSERT INTO events ({names}) VALUES ({marks})", tuple(values.values()))
    return int(cursor.lastrowid or 0)


def update_event(tx: Tx, event_id: int, values: dict[str, Any]) -> None:
    if not values:
        return
    assignments = ", ".join(f"{name} = ?" for name in values)
    tx.execute(f"UPDATE events SET {assignments} WHERE id = ?", (*values.values(), event_id))


def event_by_slug(db: Db, slug: str) -> Row | None:
    row: Row | None = (
        conn(db).execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE slug = ?", (slug,)).fetchone()
    )
    return row


def event_by_id(db: Db, event_id: int) -> Row | None:
    row: Row | None = (
        conn(db).execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)).fetchone()
    )
    return row


def event_rows(db: Db) -> list[Row]:
    return list(conn(db).execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY starts_at, slug"))


def slugs(db: Db) -> list[str]:
    return [str(r[0]) for r in conn(db).execute("SELECT slug FROM events ORDER BY slug")]


def events_ending_before(db: Db, moment: str) -> list[Row]:
    """Events over before ``moment`` whose people's data is not yet anonymised."""
    return list(
        conn(db).execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE ends_at < ? AND anonymised_at IS NULL",
            (moment,),
        )
    )


def events_between(db: Db, start: str, end: str) -> list[Row]:
    """Open events starting in ``[start, end)``."""
    return list(
        conn(db).execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE status = 'open' "
            "AND starts_at >= ? AND starts_at < ?",
            (start, end),
        )
    )


# -- registrations -----------------------------------------------------------------------


def insert_registration(tx: Tx, values: dict[str, Any]) -> int:
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = tx.execute(
        f"INSERT INTO event_registrations ({names}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid or 0)


def update_registration(tx: Tx, registration_id: int, values: dict[str, Any]) -> None:
    assignments = ", ".join(f"{name} = ?" for name in values)
    tx.execute(
        f"UPDATE event_registrations SET {assignments} WHERE id = ?",
        (*values.values(), registration_id),
    )


def registration(db: Db, registration_id: int) -> Row | None:
    row: Row | None = (
        conn(db)
        .execute(
            f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations WHERE id = ?",
            (registration_id,),
        )
        .fetchone()
    )
    return row


def registrations(db: Db, event_id: int) -> list[Row]:
    """Every registration of the event, in the order they came."""
    return list(
        conn(db).execute(
            f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations WHERE event_id = ? "
            "ORDER BY id",
            (event_id,),
        )
    )


def registrations_by_status(db: Db, event_id: int, statuses: Sequence[str]) -> list[Row]:
    marks = ", ".join("?" * len(statuses))
    return list(
        conn(db).execute(
            f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations WHERE event_id = ? "
            f"AND status IN ({marks}) ORDER BY id",
            (event_id, *statuses),
        )
    )


def registrations_of(db: Db, email: str) -> list[Row]:
    """Every registration made with ``email`` (case-insensitive), every event."""
    return list(
        conn(db).execute(
            f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations "
            "WHERE lower(email) = lower(?) ORDER BY id",
            (email,),
        )
    )


def active_registration(tx: Tx, event_id: int, email: str) -> Row | None:
    """The person's registration still in play (not cancelled, not lapsed) for the event."""
    row: Row | None = tx.execute(
        f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations WHERE event_id = ? "
        "AND lower(email) = lower(?) AND status NOT IN ('cancelled', 'expired') "
        "AND anonymised_at IS NULL",
        (event_id, email),
    ).fetchone()
    return row


def seats_taken(db: Db, event_id: int) -> int:
    marks = ", ".join("?" * len(HOLDING))
    row = (
        conn(db)
        .execute(
            f"SELECT count(*) FROM event_registrations WHERE event_id = ? AND status IN ({marks})",
            (event_id, *HOLDING),
        )
        .fetchone()
    )
    return int(row[0])


def status_counts(db: Db, event_id: int) -> dict[str, int]:
    return {
        str(status): int(n)
        for status, n in conn(db).execute(
            "SELECT status, count(*) FROM event_registrations WHERE event_id = ? GROUP BY status",
            (event_id,),
        )
    }


def next_position(tx: Tx, event_id: int) -> int:
    row = tx.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM event_registrations WHERE event_id = ?",
        (event_id,),
    ).fetchone()
    return int(row[0])


def waiting_rank(db: Db, event_id: int, position: int) -> int:
    """Where a person at ``position`` stands among those still waiting (positions are kept
    when people ahead are offered a seat or leave, so a position is not a rank)."""
    row = (
        conn(db)
        .execute(
            "SELECT count(*) FROM event_registrations "
            "WHERE event_id = ? AND status = 'waitlisted' AND position <= ?",
            (event_id, position),
        )
        .fetchone()
    )
    return int(row[0])


def first_waiting(tx: Tx, event_id: int) -> Row | None:
    """The first person on the waitlist (lowest position)."""
    row: Row | None = tx.execute(
        f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations WHERE event_id = ? "
        "AND status = 'waitlisted' ORDER BY position, id LIMIT 1",
        (event_id,),
    ).fetchone()
    return row


def lapsed_offers(tx: Tx, moment: str) -> list[Row]:
    """Offers whose deadline has passed (every event)."""
    return list(
        tx.execute(
            f"SELECT {REGISTRATION_COLUMNS} FROM event_registrations "
            "WHERE status = 'offered' AND offer_expires_at <= ? ORDER BY id",
            (moment,),
        )
    )


def anonymise_registrations(tx: Tx, ids: Sequence[int], values: dict[str, Any]) -> int:
    assignments = ", ".join(f"{name} = ?" for name in values)
    changed = 0
    for registration_id in ids:
        cursor = tx.execute(
            f"UPDATE event_registrations SET {assignments} WHERE id = ?",
            (*values.values(), registration_id),
        )
        changed += cursor.rowcount
    return changed


# -- mails owed --------------------------------------------------------------------------


def owe_mail(tx: Tx, registration_id: int, kind: str, now: str) -> bool:
    """Record that ``kind`` is owed to the registration; False when it already was."""
    cursor = tx.execute(
        "INSERT OR IGNORE INTO event_mails (registration_id, kind, status, created_at, attempts) "
        "VALUES (?, ?, 'pending', ?, 0)",
        (registration_id, kind, now),
    )
    return cursor.rowcount == 1


def claim_mails(
    tx: Tx,
    now: str,
    stale: str,
    max_attempts: int,
    limit: int = 50,
    registrations: Sequence[int] | None = None,
    owed_by: str | None = None,
    but: Sequence[str] = (),
) -> list[tuple[int, str]]:
    """Claim the mails to send now: pending or failed ones, and ones a process claimed
    before ``stale`` and never finished (it died) — only those of ``registrations`` when
    given, only those owed by ``owed_by`` (their ``created_at``) when given, never those of
    the kinds ``but``. Run inside ``BEGIN IMMEDIATE``: what one process claims, another does
    not see as claimable."""
    only = ""
    params: tuple[object, ...] = (max_attempts, stale)
    if registrations is not None:
        if not registrations:
            return []
        only = f" AND registration_id IN ({', '.join('?' * len(registrations))})"
        params += tuple(int(r) for r in registrations)
    if but:
        only += f" AND kind NOT IN ({', '.join('?' * len(but))})"
        params += tuple(but)
    if owed_by is not None:
        only += " AND created_at <= ?"
        params += (owed_by,)
    rows = [
        (int(r[0]), str(r[1]))
        for r in tx.execute(
            "SELECT registration_id, kind FROM event_mails WHERE attempts < ? AND "
            "(status IN ('pending', 'failed') OR (status = 'sending' AND claimed_at < ?))"
            f"{only} ORDER BY created_at, registration_id LIMIT ?",
            (*params, limit),
        )
    ]
    for registration_id, kind in rows:
        tx.execute(
            "UPDATE event_mails SET status = 'sending', claimed_at = ?, attempts = attempts + 1 "
            "WHERE registration_id = ? AND kind = ?",
            (now, registration_id, kind),
        )
    return rows


def finish_mail(
    tx: Tx, registration_id: int, kind: str, now: str, status: str, error: str | None
) -> None:
    """``status``: sent, failed (tried again later) or dropped (no longer owed)."""
    tx.execute(
        "UPDATE event_mails SET status = ?, sent_at = ?, error = ? "
        "WHERE registration_id = ? AND kind = ?",
        (status, now if status == "sent" else None, error, registration_id, kind),
    )


def drop_mails(tx: Tx, registration_id: int, kinds: Sequence[str]) -> None:
    """Forget mails owed but not sent (a reminder to someone who has since cancelled)."""
    marks = ", ".join("?" * len(kinds))
    tx.execute(
        f"DELETE FROM event_mails WHERE registration_id = ? AND kind IN ({marks}) "
        "AND status != 'sent'",
        (registration_id, *kinds),
    )


def mails_of(db: Db, registration_id: int) -> list[tuple[str, str, str | None]]:
    """``(kind, status, sent_at)`` of every mail of the registration."""
    return [
        (str(k), str(s), None if at is None else str(at))
        for k, s, at in conn(db).execute(
            "SELECT kind, status, sent_at FROM event_mails WHERE registration_id = ? "
            "ORDER BY created_at, kind",
            (registration_id,),
        )
    ]


def mail_counts(db: Db) -> dict[str, int]:
    return {
        str(s): int(n)
        for s, n in conn(db).execute("SELECT status, count(*) FROM event_mails GROUP BY status")
    }


# -- the live wall's moderation ----------------------------------------------------------


def wall_marks(db: Db, event_id: int) -> dict[tuple[str, str], str]:
    """``(network, post id) -> hidden | pinned`` for the event's wall."""
    rows = conn(db).execute(
        "SELECT network, post_id, state FROM event_wall_posts WHERE event_id = ?", (event_id,)
    )
    return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}


def set_wall_mark(
    tx: Tx, event_id: int, network: str, post_id: str, state: str | None, by: str | None, at: str
) -> None:
    """Hide or pin a post on the wall (``state`` None: as collected again)."""
    if state is None:
        tx.execute(
            "DELETE FROM event_wall_posts WHERE event_id = ? AND network = ? AND post_id = ?",
            (event_id, network, post_id),
        )
        return
    tx.execute(
        "INSERT INTO event_wall_posts (event_id, network, post_id, state, by, at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, network, post_id) "
        "DO UPDATE SET state = excluded.state, by = excluded.by, at = excluded.at",
        (event_id, network, post_id, state, by, at),
    )


def wall_attendees_only(db: Db, event_id: int) -> bool:
    row = (
        conn(db)
        .execute("SELECT attendees_only FROM event_wall_options WHERE event_id = ?", (event_id,))
        .fetchone()
    )
    return bool(row and row[0])


def set_wall_attendees_only(tx: Tx, event_id: int, on: bool) -> None:
    tx.execute(
        "INSERT INTO event_wall_options (event_id, attendees_only) VALUES (?, ?) "
        "ON CONFLICT (event_id) DO UPDATE SET attendees_only = excluded.attendees_only",
        (event_id, int(on)),
    )
