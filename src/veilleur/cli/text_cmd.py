"""``veilleur text``: count a post for a network, list its entities, guess its language.

A thin layer on :mod:`veilleur.text`; every command prints JSON, so scripts and spreadsheets
can use it. TEXT is the text itself, or ``-`` to read it from standard input (a final
newline, as ``echo`` adds, is dropped).
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated, Any

import click
import orjson
import typer

from veilleur.cli.context import out
from veilleur.cli.suggest import Group
from veilleur.networks import resolve as resolve_network
from veilleur.text import NETWORKS, count, detect_language, extract

app = typer.Typer(
    cls=Group,
    help="Check a post's text: its length per network, its entities, its language (JSON).",
    no_args_is_help=True,
)

TextArg = Annotated[
    str, typer.Argument(help="The text, or - to read it from standard input.", show_default=False)
]


def _read(text: str) -> str:
    if text != "-":
        return text
    data = sys.stdin.read()
    return data[:-1] if data.endswith("\n") else data


def _print(payload: dict[str, Any]) -> None:
    out.print(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode(), markup=False)


@app.command("count")
def count_command(
    text: TextArg,
    network: Annotated[
        str,
        typer.Option(
            "--network",
            "-n",
            help=f"Network whose rules apply: {', '.join(NETWORKS)} (or an alias: twitter).",
        ),
    ] = "x",
    rules: Annotated[
        str,
        typer.Option(
            click_type=click.Choice(["v3", "v2", "v1"]),
            help="X only: twitter-text configuration (v3 counts an emoji as 2).",
        ),
    ] = "v3",
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="Another limit than the network's (a Mastodon instance allowing 1000)."
        ),
    ] = None,
) -> None:
    """Length of TEXT as NETWORK counts it, its limit, and whether it fits.

    TEXT is the post's text, or - to read it from standard input. The ranges are inclusive
    indices of the part shown and of the part that fits (UTF-16 units for X, as X counts;
    characters elsewhere). "problems" says why a text does not fit.
    """
    network = resolve_network(network, NETWORKS)
    result = count(_read(text), network, rules=rules, limit=limit)
    payload = {"network": network, **asdict(result)}
    payload["remaining"] = result.limit - result.weighted_length
    _print(payload)


@app.command("entities")
def entities_command(
    text: TextArg,
    network: Annotated[
        str | None,
        typer.Option(
            "--network",
            "-n",
            help="Read handles as this network does (x: @user@host is no mention).",
        ),
    ] = None,
) -> None:
    """Hashtags, mentions, links and cashtags of TEXT, with [start, end) character offsets.

    TEXT is the post's text, or - to read it from standard input.
    """
    found = extract(_read(text), network=resolve_network(network, NETWORKS) if network else None)

    def rows(items: list[Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in asdict(e).items() if v is not None} for e in items]

    _print(
        {
            "hashtags": rows(found.hashtags),
            "mentions": rows(found.mentions),
            "urls": rows(found.urls),
            "cashtags": rows(found.cashtags),
            "reply_to": found.reply_to,
        }
    )


@app.command("language")
def language_command(text: TextArg) -> None:
    """Which language TEXT is in: fr, en, es, pt, it, de, nl, or "und" when unsure.

    TEXT is the post's text, or - to read it from standard input.
    """
    _print({"lang": detect_language(_read(text))})
