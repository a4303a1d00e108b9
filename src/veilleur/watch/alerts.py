"""Alerts: a watched account posts on the topic, or a watch's volume spikes — told once.

A rule (table ``alert_rules``) names a watch and what should raise an alert:

* ``accounts`` — a post matching the watch's query by one of these handles;
* ``spike`` — a z-score: the watch's posts of the last hour against its hourly rate over the
  week before, ``(n - usual) / sqrt(usual + 1)``, at least ``MIN_SPIKE_POSTS`` posts.

Posts are evaluated as they arrive (:func:`on_new_posts`, given each batch ``veilleur run``
collects, or :func:`check` over what was added since the last check) with the query's
in-memory matcher — the store is not searched. An alert is tied to a story: table
``alerts_sent`` has one row per (rule, story), written in the same transaction as the
decision to send, so a story never alerts twice, whatever its later reposts.

Delivery: by e-mail (the ``smtp.*`` settings) or to a webhook (a JSON POST). A webhook on a
private or loopback address is refused unless ``network.allow_private`` is true, like the
collectors. An alert that could not be delivered (no SMTP set, a server down) stays *pending*
(``watch_state`` key ``alerts_pending``: rule, story, post, the channels that already
worked, the attempts) and is tried again at the next :func:`check` on the channels that
failed only — a failing webhook does not send the mail again — until it goes out, its rule
is removed, or :data:`MAX_ATTEMPTS` tries have failed (then it is dropped, and ``alert
check`` says so); ``alert list`` counts them.

Once, with several runs at once (a cron job on each machine, ``alert check`` beside a
worker or ``veilleur run``): a new alert is claimed by its ``alerts_sent`` row; a pending
one is claimed before each retry — its entry marked with the run and the time in a write
transaction, then the outcome recorded in another just after the delivery — so another run
skips it. A run killed mid-delivery leaves its claim, taken back after :data:`LEASE`; killed
after the server accepted the mail and before the outcome is recorded, it is sent once
more. (A run killed between a new alert's decision and its first delivery loses it: at
most once there, not twice.)
"""

from __future__ import annotations

import ipaddress
import logging
import math
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import httpx
import orjson

from veilleur.errors import UsageError, VeilleurError
from veilleur.i18n import t
from veilleur.model import Post, format_datetime, utcnow
from veilleur.networks.urls import safe_url
from veilleur.store import SQLiteStore
from veilleur.watch import messages, tables
from veilleur.watch.digest import plain_text
from veilleur.watch.index import update_index
from veilleur.watch.selection import Matcher, get_watch, matcher
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

MIN_SPIKE_POSTS = 5
BASELINE = timedelta(days=7)


class DeliveryError(VeilleurError):
    exit_code = 1


@dataclass(slots=True)
class Rule:
    name: str
    watch: str
    accounts: list[str] = field(default_factory=list)
    spike: float | None = None
    mail: str | None = None
    webhook: str | None = None


@dataclass(slots=True)
class Alert:
    rule: str
    watch: str
    kind: str  # account | spike
    story: int
    post: Post
    count: int = 1  # posts in the last hour (spikes)
    delivered: bool = False
    error: str | None = None
    pk: int = 0  # the post's row, to find it again when a pending alert is retried
    retried: bool = False  # raised by an earlier check, not delivered then
    sent: list[str] = field(default_factory=list)  # channels that worked: "mail", "webhook"
    attempts: int = 0  # deliveries tried (a pending alert is dropped at MAX_ATTEMPTS)
    dropped: bool = False  # given up on after MAX_ATTEMPTS failed tries

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "watch": self.watch,
            "kind": self.kind,
            "story": self.story,
            "count": self.count,
            "post": self.post.to_json(),
        }


# -- rules ---------------------------------------------------------------------------------


def _normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def is_address(value: str) -> bool:
    """One plain address (``name@domain``): no display name, no list, no control character
    (a CR/LF would let a caller add mail headers)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    _, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    return address == value and bool(at and local and "." in domain) and " " not in value


def add_rule(store: SQLiteStore, rule: Rule) -> None:
    """Save a rule (replacing this watch's rule of that name); the watch must exist, the
    rule must say what and where, and its name must not be another watch's rule's (names
    are shared by every watch: saving would silently take that rule away from it)."""
    get_watch(store, rule.watch)
    taken = next((r for r in rules(store) if r.name == rule.name), None)
    if taken is not None and taken.watch != rule.watch:
        raise UsageError(
            t(
                "an alert named '{name}' already belongs to the watch '{watch}': "
                "choose another name",
                name=rule.name,
                watch=taken.watch,
            )
        )
    if not rule.accounts and rule.spike is None:
        raise UsageError(t("an alert needs --account HANDLE (one or more) or --spike Z"))
    if not rule.mail and not rule.webhook:
        raise UsageError(t("an alert needs --mail ADDRESS or --webhook URL"))
    if rule.mail and not is_address(rule.mail):
        raise UsageError(
            t(
                "the alert's address {address!r} is not an e-mail address: write it as "
                "name@example.fr",
                address=rule.mail,
            )
        )
    if rule.webhook and safe_url(rule.webhook) != rule.webhook:
        raise UsageError(t("the alert's webhook '{url}' is not an http(s) URL", url=rule.webhook))
    if rule.spike is not None and rule.spike <= 0:
        raise UsageError(t("the spike threshold must be a positive z-score, e.g. 3"))
    with store.transaction() as tx:
        tables.save_alert_rule(
            tx,
            rule.name,
            rule.watch,
            orjson.dumps([_normalise_handle(a) for a in rule.accounts]).decode(),
            rule.spike,
            rule.mail,
            rule.webhook,
            format_datetime(utcnow()),
        )
        # `alert check` starts from now: the posts already stored are not news.
        tables.start_alerts_watermark(tx)


def rules(store: SQLiteStore) -> list[Rule]:
    return [
        Rule(r[0], r[1], list(orjson.loads(r[2])), r[3], r[4], r[5])
        for r in tables.alert_rules(store)
    ]


def remove_rule(store: SQLiteStore, name: str, watch: str | None = None) -> None:
    """Remove the rule ``name`` (``watch``: only if it is that watch's, as a watch's page
    removes only its own alerts)."""
    if watch is not None and not any(r.name == name and r.watch == watch for r in rules(store)):
        raise UsageError(
            t("no alert named '{name}' on the watch '{watch}'", name=name, watch=watch)
        )
    with store.transaction() as tx:
        if not tables.delete_alert_rule(tx, name):
            raise UsageError(t("no alert named '{name}'", name=name))


# -- evaluation ----------------------------------------------------------------------------


def _author_keys(post: Post) -> set[str]:
    handle = _normalise_handle(post.author)
    return {handle, f"{post.network}:{handle}"}


def _pk_and_story(
    store: SQLiteStore, posts: Sequence[Post]
) -> dict[tuple[str, str], tuple[int, int]]:
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for post in posts:
        located = tables.post_and_story(store, post.network, post.id)
        if located is not None:
            found[(post.network, post.id)] = located
    return found


def _spike(
    store: SQLiteStore, match: Matcher, newest: datetime, threshold: float
) -> tuple[int, int, Post, int] | None:
    """(posts in the last hour, their main story, a post of it, its pk) when it is a spike."""
    start = newest - BASELINE - timedelta(hours=1)
    rows = tables.stories_of_posts_between(store, format_datetime(start), format_datetime(newest))
    stories = dict(rows)
    hour_start = newest - timedelta(hours=1)
    recent: list[tuple[int, Post]] = []
    earlier = 0
    for pk, post in tables.posts_by_pk(store, [r[0] for r in rows]):
        if not match(post):
            continue
        if post.created_at > hour_start:
            recent.append((pk, post))
        else:
            earlier += 1
    usual = earlier / (BASELINE.total_seconds() / 3600)
    z = (len(recent) - usual) / math.sqrt(usual + 1)
    if len(recent) < MIN_SPIKE_POSTS or z < threshold:
        return None
    counts: dict[int, int] = {}
    for pk, _ in recent:
        counts[stories[pk]] = counts.get(stories[pk], 0) + 1
    story = max(counts, key=lambda s: (counts[s], -s))
    pk, post = next((pk, p) for pk, p in recent if stories[pk] == story)
    return len(recent), story, post, pk


def evaluate(store: SQLiteStore, posts: Sequence[Post]) -> list[Alert]:
    """The alerts ``posts`` (already written) raise, each recorded so it is never raised again."""
    if not posts or not rules(store):  # no rule: the index is left for the digest to update
        return []
    update_index(store)
    located = _pk_and_story(store, posts)
    raised: list[Alert] = []
    for rule in rules(store):
        watch = get_watch(store, rule.watch)
        match = matcher(watch.query)
        matching = [p for p in posts if (p.network, p.id) in located and match(p)]
        wanted = set(rule.accounts)
        for post in matching:
            if wanted and _author_keys(post) & wanted:
                pk, story = located[(post.network, post.id)]
                raised.append(Alert(rule.name, rule.watch, "account", story, post, pk=pk))
        if rule.spike is not None and matching:
            newest = max(p.created_at for p in matching)
            spike = _spike(store, match, newest, rule.spike)
            if spike is not None:
                count, story, post, pk = spike
                raised.append(Alert(rule.name, rule.watch, "spike", story, post, count, pk=pk))
    return _claim(store, raised)


def _claim(store: SQLiteStore, raised: list[Alert]) -> list[Alert]:
    """Keep the alerts whose (rule, story) was never sent, and mark them sent."""
    fresh: list[Alert] = []
    with store.transaction() as tx:
        for alert in raised:
            if tables.claim_alert(
                tx, alert.rule, alert.story, alert.kind, format_datetime(utcnow())
            ):
                fresh.append(alert)
    return fresh


# -- delivery ------------------------------------------------------------------------------


def _message(alert: Alert, lang: str) -> tuple[str, str]:
    if alert.kind == "spike":
        subject = messages.say(
            "[veilleur] {watch}: activity spike ({n} posts in an hour)",
            lang,
            watch=alert.watch,
            n=alert.count,
        )
    else:
        subject = messages.say(
            "[veilleur] {watch}: new post by {author}",
            lang,
            watch=alert.watch,
            author="@" + alert.post.author.lstrip("@"),
        )
    p = alert.post
    body = "\n\n".join(
        part
        for part in (
            subject,
            f"@{p.author.lstrip('@')} ({messages.NETWORK_NAMES.get(p.network, p.network)}), "
            f"{messages.moment(p.created_at, lang)}",
            plain_text(p.text, 2000),
            p.url or "",
        )
        if part
    )
    return subject, body


def check_webhook_address(url: str, allow_private: bool) -> None:
    """Refuse a webhook whose host resolves to a private, loopback or link-local address
    (IPv6 embeddings of those included: :func:`veilleur.sources.netguard.address_kind`).
    The early, clear refusal; the connection itself goes through the guarded transport,
    which checks again and connects to the address it checked (no DNS rebinding window)."""
    from veilleur.sources.netguard import address_kind

    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DeliveryError(
            t("cannot resolve the webhook host {host}: {reason}", host=host, reason=exc)
        ) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address_kind(address) is not None:
            raise DeliveryError(
                t(
                    "refused to call the webhook {url}: {host} is a private or local address "
                    "(allow it with: veilleur config set network.allow_private true)",
                    url=url,
                    host=host,
                )
            )


MAX_ATTEMPTS = 20
"""Deliveries tried for one alert before it is dropped (at one ``alert check`` every few
minutes, a few hours of a server down; a wrong address never clogs the list)."""


def deliver(workspace: Workspace, rule: Rule, alert: Alert, lang: str) -> None:
    """Send one alert where its rule says, on the channels not done yet; errors are recorded
    on the alert, not raised. Each channel that works is noted in ``alert.sent``."""
    subject, body = _message(alert, lang)
    alert.attempts += 1
    try:
        if rule.mail and "mail" not in alert.sent:
            from veilleur.watch.mail import send_mail

            send_mail(workspace, [rule.mail], subject, body)
            alert.sent.append("mail")
        if rule.webhook and "webhook" not in alert.sent:
            _post_webhook(workspace, rule.webhook, {**alert.to_json(), "subject": subject,
                                                    "text": body})  # fmt: skip
            alert.sent.append("webhook")
        alert.delivered = True
    except (VeilleurError, httpx.HTTPError) as exc:
        alert.error = str(exc)
        log.warning("alert %s for story %s not delivered: %s", alert.rule, alert.story, exc)


def _post_webhook(workspace: Workspace, url: str, payload: dict[str, object]) -> None:
    from veilleur.sources.netguard import guarded_transport

    allow_private = workspace.setting_bool("network.allow_private")
    check_webhook_address(url, allow_private)
    with httpx.Client(
        transport=guarded_transport(allow_private),
        timeout=float(workspace.setting_int("network.timeout") or 20),
        follow_redirects=False,
    ) as client:
        response = client.post(
            url,
            content=orjson.dumps(payload),
            headers={"Content-Type": "application/json", "User-Agent": "veilleur alerts"},
        )
    if response.status_code >= 300:
        raise DeliveryError(t("the webhook answered HTTP {status}", status=response.status_code))


def on_new_posts(
    workspace: Workspace, posts: Sequence[Post], *, lang: str | None = None
) -> list[Alert]:
    """Evaluate the alert rules on posts just collected, and deliver what they raise.

    The hook for ``veilleur run``: call it with each batch's new posts (after they are
    written). Returns the alerts raised, each with ``delivered`` or ``error``.
    """
    store = workspace.store
    raised = evaluate(store, posts)
    if not raised:
        return []
    by_name = {r.name: r for r in rules(store)}
    language = lang or workspace.setting("report.lang") or "fr"
    for alert in raised:
        deliver(workspace, by_name[alert.rule], alert, language)
    failed = [a for a in raised if not a.delivered]
    if failed:
        _add_pending(store, failed)
    return raised


PENDING_KEY = "alerts_pending"


def pending(store: SQLiteStore) -> list[Alert]:
    """The alerts raised but not delivered yet, oldest first (their posts read again), those
    a run is delivering now included."""
    value = tables.state(store, PENDING_KEY)
    items: list[dict[str, object]] = orjson.loads(value) if value else []
    posts = dict(tables.posts_by_pk(store, [int(str(i["pk"])) for i in items]))
    return [
        _pending_alert(i, posts[int(str(i["pk"]))]) for i in items if int(str(i["pk"])) in posts
    ]


def _pending_alert(item: dict[str, object], post: Post) -> Alert:
    return Alert(
        str(item["rule"]),
        str(item["watch"]),
        str(item["kind"]),
        int(str(item["story"])),
        post,
        int(str(item["count"])),
        error=str(item["error"]) if item.get("error") else None,
        pk=int(str(item["pk"])),
        retried=True,
        sent=[str(c) for c in _list(item.get("sent"))],
        attempts=int(str(item.get("attempts") or 1)),
    )


def _add_pending(store: SQLiteStore, failed: Sequence[Alert]) -> None:
    """Add alerts whose delivery failed to the pending list, read again inside the write
    transaction (a retry of another run may be recording its own outcome)."""
    with store.transaction() as tx:
        value = tables.state(tx, PENDING_KEY)
        items: list[dict[str, object]] = orjson.loads(value) if value else []
        items += [
            {"rule": a.rule, "watch": a.watch, "kind": a.kind, "story": a.story, "count": a.count,
             "pk": a.pk, "error": a.error, "sent": a.sent, "attempts": a.attempts}
            for a in failed
        ]  # fmt: skip
        tables.set_state(tx, PENDING_KEY, orjson.dumps(items).decode())


LEASE = timedelta(minutes=10)
"""How long a retry's claim holds. A run claims each pending alert (in a write transaction)
before delivering it, so two runs at once never send it both; a run killed mid-delivery
leaves its claim, which another run takes back after this — longer than one alert's
delivery (the SMTP and the webhook timeouts, ``network.timeout``: 30 and 20 s when unset)."""


def _key(item: dict[str, object]) -> tuple[str, int, int]:
    return str(item["rule"]), int(str(item["story"])), int(str(item["pk"]))


def _claim_retry(
    store: SQLiteStore, live: set[str], token: str, now: datetime, done: set[tuple[str, int, int]]
) -> Alert | None:
    """Claim the oldest pending alert that no run has in hand (or whose claim is older than
    :data:`LEASE`: its run died) and that this run has not tried (``done``), in one write
    transaction: the entry is marked with this run's ``token`` and the time, its attempt
    counted (a run that dies at each try still ends by dropping it). An alert whose rule was
    removed (not in ``live``) or whose post is gone is taken off the list on the way."""
    stale = format_datetime(now - LEASE)
    with store.transaction() as tx:
        value = tables.state(tx, PENDING_KEY)
        items: list[dict[str, object]] = orjson.loads(value) if value else []
        kept: list[dict[str, object]] = []
        claimed: Alert | None = None
        for item in items:
            if claimed is not None or _key(item) in done:
                kept.append(item)
                continue
            if str(item["rule"]) not in live:
                continue  # a removed rule's alerts go
            at = item.get("claimed_at")
            if at and str(at) > stale:
                kept.append(item)  # another run is delivering it
                continue
            pk = int(str(item["pk"]))
            posts = tables.posts_by_pk(tx, [pk])
            if not posts:
                continue  # its post was removed: nothing to tell any more
            claimed = _pending_alert(item, posts[0][1])
            kept.append({**item, "claimed_at": format_datetime(now), "claim": token,
                         "attempts": claimed.attempts + 1})  # fmt: skip
        if kept != items:
            tables.set_state(tx, PENDING_KEY, orjson.dumps(kept).decode())
    return claimed


def _finish_retry(store: SQLiteStore, alert: Alert, token: str) -> None:
    """Record what became of a claimed retry, in one write transaction: delivered or dropped,
    its entry goes; failed, it stays where it was in the list (oldest first), claim released,
    with the channels that worked and the error. An entry another run took back meanwhile
    (this run outlived :data:`LEASE`) is left to that run unless this one delivered it."""
    key = (alert.rule, alert.story, alert.pk)
    with store.transaction() as tx:
        value = tables.state(tx, PENDING_KEY)
        items: list[dict[str, object]] = orjson.loads(value) if value else []
        kept: list[dict[str, object]] = []
        for item in items:
            if _key(item) != key:
                kept.append(item)
            elif alert.delivered or alert.dropped:
                continue
            elif item.get("claim") != token:
                kept.append(item)
            else:
                sent = [str(c) for c in _list(item.get("sent"))]
                kept.append({**{k: v for k, v in item.items() if k not in ("claim", "claimed_at")},
                             "sent": sent + [c for c in alert.sent if c not in sent],
                             "error": alert.error, "attempts": alert.attempts})  # fmt: skip
        tables.set_state(tx, PENDING_KEY, orjson.dumps(kept).decode())


def retry_pending(
    workspace: Workspace, *, lang: str | None = None, now: datetime | None = None
) -> list[Alert]:
    """Try the pending alerts again, oldest first, each claimed before it is delivered and
    recorded just after (so two runs at once send each once); those that fail stay pending
    (a removed rule's go). ``now``: the clock the claims are read and written with."""
    store = workspace.store
    if tables.state(store, PENDING_KEY) in (None, "[]"):
        return []  # nothing waits: no write transaction
    by_name = {r.name: r for r in rules(store)}
    language = lang or workspace.setting("report.lang") or "fr"
    token = uuid.uuid4().hex
    tried: list[Alert] = []
    done: set[tuple[str, int, int]] = set()
    while (alert := _claim_retry(store, set(by_name), token, now or utcnow(), done)) is not None:
        done.add((alert.rule, alert.story, alert.pk))
        alert.error = None
        deliver(workspace, by_name[alert.rule], alert, language)
        alert.dropped = not alert.delivered and alert.attempts >= MAX_ATTEMPTS
        # recorded at once: a run killed between the delivery and here sends it once more
        _finish_retry(store, alert, token)
        tried.append(alert)
    return tried


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def batch_hook(workspace: Workspace) -> Callable[[object, list[Post]], None]:
    """A hook with the signature of the collectors' ``on_batch(source, posts)``."""

    def hook(source: object, posts: list[Post]) -> None:
        on_new_posts(workspace, posts)

    return hook


def check(workspace: Workspace, *, lang: str | None = None) -> list[Alert]:
    """Send the pending alerts again, then evaluate the posts added since the last check
    (for a cron job instead of ``run``); returns both, each ``delivered`` or not."""
    store = workspace.store
    retried = retry_pending(workspace, lang=lang)
    value = tables.state(store, "alerts_pk")
    last = int(value) if value is not None else 0
    pks = tables.post_pks_after(store, last)
    posts = [p for _, p in tables.posts_by_pk(store, pks)]
    raised = on_new_posts(workspace, posts, lang=lang)
    if pks:
        with store.transaction() as tx:
            tables.set_state(tx, "alerts_pk", str(max(pks)))
    return retried + raised
