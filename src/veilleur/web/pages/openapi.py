"""The OpenAPI 3 description of ``/api/``, served at ``/api/openapi.json`` (public: it says
what exists, gives nothing away).

Paths are read from the app's routes, so a new ``/api/`` page shows up by itself; what a
route takes and answers is declared beside it in :data:`OPERATIONS`, and a route without a
declaration makes the description fail (``LookupError``, see
``tests/test_web_settings_api.py``) rather than be left out silently.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from veilleur import __version__
from veilleur.web.routing import PUBLIC, Ctx, Router

router = Router()

_ERROR = {"$ref": "#/components/schemas/Error"}
_WS = {
    "name": "ws",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The workspace's slug, as in /w/{ws}/ pages.",
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_COMMON = {
    "401": _json(_ERROR, "No personal API token, or a token that is not (or no longer) valid."),
    "403": _json(_ERROR, "The token's user has no role allowing this in the workspace."),
    "404": _json(_ERROR, "No such workspace."),
}

OPERATIONS: dict[str, dict[str, Any]] = {
    "api_search": {
        "summary": "Search the workspace's posts",
        "description": "The matching posts, newest first, and how many match in all.",
        "parameters": [
            _WS,
            {
                "name": "q",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
                "description": "A query in veilleur's language (see docs/query.md).",
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
            },
        ],
        "responses": {
            "200": _json({"$ref": "#/components/schemas/SearchResult"}, "The posts found."),
            "400": _json(
                {
                    "allOf": [
                        _ERROR,
                        {"type": "object", "properties": {"column": {"type": "integer"}}},
                    ]
                },
                "The query does not parse: the parser's message and the column.",
            ),
            **_COMMON,
        },
    },
    "api_watches": {
        "summary": "List the workspace's watches",
        "parameters": [_WS],
        "responses": {
            "200": _json(
                {"type": "array", "items": {"$ref": "#/components/schemas/Watch"}},
                "The saved watches.",
            ),
            **_COMMON,
        },
    },
    "api_openapi": {
        "summary": "This description",
        "security": [],
        "responses": {"200": _json({"type": "object"}, "The OpenAPI 3 description of /api/.")},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
    "Post": {
        "type": "object",
        "description": "A post as veilleur stores it (the same fields as the JSONL export).",
        "required": ["id", "network", "author", "text", "created_at"],
        "properties": {
            "id": {"type": "string"},
            "network": {"type": "string"},
            "author": {"type": "string"},
            "text": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "url": {"type": ["string", "null"]},
            "lang": {"type": ["string", "null"]},
        },
        "additionalProperties": True,
    },
    "SearchResult": {
        "type": "object",
        "required": ["total", "posts"],
        "properties": {
            "total": {"type": "integer"},
            "posts": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}},
        },
    },
    "Watch": {
        "type": "object",
        "required": ["name", "query"],
        "properties": {"name": {"type": "string"}, "query": {"type": "string"}},
    },
}


def describe(routes: list[Any]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the ``/api/`` routes among ``routes``."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith("/api/"):
            continue
        if route.name not in OPERATIONS:
            # a programming error (a route added without its description), not bad input
            raise LookupError(f"{route.path} ({route.name}) is not described in OPERATIONS")
        path = re.sub(r"\{(\w+)(?::\w+)?\}", r"{\1}", route.path)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            operation = {"operationId": route.name, **OPERATIONS[route.name]}
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "veilleur API",
            "version": __version__,
            "description": "The workbench's use cases for programs. Authenticate with a "
            "personal API token (made on the account page): Authorization: Bearer vl_…",
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }


@router.page("/api/openapi.json", "api_openapi", role=PUBLIC)
def openapi(ctx: Ctx) -> Response:
    return JSONResponse(describe(list(ctx.request.app.routes)))
