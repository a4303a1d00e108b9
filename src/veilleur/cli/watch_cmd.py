"""``veilleur watch``: saved queries — add, list, show their posts, remove."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from veilleur import watch as watches_door
from veilleur.cli.context import out, workspace
from veilleur.cli.options import PostFormat
from veilleur.cli.search_cmd import (
    QUERY_HELP,
    Explain,
    Format,
    Limit,
    Sort,
    SortOption,
    parse_or_explain,
    run_search,
)
from veilleur.cli.suggest import Group
from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import Watch

app = typer.Typer(
    cls=Group, help="Saved watches: a name for a query you run again.", no_args_is_help=True
)

Name = Annotated[str, typer.Argument(help="The watch's name, e.g. recrutement-lyon.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Name,
    query: Annotated[str, typer.Argument(help=QUERY_HELP)],
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="What the watch is for.")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the watch if the name is taken.")
    ] = False,
) -> None:
    """Save a query under a name (the query is checked first)."""
    if not name.strip():
        raise UsageError(_("a watch needs a name"))
    parsed = parse_or_explain(query)
    watch = Watch(name=name.strip(), query=query, description=description)
    if not watches_door.save_watch(workspace(ctx).store, watch, replace=replace):
        raise UsageError(
            t("watch '{name}' already exists (use --replace to replace it)", name=watch.name)
        )
    out.print(
        t("Watch '{name}' saved: {query}", name=watch.name, query=parsed.normalized), markup=False
    )


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every saved watch and its query."""
    watches = watches_door.list_watches(workspace(ctx).store)
    if not watches:
        out.print(t("No watch yet: add one with 'veilleur watch add NAME QUERY'."))
        return
    table = Table()
    for column in (_("name"), _("query"), _("description"), _("created")):
        table.add_column(column, overflow="fold")
    for watch in watches:
        created = watch.created_at.strftime("%Y-%m-%d") if watch.created_at else ""
        table.add_row(watch.name, watch.query, watch.description or "", created)
    out.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    name: Name,
    fmt: Format = PostFormat.table,
    limit: Limit = 50,
    sort: SortOption = Sort.date,
    show_sql: Explain = False,
) -> None:
    """The posts of a watch, newest first (same formats as search)."""
    watch = watches_door.get_watch(workspace(ctx).store, name)
    if watch is None:
        raise UsageError(
            t("no watch named '{name}' (veilleur watch list shows them all)", name=name)
        )
    run_search(ctx, watch.query, fmt, limit, sort, show_sql)


@app.command("rm")
def rm(ctx: typer.Context, name: Name) -> None:
    """Delete a saved watch (its posts stay in the workspace)."""
    if not watches_door.remove_watch(workspace(ctx).store, name):
        raise UsageError(
            t("no watch named '{name}' (veilleur watch list shows them all)", name=name)
        )
    out.print(t("Watch '{name}' removed.", name=name))
