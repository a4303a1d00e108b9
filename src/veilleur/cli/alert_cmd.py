"""``veilleur alert``: be told when listed accounts post on a watch's topic, or when it spikes."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from veilleur.cli.context import err, out, workspace

app = typer.Typer(
    help="Alerts on a watch: listed accounts posting on the topic, or a spike in volume. "
    "Each story alerts once, by e-mail or webhook.",
    no_args_is_help=True,
)


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
    from veilleur.watch import Rule, add_rule

    add_rule(workspace(ctx).store, Rule(name, watch, list(account or []), spike, mail, webhook))
    err.print(f"alert '{name}' saved", markup=False)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the alerts."""
    from veilleur.watch import alert_rules

    table = Table("name", "watch", "accounts", "spike", "to")
    for r in alert_rules(workspace(ctx).store):
        to = ", ".join(x for x in (r.mail, r.webhook) if x)
        spike = "" if r.spike is None else f"{r.spike:g}"
        table.add_row(r.name, r.watch, ", ".join("@" + a for a in r.accounts), spike, to)
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
    """Evaluate the posts added since the last check and send what they raise (for cron)."""
    from veilleur.watch import check_alerts

    raised = check_alerts(workspace(ctx))
    failed = [a for a in raised if not a.delivered]
    for a in raised:
        status = "sent" if a.delivered else f"NOT sent: {a.error}"
        err.print(f"{a.rule}: {a.kind} alert on story {a.story} (@{a.post.author}) — {status}",
                  markup=False)  # fmt: skip
    if failed:
        raise typer.Exit(1)
