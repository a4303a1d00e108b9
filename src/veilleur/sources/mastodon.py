"""The Mastodon collector: a hashtag timeline, an account's statuses, or a search.

Any instance, through its public REST API (``/api/v1/timelines/tag/:tag``,
``/api/v1/accounts/:id/statuses``, ``/api/v2/search``), with the shared HTTP client so the
address guard, retries and rate limits apply. A token, when the instance wants one (search
usually does), is read from the environment variable named at ``source add`` time — never
stored in the workspace.

Pagination: the first collection reads the newest pages going back with ``max_id`` (at
most :data:`FIRST_PAGES`); later ones go forward from the newest id seen with ``min_id``
(at most :data:`MAX_PAGES` per run; the cursor is saved with the posts, so the next run
continues exactly there). Either way a page that brings nothing unseen stops the walk.

Normalisation is :mod:`veilleur.networks.mastodon`'s, shared with the archive importer:
the post's id is the status's ``uri`` (the same on every instance that knows the status,
and in the account's archive), its author ``user@instance``; a boost is a post of the
booster, empty text, ``repost_of`` the original's uri; the original is collected too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from veilleur.i18n import t
from veilleur.model import Post, format_datetime
from veilleur.networks.mastodon import status_to_posts, status_uri
from veilleur.sources.base import Context, Outcome
from veilleur.sources.http import FetchError, check_status
from veilleur.sources.registry import SourceRecord
from veilleur.sources.schedule import due_at, next_interval

PAGE_SIZE = 40
FIRST_PAGES = 3
MAX_PAGES = 10
KINDS = ("tag", "account", "search")


def instance_url(value: str) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` → ``https://mastodon.social``."""
    text = value.strip().rstrip("/")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(t("{value} is not an instance address", value=repr(value)))
    return f"{parts.scheme}://{parts.netloc}"


def _id_key(value: str) -> tuple[int, str]:
    """Mastodon ids are numbers in strings: compare them as numbers."""
    return (len(value), value) if value.isdigit() else (0, value)


def _headers(record: SourceRecord, ctx: Context) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    variable = record.params.get("token_env")
    if variable:
        token = ctx.env.get(str(variable))
        if not token:
            raise FetchError(
                record.name,
                t(
                    "the environment variable {variable} (the instance token) is not set",
                    variable=variable,
                ),
            )
        headers["Authorization"] = f"Bearer {token}"
    return headers


async def _get_json(ctx: Context, url: str, headers: dict[str, str], params: dict[str, Any]) -> Any:
    response = await ctx.http.get(url, headers=headers, params=params)
    if response.status in (401, 403, 422) and "Authorization" not in headers:
        raise FetchError(
            url,
            t("HTTP {status}: this instance wants a token (--token-env)", status=response.status),
        )
    check_status(response, url)
    try:
        return response.json()
    except ValueError as exc:
        raise FetchError(url, t("the answer is not JSON ({reason})", reason=exc)) from None


async def _endpoint(
    record: SourceRecord,
    ctx: Context,
    instance: str,
    headers: dict[str, str],
    state: dict[str, Any],
) -> tuple[str, dict[str, Any]]:
    params = record.params
    if params.get("tag"):
        tag = str(params["tag"]).lstrip("#")
        return f"{instance}/api/v1/timelines/tag/{quote(tag, safe='')}", {}
    if params.get("account"):
        account_id = state.get("account_id")
        if not account_id:
            url = f"{instance}/api/v1/accounts/lookup"
            found = await _get_json(ctx, url, headers, {"acct": str(params["account"]).lstrip("@")})
            account_id = str(found["id"])
            state["account_id"] = account_id
        return f"{instance}/api/v1/accounts/{account_id}/statuses", {}
    return f"{instance}/api/v2/search", {"q": params["search"], "type": "statuses"}


async def collect_mastodon(record: SourceRecord, ctx: Context) -> Outcome:
    instance = str(record.params["instance"])
    state = dict(record.state)
    headers = _headers(record, ctx)
    url, base = await _endpoint(record, ctx, instance, headers, state)
    last_id = state.get("last_id")
    statuses: list[dict[str, Any]] = []
    seen: set[str] = set()
    cursor: dict[str, str] = {"min_id": str(last_id)} if last_id else {}
    for _ in range(MAX_PAGES if last_id else FIRST_PAGES):
        page = await _get_json(ctx, url, headers, {**base, "limit": PAGE_SIZE, **cursor})
        if isinstance(page, dict):  # /api/v2/search
            page = page.get("statuses") or []
        if not isinstance(page, list):
            raise FetchError(url, t("expected a list of statuses"))
        page = [s for s in page if isinstance(s, dict)]  # a stranger's server sends anything
        fresh = [
            s
            for s in page
            if str(s.get("id")) not in seen
            and (not last_id or _id_key(str(s.get("id"))) > _id_key(str(last_id)))
        ]
        if not fresh:
            break
        seen.update(str(s["id"]) for s in fresh)
        statuses.extend(fresh)
        ids = sorted((str(s["id"]) for s in fresh), key=_id_key)
        if not last_id:
            known = ctx.known("mastodon", [status_uri(s, instance) for s in fresh])
            if len(known) == len(fresh):
                break  # already collected (a source added again): stop going back
            cursor = {"max_id": ids[0]}
        else:
            cursor = {"min_id": ids[-1]}
        if len(page) < PAGE_SIZE:
            break
    uris = {str(s["id"]): status_uri(s, instance) for s in statuses}  # parents read here
    uris.update(
        (str(s["reblog"]["id"]), status_uri(s["reblog"], instance))
        for s in statuses
        if isinstance(s.get("reblog"), dict) and s["reblog"].get("id")
    )
    posts: list[Post] = []
    unreadable: list[str] = []
    for status in statuses:
        try:
            posts.extend(status_to_posts(status, instance, record.name, uris))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            where = str(status.get("uri") or status.get("url") or status.get("id"))
            unreadable.append(f"{where}: {exc}")
    warning = None
    if unreadable:
        warning = t(
            "{url}: {n} status(es) could not be read and were skipped; the first, {first}",
            url=url,
            n=len(unreadable),
            first=unreadable[0],
        )
    if statuses:
        newest = max((str(s["id"]) for s in statuses), key=_id_key)
        if not last_id or _id_key(newest) > _id_key(str(last_id)):
            state["last_id"] = newest
    dates = [p.created_at for p in posts]
    interval = next_interval(state.get("interval"), dates, found_new=bool(statuses))
    state.update(interval=interval, next_due=format_datetime(due_at(ctx.now, interval)))
    return Outcome(posts=posts, state=state, warning=warning)
