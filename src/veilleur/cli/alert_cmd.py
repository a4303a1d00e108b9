"""``veilleur alert``: be told when listed accounts post on a watch's topic, or when it spikes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from veilleur.cli.context import err, out, workspace
from veilleur.cli.suggest import Group
from veilleur.i18n import N_, _, t
from veilleur.report.safety import strip_controls

app = typer.Typer(
    cls=Group,
    help="Alerts on a watch: listed accounts posting on the topic, or a spike in volume. "
    "Each story alerts once, by e-mail or webhook.",
    no_args_is_help=True,
)

KINDS = {"account": N_("account"), "spike": N_("spike")}


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the alert.")],
    watch: Annotated[str, typer.Option("--watch", help="The saved watch it follows.")],
    account: Annotated[
        list[str] | None,
        typer.Option("--account", help="Alert when this handle posts on the topic (repeatable)."),
    ] = None,
    spike: Annotated[
        float | None,
        typer.Option(
            help="Alert when the last hour's volume is this many z-scores above usual "
            "(3 is a good start)."
        ),
    ] = None,
    mail: Annotated[str | None, typer.Option(help="Send alerts to this e-mail address.")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST alerts as JSON to this URL.")] = None,
) -> None:
    """Create or replace an alert."""
    from veilleur.watch import Rule, add_rule, mail_missing

    ws = workspace(ctx)
    add_rule(ws.store, Rule(name, watch, list(account or []), spike, mail, webhook))
    err.print(t("alert '{name}' saved", name=name), markup=False)
    missing = mail_missing(ws) if mail else None
    if missing:
        err.print(
            t(
                "warning: {problem}; until then its alerts wait (pending) and are sent at the "
                "next 'veilleur alert check'",
                problem=missing,
            ),
            markup=False,
        )


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the alerts."""
    from veilleur.watch import alert_rules, pending_alerts

    store = workspace(ctx).store
    waiting: dict[str, int] = {}
    for alert in pending_alerts(store):
        waiting[alert.rule] = waiting.get(alert.rule, 0) + 1
    table = Table(_("name"), _("watch"), _("accounts"), _("spike"), _("to"), _("pending"))
    for r in alert_rules(store):
        to = ", ".join(x for x in (r.mail, r.webhook) if x)
        spike = "" if r.spike is None else f"{r.spike:g}"
        accounts = ", ".join("@" + a for a in r.accounts)
        cells = (r.name, r.watch, accounts, spike, to, str(waiting.get(r.name, "")))
        table.add_row(*(Text(strip_controls(c)) for c in cells))
    out.print(table)


@app.command("rm")
def rm(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The alert to remove.")]
) -> None:
    """Remove an alert."""
    from veilleur.watch import remove_rule

    remove_rule(workspace(ctx).store, name)


@app.command("check")
def check_(ctx: typer.Context) -> None:
    """Send the alerts still pending, then evaluate the posts added since the last check and
    send what they raise (for cron)."""
    from veilleur.watch import check_alerts

    raised = check_alerts(workspace(ctx))
    failed = [a for a in raised if not a.delivered]
    for a in raised:
        if a.delivered:
            status = _("sent")
        elif a.dropped:
            status = t("NOT sent after {n} attempts, dropped: {error}", n=a.attempts, error=a.error)
        else:
            status = t("NOT sent, pending until the next check: {error}", error=a.error)
        line = t(
            "{rule}: {kind} alert on story {story} (@{author}) — {status}",
            rule=a.rule,
            kind=_(KINDS[a.kind]) if a.kind in KINDS else a.kind,
            story=a.story,
            author=a.post.author,
            status=status,
        )
        # The story's words and the author come from a stranger's post: no terminal codes.
        err.print(strip_controls(line), markup=False)
    if failed:
        raise typer.Exit(1)
