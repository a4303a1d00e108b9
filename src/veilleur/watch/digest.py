"""A watch's digest: its top stories with their why, what is rising, the accounts that matter.

:func:`build_digest` gathers everything from the store into a :class:`Digest` (plain data);
:mod:`veilleur.watch.render` writes it as HTML for e-mail, Markdown, JSON or Atom. Texts
from posts are turned into plain text here — HTML from feeds is cleaned with nh3 first — so
that no renderer ever outputs markup that came from outside.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import nh3

from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import Post, Watch, parse_datetime
from veilleur.store import SQLiteStore
from veilleur.text import detect_language, extract
from veilleur.watch import messages, tables
from veilleur.watch.canonical import canonical_url, site_of
from veilleur.watch.experts import Activity, Expert, rank_accounts
from veilleur.watch.index import ARTICLE_NETWORKS, update_index
from veilleur.watch.ranking import Ranked, Reason, StoryStats, rank
from veilleur.watch.selection import Selected, get_watch, query_words, watch_posts
from veilleur.watch.trends import BASELINE_DAYS, Trend, Usage, post_terms, term_key, trends

PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7)}
TEXT_LIMIT = 480
_SPACES = re.compile(r"\s+")
FUTURE_TOLERANCE = timedelta(days=1)  # clocks and time zones: a day ahead is still believed
_RT = re.compile(r"^\s*RT\s*:?\s*@", re.IGNORECASE)
_RT_PREFIX = re.compile(r"^\s*RT\s*:?\s*@+([\w.@-]*\w)\s*:?\s*", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'»)\]]+")
# A link cut by a repost's 140 characters: t.co codes are 10 characters; « … » ends a cut.
_CUT_LINK = re.compile(r"\s*(?:https?://t\.co/\w{0,9}(?![\w/])…?|https?://\S*…)")
_X_STATUS = "https://x.com/{author}/status/{id}"


@dataclass(slots=True)
class PostRef:
    network: str
    author: str
    url: str | None
    created_at: datetime


@dataclass(slots=True)
class StoryEntry:
    rank: int
    story: int
    title: str | None
    text: str
    lang: str  # of the representative post: its stored language, else the detected one
    url: str | None
    links: list[str]
    first_seen: datetime
    last_seen: datetime
    volume: int
    sources: list[str]
    networks: list[str]
    engagement: int | None
    score: float
    components: dict[str, float]
    why: list[str]
    posts: list[PostRef] = field(default_factory=list)
    related_tags: list[str] = field(default_factory=list)  # rising hashtags it shares with…
    related_stories: int = 0  # …stories folded under it in the digest
    related_posts: int = 0
    author: str | None = None  # of the original post: « @BFMTV » for a repost of BFMTV
    repost: bool = False  # the representative is a repost, shown as the original
    dated: bool = True  # False: none of its posts has a trustworthy date (« date inconnue »)


@dataclass(slots=True)
class Digest:
    watch: Watch
    since: datetime
    until: datetime
    generated_at: datetime
    lang: str
    posts: int
    story_count: int
    stories: list[StoryEntry]
    trends: list[Trend]
    accounts: list[Expert]


def resolve_period(
    since: datetime | None, period: str | None, now: datetime
) -> tuple[datetime, datetime]:
    """``[since, now)`` — from ``--since`` or ``--period`` (a week when neither is given)."""
    if since is not None and period is not None:
        raise UsageError(_("give --since or --period, not both"))
    if since is None:
        since = now - PERIODS[period or "week"]
    if since >= now:
        raise UsageError(t("--since {date} is not in the past", date=f"{since:%Y-%m-%d}"))
    return since, now


def newest_post(store: SQLiteStore) -> datetime | None:
    """When the newest post of the workspace was written: a digest of a corpus no longer
    collected (the demo's) reads best over the week ending there."""
    stamp = tables.newest_post_time(store)
    return parse_datetime(stamp) if stamp else None


def plain_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """A post's text as plain text: markup cleaned with nh3, entities decoded, cut at a word."""
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(text, tags=set()))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return text


def post_lang(post: Post) -> str:
    """A post's language: the one stored (primary subtag), else the detected one."""
    code = (post.lang or "").strip().lower().replace("_", "-").split("-", 1)[0]
    if code and code not in ("und", "zxx", "mul", "mis"):
        return code
    return detect_language(" ".join(filter(None, (post.title, post.text))))


def has_trusted_date(post: Post, now: datetime) -> bool:
    """False for a feed item that gave no date the parser could read (it was dated by its
    collection) and for a date in the future of its collection."""
    raw = post.raw
    if isinstance(raw, dict) and "feed" in raw and "guid" in raw and "published" not in raw:
        return False
    return post.created_at <= (post.collected_at or now) + FUTURE_TOLERANCE


def _when(s: Selected, now: datetime) -> datetime:
    """When a post counts as posted: its date, or its collection when its date is not
    trustworthy."""
    p = s.post
    if has_trusted_date(p, now):
        return p.created_at
    return min(p.collected_at or p.created_at, p.created_at)


def _is_repost(post: Post) -> bool:
    return bool(post.repost_of or _RT.match(post.text))


def _handle(author: str) -> str:
    return "@" + author.lstrip("@")


def _expanded(text: str, raw: object) -> str:
    """t.co links written out in full where the raw payload has them (``entities.urls``)."""
    entities = raw.get("entities") if isinstance(raw, dict) else None
    urls = entities.get("urls") if isinstance(entities, dict) else None
    for url in urls if isinstance(urls, list) else []:
        if isinstance(url, dict):
            short, full = url.get("url"), url.get("expanded_url")
            if isinstance(short, str) and isinstance(full, str) and short and full:
                text = text.replace(short, full)
    return text


@dataclass(frozen=True, slots=True)
class Original:
    """What a post shows: for a repost, the original's text, author and address."""

    text: str
    author: str | None
    url: str | None
    repost: bool


def as_original(post: Post) -> Original:
    """A post as a reader wants it: a repost (« RT @BFMTV: … ») as the post it reposts, by
    its author, with its links written out in full and no link cut in the middle."""
    raw = post.raw if isinstance(post.raw, dict) else {}
    inner = raw.get("retweeted_status")
    if isinstance(inner, dict):  # an API payload carries the original whole
        user = inner.get("user")
        author = user.get("screen_name") if isinstance(user, dict) else None
        text = inner.get("full_text") or inner.get("text")
        if isinstance(text, str) and isinstance(author, str):
            status = inner.get("id_str")
            url = _X_STATUS.format(author=author, id=status) if isinstance(status, str) else None
            return Original(_cut_links(_expanded(html.unescape(text), inner)), _handle(author),
                            url or post.url, True)  # fmt: skip
    text = _expanded(post.text, raw)
    found = _RT_PREFIX.match(text)
    if not found and not post.repost_of:
        return Original(_cut_links(text), None, post.url, False)
    author = found.group(1) if found else None
    if author is None and post.repost_of and post.repost_of.startswith("@"):
        author = post.repost_of
    text = text[found.end() :] if found else text
    url = post.url
    if post.network == "x" and author and post.repost_of and post.repost_of.isdigit():
        url = _X_STATUS.format(author=author.lstrip("@"), id=post.repost_of)
    return Original(_cut_links(text), _handle(author) if author else None, url, True)


def _cut_links(text: str) -> str:
    return _CUT_LINK.sub("", text).strip()


def _representative(items: list[Selected]) -> Selected:
    """The post that tells the story best: an original, whole, with a title if an article."""

    def key(s: Selected) -> tuple[int, int, int, int, datetime]:
        p = s.post
        copy = 1 if (p.repost_of or _RT.match(p.text) or s.group != s.pk) else 0
        cut = 1 if p.text.rstrip().endswith(("…", "...")) else 0
        return (copy, cut, 0 if p.title else 1, -(p.likes or 0), p.created_at)

    return min(items, key=key)


def _engagement(s: Selected) -> int:
    p = s.post
    return (p.likes or 0) + (p.reposts or 0) + (p.replies or 0) + (p.quotes or 0)


def _source_name(s: Selected) -> str:
    p = s.post
    if p.network in ARTICLE_NETWORKS:
        return p.author if "." in p.author or not p.url else site_of(p.url)
    return _handle(p.author)


def _links(items: list[Selected], first: Selected) -> list[str]:
    found: dict[str, str] = {}
    for s in [first, *items]:
        candidates = [s.post.url] if s.post.network in ARTICLE_NETWORKS and s.post.url else []
        text = as_original(s.post).text
        candidates += [u.rstrip(".,;:!?…") for u in _URL.findall(text)]
        for url in candidates:
            found.setdefault(canonical_url(url), url)
    return list(found.values())[:3]


def _counts_in_period(
    store: SQLiteStore, stories: list[int], since: datetime, until: datetime
) -> dict[int, int]:
    from veilleur.model import format_datetime

    return tables.story_counts_between(
        store, stories, format_datetime(since), format_datetime(until)
    )


def _first_seen(store: SQLiteStore, stories: list[int]) -> dict[int, datetime]:
    return {
        story: datetime.fromtimestamp(first, UTC)
        for story, first in tables.stories_first_seen(store, stories).items()
    }


def _usage(s: Selected, now: datetime) -> Usage:
    terms = post_terms(as_original(s.post).text, post_lang(s.post))
    return Usage(_when(s, now), s.post.author, s.group, terms)


def _activity(s: Selected) -> Activity:
    p = s.post
    mentions = tuple(
        m.value + ("@" + m.instance if m.instance else "") for m in extract(p.text).mentions
    )
    copy = s.group != s.pk
    # A handle stored with its « @ » (some CSV exports) is shown with one, not « @@ ».
    return Activity(p.network, p.author.lstrip("@"), p.author_name, p.created_at, p.id, p.text,
                    mentions, p.repost_of, copy, p.reposts or 0)  # fmt: skip


_NOUN_OF = {"copies": "copy", "volume": "post", "engagement": "interaction"}


def _reason(r: Reason, stats: StoryStats, lang: str) -> str:
    """One reason in words: counts with their nouns, dates in full, networks by name."""
    values = dict(r.values)
    key = r.key
    if key == "sources":
        if values["networks"] == 1:
            key = "sources_one"
            shown = stats.sources[:4]
            values["names"] = ", ".join(shown) + ("…" if len(stats.sources) > 4 else "")
        else:
            values["names"] = messages.networks(stats.networks)
        values["networks"] = messages.noun(len(stats.networks), "network", lang)
        values["n"] = messages.noun(len(stats.sources), "source", lang)
    elif key in _NOUN_OF:
        values["n"] = messages.noun(int(str(values["n"])), _NOUN_OF[key], lang)
    elif key == "growth":
        values["recent"] = messages.noun(int(str(values["recent"])), "post", lang)
    elif key == "main":
        keys = values["signals"]
        values["signals"] = messages.signals(list(keys) if isinstance(keys, list) else [], lang)
    for name, value in values.items():
        if isinstance(value, datetime):
            values[name] = messages.day(value, lang)
    return messages.say(messages.REASONS[key], lang, **values)


def _entry(position: int, ranked: Ranked, items: list[Selected], lang: str) -> StoryEntry:
    first = _representative(items)
    p = first.post
    shown = as_original(p)
    author = shown.author or (_source_name(first) if not p.title else None)
    reasons = [_reason(r, ranked.stats, lang) for r in ranked.reasons]
    refs: list[PostRef] = []
    seen: set[str] = set()
    for s in sorted(items, key=lambda s: s.post.created_at):
        name = _source_name(s)
        if name not in seen:
            seen.add(name)
            refs.append(PostRef(s.post.network, s.post.author, s.post.url, s.post.created_at))
    links = _links(items, first)
    return StoryEntry(
        rank=position,
        story=ranked.stats.story,
        title=plain_text(p.title, 200) if p.title else None,
        text=plain_text(shown.text),
        lang=post_lang(p),
        url=shown.url or (links[0] if links else None),
        links=links,
        first_seen=ranked.stats.first_seen,
        last_seen=max(s.post.created_at for s in items),
        volume=ranked.stats.volume,
        sources=ranked.stats.sources,
        networks=ranked.stats.networks,
        engagement=ranked.stats.engagement,
        score=ranked.score,
        components={k: round(v, 3) for k, v in ranked.components.items()},
        why=reasons,
        posts=refs[:6],
        author=author,
        repost=shown.repost,
        dated=ranked.stats.dated,
    )


def build_digest(
    store: SQLiteStore,
    watch_name: str,
    since: datetime,
    until: datetime,
    *,
    lang: str = "fr",
    limit: int = 10,
    now: datetime | None = None,
) -> Digest:
    """Everything a digest of ``watch_name`` over ``[since, until)`` shows."""
    update_index(store)
    now = now or datetime.now(UTC)
    watch = get_watch(store, watch_name)
    history = list(watch_posts(store, watch, since - timedelta(days=BASELINE_DAYS), until))
    current = [s for s in history if s.post.created_at >= since]
    by_story: dict[int, list[Selected]] = defaultdict(list)
    for s in current:
        by_story[s.story].append(s)
    ids = sorted(by_story)
    in_period = _counts_in_period(store, ids, since, until)
    first_seen = _first_seen(store, ids)
    stats = [_stats(story, items, since, until, now, in_period, first_seen)
             for story, items in by_story.items()]  # fmt: skip
    ranked = rank(stats, since, until)
    exclude = frozenset(query_words(watch.query))
    rising = trends((_usage(s, now) for s in history), since, until, exclude=exclude)
    entries = _entries(ranked, by_story, rising, lang, limit)
    return Digest(
        watch=watch,
        since=since,
        until=until,
        generated_at=now,
        lang=lang,
        posts=len(current),
        story_count=len(by_story),
        stories=entries,
        trends=rising,
        accounts=rank_accounts(_activities(history)),
    )


def _stats(
    story: int,
    items: list[Selected],
    since: datetime,
    until: datetime,
    now: datetime,
    in_period: dict[int, int],
    first_seen: dict[int, datetime],
) -> StoryStats:
    """What ranking needs of one story. Posts without a trustworthy date count at their
    collection; a story none of whose posts has one is not dated (never new)."""
    middle = since + (until - since) / 2
    when = [_when(s, now) for s in items]
    dated = any(has_trusted_date(s.post, now) for s in items)
    sources = list(dict.fromkeys(_source_name(s) for s in items))
    writers = {_source_name(s) for s in items if not _is_repost(s.post)}
    best: dict[int, int] = {}  # a text copied many times counts once, at its best
    for s in items:
        best[s.group] = max(best.get(s.group, 0), _engagement(s))
    counted = any(s.post.likes is not None or s.post.reposts is not None for s in items)
    return StoryStats(
        story=story,
        volume=len(items),
        in_period=in_period.get(story, len(items)),
        recent=sum(1 for w in when if w >= middle),
        earlier=sum(1 for w in when if w < middle),
        engagement=sum(best.values()) if counted else None,
        sources=sources,
        networks=sorted({s.post.network for s in items}),
        first_seen=first_seen.get(story, min(when)) if dated else min(when),
        copies=sum(1 for s in items if s.group != s.pk),
        reposters=sum(1 for name in sources if name not in writers),
        dated=dated,
    )


def _entries(
    ranked: list[Ranked],
    by_story: dict[int, list[Selected]],
    rising: list[Trend],
    lang: str,
    limit: int,
) -> list[StoryEntry]:
    """The top stories; a story sharing a rising hashtag with a better one is folded under it.

    Twenty posts about one event, each worded its own way, are twenty stories for the
    index but one subject for a reader: the digest shows the best and counts the rest.
    """
    tags = {t.key or term_key(t.term): t.term for t in rising if t.kind == "hashtag"}
    entries: list[StoryEntry] = []
    owner: dict[str, StoryEntry] = {}
    for r in ranked:
        items = by_story[r.stats.story]
        story_tags = {
            term_key(h.value) for s in items for h in extract(s.post.text).hashtags
        } & tags.keys()
        parent = next((owner[t] for t in sorted(story_tags) if t in owner), None)
        if parent is not None:
            parent.related_stories += 1
            parent.related_posts += len(items)
            for t in sorted(story_tags):
                if tags[t] not in parent.related_tags:
                    parent.related_tags.append(tags[t])
            continue
        if len(entries) >= limit:
            continue
        entry = _entry(len(entries) + 1, r, items, lang)
        entries.append(entry)
        for t in story_tags:
            owner.setdefault(t, entry)
    return entries


def _activities(history: list[Selected]) -> list[Activity]:
    """Activities; a copy of one's own post (a cross-post) is not a copy of someone else's."""
    author_of = {s.pk: (s.post.author_name or s.post.author).casefold() for s in history}
    found = []
    for s in history:
        activity = _activity(s)
        root = author_of.get(s.group)
        if activity.is_copy and root == (s.post.author_name or s.post.author).casefold():
            activity = replace(activity, is_copy=False)
        found.append(activity)
    return found


def group_stories(
    store: SQLiteStore, watch_name: str, since: datetime, until: datetime
) -> list[list[Post]]:
    """The posts of a saved watch over ``[since, until)`` grouped by story — near-duplicates
    (the same quote reposted, a copy with one word more) together — largest group first,
    then earliest. Unlike the digest, nothing is ranked, cut or folded under a hashtag: an
    event's recap wants every story of its own hashtag."""
    update_index(store)
    groups: dict[int, list[Post]] = defaultdict(list)
    for selected in watch_posts(store, get_watch(store, watch_name), since, until):
        groups[selected.story].append(selected.post)
    return sorted(groups.values(), key=lambda g: (-len(g), min(p.created_at for p in g)))
