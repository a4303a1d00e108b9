"""How a page is declared, and the one gate every request goes through.

A page module has a :class:`Router` named ``router`` and declares each page with the role
it needs::

    router = Router()

    @router.page("/w/{ws}/search", "search", role=VIEWER)
    def search(ctx: Ctx) -> Response:
        with ctx.workspace() as ws:
            ...
        return ctx.render("search.html", ...)

The gate (:func:`_gate`), in this order, for every page:

1. the session (a cookie signed by Starlette's ``SessionMiddleware``) names a user whose
   session epoch is current, or there is no user;
2. ``role=PUBLIC`` pages open to everyone; other pages without a user answer with a
   redirection to the login page (``303``; nothing is done);
3. every ``POST`` (any method but GET/HEAD) carries the session's CSRF token, in the form
   field ``csrf`` or the ``X-CSRF-Token`` header (htmx sends it), compared in constant time;
   a request whose ``Origin`` is another site is refused too (``403``);
4. ``role=USER`` pages open to any logged-in user; ``/w/{ws}/…`` pages need that role (or
   stronger) in the organisation holding the workspace, ``/o/{org}/…`` pages in that
   organisation (``403`` otherwise, ``404`` for a workspace that does not exist);
5. the page runs in the thread pool, in the reader's language (:func:`language`); a GET or
   HEAD page reads the workspace through a read-only connection of its own, without the
   workspace's lock (:meth:`Server.reading`).

``tests/test_web_routes.py`` walks every route of the app with every role and without a
session: a page declared without a role cannot be added (``page`` requires one).
"""

from __future__ import annotations

import hmac
import html
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from veilleur import accounts, publish
from veilleur.errors import VeilleurError
from veilleur.i18n import t, using
from veilleur.store import storage_error
from veilleur.web.server import Server
from veilleur.workspace import Workspace

log = logging.getLogger(__name__)

PUBLIC = "public"
"""Anyone, logged in or not (login, invitations, the language switch)."""
USER = "user"
"""Any logged-in user (their own account page, the list of their workspaces)."""
VIEWER, EDITOR, ADMIN, OWNER = "viewer", "editor", "admin", "owner"  # accounts.ROLES
LEVELS = (PUBLIC, USER, VIEWER, EDITOR, ADMIN, OWNER)

SAFE_METHODS = frozenset({"GET", "HEAD"})
DEFAULT_TIMEZONE = "Europe/Paris"

Handler = Callable[["Ctx"], Response]


@dataclass
class Ctx:
    """What a page is given: the request, who asks, in which role, on which workspace."""

    request: Request
    server: Server
    user: accounts.User | None
    role: str | None
    entry: accounts.WorkspaceEntry | None
    organisation: int | None
    lang: str
    form: FormData | None
    render_page: Callable[..., HTMLResponse]
    _zone: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def session(self) -> dict[str, Any]:
        return self.request.session

    @property
    def csrf(self) -> str:
        return csrf_token(self.request)

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def can(self, role: str) -> bool:
        return accounts.rank(self.role) >= accounts.rank(role)

    @contextmanager
    def workspace(self, *, write: bool = False) -> Iterator[Workspace]:
        """The workspace of this ``/w/{ws}/…`` page: read-only for a GET (no lock), else
        under its lock. ``write``: this GET page writes all the same (the digest brings the
        watch index up to date first), so it takes the lock too."""
        assert self.entry is not None, "only /w/{ws}/ pages have a workspace"
        reading = not write and _reading_request(self.request)
        with (
            self.server.reading(reading),
            self.server.workspace(self.entry.path, self.entry.slug) as ws,
        ):
            if self._zone is None:  # read while open: zone() need not open it again
                self._zone = publish.open_queue(ws).timezone
            yield ws

    @property
    def client_host(self) -> str:
        """The client's address (the login's and the public sign-up's rate limits)."""
        return self.request.client.host if self.request.client else "unknown"

    @property
    def slug(self) -> str:
        """The slug of this ``/w/{ws}/…`` page's workspace ("" elsewhere)."""
        return self.entry.slug if self.entry else ""

    @contextmanager
    def home(self) -> Iterator[Workspace]:
        with self.server.home() as ws:
            yield ws

    def zone(self) -> ZoneInfo:
        """The reader's time zone: theirs, else the workspace's publishing zone (read when
        the page opened the workspace, or now)."""
        name = self.user.timezone if self.user else None
        if not name and self._zone is None and self.entry is not None:
            with self.workspace():
                pass
        name = name or self._zone or DEFAULT_TIMEZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(DEFAULT_TIMEZONE)

    def value(self, name: str, default: str = "") -> str:
        """A form field (POST) or query parameter (GET), as text."""
        if self.form is not None and name in self.form:
            item = self.form.get(name)
            return item if isinstance(item, str) else default
        return self.request.query_params.get(name, default)

    def path(self, route: str, /, query: dict[str, str] | None = None, **params: Any) -> str:
        """The path of the page ``route`` (our own pages only), with a query string."""
        found = _path_for(self.request.app, route, tuple((k, str(v)) for k, v in params.items()))
        return f"{found}?{urlencode(query)}" if query else found

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return self.render_page(self, template, status, context)

    def redirect(self, route: str, /, note: str | None = None, **params: Any) -> Response:
        """To another page (303: the browser GETs it), with a one-time note to show."""
        if note:
            self.session.setdefault("notes", []).append(note)
        target = self.path(route, **params)
        if self.htmx:
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)


FORM_LIMIT = 1024 * 1024
"""The largest request body a page takes (its form), unless it takes uploads."""
UPLOAD_LIMIT = 17 * 1024 * 1024
"""The largest body of a page that takes a file (an image of up to 16 MB, and its form)."""


@dataclass(frozen=True)
class Page:
    path: str
    name: str
    role: str
    methods: tuple[str, ...]
    handler: Handler
    max_body: int = FORM_LIMIT


class Router:
    """The pages of one module (see the module's documentation)."""

    def __init__(self) -> None:
        self.pages: list[Page] = []

    def page(
        self,
        path: str,
        name: str,
        *,
        role: str,
        methods: tuple[str, ...] = ("GET",),
        max_body: int = FORM_LIMIT,
    ) -> Callable[[Handler], Handler]:
        """``max_body``: the largest request body, in bytes (:data:`UPLOAD_LIMIT` for a
        page that takes a file); a larger one is refused before anything is read."""
        if role not in LEVELS:
            raise ValueError(f"unknown role {role!r} for {path}")
        if role in accounts.ROLES and not path.startswith(("/w/{ws}", "/o/{org", "/api/w/{ws}")):
            raise ValueError(f"{path}: a role in an organisation needs /w/{{ws}} or /o/{{org}}")

        def register(handler: Handler) -> Handler:
            self.pages.append(Page(path, name, role, tuple(methods), handler, max_body))
            return handler

        return register


@lru_cache(maxsize=4096)
def _path_for(app: Any, route: str, params: tuple[tuple[str, str], ...]) -> str:
    """Starlette's ``url_path_for``, which tries every route in turn (a page links to
    twenty of them: that was a quarter of the dashboard's time), remembered: the routes of
    an app never change once it runs."""
    return str(app.url_path_for(route, **dict(params)))


def _reading_request(request: Request) -> bool:
    return request.method in SAFE_METHODS


def csrf_token(request: Request) -> str:
    """The session's CSRF token (a synchronizer token from ``secrets``), made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _csrf_ok(request: Request, form: FormData | None) -> bool:
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token") or (form.get("csrf") if form else None)
    if not isinstance(expected, str) or not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def language(request: Request, user: accounts.User | None) -> str:
    """French by default, then the browser's ``Accept-Language``, then the user's choice
    (their account's, or the session's before they log in)."""
    chosen = (user.lang if user else None) or request.session.get("lang")
    if chosen in ("fr", "en"):
        return str(chosen)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("fr"):
            return "fr"
        if code.startswith("en"):
            return "en"
    return "fr"


def safe_next(value: str | None) -> str:
    """A place to go back to after logging in: a path of this site only."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/login?next=" + quote(target, safe="/")
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def _current_user(server: Server, request: Request) -> accounts.User | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    with server.home() as home:
        user = accounts.get_user(home.store, uid)
    if user is None or request.session.get("epoch") != user.session_epoch:
        request.session.pop("uid", None)
        return None
    return user


def _gate(page: Page, server: Server, render_page: Callable[..., HTMLResponse]) -> Any:
    async def endpoint(request: Request) -> Response:
        form = None
        if request.method not in SAFE_METHODS:
            if not await _read_body(request, page.max_body):
                return _too_large(request, page.max_body)
            form = await request.form(max_files=8, max_fields=200)
        with server.reading(_reading_request(request)):  # GET/HEAD: no lock (server.py)
            return await run_in_threadpool(_run, request, form)

    def _run(request: Request, form: FormData | None) -> Response:
        api = page.path.startswith("/api/") and page.role != PUBLIC  # openapi.json is public
        user = _token_user(server, request) if api else _current_user(server, request)
        lang = language(request, user) if not api else _api_language(request, user)
        with using(lang):
            ctx = Ctx(request, server, user, None, None, None, lang, form, render_page)
            if api:
                return _run_api(ctx, page, user)
            if page.role != PUBLIC and user is None:
                return _login_redirect(request)
            if request.method not in SAFE_METHODS and not (
                _csrf_ok(request, form) and _same_origin(request)
            ):
                return ctx.render(
                    "error.html",
                    403,
                    message=t(
                        "This form has expired or comes from another site: reload the "
                        "page and try again."
                    ),
                )
            if page.role in accounts.ROLES:
                assert user is not None
                denied = _resolve_role(ctx, page, user)
                if denied is not None:
                    return ctx.render("error.html", denied[0], message=denied[1])
            try:
                return page.handler(ctx)
            except Exception as exc:
                refused = _refusal(page, exc)
                if refused is None:
                    raise
                return ctx.render("error.html", refused[0], message=refused[1])

    endpoint.__name__ = page.handler.__name__
    endpoint.veilleur_role = page.role  # type: ignore[attr-defined]
    return endpoint


async def _read_body(request: Request, limit: int) -> bool:
    """Read the request's body, refusing (False) as soon as it is larger than ``limit``:
    from its ``Content-Length``, else counting the bytes as they come (a chunked body).

    This runs before the login, CSRF and role checks (they need the form), so it is what
    keeps anyone from filling the memory or, through Starlette's spooled files, the disk.
    The body read is kept on the request, where :meth:`Request.form` finds it."""
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        return False
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return False
        chunks.append(chunk)
    request._body = b"".join(chunks)  # what Request.body() itself sets
    return True


def _too_large(request: Request, limit: int) -> Response:
    lang = language(request, None)
    size = max(1, limit // (1024 * 1024))
    with using(lang):
        message = t("The request is too large: at most {size} MB here.", size=size)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=413, headers={"Connection": "close"})
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>413</title>'
        f"<p>{html.escape(message)}</p></html>",
        status_code=413,
        headers={"Connection": "close"},
    )


def _token_user(server: Server, request: Request) -> accounts.User | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with server.reading(False), server.home() as home:  # notes the token's last use: writes
        return accounts.token_user(home.store, token.strip())


def _api_language(request: Request, user: accounts.User | None) -> str:
    return language(request, user) if user else "en"


def _run_api(ctx: Ctx, page: Page, user: accounts.User | None) -> Response:
    """``/api/``: a personal token instead of the session (so no CSRF: nothing ambient
    authenticates the request), answers in JSON."""
    if user is None:
        return JSONResponse(
            {"error": t("a personal API token is needed: Authorization: Bearer …")},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if page.role in accounts.ROLES:
        denied = _resolve_role(ctx, page, user)
        if denied is not None:
            return JSONResponse({"error": denied[1]}, status_code=denied[0])
    try:
        return page.handler(ctx)
    except Exception as exc:
        refused = _refusal(page, exc)
        if refused is None:
            raise
        return JSONResponse({"error": refused[1]}, status_code=refused[0])


def _refusal(page: Page, exc: Exception) -> tuple[int, str] | None:
    """The status and the message a page's reader gets for an error its handler raised
    (HTML and ``/api/`` alike), or None for a bug (raised on: the server's 500, logged).

    403 for a role that does not allow it; 503 when the workspace's storage failed (a
    read-only mount, a full disk, a lock held too long): the staff read what happened and
    what to do (:func:`veilleur.store.storage_error`), a visitor of a public page (an
    event's sign-up) only that nothing could be recorded — the folder's permissions are not
    theirs to fix — and the server's log says the rest (before, a bare "Internal Server
    Error"); 400 for anything else veilleur refuses, saying why."""
    if isinstance(exc, accounts.Forbidden):
        return 403, str(exc)
    failure = storage_error(exc)
    if failure is not None:
        log.warning("%s %s: %s", page.name, page.path, failure)
        if page.role == PUBLIC:
            return 503, t("Nothing can be recorded here at the moment: please try again later.")
        return 503, str(failure)
    if isinstance(exc, VeilleurError):
        return 400, str(exc)
    return None


def _resolve_role(ctx: Ctx, page: Page, user: accounts.User) -> tuple[int, str] | None:
    """Fills ``ctx``'s workspace, organisation and role; ``(status, message)`` when the
    page is not for this user (the caller answers in HTML or JSON). The workspace itself
    is not opened here: the page does it (and reads its time zone then)."""
    params = ctx.request.path_params
    with ctx.home() as home:
        if "ws" in params:
            entry = accounts.workspace(home.store, str(params["ws"]))
            if entry is None:
                return 404, t("No such workspace.")
            ctx.entry, ctx.organisation = entry, entry.organisation_id
        else:
            try:
                ctx.organisation = int(params["org"])
            except (KeyError, ValueError):
                return 404, t("No such organisation.")
        ctx.role = accounts.role_in(home.store, user.id, ctx.organisation)
    if accounts.rank(ctx.role) < accounts.rank(page.role):
        return 403, t("Your role here does not allow this page.")
    return None


def routes(
    pages: list[Page], server: Server, render_page: Callable[..., HTMLResponse]
) -> list[Route]:
    return [
        Route(p.path, _gate(p, server, render_page), methods=list(p.methods), name=p.name)
        for p in pages
    ]
