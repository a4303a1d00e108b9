"""File d'attente: the queue of posts and its approval workflow.

An editor's post waits for approval (``submitted``); an admin or an owner approves it
(it is then scheduled and published when due by ``veilleur run``/``publish``) or sends it
back to draft with a note. An admin's own post is scheduled at once. Only approved posts
are published: the publisher reads ``scheduled`` posts only.
"""

from __future__ import annotations

from starlette.responses import Response

from veilleur import publish
from veilleur.i18n import t
from veilleur.web.pages.compose import uploaded_image
from veilleur.web.routing import ADMIN, EDITOR, UPLOAD_LIMIT, VIEWER, Ctx, Router

router = Router()

SHOWN = ("submitted", "scheduled", "draft", "failed", "in_flight", "published")


def _id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["post"])


@router.page("/w/{ws}/queue", "queue", role=VIEWER)
def queue(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        q = publish.open_queue(ws)
        posts = q.posts()
        accounts = q.accounts()
        local = {p.id: q.local(p) for p in posts}
    groups = [(s, [p for p in posts if p.status == s]) for s in SHOWN]
    return ctx.render("queue.html", groups=groups, accounts=accounts, local=local)


@router.page("/w/{ws}/queue", "queue_add", role=EDITOR, methods=("POST",), max_body=UPLOAD_LIMIT)
def add(ctx: Ctx) -> Response:
    """A new post for an account: scheduled when an admin writes it, submitted for
    approval when an editor does."""
    assert ctx.user is not None
    text, account, at = ctx.value("text"), ctx.value("account"), ctx.value("at") or None
    upload = uploaded_image(ctx)
    image = (*upload, ctx.value("alt")) if upload is not None else None
    with ctx.workspace() as ws:
        draft = publish.Draft(text, link=ctx.value("link").strip() or None)
        if ctx.can(ADMIN):
            post = publish.queue_post(ws, draft, account=account, at=at, upload=image)
            note = t("Post scheduled.")
        else:
            # ``at`` here too: a wrong time is refused before the post or its image is kept.
            post = publish.queue_post(
                ws, draft, account=account, at=at, draft_only=True, upload=image
            )
            if post is not None:
                post = publish.submit_post(ws, post.id, ctx.user.email, at=at)
            note = t("Post submitted for approval.")
    if post is None:
        note = t("The same post is already in the queue.")
    return ctx.redirect("queue", note=note, ws=ctx.slug)


@router.page("/w/{ws}/queue/{post:int}/submit", "queue_submit", role=EDITOR, methods=("POST",))
def submit(ctx: Ctx) -> Response:
    assert ctx.user is not None
    with ctx.workspace() as ws:
        publish.submit_post(ws, _id(ctx), ctx.user.email, at=ctx.value("at") or None)
    return ctx.redirect("queue", note=t("Post submitted for approval."), ws=ctx.slug)


@router.page("/w/{ws}/queue/{post:int}/approve", "queue_approve", role=ADMIN, methods=("POST",))
def approve(ctx: Ctx) -> Response:
    assert ctx.user is not None
    with ctx.workspace() as ws:
        publish.review_post(ws, _id(ctx), ctx.user.email, approve=True)
    return ctx.redirect(
        "queue", note=t("Post approved: it will be published when due."), ws=ctx.slug
    )


@router.page("/w/{ws}/queue/{post:int}/reject", "queue_reject", role=ADMIN, methods=("POST",))
def reject(ctx: Ctx) -> Response:
    assert ctx.user is not None
    note = ctx.value("note").strip()[:500] or None
    with ctx.workspace() as ws:
        publish.review_post(ws, _id(ctx), ctx.user.email, approve=False, note=note)
    return ctx.redirect("queue", note=t("Post sent back to draft."), ws=ctx.slug)


@router.page("/w/{ws}/queue/{post:int}/cancel", "queue_cancel", role=ADMIN, methods=("POST",))
def cancel(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        publish.open_queue(ws).cancel(_id(ctx))
    return ctx.redirect("queue", note=t("Post cancelled."), ws=ctx.slug)
