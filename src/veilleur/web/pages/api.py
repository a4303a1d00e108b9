"""The JSON API (a first part of it): the same use cases as the pages, for programs,
with a personal API token (``Authorization: Bearer vl_…``, made on the account page,
stored hashed). No cookie is read on ``/api/``, so no CSRF token is needed there."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from veilleur import query, watch
from veilleur.web.routing import VIEWER, Ctx, Router

router = Router()


@router.page("/api/w/{ws}/search", "api_search", role=VIEWER)
def search(ctx: Ctx) -> Response:
    """``?q=…&limit=…``: the matching posts (newest first) and their total."""
    try:
        parsed = query.parse(ctx.value("q"))
    except query.QuerySyntaxError as exc:
        return JSONResponse({"error": str(exc), "column": exc.column}, status_code=400)
    try:
        limit = max(1, min(int(ctx.value("limit") or 50), 500))
    except ValueError:
        limit = 50
    with ctx.workspace() as ws:
        posts = ws.store.search(parsed.root, limit=limit)
        total = ws.store.count_matches(parsed.root)
    return JSONResponse({"total": total, "posts": [p.to_json() for p in posts]})


@router.page("/api/w/{ws}/watches", "api_watches", role=VIEWER)
def watches(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = watch.list_watches(ws.store)
    return JSONResponse([{"name": w.name, "query": w.query} for w in found])
