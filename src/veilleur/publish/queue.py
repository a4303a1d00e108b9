"""The queue of posts: drafts, scheduled posts, what was published and what failed.

A queued post is one rendering for one network and, when veilleur publishes it itself, one
account. Its life: ``draft`` → ``scheduled`` → ``in_flight`` → ``published``, or ``failed``
(kept with its error, retried with backoff while the error is worth retrying). In a team
(the web workbench), an editor's post goes ``draft`` → ``submitted`` and waits: an admin
approves it (``scheduled``) or sends it back (``draft``, with a note). Only ``scheduled``
posts are ever published, so nothing submitted goes out unapproved.

Never published twice. Each post carries an idempotency key, unique per network and account:
queueing the same post again is refused. Publishing records ``in_flight`` (and the key
of the part being sent) *before* the remote call and the remote id *after* it. A run killed
between the two leaves the post ``in_flight``; the next run finds it and asks the network
whether the part is already there (see :mod:`veilleur.publish.publisher`) before sending
again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veilleur import settings
from veilleur.errors import UsageError
from veilleur.i18n import N_, t
from veilleur.model import format_datetime, parse_datetime, utcnow
from veilleur.networks import resolve
from veilleur.publish import tables
from veilleur.publish.networks import NETWORKS
from veilleur.store import SQLiteStore
from veilleur.store.handles import Tx

STATUSES = (
    "draft", "submitted", "scheduled", "in_flight", "published", "failed", "cancelled",
)  # fmt: skip

MOVABLE = ("submitted", "scheduled", "failed")
"""The states a post can be moved in (its time changed)."""
NOT_YOURS = {
    "submitted": N_("post {id} is waiting for approval: you cannot move it"),
    "scheduled": N_(
        "post {id} has been approved and scheduled meanwhile: only an admin or an owner "
        "moves it now"
    ),
    "failed": N_("post {id} has failed: only an admin or an owner moves it"),
}
"""Why a mover cannot move a post whose state is movable, but not by them."""
CANNOT_MOVE = {
    "draft": N_("post {id} is a draft: submit it before giving it a time"),
    "in_flight": N_("post {id} is being published: it can no longer be moved"),
    "published": N_("post {id} has already been published: it can no longer be moved"),
    "cancelled": N_("post {id} has been cancelled: it can no longer be moved"),
}
"""Why a post cannot be moved, by its state: whole sentences, so that each language can
make its words agree (« la publication 3 a été annulée »)."""
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 8

DEFAULT_TIMEZONE = "Europe/Paris"
settings.register(
    settings.Setting(
        "publish.timezone",
        "str",
        DEFAULT_TIMEZONE,
        N_(
            "time zone of publishing times given without one, when no account decides "
            "(drafts, export, new accounts)"
        ),
    )
)


@dataclass(frozen=True, slots=True)
class MediaFile:
    """An image to upload with the post, and its alternative text."""

    path: str
    alt: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "alt": self.alt}


@dataclass(slots=True)
class Account:
    """Where veilleur publishes: a Mastodon or Bluesky account, and its posting times."""

    name: str
    network: str
    server: str | None = None
    handle: str | None = None
    secret: str | None = field(default=None, repr=False)
    times: list[str] = field(default_factory=list)
    timezone: str = DEFAULT_TIMEZONE
    insecure: bool = False  # added with --insecure: an http:// server is accepted


@dataclass(slots=True)
class QueuedPost:
    """One row of the queue."""

    id: int
    network: str
    account: str
    status: str
    texts: list[str]
    media: list[MediaFile]
    link: str | None
    lang: str | None
    idempotency_key: str
    scheduled_at: datetime | None
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    in_flight_at: datetime | None
    part_keys: list[str]
    remote_ids: list[str]
    remote_urls: list[str]
    published_at: datetime | None
    source: str | None
    created_at: datetime
    card: dict[str, str] | None = None
    """The link card's title and description (Bluesky shows the link as a card)."""
    submitted_by: str | None = None
    """Who asked for approval (an e-mail), while or since the post was ``submitted``."""
    reviewed_by: str | None = None
    review_note: str | None = None
    """Why an admin sent the post back to draft."""

    @property
    def url(self) -> str | None:
        return self.remote_urls[0] if self.remote_urls else None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at publishing a post: when, what came of it (``published`` or ``failed``),
    the network's ids and links of the parts it holds, or the error and the next try."""

    at: datetime
    outcome: str
    error: str | None
    remote_ids: list[str]
    remote_urls: list[str]
    next_attempt_at: datetime | None


def idempotency_key(
    network: str, account: str, texts: list[str], media: list[MediaFile], link: str | None
) -> str:
    """The default key: the same content for the same account is the same post."""
    digest = hashlib.sha256()
    for part in (network, account, link or "", *texts, *(m.alt or "" for m in media)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failures: 1, 2, 4 … minutes, 6 h at most."""
    delay: timedelta = BACKOFF_BASE * (2 ** min(max(attempts - 1, 0), 20))
    return min(delay, BACKOFF_MAX)


def _dt(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


@overload
def _fmt(value: datetime) -> str: ...
@overload
def _fmt(value: None) -> None: ...
@overload
def _fmt(value: datetime | None) -> str | None: ...
def _fmt(value: datetime | None) -> str | None:
    if value is None:
        return None
    # Microseconds matter: the in-flight time bounds the reconciliation window.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _row(row: Sequence[Any]) -> QueuedPost:
    """A queued post from a row of :data:`veilleur.publish.tables.QUEUE_COLUMNS`."""
    r = list(row)
    created = _dt(r[19])
    assert created is not None
    return QueuedPost(
        id=int(r[0]),
        network=r[1],
        account=r[2] or "",
        status=r[3],
        texts=list(json.loads(r[4])),
        media=[MediaFile(m["path"], m.get("alt")) for m in json.loads(r[5])],
        link=r[6],
        lang=r[7],
        idempotency_key=r[8],
        scheduled_at=_dt(r[9]),
        attempts=int(r[10]),
        next_attempt_at=_dt(r[11]),
        last_error=r[12],
        in_flight_at=_dt(r[13]),
        part_keys=list(json.loads(r[14])),
        remote_ids=list(json.loads(r[15])),
        remote_urls=list(json.loads(r[16])),
        published_at=_dt(r[17]),
        source=r[18],
        created_at=created,
        card=json.loads(r[20]) if r[20] else None,
        submitted_by=r[21],
        reviewed_by=r[22],
        review_note=r[23],
    )


class Queue:
    """The queue and the publishing accounts of one workspace's store.

    Times are stored in UTC. A time written without a zone (``--at 2027-03-01T09:30``) is
    read in the zone of the account it is for, or in ``timezone`` (the workspace's
    ``publish.timezone``) for a draft without account; times are shown in that zone.
    """

    def __init__(self, store: SQLiteStore, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.store = store
        self.timezone = timezone

    def zone(self, account: str | None = None) -> ZoneInfo:
        """The time zone of ``account``'s times, or the workspace's without an account."""
        return _check_timezone(self.account(account).timezone if account else self.timezone)

    def local(self, post: QueuedPost) -> datetime | None:
        """When ``post`` goes out, in its account's (or the workspace's) time zone."""
        if post.scheduled_at is None:
            return None
        try:
            zone = self.zone(post.account or None)
        except UsageError:  # an account gone from the workspace: the workspace's zone
            zone = self.zone()
        return post.scheduled_at.astimezone(zone)

    # -- accounts --------------------------------------------------------------------------

    def add_account(self, account: Account) -> None:
        if account.network not in NETWORKS or not NETWORKS[account.network].api:
            api = ", ".join(n for n, r in NETWORKS.items() if r.api)
            raise UsageError(
                t(
                    "veilleur publishes itself only to {api}; for {network} use "
                    "'veilleur compose', share links or 'veilleur queue export'",
                    api=api,
                    network=account.network,
                )
            )
        _check_timezone(account.timezone)
        times = [_check_time(t) for t in account.times]
        with self.store.transaction() as tx:
            tables.save_account(
                tx,
                account.name,
                account.network,
                account.server,
                account.handle,
                account.secret,
                json.dumps(times),
                account.timezone,
                format_datetime(utcnow()),
                insecure=account.insecure,
            )

    def set_times(self, name: str, times: list[str]) -> None:
        checked = [_check_time(t) for t in times]
        self.account(name)
        with self.store.transaction() as tx:
            tables.set_account_times(tx, name, json.dumps(checked))

    def account(self, name: str) -> Account:
        row = tables.account_row(self.store, name)
        if row is None:
            known = ", ".join(a.name for a in self.accounts()) or t("none yet")
            raise UsageError(
                t(
                    "no publishing account named '{name}' (known: {known}); "
                    "add one with 'veilleur queue account add'",
                    name=name,
                    known=known,
                )
            )
        return Account(
            row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], bool(row[7])
        )

    def account_on(self, name: str, network: str) -> Account:
        """The account ``name``, refused unless it publishes on ``network``."""
        acc = self.account(name)
        if acc.network != network:
            raise UsageError(
                t(
                    "account '{account}' is on {network}, not on {target}",
                    account=name,
                    network=acc.network,
                    target=network,
                )
            )
        return acc

    def accounts(self, network: str | None = None) -> list[Account]:
        return [self.account(n) for n in tables.account_names(self.store, network)]

    # -- posts -----------------------------------------------------------------------------

    def add(
        self,
        network: str,
        texts: list[str],
        *,
        account: str = "",
        media: list[MediaFile] | None = None,
        link: str | None = None,
        lang: str | None = None,
        scheduled_at: datetime | None = None,
        draft: bool = False,
        key: str | None = None,
        source: str | None = None,
        card: dict[str, str] | None = None,
        conn: Tx | None = None,
    ) -> int | None:
        """Queue one post; returns its id, or None when the same post is already queued.

        Without an account the post is a draft to publish by hand (X, LinkedIn, …) or to
        export. ``scheduled_at`` None and ``draft`` False means "as soon as possible".
        ``conn``: a transaction (``store.transaction()``) to queue the post in.
        """
        network = resolve(network, tuple(NETWORKS))
        if not texts or not any(t.strip() for t in texts):
            raise UsageError(t("nothing to publish: the text is empty"))
        media = media or []
        if account:
            self.account_on(account, network)
        status = "draft" if draft or not account else "scheduled"
        if status == "scheduled" and scheduled_at is None:
            scheduled_at = utcnow()
        key = key or idempotency_key(network, account, texts, media, link)
        values = (
            network,
            account,
            status,
            json.dumps(texts, ensure_ascii=False),
            json.dumps([m.to_json() for m in media], ensure_ascii=False),
            link,
            lang,
            key,
            _fmt(scheduled_at),
            source,
            _fmt(utcnow()),
            json.dumps(card, ensure_ascii=False) if card else None,
        )
        if conn is not None:
            return tables.insert_post(conn, *values)
        with self.store.transaction() as tx:
            return tables.insert_post(tx, *values)

    def get(self, post_id: int) -> QueuedPost:
        row = tables.queued_post(self.store, post_id)
        if row is None:
            raise UsageError(
                t("no queued post with id {id} (see 'veilleur queue list')", id=post_id)
            )
        return _row(row)

    def posts(self, status: str | None = None, network: str | None = None) -> list[QueuedPost]:
        return [_row(r) for r in tables.queued_posts(self.store, status, network)]

    def schedule(self, post_id: int, when: datetime, account: str | None = None) -> None:
        """Schedule a draft (or move a scheduled post) to ``when``."""
        post = self.get(post_id)
        if post.status not in ("draft", "scheduled", "failed"):
            raise UsageError(
                t(
                    "post {id} is {status}: it cannot be scheduled again",
                    id=post_id,
                    status=post.status,
                )
            )
        account = account or post.account
        if not account:
            raise UsageError(
                t(
                    "post {id} has no account: give one with --account "
                    "(a {network} account, see 'veilleur queue account list')",
                    id=post_id,
                    network=post.network,
                )
            )
        self.account_on(account, post.network)
        with self.store.transaction() as tx:
            tables.schedule_post(tx, post_id, _fmt(when), account)

    def submit(self, post_id: int, when: datetime | None, account: str, by: str) -> QueuedPost:
        """Ask for approval of a post to publish on ``account`` at ``when`` (None: as soon
        as approved). Refused when the post is in flight, published, cancelled or
        submitted already."""
        post = self.get(post_id)
        self.account_on(account, post.network)
        with self.store.transaction() as tx:
            done = tables.submit_post(tx, post_id, _fmt(when), account, by)
        if not done:
            raise UsageError(
                t(
                    "post {id} is {status}: it cannot be submitted",
                    id=post_id,
                    status=self.get(post_id).status,
                )
            )
        return self.get(post_id)

    def review(self, post_id: int, approve: bool, by: str, note: str | None = None) -> QueuedPost:
        """Approve a submitted post (it is then scheduled; without a time, for now) or send
        it back to draft with ``note``. Two reviewers at once: the first one wins, the
        second is told the post is no longer waiting."""
        with self.store.transaction() as tx:
            if approve:
                done = tables.review_post(tx, post_id, "scheduled", by, None, _fmt(utcnow()))
            else:
                done = tables.review_post(tx, post_id, "draft", by, note)
        if not done:
            raise UsageError(
                t(
                    "post {id} is {status}: it is not waiting for approval",
                    id=post_id,
                    status=self.get(post_id).status,
                )
            )
        return self.get(post_id)

    def move(
        self,
        post_id: int,
        when: datetime,
        seen: datetime | bool | None = False,
        statuses: Collection[str] = MOVABLE,
    ) -> QueuedPost:
        """Move a submitted, scheduled or failed post to ``when`` (a failed one is scheduled
        again, its status otherwise kept: a submitted post still waits for approval).

        ``seen``: the time the mover saw (None: no time); when the post's time is no longer
        that one, someone else moved it meanwhile and the move is refused rather than
        silently undoing theirs. ``False``: no such check (the CLI).

        ``statuses``: the states this mover may move (an editor: ``submitted`` only). They
        are checked in the same statement that moves, so that a post approved between the
        page's check and the move is not moved by someone who may no longer do it."""
        check = seen is not False
        seen_at = _fmt(seen) if isinstance(seen, datetime) else None
        allowed = tuple(s for s in MOVABLE if s in statuses)
        done = False
        if allowed:
            with self.store.transaction() as tx:
                done = tables.move_post(tx, post_id, _fmt(when), seen_at, check, allowed)
        if not done:
            post = self.get(post_id)
            if post.status in allowed:
                raise UsageError(
                    t(
                        "post {id} was moved by someone else meanwhile: look at its new "
                        "time before moving it again",
                        id=post_id,
                    )
                )
            if post.status in MOVABLE:  # e.g. approved meanwhile: no longer this mover's
                raise UsageError(t(NOT_YOURS[post.status], id=post_id))
            raise UsageError(t(CANNOT_MOVE.get(post.status, CANNOT_MOVE["draft"]), id=post_id))
        return self.get(post_id)

    def attempts(self, post_id: int) -> list[Attempt]:
        """The publishing journal of a post: every try, oldest first."""
        return [
            Attempt(
                at=_dt(r[0]) or utcnow(),
                outcome=r[1],
                error=r[2],
                remote_ids=list(json.loads(r[3])),
                remote_urls=list(json.loads(r[4])),
                next_attempt_at=_dt(r[5]),
            )
            for r in tables.attempts_of(self.store, post_id)
        ]

    def cancel(self, post_id: int) -> None:
        post = self.get(post_id)
        if post.status in ("in_flight", "published"):
            raise UsageError(
                t("post {id} is {status}: it cannot be cancelled", id=post_id, status=post.status)
            )
        with self.store.transaction() as tx:
            tables.cancel_post(tx, post_id)

    def retry(self, post_id: int) -> None:
        """Try a failed post again at the next run, whatever its backoff said."""
        post = self.get(post_id)
        if post.status != "failed":
            raise UsageError(t("post {id} is {status}, not failed", id=post_id, status=post.status))
        with self.store.transaction() as tx:
            tables.retry_post(tx, post_id)

    # -- what publishing needs -------------------------------------------------------------

    def due(self, now: datetime | None = None) -> list[QueuedPost]:
        """Posts to act on now: scheduled and due, failed and past their backoff, and the
        ones a killed run left in flight (to reconcile first)."""
        stamp = _fmt(now or utcnow())
        return [_row(r) for r in tables.due_posts(self.store, stamp)]

    def due_now(self, post_id: int, now: datetime | None = None) -> QueuedPost | None:
        """Post ``post_id`` as it is now if it is still due (another publisher may have sent
        it since :meth:`due` listed it), else None."""
        row = tables.due_post(self.store, post_id, _fmt(now or utcnow()))
        return _row(row) if row is not None else None

    def post_locks(self) -> PostLocks | None:
        """On PostgreSQL, a lock per post that every process publishing from the same
        database sees (see :class:`PostLocks`); None on SQLite, whose workspace folder is
        the database's only home (the publisher's file lock there is enough)."""
        from veilleur.store.dialect import is_url

        if not is_url(self.store.location):
            return None
        return PostLocks(self.store.side_connection())

    def mark_in_flight(self, post_id: int, part_keys: list[str], when: datetime) -> None:
        """Record, before the remote call, that a part is being sent and under which key."""
        with self.store.transaction() as tx:
            tables.mark_in_flight(tx, post_id, _fmt(when), json.dumps(part_keys))

    def record_part(self, post_id: int, remote_ids: list[str], remote_urls: list[str]) -> None:
        """Record, right after the remote call, the parts the network has accepted."""
        with self.store.transaction() as tx:
            tables.record_parts(tx, post_id, json.dumps(remote_ids), json.dumps(remote_urls))

    def mark_published(self, post_id: int, when: datetime | None = None) -> None:
        post = self.get(post_id)
        stamp = _fmt(when or utcnow())
        with self.store.transaction() as tx:
            tables.mark_published(tx, post_id, stamp)
            tables.add_attempt(
                tx, post_id, stamp, "published", None,
                json.dumps(post.remote_ids), json.dumps(post.remote_urls), None,
            )  # fmt: skip

    def mark_failed(
        self, post_id: int, error: str, *, retryable: bool, now: datetime | None = None
    ) -> QueuedPost:
        """Keep the error; schedule the next try with backoff when it is worth retrying."""
        post = self.get(post_id)
        attempts = post.attempts + 1
        retry_at = None
        if retryable and attempts < MAX_ATTEMPTS:
            retry_at = (now or utcnow()) + backoff(attempts)
        with self.store.transaction() as tx:
            tables.mark_failed(tx, post_id, attempts, error, _fmt(retry_at))
            tables.add_attempt(
                tx, post_id, _fmt(now or utcnow()), "failed", error,
                json.dumps(post.remote_ids), json.dumps(post.remote_urls), _fmt(retry_at),
            )  # fmt: skip
        return self.get(post_id)

    # -- posting times ---------------------------------------------------------------------

    def next_slot(self, account: str, after: datetime | None = None) -> datetime:
        """The account's next posting time not yet taken by a scheduled post.

        Without posting times the answer is ``after`` itself (now).
        """
        acc = self.account(account)
        start = after or utcnow()
        if not acc.times:
            return start
        taken = tables.taken_times(self.store, account, _fmt(start))
        zone = _check_timezone(acc.timezone)
        local = start.astimezone(zone)
        for day in range(0, 366):
            date = (local + timedelta(days=day)).date()
            for hhmm in sorted(acc.times):
                hour, minute = (int(x) for x in hhmm.split(":"))
                slot = datetime(date.year, date.month, date.day, hour, minute, tzinfo=zone)
                if slot > start and _fmt(slot) not in taken:
                    return slot.astimezone(UTC)
        raise UsageError(t("no free posting time for '{account}' within a year", account=account))


class PostLocks:
    """One publisher per post across processes and machines sharing a PostgreSQL database:
    a session advisory lock per post, on a connection of its own.

    Not a row lock (``SELECT … FOR UPDATE``): a row lock lasts one transaction, and the
    order of writes that keeps a post from going out twice commits ``in_flight`` before the
    remote call and the remote id after it — the lock must outlive those commits (and the
    queue's own writes to the row would wait for it). The server frees a session's locks
    when the session ends, so a publisher killed mid-send (SIGKILL, a machine lost) leaves
    the post to the next one, which reconciles what it left in flight."""

    def __init__(self, side: Tx) -> None:
        self._side = side

    def hold(self, post_id: int) -> bool:
        """Take post ``post_id`` without waiting; False when another publisher has it."""
        return tables.hold_post(self._side, post_id)

    def let_go(self, post_id: int) -> None:
        tables.let_go_post(self._side, post_id)

    def close(self) -> None:
        """Close the connection (which frees whatever it still holds)."""
        self._side.close()


def why_not_out(post: QueuedPost, now: datetime | None = None) -> str | None:
    """Why ``post`` has not gone out, in plain words for the people who wrote it (None: it
    went out, or its time has not come)."""
    if post.status == "published":
        return None
    if post.status == "cancelled":
        return t("It was cancelled: it will not be published.")
    if post.status == "submitted":
        return t("It is waiting for an admin or an owner to approve it.")
    if post.status == "draft":
        if post.review_note:
            return t("An admin sent it back to draft: {note}", note=post.review_note)
        if not post.account:
            return t(
                "It is a draft with no publishing account: publish it by hand or choose an account."
            )
        return t("It is a draft: submit it for approval (or schedule it) to publish it.")
    if post.status == "in_flight":
        return t(
            "It is being sent. If this lasts, a run stopped while sending it: the next run "
            "asks the network whether it arrived before sending it again."
        )
    if post.status == "failed":
        error = post.last_error or t("no detail given")
        if post.next_attempt_at is not None:
            return t(
                "The last try did not succeed ({error}); veilleur will try again by itself "
                "(try {count} of {most}).",
                error=error, count=post.attempts + 1, most=MAX_ATTEMPTS,
            )  # fmt: skip
        if post.attempts >= MAX_ATTEMPTS:
            return t(
                "veilleur gave up after {count} tries ({error}). Fix the cause (the account's "
                "token, the network's server) and schedule it again.",
                count=post.attempts, error=error,
            )  # fmt: skip
        return t(
            "The network refused it ({error}). Trying again would not help: correct the post "
            "or the account, then schedule it again.",
            error=error,
        )
    if (
        post.status == "scheduled"
        and post.scheduled_at is not None
        and post.scheduled_at <= (now or utcnow())
    ):
        return t(
            "Its time has come: it goes out at the next publishing run (veilleur run, "
            "veilleur publish or the scheduler must be running)."
        )
    return None


def read_time(value: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date-time in UTC; without an offset it is a wall-clock time in ``zone``.

    A wall-clock time that does not exist there (skipped when clocks go forward) is refused;
    one that happens twice (when they go back) is the first.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise UsageError(
            t(
                "--at: not a date-time: '{value}' (e.g. 2026-03-02T09:30, "
                "2026-03-02T09:30+01:00, now or next)",
                value=value,
            )
        ) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    moment = parsed.replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != parsed:
        raise UsageError(
            t(
                "{value} does not exist in {zone}: the clocks skip that hour (give another "
                "time or an offset)",
                value=value,
                zone=zone.key,
            )
        )
    return moment.astimezone(UTC)


def _check_time(value: str) -> str:
    try:
        hour, minute = (int(x) for x in value.strip().split(":"))
    except ValueError:
        raise UsageError(
            t("not a time of day: '{value}' (expected HH:MM, e.g. 09:30)", value=value)
        ) from None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise UsageError(
            t("not a time of day: '{value}' (expected HH:MM, e.g. 09:30)", value=value)
        )
    return f"{hour:02d}:{minute:02d}"


def _check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            t("unknown time zone '{zone}' (expected e.g. Europe/Paris)", zone=name)
        ) from None
