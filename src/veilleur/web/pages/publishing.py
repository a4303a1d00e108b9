"""Comptes de publication: the Mastodon and Bluesky accounts veilleur publishes to, and
their posting times. The token or app password is write-only: typed once, stored (sealed
at rest by the queue), never shown back nor put in a page."""

from __future__ import annotations

from starlette.responses import Response

from veilleur import publish
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.web.routing import ADMIN, Ctx, Router

router = Router()

NETWORKS = ("mastodon", "bluesky")
"""The networks veilleur publishes to itself (the others through share links)."""


@router.page("/w/{ws}/publishing", "publishing_accounts", role=ADMIN)
def listing(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        queue = publish.open_queue(ws)
        found, zone = queue.accounts(), queue.timezone
    return ctx.render("publishing.html", accounts=found, zone=zone, networks=NETWORKS)


@router.page("/w/{ws}/publishing", "publishing_account_add", role=ADMIN, methods=("POST",))
def add(ctx: Ctx) -> Response:
    name, network = ctx.value("name").strip(), ctx.value("network")
    secret = ctx.value("secret").strip()
    if not name or network not in NETWORKS:
        raise UsageError(t("Give the account a name and choose its network."))
    if not secret:
        raise UsageError(t("Give the access token or app password of the account."))
    with ctx.workspace() as ws:
        account = publish.add_account(
            ws,
            name,
            network,
            server=ctx.value("server").strip() or None,
            handle=ctx.value("handle").strip().lstrip("@") or None,
            secret=secret,
            times=ctx.value("times").replace(" ", ""),
            timezone=ctx.value("timezone").strip() or None,
        )
    slug = ctx.entry.slug if ctx.entry else ""
    note = t("Publishing account “{name}” saved.", name=account.name)
    return ctx.redirect("publishing_accounts", note=note, ws=slug)
