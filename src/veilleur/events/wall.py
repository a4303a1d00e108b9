"""The live wall of an event: the newest collected posts carrying its hashtag.

The posts come from the sources the workspace collects (Mastodon, Bluesky, RSS…): the wall
shows what the watch already holds, it fetches nothing itself. The page that shows it
refreshes by polling; each text is escaped and each link checked there.
"""

from __future__ import annotations

from datetime import timedelta

from veilleur.events.manage import get_event
from veilleur.events.model import Event
from veilleur.model import Post
from veilleur.store import SQLiteStore

SINCE = timedelta(days=1)
"""Posts older than the day before the start are not the event's yet."""
LIMIT = 60


def wall_posts(store: SQLiteStore, slug: str, *, limit: int = LIMIT) -> tuple[Event, list[Post]]:
    """The event and its newest posts with the hashtag (none when it has no hashtag)."""
    from veilleur.query import parse

    event = get_event(store, slug)
    if not event.hashtag:
        return event, []
    since = event.starts_at - SINCE
    found = store.search(parse(event.hashtag).root, limit=limit * 4)
    return event, [p for p in found if p.created_at >= since][:limit]
