"""``veilleur stats``: what the workspace holds."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from veilleur.cli.context import out, workspace
from veilleur.i18n import t


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
        out.print(t("stats.empty"))
        return
    out.print(t("stats.total", n=total))
    for key in ("network", "author", "month"):
        table = Table(title=t(f"stats.{key}"), title_justify="left")
        table.add_column(key)
        table.add_column(t("col.count"), justify="right")
        for name, count in figures[key]:
            table.add_row(name, str(count))
        out.print(table)
