"""The RSS/Atom/JSON Feed collector: conditional GET, adaptive interval, full text on demand.

Parameters: ``url`` and ``full_text`` (bool). State: ``etag``, ``last_modified`` (sent
back as If-None-Match / If-Modified-Since, so an unchanged feed costs a 304 and no
parsing), ``url`` when the feed moved permanently, ``title`` and ``link`` of the feed,
``interval`` (seconds) and ``next_due``.
"""

from __future__ import annotations

from typing import Any

from veilleur.model import format_datetime
from veilleur.networks.rss import NotAFeed, entry_to_post, parse_feed
from veilleur.sources.base import Context, Outcome
from veilleur.sources.http import FetchError, check_status
from veilleur.sources.registry import SourceRecord
from veilleur.sources.schedule import due_at, next_interval
from veilleur.sources.web import fill_full_text


def feed_url(record: SourceRecord) -> str:
    return str(record.state.get("url") or record.params["url"])


def conditional_headers(state: dict[str, Any]) -> dict[str, str]:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
    }
    if state.get("etag"):
        headers["If-None-Match"] = str(state["etag"])
    if state.get("last_modified"):
        headers["If-Modified-Since"] = str(state["last_modified"])
    return headers


async def collect_rss(record: SourceRecord, ctx: Context) -> Outcome:
    url = feed_url(record)
    state = dict(record.state)
    previous = state.get("interval")
    response = await ctx.http.get(url, headers=conditional_headers(state))
    if response.status == 304:
        interval = next_interval(previous, [], found_new=False)
        state.update(interval=interval, next_due=format_datetime(due_at(ctx.now, interval)))
        return Outcome(posts=[], state=state, status="not-modified")
    check_status(response, url)
    try:
        feed = parse_feed(response.content, response.headers)
    except NotAFeed as exc:
        raise FetchError(response.url, str(exc)) from None
    if response.moved_permanently:
        state["url"] = response.url
    for header, key in (("etag", "etag"), ("last-modified", "last_modified")):
        value = response.headers.get(header)
        if value:
            state[key] = value
        else:
            state.pop(key, None)
    state.update(title=feed.title, link=feed.link, format=feed.format)
    source_url = str(record.params["url"])
    posts = [
        entry_to_post(e, feed, source_url, record.name, ctx.now)
        for e in feed.entries
        if e.title or e.link or e.html.strip()
    ]
    known = ctx.known("rss", [p.id for p in posts])
    fresh = [p for p in posts if p.id not in known]
    warning = feed.problem
    if record.params.get("full_text"):
        summaries = [p for p in fresh if p.raw is not None and not p.raw.get("has_content")]
        problems = await fill_full_text(ctx.http, summaries)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            warning = f"full text: {problems[0]}{more}"
    dates = [e.published for e in feed.entries if e.published is not None]
    interval = next_interval(previous, dates, found_new=bool(fresh))
    state.update(interval=interval, next_due=format_datetime(due_at(ctx.now, interval)))
    # Feed entries carry no counts to refresh: only the new ones are written.
    return Outcome(posts=fresh, state=state, warning=warning, known=len(posts) - len(fresh))
