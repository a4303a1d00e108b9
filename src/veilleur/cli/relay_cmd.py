"""``veilleur relay``: the site's new content, drafted (or scheduled) for each network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from veilleur import publish
from veilleur.cli.context import out, workspace
from veilleur.cli.suggest import Group
from veilleur.i18n import t
from veilleur.publish import RELAY_FIELDS, RELAY_TEMPLATE

if TYPE_CHECKING:  # the publish pillar loads httpx: not for `veilleur --help`
    from veilleur.publish import FetchFeed, Relays

app = typer.Typer(
    cls=Group,
    help="Relay a website: every new item of its feed becomes a post per network.",
    no_args_is_help=True,
)


def _relays(ctx: typer.Context) -> tuple[Relays, FetchFeed]:
    return publish.open_relays(workspace(ctx))


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the relay, e.g. site.")],
    feed: Annotated[str, typer.Argument(help="The site's RSS, Atom or JSON Feed URL.")],
    to: Annotated[
        list[str],
        typer.Option(
            "--to",
            help="A target: NETWORK (a draft to post by hand) or NETWORK:ACCOUNT "
            "(repeatable), e.g. --to mastodon:asso --to bluesky:asso --to linkedin.",
        ),
    ],
    template: Annotated[
        str,
        typer.Option(
            "--template",
            help=f"Text of the posts, with {', '.join('{' + f + '}' for f in RELAY_FIELDS)}.",
        ),
    ] = RELAY_TEMPLATE,
    auto: Annotated[
        bool,
        typer.Option("--auto", help="Schedule the posts of targets with an account right away."),
    ] = False,
    include_existing: Annotated[
        bool,
        typer.Option(
            "--include-existing",
            help="Also relay the items already in the feed (default: only those that come next).",
        ),
    ] = False,
) -> None:
    """Follow a site's feed; items published from now on are relayed."""
    relays, fetch = _relays(ctx)
    relay = publish.Relay(name, feed, [publish.Target.parse(t) for t in to], template, auto)
    marked = relays.add(relay, fetch, include_existing=include_existing)
    out.print(
        t("relay {name} saved; {n} items already in the feed left aside", name=name, n=marked),
        markup=False,
    )


@app.command("run")
def run(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="The relay to run (default: all of them).")
    ] = None,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish", help="Then publish what is due (as 'veilleur publish --due' does)."
        ),
    ] = False,
) -> None:
    """Read the feeds and draft every new item, oldest first."""
    relays, fetch = _relays(ctx)
    for relay in [relays.get(name)] if name else relays.all():
        report = relays.run(relay.name, fetch)
        summary = t(
            "{name}: {items} new items, {drafts} drafts, {scheduled} scheduled",
            name=relay.name,
            items=len(report.items),
            drafts=len(report.drafts),
            scheduled=len(report.scheduled),
        )
        out.print(summary, markup=False)
        for title in report.items:
            out.print(f"  {title}", markup=False)
    if publish:
        from veilleur.cli.publish_cmd import publish as publish_command

        publish_command(ctx, due=True)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """The relays and their targets."""
    relays, _ = _relays(ctx)
    table = Table()
    for column in (t("name"), t("feed"), t("targets"), t("auto")):
        table.add_column(column)
    for r in relays.all():
        targets = ", ".join(
            f"{t.network}:{t.account}" if t.account else t.network for t in r.targets
        )
        table.add_row(r.name, r.feed_url, targets, t("yes") if r.auto else t("no"))
    out.print(table)
