"""Logging in and out, the language switch, invitations, one's own account."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from veilleur import accounts
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.web.routing import PUBLIC, USER, Ctx, Router, csrf_token, safe_next

router = Router()


def _log_in(ctx: Ctx, user: accounts.User) -> None:
    """A fresh session for ``user`` (a new CSRF token: nothing of the anonymous one stays)."""
    lang = ctx.session.get("lang")
    ctx.session.clear()
    ctx.session.update({"uid": user.id, "epoch": user.session_epoch})
    if lang:
        ctx.session["lang"] = lang
    csrf_token(ctx.request)


@router.page("/login", "login", role=PUBLIC)
def login_form(ctx: Ctx) -> Response:
    if ctx.user is not None:
        return RedirectResponse(safe_next(ctx.value("next")), status_code=303)
    return ctx.render("login.html", next=safe_next(ctx.value("next")), email="")


@router.page("/login", "login_post", role=PUBLIC, methods=("POST",))
def login(ctx: Ctx) -> Response:
    email, target = ctx.value("email"), safe_next(ctx.value("next"))
    try:
        with ctx.home() as home:
            user = accounts.authenticate(home.store, email, ctx.value("password"), ctx.client_host)
    except accounts.LoginRefused as exc:
        response = ctx.render(
            "login.html", 429 if exc.retry_after else 401, next=target, email=email, error=str(exc)
        )
        if exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    _log_in(ctx, user)
    return RedirectResponse(target, status_code=303)


@router.page("/logout", "logout", role=USER, methods=("POST",))
def logout(ctx: Ctx) -> Response:
    lang = ctx.session.get("lang")
    ctx.session.clear()
    if lang:
        ctx.session["lang"] = lang
    return ctx.redirect("login", note=t("You are logged out."))


@router.page("/language", "language", role=PUBLIC, methods=("POST",))
def language(ctx: Ctx) -> Response:
    """The reader's language: kept in the session, and in the account when logged in."""
    code = ctx.value("lang")
    if code not in ("fr", "en"):
        code = "fr"
    ctx.session["lang"] = code
    if ctx.user is not None:
        with ctx.home() as home:
            accounts.set_preferences(home.store, ctx.user.id, code, ctx.user.timezone)
    return RedirectResponse(safe_next(ctx.value("next")), status_code=303)


@router.page("/", "home", role=USER)
def home(ctx: Ctx) -> Response:
    """The workspaces of the user's organisations; straight to the one when there is one."""
    assert ctx.user is not None
    with ctx.home() as home_ws:
        mine = accounts.memberships(home_ws.store, ctx.user.id)
        groups = [(m, accounts.workspaces(home_ws.store, m.organisation_id)) for m in mine]
    spaces = [w for _, ws in groups for w in ws]
    if len(spaces) == 1:
        return ctx.redirect("dashboard", ws=spaces[0].slug)
    return ctx.render("home.html", groups=groups)


def _account(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    assert ctx.user is not None
    with ctx.home() as home_ws:
        mine = accounts.memberships(home_ws.store, ctx.user.id)
        tokens = accounts.tokens(home_ws.store, ctx.user.id)
    return ctx.render("account.html", status, memberships=mine, tokens=tokens, **extra)


@router.page("/account", "account", role=USER)
def account(ctx: Ctx) -> Response:
    return _account(ctx)


@router.page("/account/password", "password", role=USER, methods=("POST",))
def password(ctx: Ctx) -> Response:
    assert ctx.user is not None
    if ctx.value("new") != ctx.value("again"):
        return _account(ctx, 400, error=t("The two new passwords differ."))
    try:
        with ctx.home() as home_ws:
            user = accounts.change_password(
                home_ws.store, ctx.user.id, ctx.value("current"), ctx.value("new")
            )
    except UsageError as exc:
        return _account(ctx, 400, error=str(exc))
    ctx.session["epoch"] = user.session_epoch  # this session stays, the others end
    return ctx.redirect("account", note=t("Password changed. Your other sessions are closed."))


@router.page("/account/preferences", "preferences", role=USER, methods=("POST",))
def preferences(ctx: Ctx) -> Response:
    assert ctx.user is not None
    lang = ctx.value("lang") or None
    try:
        with ctx.home() as home_ws:
            accounts.set_preferences(home_ws.store, ctx.user.id, lang, ctx.value("timezone"))
    except UsageError as exc:
        return _account(ctx, 400, error=str(exc))
    if lang:
        ctx.session["lang"] = lang
    return ctx.redirect("account", note=t("Preferences saved."))


@router.page("/invitation/{token}", "invitation", role=PUBLIC)
def invitation_form(ctx: Ctx) -> Response:
    token = str(ctx.request.path_params["token"])
    try:
        with ctx.home() as home_ws:
            accounts.invitation(home_ws.store, token)
    except UsageError as exc:
        return ctx.render("error.html", 410, message=str(exc))
    return ctx.render("invitation.html", token=token, email="")


@router.page("/invitation/{token}", "invitation_post", role=PUBLIC, methods=("POST",))
def accept(ctx: Ctx) -> Response:
    token, email = str(ctx.request.path_params["token"]), ctx.value("email")
    if ctx.value("password") != ctx.value("again"):
        return ctx.render(
            "invitation.html", 400, token=token, email=email, error=t("The two passwords differ.")
        )
    try:
        with ctx.home() as home_ws:
            user = accounts.accept_invitation(home_ws.store, token, email, ctx.value("password"))
    except UsageError as exc:
        return ctx.render("invitation.html", 400, token=token, email=email, error=str(exc))
    _log_in(ctx, user)
    return ctx.redirect("home", note=t("Welcome! Your account is ready."))


@router.page("/account/tokens", "token_add", role=USER, methods=("POST",))
def token_add(ctx: Ctx) -> Response:
    """A personal API token, shown once (only its hash is kept)."""
    assert ctx.user is not None
    with ctx.home() as home_ws:
        token = accounts.create_token(home_ws.store, ctx.user.id, ctx.value("name"))
    return _account(ctx, new_token=token)


@router.page("/account/tokens/{token:int}/revoke", "token_revoke", role=USER, methods=("POST",))
def token_revoke(ctx: Ctx) -> Response:
    assert ctx.user is not None
    with ctx.home() as home_ws:
        token = int(ctx.request.path_params["token"])
        if not accounts.revoke_token(home_ws.store, ctx.user.id, token):
            raise UsageError(t("no such token of yours: revoked already, or never made"))
    return ctx.redirect("account", note=t("Token revoked."))
