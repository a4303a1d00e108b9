"""The queue: drafts, schedules, posting times, failures with backoff, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from veilleur.errors import UsageError
from veilleur.publish.publisher import Part, PublishError, Remote, publish_due
from veilleur.publish.queue import Account, Queue, backoff
from veilleur.workspace import Workspace


@pytest.fixture
def queue(ws: Workspace) -> Queue:
    q = Queue(ws.store)
    q.add_account(Account("asso", "mastodon", "https://m.example", secret="t"))
    return q


class Killed(BaseException):
    """Stands for a SIGKILL between the remote call and its record."""


class FakeNetwork:
    """An in-memory network that, like a real one, keeps what it accepted."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str, str | None]] = []  # (id, text, reply_to)
        self.fail: list[PublishError] = []

    def part_key(self, post_key: str, index: int, when: datetime) -> str:
        return f"{post_key}:{index}"

    def publish(self, part: Part, key: str, reply_to: list[Remote]) -> Remote:
        if self.fail:
            raise self.fail.pop(0)
        post_id = str(len(self.posts) + 1)
        self.posts.append((post_id, part.text, reply_to[-1].id if reply_to else None))
        return Remote(post_id, f"https://m.example/{post_id}")

    def find(self, part: Part, key: str, since: datetime) -> Remote | None:
        for post_id, text, _ in self.posts:
            if text == part.text:
                return Remote(post_id, f"https://m.example/{post_id}")
        return None


def test_same_post_is_queued_once(queue: Queue) -> None:
    first = queue.add("mastodon", ["Bonjour"], account="asso")
    assert first is not None
    assert queue.add("mastodon", ["Bonjour"], account="asso") is None
    assert len(queue.posts()) == 1


def test_account_must_match_network(queue: Queue) -> None:
    with pytest.raises(UsageError, match="is on mastodon"):
        queue.add("bluesky", ["Bonjour"], account="asso")
    with pytest.raises(UsageError, match="publishes itself only"):
        queue.add_account(Account("perso", "linkedin"))


def test_draft_without_account_is_never_due(queue: Queue) -> None:
    queue.add("x", ["Pour X, à la main"])
    assert queue.posts()[0].status == "draft"
    assert queue.due() == []


def test_scheduled_post_becomes_due(queue: Queue) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    post_id = queue.add("mastodon", ["Plus tard"], account="asso", scheduled_at=later)
    assert post_id is not None
    assert queue.due() == []
    assert [p.id for p in queue.due(later + timedelta(seconds=1))] == [post_id]


def test_posting_times_give_the_next_free_slot(queue: Queue) -> None:
    queue.set_times("asso", ["09:30", "17:00"])
    # 2026-03-02 is a Monday; 10:00 in Paris (UTC+1 in winter) is 09:00 UTC.
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    first = queue.next_slot("asso", now)
    assert first == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 17:00 Paris
    queue.add("mastodon", ["Un"], account="asso", scheduled_at=first)
    assert queue.next_slot("asso", now) == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
    with pytest.raises(UsageError, match="not a time of day"):
        queue.set_times("asso", ["25:00"])


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert backoff(30) == timedelta(hours=6)


def test_failure_is_kept_and_retried_with_backoff(queue: Queue, ws: Workspace) -> None:
    net = FakeNetwork()
    net.fail = [PublishError("503 Service Unavailable", retryable=True)]
    post_id = queue.add("mastodon", ["Bonjour"], account="asso")
    report = publish_due(queue, lambda account: net, ws.path)
    assert [p.id for p in report.failed] == [post_id]
    failed = queue.get(post_id)  # type: ignore[arg-type]
    assert failed.status == "failed" and failed.attempts == 1
    assert failed.last_error == "503 Service Unavailable"
    assert failed.next_attempt_at is not None
    assert queue.due() == []  # not before the backoff
    report = publish_due(queue, lambda a: net, ws.path, now=lambda: failed.next_attempt_at)  # type: ignore[arg-type,return-value]
    assert [p.status for p in report.published] == ["published"]
    assert len(net.posts) == 1


def test_permanent_failure_is_not_retried(queue: Queue, ws: Workspace) -> None:
    net = FakeNetwork()
    net.fail = [PublishError("422 text too long", retryable=False)]
    post_id = queue.add("mastodon", ["Bonjour"], account="asso")
    publish_due(queue, lambda a: net, ws.path)
    post = queue.get(post_id)  # type: ignore[arg-type]
    assert post.status == "failed" and post.next_attempt_at is None
    queue.retry(post.id)
    publish_due(queue, lambda a: net, ws.path)
    assert queue.get(post.id).status == "published"


def test_a_kill_after_the_remote_call_does_not_post_twice(queue: Queue, ws: Workspace) -> None:
    net = FakeNetwork()
    post_id = queue.add("mastodon", ["Un.", "Deux.", "Trois."], account="asso")
    assert post_id is not None
    calls = 0

    def kill_on_second(post: object, remote: Remote) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Killed

    with pytest.raises(Killed):
        publish_due(queue, lambda a: net, ws.path, after_call=kill_on_second)
    left = queue.get(post_id)
    assert left.status == "in_flight" and left.remote_ids == ["1"]
    assert [t for _, t, _ in net.posts] == ["Un.", "Deux."]
    report = publish_due(queue, lambda a: net, ws.path)
    assert report.reconciled == [post_id]
    done = queue.get(post_id)
    assert done.status == "published" and done.remote_ids == ["1", "2", "3"]
    # Each text once, each a reply to the one before.
    assert net.posts == [("1", "Un.", None), ("2", "Deux.", "1"), ("3", "Trois.", "2")]
    assert publish_due(queue, lambda a: net, ws.path).published == []


def test_a_kill_before_the_call_reached_the_network_sends_it(queue: Queue, ws: Workspace) -> None:
    net = FakeNetwork()
    post_id = queue.add("mastodon", ["Seul."], account="asso")
    assert post_id is not None

    class Dying(FakeNetwork):
        def publish(self, part: Part, key: str, reply_to: list[Remote]) -> Remote:
            raise Killed

    with pytest.raises(Killed):
        publish_due(queue, lambda a: Dying(), ws.path)
    assert queue.get(post_id).status == "in_flight"
    publish_due(queue, lambda a: net, ws.path)
    assert [t for _, t, _ in net.posts] == ["Seul."]
    assert queue.get(post_id).status == "published"


def test_lock_file_is_in_the_workspace(ws: Workspace, queue: Queue) -> None:
    publish_due(queue, lambda a: FakeNetwork(), ws.path)
    assert (Path(ws.path) / "publish.lock").exists()


def test_an_account_that_cannot_be_used_fails_the_post_not_the_run(
    queue: Queue, ws: Workspace
) -> None:
    queue.add_account(Account("autre", "mastodon", "https://o.example", secret="t"))
    broken = queue.add("mastodon", ["Pour un compte cassé"], account="autre")
    fine = queue.add("mastodon", ["Pour le bon compte"], account="asso")
    net = FakeNetwork()

    def factory(account: Account) -> FakeNetwork:
        if account.name == "autre":
            raise UsageError("no publishing account named 'autre'")
        return net

    report = publish_due(queue, factory, ws.path)
    assert [p.id for p in report.failed] == [broken]
    assert [p.id for p in report.published] == [fine]
    failed = queue.get(broken)  # type: ignore[arg-type]
    assert failed.next_attempt_at is None and "autre" in (failed.last_error or "")
