"""The Bluesky collector: searchPosts and getAuthorFeed on a public AppView, over XRPC.

``app.bsky.feed.searchPosts`` (q, lang, since, until, tag; newest first) or
``app.bsky.feed.getAuthorFeed`` (an account's posts and reposts), with cursor pagination.
A collection walks pages newest first and stops at the first post it already had (or at
the newest time seen before), at most :data:`FIRST_PAGES` pages the first time and
:data:`MAX_PAGES` afterwards. Calls go through the shared client (guard, retries, 429).

Normalisation of post views is :mod:`veilleur.networks.bluesky`'s, shared with the
repository import (``veilleur import bluesky-car``), so a post collected and the same post
imported are one post. The id is the post's ``at://`` URI, the author its handle. A repost
in an author feed is a post of the reposter with empty text and ``repost_of`` the original
URI (the original is collected too).
"""

from __future__ import annotations

from typing import Any

from veilleur.i18n import t
from veilleur.model import Post, format_datetime
from veilleur.networks.bluesky import DEFAULT_APPVIEW, repost_to_post, view_to_post
from veilleur.sources.base import Context, Outcome
from veilleur.sources.http import FetchError, check_status
from veilleur.sources.registry import SourceRecord
from veilleur.sources.schedule import due_at, next_interval

PAGE_SIZE = 100
FIRST_PAGES = 3
MAX_PAGES = 10
SEARCH_FILTERS = ("lang", "since", "until", "tag")


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
            raise FetchError(
                url,
                t(
                    "HTTP {status} from the AppView: {detail}",
                    status=response.status,
                    detail=detail,
                ),
            )
        check_status(response, url)
        try:
            body = response.json()
        except ValueError as exc:
            raise FetchError(url, t("the answer is not JSON ({reason})", reason=exc)) from None
        if not isinstance(body, dict):
            raise FetchError(url, t("expected a list of posts"))
        items = body.get("feed") if "feed" in body else [{"post": v} for v in body.get("posts", [])]
        if not isinstance(items, list):
            raise FetchError(url, t("expected a list of posts"))
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
            except (ValueError, LookupError, TypeError, AttributeError, RecursionError) as exc:
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
