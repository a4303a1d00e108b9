"""Recherche: the query checked as it is typed (the parser's message and column, through
htmx), the matching posts with counts by network and author, the SQL it runs (explain),
CSV and JSONL exports, and saving the query as a watch."""

from __future__ import annotations

import io

import orjson
from starlette.responses import Response

from veilleur import query, watch
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.model import POST_CSV_FIELDS, Watch, local_days
from veilleur.report.safety import csv_writer
from veilleur.store import SQLiteStore
from veilleur.web.render import Fragment, render_fragment
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
#: The search page's counts by network and account read at most this many matches, newest
#: first, unless asked to count them all (``count=all``): counting every match of a
#: frequent word is a pass over tens of thousands of posts (50–200 ms at 200,000 posts,
#: seconds at a million), and 20 users asking at once queue behind it. Past the budget the
#: page says the tables are those of the N most recent matches; the total stays exact when
#: the query is made of words only (counted in the index), else it reads « more than N ».
SUMMARY_BUDGET = 2_000


def _parse(text: str) -> tuple[query.Query | None, query.QuerySyntaxError | None]:
    try:
        return query.parse(text), None
    except query.QuerySyntaxError as exc:
        return None, exc


@router.page("/w/{ws}/search", "search", role=VIEWER)
def search(ctx: Ctx) -> Response:
    text = ctx.value("q").strip()
    sort = "relevance" if ctx.value("sort") == "relevance" else "date"
    count_all = ctx.value("count") == "all"
    explain = ctx.value("explain") == "1"
    found: dict[str, object] = {"q": text, "sort": sort, "explain": explain}
    if text:
        parsed, error = _parse(text)
        found["error"] = error
        if parsed is not None:
            with ctx.workspace() as ws:
                store = ws.store
                # The results (first page, counts, their HTML) depend on the database, the
                # query and the reader's language and time zone only: remembered until the
                # next commit, for every reader asking the same (store.remembered).
                budget = None if count_all else SUMMARY_BUDGET
                key = ("search page", ctx.slug, text, sort, budget, explain, ctx.lang,
                       str(ctx.zone()))  # fmt: skip
                found["results"] = store.remembered(
                    key, lambda: _results(ctx, store, parsed, text, sort, budget, explain)
                )
    status = 400 if found.get("error") else 200
    return ctx.render("search.html", status, **found)


def _results(
    ctx: Ctx,
    store: SQLiteStore,
    parsed: query.Query,
    text: str,
    sort: str,
    budget: int | None,
    explain: bool,
) -> Fragment:
    """The results section of the search page: the heading with the total, the counts by
    network and account, the exports, the first page of posts (and the SQL run)."""
    summary = store.match_summary(parsed.root, authors=10, budget=budget)
    found: dict[str, object] = {
        "q": text,
        "sort": sort,
        "normalized": parsed.normalized,
        "posts": store.search(parsed.root, sort=sort, limit=PAGE_SIZE),
        "total": summary.total,
        "complete": summary.complete,
        "counted": summary.counted,
        "total_exact": summary.total_exact,
        "by_network": sorted(summary.by_network.items(), key=lambda kv: -kv[1]),
        "by_day": local_days(summary.by_hour, ctx.zone()),
        "authors": summary.top_authors,
    }
    if explain:
        found["sql"], found["params"] = store.compile(parsed.root, sort=sort, limit=PAGE_SIZE)
    return render_fragment(ctx, "search_results.html", found)


@router.page("/w/{ws}/search/check", "search_check", role=VIEWER)
def check(ctx: Ctx) -> Response:
    """The query box's verdict as it is typed (an htmx fragment)."""
    text = ctx.value("q")
    parsed, error = _parse(text) if text.strip() else (None, None)
    return ctx.render("search_check.html", q=text, parsed=parsed, error=error)


@router.page("/w/{ws}/search/export", "search_export", role=VIEWER)
def export(ctx: Ctx) -> Response:
    """The matching posts (10,000 at most) as CSV (cells a spreadsheet would run as
    formulas neutralised) or JSONL (the interchange format of ``import jsonl``)."""
    fmt = "csv" if ctx.value("format") == "csv" else "jsonl"
    parsed, error = _parse(ctx.value("q"))
    if parsed is None:
        message = str(error) if error else t("Type a query first.")
        return ctx.render("error.html", 400, message=message)
    with ctx.workspace() as ws:
        posts = ws.store.search(parsed.root, limit=EXPORT_LIMIT)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow(POST_CSV_FIELDS)
        for post in posts:
            row = post.to_json()
            writer.writerow(row.get(name) for name in POST_CSV_FIELDS)
        body, media = buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body = b"".join(orjson.dumps(p.to_json()) + b"\n" for p in posts)
        media = "application/x-ndjson"
    disposition = f'attachment; filename="veilleur-{ctx.entry.slug if ctx.entry else "x"}.{fmt}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.page("/w/{ws}/search/save", "search_save", role=EDITOR, methods=("POST",))
def save(ctx: Ctx) -> Response:
    """Save the query as a watch (its digest is then a page of Veilles)."""
    text, name = ctx.value("q").strip(), ctx.value("name").strip()
    parsed, error = _parse(text)
    problem = None
    if parsed is None:
        problem = str(error) if error else t("Type a query first.")
    elif not name or len(name) > 80:
        problem = t("Give the watch a name (80 characters at most).")
    if problem is None:
        try:
            with ctx.workspace() as ws:
                created = watch.save_watch(ws.store, Watch(name=name, query=text))
        except UsageError as exc:
            problem = str(exc)
        else:
            if not created:
                problem = t("A watch named “{name}” exists already.", name=name)
    if problem is not None:
        return ctx.render(
            "search.html", 400, q=text, sort="date", save_error=problem, save_name=name
        )
    return ctx.redirect(
        "watch",
        note=t("Watch “{name}” saved.", name=name),
        ws=ctx.entry.slug if ctx.entry else "",
        name=name,
    )
