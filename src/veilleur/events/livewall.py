"""The live wall of an event: the newest collected posts carrying its hashtag, moderated.

The posts come from the sources the workspace collects (Mastodon, Bluesky, RSS…): the wall
shows what the watch already holds, it fetches nothing itself. An editor hides a post
(gone from the wall, still in the watch) or pins it (first, whatever its age); the wall can
show registered attendees' posts only (troll-safe: a handle given on the sign-up form and
the post's author on that network agree, case and a leading « @ » ignored); each
attendee's first post on the wall is marked, so that the room can greet them. The pages
that show it refresh by polling; each text is escaped and each link checked there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from veilleur.errors import UsageError
from veilleur.events import tables
from veilleur.events.manage import get_event
from veilleur.events.model import Event, Registration
from veilleur.i18n import t
from veilleur.model import Post, format_datetime, utcnow
from veilleur.networks import normalize_handle
from veilleur.store import SQLiteStore
from veilleur.workspace import Workspace

SINCE = timedelta(days=1)
"""Posts older than the day before the start are not the event's yet."""
LIMIT = 60
ACTIONS = {"hide": "hidden", "pin": "pinned", "show": None, "unpin": None}


@dataclass(frozen=True, slots=True)
class WallPost:
    post: Post
    state: str | None  # hidden, pinned, or None
    first: bool  # an attendee's first post on the wall


@dataclass(frozen=True, slots=True)
class Wall:
    event: Event
    posts: list[WallPost]
    attendees_only: bool


def _who(network: str, handle: str) -> tuple[str, str]:
    return network, normalize_handle(handle).casefold()


def _attendees(store: SQLiteStore, event: Event) -> set[tuple[str, str]]:
    rows = tables.registrations_by_status(store, event.id, ("confirmed", "attended"))
    people = [Registration.from_row(r) for r in rows]
    return {_who(network, handle) for p in people for network, handle in p.handles.items()}


def wall(store: SQLiteStore, slug: str, *, with_hidden: bool = False, limit: int = LIMIT) -> Wall:
    """The wall: pinned posts first, then the newest; hidden ones only ``with_hidden`` (the
    editor's view, to show them again)."""
    from veilleur.query import parse

    event = get_event(store, slug)
    only = tables.wall_attendees_only(store, event.id)
    if not event.hashtag:
        return Wall(event, [], only)
    since = event.starts_at - SINCE
    marks = tables.wall_marks(store, event.id)
    # pinned posts by id first: a pin holds whatever the post's age, even once it is older
    # than the newest the search returns
    pinned = [store.get_post(network, post_id)
              for (network, post_id), state in marks.items() if state == "pinned"]  # fmt: skip
    found = [p for p in pinned if p is not None]
    seen = {(p.network, p.id) for p in found}
    found += [p for p in store.search(parse(event.hashtag).root, limit=limit * 4)
              if p.created_at >= since and (p.network, p.id) not in seen]  # fmt: skip
    found.sort(key=lambda p: p.created_at, reverse=True)
    attendees = _attendees(store, event)
    firsts: dict[tuple[str, str], str] = {}
    for post in sorted(found, key=lambda p: p.created_at):
        key = _who(post.network, post.author)
        if key in attendees and marks.get((post.network, post.id)) != "hidden":
            firsts.setdefault(key, post.id)
    shown: list[WallPost] = []
    for post in found:
        state = marks.get((post.network, post.id))
        key = _who(post.network, post.author)
        if (state == "hidden" and not with_hidden) or (only and key not in attendees):
            continue
        shown.append(WallPost(post, state, firsts.get(key) == post.id))
    shown.sort(key=lambda w: w.state != "pinned")  # stable: newest first within each part
    return Wall(event, shown[:limit], only)


def moderate(
    ws: Workspace, slug: str, network: str, post_id: str, action: str, *, by: str | None = None
) -> None:
    """``hide``, ``show`` (again), ``pin`` or ``unpin`` a post on the event's wall."""
    if action not in ACTIONS:
        raise UsageError(
            t("unknown action '{action}' (expected hide, show, pin or unpin)", action=action)
        )
    store = ws.store
    event = get_event(store, slug)
    with store.transaction() as tx:
        tables.set_wall_mark(
            tx, event.id, network, post_id, ACTIONS[action], by, format_datetime(utcnow())
        )


def set_attendees_only(ws: Workspace, slug: str, on: bool) -> None:
    """Show only registered attendees' posts on the wall (or everyone's again)."""
    store = ws.store
    event = get_event(store, slug)
    with store.transaction() as tx:
        tables.set_wall_attendees_only(tx, event.id, on)
