"""The web workbench as an ASGI application (Starlette), served by ``veilleur serve``.

:func:`create_app` gathers the pages of every module in :data:`PAGE_MODULES` (each has a
``router``: see :mod:`veilleur.web.routing`), the static files (the stylesheet and the
vendored htmx) and two middlewares: signed session cookies (Starlette's
``SessionMiddleware``, itsdangerous) and the security headers of every answer.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veilleur.web.render import render_page
from veilleur.web.routing import UPLOAD_LIMIT, Page, routes
from veilleur.web.server import Server

PAGE_MODULES = (
    "veilleur.web.pages.auth",
    "veilleur.web.pages.dashboard",
    "veilleur.web.pages.search",
    "veilleur.web.pages.watches",
    "veilleur.web.pages.queue",
    "veilleur.web.pages.calendar",
    "veilleur.web.pages.compose",
    "veilleur.web.pages.sources",
    "veilleur.web.pages.audit",
    "veilleur.web.pages.advice",
    "veilleur.web.pages.workspace_settings",
    "veilleur.web.pages.settings",
    "veilleur.web.pages.organisation",
    "veilleur.web.pages.events",
    "veilleur.web.pages.api",
    "veilleur.web.pages.openapi",
)
"""The modules whose ``router`` declares pages. A new page module is one more line here."""

SESSION_COOKIE = "veilleur_session"
SESSION_DAYS = 14

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
"""No inline script or style, nothing from another site: a post's text that slipped
through escaping still could not run."""

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP answer (and ``no-store`` to pages, not to the
    static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Sessions:
    """Signed session cookies, ``HttpOnly`` and ``SameSite=Lax`` always, ``Secure`` when the
    request came over https (or ``https_cookies``: behind a proxy that ends TLS)."""

    def __init__(self, app: ASGIApp, secret_key: str, https_cookies: bool = False) -> None:
        options = {
            "secret_key": secret_key,
            "session_cookie": SESSION_COOKIE,
            "max_age": SESSION_DAYS * 24 * 3600,
            "same_site": "lax",
        }
        self.secure = SessionMiddleware(app, https_only=True, **options)  # type: ignore[arg-type]
        self.plain = self.secure if https_cookies else SessionMiddleware(app, **options)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self.secure if scope.get("scheme") in ("https", "wss") else self.plain
        await chosen(scope, receive, send)


MAX_BODY = UPLOAD_LIMIT
"""Bytes any request may send (images for posts): the outer cap, Starlette's; each page
has its own, smaller for a page without a file (:func:`veilleur.web.routing.routes`)."""


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    yield
    app.state.server.close()


def pages(modules: Sequence[str] = PAGE_MODULES) -> list[Page]:
    found: list[Page] = []
    for name in modules:
        found += importlib.import_module(name).router.pages
    return found


def create_app(
    home: Path | str,
    *,
    https_cookies: bool = False,
    modules: Sequence[str] = PAGE_MODULES,
) -> Starlette:
    """The workbench serving the workspace at ``home`` (registered in the default
    organisation when new; its database holds the accounts)."""
    server = Server(Path(home), https_cookies=https_cookies)
    static = StaticFiles(packages=[("veilleur.web", "static")])
    all_routes: list[BaseRoute] = [
        *routes(pages(modules), server, render_page),
        Mount("/static", app=static, name="static"),
    ]
    app = Starlette(
        routes=all_routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(Sessions, secret_key=server.session_key(), https_cookies=https_cookies),
        ],
        lifespan=_lifespan,
        max_body_size=MAX_BODY,
    )
    app.state.server = server
    return app
