"""``veilleur source``: the sources to collect — add, list, remove, OPML in and out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich import box
from rich.table import Table

from veilleur import sources
from veilleur.cli.context import err, out, short_time, workspace
from veilleur.cli.options import parse_date, since_option, until_option
from veilleur.cli.suggest import Group
from veilleur.i18n import _, t
from veilleur.model import format_datetime
from veilleur.report.safety import strip_controls

app = typer.Typer(
    cls=Group, help="The sources veilleur collects: feeds, Mastodon, Bluesky.", no_args_is_help=True
)
add_app = typer.Typer(cls=Group, help="Add a source to collect.", no_args_is_help=True)
app.add_typer(add_app, name="add")

Name = Annotated[
    str | None,
    typer.Option("--name", help="Name of the source (default: derived from the feed or query)."),
]


@add_app.command("rss")
def add_rss(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Address of the RSS, Atom or JSON feed.")],
    name: Name = None,
    full_text: Annotated[
        bool,
        typer.Option(
            "--full-text", help="Fetch each new article's page when the feed has only summaries."
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check/--no-check", help="Read the feed once now to check it and name it."),
    ] = True,
) -> None:
    """Add an RSS, Atom or JSON feed."""
    record = sources.add_rss(workspace(ctx), url, name=name, full_text=full_text, check=check)
    out.print(t("Source '{name}' added.", name=record.name), markup=False)


@add_app.command("mastodon")
def add_mastodon(
    ctx: typer.Context,
    instance: Annotated[
        str, typer.Option("--instance", help="The instance, e.g. https://mastodon.social.")
    ],
    tag: Annotated[
        str | None, typer.Option("--tag", help="A hashtag timeline (with or without #).")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="An account's statuses: user or user@host.")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="A search (most instances want a token).")
    ] = None,
    token_env: Annotated[
        str | None,
        typer.Option(
            "--token-env",
            help="Environment variable holding the access token (the token is never stored).",
        ),
    ] = None,
    name: Name = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check",
            help="Ask the instance once now that it answers and the account or tag exists.",
        ),
    ] = True,
) -> None:
    """Add a Mastodon hashtag, account or search, on any instance."""
    record = sources.add_mastodon(
        workspace(ctx),
        instance,
        tag=tag,
        account=account,
        search=search,
        token_env=token_env,
        name=name,
        check=check,
    )
    out.print(t("Source '{name}' added.", name=record.name), markup=False)


@add_app.command("bluesky")
def add_bluesky(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", help="Words to search (Bluesky's search syntax).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only posts in this language, e.g. fr.")
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only posts with this hashtag (search only).")
    ] = None,
    since: Annotated[str | None, since_option("Start of the search")] = None,
    until: Annotated[str | None, until_option("End of the search")] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="An account's feed: its handle.")
    ] = None,
    appview: Annotated[
        str,
        typer.Option("--appview", help="The AppView to ask (a public one by default)."),
    ] = sources.DEFAULT_APPVIEW,
    name: Name = None,
) -> None:
    """Add a Bluesky search or an account's feed."""
    record = sources.add_bluesky(
        workspace(ctx),
        search=search,
        lang=lang,
        tag=tag,
        since=parse_date(since, "--since") if since else None,
        until=parse_date(until, "--until") if until else None,
        author=author,
        appview=appview,
        name=name,
    )
    out.print(t("Source '{name}' added.", name=record.name), markup=False)


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sources as JSON.")] = False,
) -> None:
    """Every source: last success, last error and posts collected."""
    records = sources.list_sources(workspace(ctx))
    if as_json:
        rows = [
            {
                "name": r.name,
                "type": r.type,
                "params": r.params,
                "enabled": r.enabled,
                "last_success": format_datetime(r.last_success) if r.last_success else None,
                "last_error": r.last_error,
                "last_error_at": r.state.get("last_error_at"),
                "posts_collected": r.posts_collected,
                "next_due": r.state.get("next_due"),
            }
            for r in records
        ]
        out.print(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode(), markup=False)
        return
    if not records:
        err.print(t("No sources yet: add one with 'veilleur source add'."))
        return
    # Readable at 80 columns: nothing is cut with an ellipsis (a name is typed by the user,
    # an error is read whole); dates are short; names, addresses and errors fold.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column(_("name"), overflow="fold", ratio=3)
    table.add_column(_("type"), no_wrap=True)
    table.add_column(_("what"), overflow="fold", ratio=2)
    table.add_column(_("last success"))
    table.add_column(_("last error"), overflow="fold", ratio=4)
    table.add_column(_("posts"), justify="right", no_wrap=True)
    for r in records:
        error = r.last_error or ""
        if error and r.state.get("last_error_at"):
            error = f"{short_time(str(r.state['last_error_at']))} {error}"
        table.add_row(
            r.name,
            r.type,
            sources.describe(r),
            short_time(format_datetime(r.last_success)) if r.last_success else t("never"),
            error,
            str(r.posts_collected),
        )
    out.print(table)


@app.command("rm")
def rm(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names of the sources to remove.")],
) -> None:
    """Remove sources (the posts they collected are kept)."""
    for name in sources.remove_sources(workspace(ctx), names):
        out.print(
            t("Source '{name}' removed (its posts stay in the workspace).", name=name), markup=False
        )


@app.command("import-opml")
def import_opml(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="OPML file exported by a feed reader.")],
    full_text: Annotated[
        bool, typer.Option("--full-text", help="Fetch full articles for every imported feed.")
    ] = False,
) -> None:
    """Add every feed of an OPML file (feeds already present are skipped)."""
    done = sources.import_opml(workspace(ctx), path, full_text=full_text)
    for refusal in done.refused:
        err.print(
            strip_controls(
                t(
                    "{file}: feed “{title}” not added: {reason}",
                    file=path,
                    title=refusal.title or refusal.url,
                    reason=refusal.reason,
                )
            ),
            markup=False,
        )
    out.print(
        t("{added} feeds added, {skipped} already there.", added=done.added, skipped=done.skipped)
    )
    if done.refused:
        raise typer.Exit(1)


@app.command("export-opml")
def export_opml(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Write the workspace's feeds as OPML, for a feed reader."""
    document = sources.export_opml(workspace(ctx))
    if path is None:
        sys.stdout.write(document)
    else:
        path.write_text(document, encoding="utf-8")
