"""Comptes: an organisation's members, their roles and the invitations (admins); roles
are changed by owners. The invitation link is shown once: only its hash is stored."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import accounts
from veilleur.i18n import t
from veilleur.model import parse_datetime
from veilleur.web.routing import ADMIN, OWNER, Ctx, Router

router = Router()


def _org(ctx: Ctx) -> int:
    assert ctx.organisation is not None
    return ctx.organisation


def _page(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    with ctx.home() as home:
        members = accounts.members(home.store, _org(ctx))
        pending = [
            (mail, role, parse_datetime(expires))
            for mail, role, expires in accounts.pending_invitations(home.store, _org(ctx))
        ]
        names = dict(accounts.organisations(home.store))
        spaces = accounts.workspaces(home.store, _org(ctx))
    return ctx.render(
        "members.html",
        status,
        members=members,
        pending=pending,
        org_id=_org(ctx),
        org_name=names.get(_org(ctx), ""),
        spaces=spaces,
        roles=accounts.ROLES,
        **extra,
    )


@router.page("/o/{org:int}/members", "members", role=ADMIN)
def members(ctx: Ctx) -> Response:
    return _page(ctx)


@router.page("/o/{org:int}/invitations", "invite", role=ADMIN, methods=("POST",))
def invite(ctx: Ctx) -> Response:
    assert ctx.user is not None
    role = ctx.value("role")
    if accounts.rank(role) > accounts.rank(ctx.role):
        raise accounts.Forbidden(t("You cannot invite someone with a stronger role than yours."))
    with ctx.home() as home:
        token = accounts.invite(
            home.store, _org(ctx), role, ctx.user.id, email=ctx.value("email").strip() or None
        )
    link = str(ctx.request.url_for("invitation", token=token))
    return _page(ctx, link=link)


@router.page("/o/{org:int}/members/{user:int}", "member_role", role=OWNER, methods=("POST",))
def member_role(ctx: Ctx) -> Response:
    user_id = int(ctx.request.path_params["user"])
    role = ctx.value("role")
    with ctx.home() as home:
        accounts.set_member_role(home.store, _org(ctx), user_id, None if role == "remove" else role)
    return ctx.redirect("members", note=t("Role changed."), org=_org(ctx))
