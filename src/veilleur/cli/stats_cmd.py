"""``veilleur stats``: what the workspace holds."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from veilleur.cli.context import out, workspace
from veilleur.i18n import N_, t

# Each table of figures: its title and its first column's header.
_TABLES = {
    "network": (N_("Posts by network"), N_("network")),
    "author": (N_("Most active authors"), N_("author")),
    "month": (N_("Posts by month"), N_("month")),
}


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Posts by network, author and month."""
    store = workspace(ctx).store
    figures = store.stats()
    total = store.count_posts()
    if as_json:
        data = {"total": total, **{k: dict(v) for k, v in figures.items()}}
        out.print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    if not total:
        out.print(t("The workspace is empty: import posts with 'veilleur import'."))
        return
    out.print(t("{n} posts in all", n=total))
    for key in ("network", "author", "month"):
        table = Table(title=t(_TABLES[key][0]), title_justify="left")
        table.add_column(t(_TABLES[key][1]))
        table.add_column(t("posts"), justify="right")
        for name, count in figures[key]:
            table.add_row(name, str(count))
        out.print(table)
