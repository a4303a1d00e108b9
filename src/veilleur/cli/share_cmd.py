"""``veilleur share``: the share links of a page for each network and e-mail."""

from __future__ import annotations

import sys
from typing import Annotated

import orjson
import typer

from veilleur import publish
from veilleur.cli.context import out
from veilleur.cli.options import TextFormat, format_option


def share(
    url: Annotated[str, typer.Argument(help="The page to share (https://…).")],
    text: Annotated[
        str, typer.Option("--text", help="The suggested message that goes with the link.")
    ] = "",
    instance: Annotated[
        str | None,
        typer.Option(
            "--instance",
            help="The reader's Mastodon instance (e.g. piaille.fr); default: a chooser page.",
        ),
    ] = None,
    fmt: Annotated[TextFormat, format_option("Output format.")] = TextFormat.text,
) -> None:
    """Print the share links of a URL: X, LinkedIn, Facebook, Bluesky, Mastodon, e-mail."""
    links = publish.share_links(url, text, mastodon_instance=instance)
    if fmt is TextFormat.json:
        data = {link.network: link.url for link in links}
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    for link in links:
        out.print(f"{link.network:<9} {link.url}", markup=False)
