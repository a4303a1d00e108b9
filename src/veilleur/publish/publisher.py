"""``publish --due``: send the due posts of the queue, at most once each.

The order of writes is what makes a post never go out twice:

1. with the post held by this publisher alone (see below), the part about to be sent is
   recorded ``in_flight`` with the key it will be sent under, and committed;
2. the network is called (Mastodon gets the key as its ``Idempotency-Key``; Bluesky gets a
   record key derived from it, so a second create of the same record is refused);
3. the remote id is recorded and committed.

A kill between 2 and 3 leaves the part ``in_flight``. The next run asks the network first
(:meth:`Client.find`: the account's recent posts, compared by key and text) and records what
it finds instead of sending again. Only a part the network does not have is sent again —
under the same key.

Who holds a post. On SQLite, an exclusive lock on the workspace folder's ``publish.lock``
for the whole run: a second ``publish --due`` waits. On PostgreSQL, the folders of several
machines may share one database and the file lock would guard nothing between them: each
post is held through a session advisory lock of the database (:class:`PostLocks`) from
step 1 to the last record; a second publisher skips a post held elsewhere
(:attr:`RunReport.busy`) and publishes the others. Either lock is freed with the process
that held it (the kernel's or the server's doing), so a killed run's post is reconciled by
the next publisher. Once it holds a post, a publisher reads it again: another one may have
sent it since the queue was listed.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from veilleur.errors import RemoteError, VeilleurError
from veilleur.model import utcnow
from veilleur.publish.queue import Account, MediaFile, PostLocks, Queue, QueuedPost


class PublishError(RemoteError):
    """A network refused or failed a post. ``retryable``: worth trying again later."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class Remote:
    """A published part as the network names it: id (Bluesky: at-uri), web URL, cid."""

    id: str
    url: str
    cid: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One text of a post (a thread has several), with what goes with it."""

    text: str
    index: int
    count: int
    media: list[MediaFile]
    link: str | None
    lang: str | None
    card_title: str | None = None
    card_description: str | None = None


class Client(Protocol):
    """What the publisher needs from a network client."""

    def part_key(self, post_key: str, index: int, when: datetime) -> str:
        """The key one part is sent under; stable once recorded in flight."""
        ...

    def publish(self, part: Part, key: str, reply_to: list[Remote]) -> Remote:
        """Send one part (a reply to the previous parts of a thread); raise PublishError."""
        ...

    def find(self, part: Part, key: str, since: datetime) -> Remote | None:
        """The part if the network already has it (posted since ``since``), else None."""
        ...


ClientFactory = Callable[[Account], Client]


@dataclass(slots=True)
class RunReport:
    published: list[QueuedPost] = field(default_factory=list)
    reconciled: list[int] = field(default_factory=list)
    failed: list[QueuedPost] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)
    """Due posts left alone: another publisher had them in hand (PostgreSQL)."""


@contextmanager
def publish_lock(workspace_path: Path) -> Iterator[None]:
    """One publisher at a time per workspace; the kernel frees the lock of a killed run."""
    path = workspace_path / "publish.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class _WholeRun:
    """The holder of every post while the workspace's file lock is held (SQLite)."""

    def hold(self, post_id: int) -> bool:
        return True

    def let_go(self, post_id: int) -> None:
        pass


@contextmanager
def _exclusion(queue: Queue, workspace_path: Path) -> Iterator[PostLocks | _WholeRun]:
    """Who may publish which post: the database's locks per post on PostgreSQL, the
    workspace's file lock around the whole run on SQLite (see the module's docstring)."""
    locks = queue.post_locks()
    if locks is None:
        with publish_lock(workspace_path):
            yield _WholeRun()
        return
    try:
        yield locks
    finally:
        locks.close()


def _parts(post: QueuedPost) -> list[Part]:
    count = len(post.texts)
    card = post.card or {}
    # Images and the link card go with the first part of a thread.
    return [
        Part(
            text,
            i,
            count,
            post.media if i == 0 else [],
            post.link if i == 0 else None,
            post.lang,
            card.get("title"),
            card.get("description"),
        )
        for i, text in enumerate(post.texts)
    ]


def publish_post(
    queue: Queue,
    post: QueuedPost,
    client: Client,
    *,
    now: Callable[[], datetime] = utcnow,
    after_call: Callable[[QueuedPost, Remote], None] | None = None,
) -> bool:
    """Send the parts of ``post`` not yet published; True when it is wholly published.

    ``after_call`` runs between the remote call and its record (tests kill the process
    there to prove a restart does not post twice).
    """
    parts = _parts(post)
    ids, urls = list(post.remote_ids), list(post.remote_urls)
    cids: list[str | None] = [None] * len(ids)
    keys = list(post.part_keys)
    for part in parts[len(ids) :]:
        remote: Remote | None = None
        if len(keys) > part.index and post.in_flight_at is not None:
            # An earlier run sent (or tried to send) this part under this key and died or
            # failed before knowing the answer: ask the network before sending again.
            remote = client.find(part, keys[part.index], post.in_flight_at)
            if remote is None:
                queue.mark_in_flight(post.id, keys, post.in_flight_at)
        else:
            when = now()
            keys = [*keys[: part.index], client.part_key(post.idempotency_key, part.index, when)]
            queue.mark_in_flight(post.id, keys, when)
        if remote is None:
            earlier = [Remote(i, u, c) for i, u, c in zip(ids, urls, cids, strict=True)]
            try:
                remote = client.publish(part, keys[part.index], earlier)
            except PublishError as exc:
                queue.mark_failed(post.id, str(exc), retryable=exc.retryable)
                return False
            if after_call is not None:
                after_call(post, remote)
        ids.append(remote.id)
        urls.append(remote.url)
        cids.append(remote.cid)
        queue.record_part(post.id, ids, urls)
    queue.mark_published(post.id, now())
    return True


def publish_due(
    queue: Queue,
    factory: ClientFactory,
    workspace_path: Path,
    *,
    now: Callable[[], datetime] = utcnow,
    after_call: Callable[[QueuedPost, Remote], None] | None = None,
    only: Collection[int] | None = None,
) -> RunReport:
    """Publish every due post of the queue once (``only``: those of these ids, the one a
    worker of ``veilleur worker`` was given); see the module's docstring."""
    report = RunReport()
    clients: dict[str, Client] = {}
    with _exclusion(queue, workspace_path) as holder:
        for listed in queue.due(now()):
            if only is not None and listed.id not in only:
                continue
            if not holder.hold(listed.id):
                report.busy.append(listed.id)
                continue
            try:
                post = queue.due_now(listed.id, now())
                if post is not None:
                    _publish_one(queue, post, clients, factory, report, now, after_call)
            finally:
                holder.let_go(listed.id)
    return report


def _publish_one(
    queue: Queue,
    post: QueuedPost,
    clients: dict[str, Client],
    factory: ClientFactory,
    report: RunReport,
    now: Callable[[], datetime],
    after_call: Callable[[QueuedPost, Remote], None] | None,
) -> None:
    """Publish one post this run holds; its outcome goes into ``report``."""
    was_in_flight = post.status == "in_flight"
    try:
        client = clients.get(post.account)
        if client is None:
            client = clients[post.account] = factory(queue.account(post.account))
        done = publish_post(queue, post, client, now=now, after_call=after_call)
    except PublishError as exc:
        queue.mark_failed(post.id, str(exc), retryable=exc.retryable)
        done = False
    except VeilleurError as exc:  # e.g. the account was removed
        queue.mark_failed(post.id, str(exc), retryable=False)
        done = False
    fresh = queue.get(post.id)
    if done:
        report.published.append(fresh)
        if was_in_flight:
            report.reconciled.append(post.id)
    else:
        report.failed.append(fresh)
