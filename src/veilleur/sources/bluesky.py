"""The Bluesky collector: searchPosts and getAuthorFeed on a public AppView, over XRPC.

``app.bsky.feed.searchPosts`` (q, lang, since, until, tag; newest first) or
``app.bsky.feed.getAuthorFeed`` (an account's posts and reposts), with cursor pagination.
A collection walks pages newest first and stops at the first post it already had (or at
the newest time seen before), at most :data:`FIRST_PAGES` pages the first time and
:data:`MAX_PAGES` afterwards. Calls go through the shared client (guard, retries, 429).

Normalisation of post views: the record is read by the same function as the repository
import (``veilleur import bluesky-car``) — link facets written out in full in the text,
reply and quote URIs, external links appended — so a post collected and the same post
imported are one post; the view adds what only it carries: display name, counts, and
images and videos with their alt text. The id is the post's ``at://`` URI, the author its
handle. A repost in an author feed is a post of the reposter with empty text and
``repost_of`` the original URI (the original is collected too).

twitwi (medialab) normalises these views too, but into its own flat, CSV-minded schema;
mapping that schema back to ``Post`` would be as long as reading the views, so it is not
used.
"""

from __future__ import annotations

from typing import Any

from veilleur.imports.bluesky_car import record_to_post
from veilleur.model import Media, Post, format_datetime, parse_datetime
from veilleur.sources.base import Context, Outcome
from veilleur.sources.http import FetchError, check_status
from veilleur.sources.registry import SourceRecord
from veilleur.sources.schedule import due_at, next_interval

DEFAULT_APPVIEW = "https://public.api.bsky.app"
PAGE_SIZE = 100
FIRST_PAGES = 3
MAX_PAGES = 10
SEARCH_FILTERS = ("lang", "since", "until", "tag")


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` → (did, collection, rkey); ValueError otherwise."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        raise ValueError(f"{uri!r} is not an at:// record URI")
    return parts[0], parts[1], parts[2]


def _images(images: Any) -> list[Media]:
    media: list[Media] = []
    for image in images or []:
        if isinstance(image, dict) and image.get("fullsize"):
            media.append(Media(url=str(image["fullsize"]), alt=image.get("alt") or None))
    return media


def view_media(embed: Any) -> list[Media]:
    """Images and videos of a post view's embed (``…#view``), with their alt text."""
    if not isinstance(embed, dict):
        return []
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return view_media(embed.get("media"))
    if kind.startswith("app.bsky.embed.images"):
        return _images(embed.get("images"))
    if kind.startswith("app.bsky.embed.video") and embed.get("playlist"):
        return [Media(url=str(embed["playlist"]), alt=embed.get("alt") or None, type="video")]
    return []


def _valid_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def view_to_post(view: dict[str, Any], source: str) -> Post:
    """A post view (app.bsky.feed.defs#postView) as a Post; ValueError when unusable."""
    did, collection, rkey = split_uri(str(view.get("uri", "")))
    author = view.get("author") or {}
    handle = str(author.get("handle") or did)
    record = view.get("record")
    if isinstance(record, dict) and not _valid_date(record.get("createdAt")):
        # A client wrote a date that is none (seen: year 0000): the AppView's time instead.
        record = {**record, "createdAt": view.get("indexedAt")}
    post = record_to_post(record, collection, did, rkey, handle)
    post.author_name = author.get("displayName") or None
    post.media = view_media(view.get("embed"))
    post.likes = view.get("likeCount")
    post.reposts = view.get("repostCount")
    post.replies = view.get("replyCount")
    post.quotes = view.get("quoteCount")
    post.source = source
    post.raw = view
    return post


def repost_to_post(item: dict[str, Any], original: Post, source: str) -> Post | None:
    """The repost of a feed item (``reason`` #reasonRepost) as the reposter's post."""
    reason = item.get("reason") or {}
    by = reason.get("by") or {}
    if "reasonRepost" not in str(reason.get("$type")) or not by.get("did"):
        return None
    when = reason.get("indexedAt") or (original.raw and original.raw.get("indexedAt"))
    uri = reason.get("uri") or f"at://{by['did']}/app.bsky.feed.repost/of:{original.id}"
    return Post(
        id=str(uri),
        network="bluesky",
        author=str(by.get("handle") or by["did"]),
        author_name=by.get("displayName") or None,
        text="",
        created_at=parse_datetime(str(when)) if when else original.created_at,
        url=original.url,
        repost_of=original.id,
        source=source,
        raw=dict(reason),
    )


def _query(record: SourceRecord) -> tuple[str, dict[str, Any]]:
    params = record.params
    if params.get("author"):
        return "app.bsky.feed.getAuthorFeed", {
            "actor": params["author"],
            "filter": "posts_with_replies",
        }
    query: dict[str, Any] = {"q": params["search"], "sort": "latest"}
    query.update({k: params[k] for k in SEARCH_FILTERS if params.get(k)})
    return "app.bsky.feed.searchPosts", query


def _indexed(view: dict[str, Any]) -> str:
    return str(view.get("indexedAt") or "")


async def collect_bluesky(record: SourceRecord, ctx: Context) -> Outcome:
    appview = str(record.params.get("appview") or DEFAULT_APPVIEW).rstrip("/")
    method, query = _query(record)
    url = f"{appview}/xrpc/{method}"
    state = dict(record.state)
    newest_before = state.get("newest")
    if method.endswith("searchPosts") and newest_before and "since" not in query:
        query["since"] = newest_before  # the AppView filters; known posts are not resent
    posts: list[Post] = []
    problems: list[str] = []
    cursor: str | None = None
    newest = newest_before
    for _ in range(MAX_PAGES if newest_before else FIRST_PAGES):
        page_query = {**query, "limit": PAGE_SIZE, **({"cursor": cursor} if cursor else {})}
        response = await ctx.http.get(
            url, headers={"Accept": "application/json"}, params=page_query
        )
        if response.status in (400, 401, 403):
            detail = response.content[:200].decode("utf-8", "replace")
            raise FetchError(url, f"HTTP {response.status} from the AppView: {detail}")
        check_status(response, url)
        try:
            body = response.json()
        except ValueError as exc:
            raise FetchError(url, f"the answer is not JSON ({exc})") from None
        items = body.get("feed") if "feed" in body else [{"post": v} for v in body.get("posts", [])]
        if not isinstance(items, list):
            raise FetchError(url, "expected a list of posts")
        page_posts: list[Post] = []
        reached_known = False
        for item in items:
            view = item.get("post") if isinstance(item, dict) else None
            if not isinstance(view, dict):
                continue
            seen_time = _indexed(view)
            if newest_before and seen_time and seen_time <= newest_before and "reason" not in item:
                reached_known = True
            try:
                post = view_to_post(view, record.name)
            except (ValueError, LookupError) as exc:
                problems.append(f"{view.get('uri')}: {exc}")
                continue
            page_posts.append(post)
            repost = repost_to_post(item, post, record.name)
            if repost is not None:
                page_posts.append(repost)
            if _indexed(view) and (newest is None or _indexed(view) > newest):
                newest = _indexed(view)
        posts.extend(page_posts)
        ids = [p.id for p in page_posts]
        if ids and len(ctx.known("bluesky", ids)) == len(ids):
            break  # a page of posts already collected
        cursor = body.get("cursor")
        if reached_known or not cursor or not items:
            break
    if newest:
        state["newest"] = newest
    dates = [p.created_at for p in posts]
    known = ctx.known("bluesky", [p.id for p in posts])
    interval = next_interval(
        state.get("interval"), dates, found_new=any(p.id not in known for p in posts)
    )
    state.update(interval=interval, next_due=format_datetime(due_at(ctx.now, interval)))
    warning = None
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        warning = f"skipped a post: {problems[0]}{more}"
    return Outcome(posts=posts, state=state, warning=warning)
