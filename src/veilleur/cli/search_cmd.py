"""``veilleur search``: find posts in the workspace with the query language."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.options import PostFormat, format_option
from veilleur.cli.output import write_posts
from veilleur.errors import UsageError
from veilleur.i18n import colon, t
from veilleur.query import Query, QuerySyntaxError, parse

if TYPE_CHECKING:
    from veilleur.store import SQLiteStore

QUERY_HELP = (
    'The query, in quotes: words (stems, accents and case ignored), "exact phrase", '
    "recrut*, AND OR NOT -word (…), a NEAR/5 b, #tag @account $CASH, author: lang: "
    "network: site: url: title: since:YYYY-MM-DD until: has:link is:reply min_likes:N. "
    "See docs/query-language.md."
)


class Sort(StrEnum):
    date = "date"
    relevance = "relevance"


def parse_or_explain(text: str) -> Query:
    """Parse ``text``; a syntax error becomes a usage error showing the query and a caret."""
    try:
        return parse(text)
    except QuerySyntaxError as exc:
        caret = " " * (exc.column - 1) + "^"
        raise UsageError(f"{exc}\n  {text}\n  {caret}") from None


def explain(store: SQLiteStore, query: Query, *, sort: str, limit: int | None) -> None:
    """Print the normalised query and the SQL (with its parameters) that runs it."""
    sql, params = store.compile(query.root, sort=sort, limit=limit)
    out.print(f"{t('Normalised query')}{colon()}{query.normalized}", markup=False)
    out.print(f"{t('SQL run')}{colon().rstrip()}\n  {sql}", markup=False)
    out.print(f"{t('Parameters')}{colon()}{params!r}", markup=False)


def run_search(
    ctx: typer.Context, text: str, fmt: PostFormat, limit: int, sort: Sort, show: bool
) -> None:
    """Search (or explain) and print; shared by ``search`` and ``watch show``."""
    query = parse_or_explain(text)
    store = workspace(ctx).store
    if show:
        explain(store, query, sort=sort.value, limit=limit)
        return
    posts = store.search(query.root, sort=sort.value, limit=limit)
    if not write_posts(posts, fmt) and fmt is PostFormat.table:
        err.print(t("No post matches."))


Format = Annotated[PostFormat, format_option("Output format.")]
Limit = Annotated[int, typer.Option(min=1, help="How many posts at most.")]
SortOption = Annotated[Sort, typer.Option(help="Newest first, or best match first.")]
Explain = Annotated[
    bool,
    typer.Option("--explain", help="Print the normalised query and the SQL instead of posts."),
]


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=QUERY_HELP)],
    fmt: Format = PostFormat.table,
    limit: Limit = 50,
    sort: SortOption = Sort.date,
    show: Explain = False,
) -> None:
    """Search the workspace's posts with the query language (newest first)."""
    run_search(ctx, query, fmt, limit, sort, show)
