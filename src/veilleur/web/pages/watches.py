"""Veilles: the saved watches, and a watch's digest as a page (the same view as the
e-mailed digest: top stories and why, rising terms — as a chart too —, accounts that
matter), with the watch's alerts (the rules ``veilleur alert add/list/rm`` manage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.responses import Response

from veilleur import watch
from veilleur.errors import UsageError
from veilleur.i18n import t
from veilleur.web.charts import rising_chart
from veilleur.web.routing import EDITOR, VIEWER, Ctx, Router

router = Router()


@router.page("/w/{ws}/watches", "watches", role=VIEWER)
def watches(ctx: Ctx) -> Response:
    with ctx.workspace() as ws:
        found = watch.list_watches(ws.store)
    return ctx.render("watches.html", watches=found)


@router.page("/w/{ws}/watches/{name}", "watch", role=VIEWER)
def digest(ctx: Ctx) -> Response:
    """The digest over the day or week ending now, or at the newest post (``end=newest``:
    a corpus no longer collected, like the demo's)."""
    name = str(ctx.request.path_params["name"])
    period = "day" if ctx.value("period") == "day" else "week"
    at_newest = ctx.value("end") == "newest"
    with ctx.workspace(write=True) as ws:  # the digest updates the watch index first
        found = watch.get_watch(ws.store, name)
        if found is None:
            return ctx.render("error.html", 404, message=t("No watch named “{name}”.", name=name))
        until = datetime.now(UTC)
        if at_newest:
            newest = watch.newest_post(ws.store)
            until = newest + timedelta(seconds=1) if newest else until
        since, until = watch.resolve_period(None, period, until)
        result = watch.build_digest(ws.store, name, since, until, lang=ctx.lang, now=until)
        rules = [r for r in watch.alert_rules(ws.store) if r.watch == name]
        waiting: dict[str, int] = {}
        for alert in watch.pending_alerts(ws.store):
            waiting[alert.rule] = waiting.get(alert.rule, 0) + 1
        missing = watch.mail_missing(ws) if any(r.mail for r in rules) else None
    view = watch.digest_view(result)
    return ctx.render(
        "digest.html",
        watch=found,
        v=view,
        period=period,
        at_newest=at_newest,
        chart=rising_chart(result.trends, ctx.lang),
        rules=rules,
        waiting=waiting,
        mail_missing=missing,
    )


@router.page("/w/{ws}/watches/{name}/alerts", "alert_add", role=EDITOR, methods=("POST",))
def add_alert(ctx: Ctx) -> Response:
    """An alert on this watch (created or replaced by name): handles that post on the
    topic and/or a spike's z-score, sent to an address and/or a webhook."""
    name = str(ctx.request.path_params["name"])
    handles = [h for h in ctx.value("accounts").replace(",", " ").split() if h.strip("@")]
    spike_text = ctx.value("spike").strip().replace(",", ".")
    try:
        spike = float(spike_text) if spike_text else None
    except ValueError:
        raise UsageError(
            t("Spike: a number is expected (a z-score, e.g. 3), not “{value}”.", value=spike_text)
        ) from None
    rule = watch.Rule(
        ctx.value("alert").strip(),
        name,
        handles,
        spike,
        ctx.value("mail").strip() or None,
        ctx.value("webhook").strip() or None,
    )
    if not rule.name:
        raise UsageError(t("Give the alert a name."))
    # The door's own messages name the command's options (--mail…): the form's fields here.
    if not rule.accounts and rule.spike is None:
        raise UsageError(t("Give accounts to follow, a spike threshold, or both."))
    if not rule.mail and not rule.webhook:
        raise UsageError(t("Give an e-mail address or a webhook to send the alert to."))
    with ctx.workspace() as ws:
        watch.add_rule(ws.store, rule)
    note = t("Alert “{alert}” saved.", alert=rule.name)
    return ctx.redirect("watch", note=note, ws=ctx.slug, name=name)


@router.page("/w/{ws}/watches/{name}/alerts/delete", "alert_remove", role=EDITOR, methods=("POST",))
def remove_alert(ctx: Ctx) -> Response:
    name, alert = str(ctx.request.path_params["name"]), ctx.value("alert")
    with ctx.workspace() as ws:
        watch.remove_rule(ws.store, alert, name)
    note = t("Alert “{alert}” removed.", alert=alert)
    return ctx.redirect("watch", note=note, ws=ctx.slug, name=name)


@router.page("/w/{ws}/watches/{name}/delete", "watch_delete", role=EDITOR, methods=("POST",))
def delete(ctx: Ctx) -> Response:
    name = str(ctx.request.path_params["name"])
    with ctx.workspace() as ws:
        removed = watch.remove_watch(ws.store, name)
    if not removed:
        raise UsageError(t("No watch named “{name}”.", name=name))
    return ctx.redirect("watches", note=t("Watch “{name}” deleted.", name=name), ws=ctx.slug)
