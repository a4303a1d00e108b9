"""``veilleur search``: find posts in the workspace."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from veilleur.cli.context import err, workspace
from veilleur.cli.output import PostFormat, write_posts
from veilleur.i18n import t


class Sort(StrEnum):
    date = "date"
    relevance = "relevance"


def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="Words to find, all of them (accents and case ignored).")
    ],
    fmt: Annotated[
        PostFormat, typer.Option("--format", "-f", help="Output format.")
    ] = PostFormat.table,
    limit: Annotated[int, typer.Option(min=1, help="How many posts at most.")] = 50,
    sort: Annotated[Sort, typer.Option(help="Newest first, or best match first.")] = Sort.date,
) -> None:
    """Search the workspace's posts."""
    words = query.split()
    posts = workspace(ctx).store.search_words(words, sort=sort.value, limit=limit)
    if not write_posts(posts, fmt) and fmt is PostFormat.table:
        err.print(t("search.none"))
