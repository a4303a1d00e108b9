"""``veilleur compose``: one text, rendered and linted for each network."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from veilleur import publish
from veilleur.cli.context import out, workspace
from veilleur.cli.options import TextFormat, format_option
from veilleur.errors import UsageError
from veilleur.i18n import _, current_lang, t

if TYPE_CHECKING:  # the publish pillar loads httpx: not for `veilleur --help`
    from veilleur.publish import Composition, Image


def read_text_arg(text: str) -> str:
    """The TEXT argument, or standard input when it is ``-``."""
    value = sys.stdin.read() if text == "-" else text
    if not value.strip():
        raise UsageError(_("nothing to compose: the text is empty"))
    return value.strip()


def images_with_alts(images: list[Path], alts: list[str]) -> tuple[Image, ...]:
    """Pair each --image with the --alt of the same rank (missing alts stay missing)."""
    if len(alts) > len(images):
        raise UsageError(_("more --alt than --image: give each image its --alt right after it"))
    for path in images:
        if not path.is_file():
            raise UsageError(t("image not found: {path}", path=path))
    return tuple(
        publish.Image(str(path), alts[i] if i < len(alts) else None)
        for i, path in enumerate(images)
    )


def print_composition(composition: Composition) -> None:
    for rendering in composition.renderings:
        mark = "✓" if rendering.valid else "✗"
        out.print(
            f"── {rendering.network} · {rendering.weighted_length}/{rendering.limit} {mark}",
            markup=False,
        )
        for text in rendering.sent:
            out.print(text, markup=False)
            if len(rendering.sent) > 1:
                out.print("")
        if rendering.card:
            out.print(t("[card: {card}]", card=rendering.card), markup=False)
        out.print("")
    for finding in composition.findings:
        where = f"[{finding.network}] " if finding.network else ""
        out.print(f"{finding.severity:<7} {where}{finding.rule}: {finding.message}", markup=False)


def compose_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text of the post, or - to read it from stdin.")],
    networks: Annotated[
        str,
        typer.Option(
            "--networks",
            "-n",
            help="Target networks, comma-separated: x, mastodon, bluesky, linkedin, threads, "
            "facebook, instagram.",
        ),
    ] = "x,mastodon,bluesky",
    image: Annotated[
        list[Path] | None,
        typer.Option("--image", help="An image to attach (repeat for several)."),
    ] = None,
    alt: Annotated[
        list[str] | None,
        typer.Option("--alt", help="Alternative text of the --image of the same rank."),
    ] = None,
    link: Annotated[
        str | None, typer.Option("--link", help="A link to share with the post.")
    ] = None,
    thread: Annotated[
        bool,
        typer.Option("--thread", help="Split a text too long for a network into a thread."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the text (fr or en; detected when absent)."),
    ] = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--directory",
            help="Directory of people and their handles (YAML or TOML; default: the "
            "workspace's directory.yaml or directory.toml).",
        ),
    ] = None,
    fmt: Annotated[TextFormat, format_option("Output format.")] = TextFormat.text,
) -> None:
    """Render one text for several networks and lint it (exit status 1 on an error)."""
    body = read_text_arg(text)
    images = images_with_alts(image or [], alt or [])
    composition = publish.compose_post(
        workspace(ctx),
        publish.Draft(body, images, link, lang),
        networks,
        thread=thread,
        directory=directory,
        message_lang=current_lang(),
    )
    if fmt is TextFormat.json:
        sys.stdout.write(orjson.dumps(composition.to_json(), option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
    else:
        print_composition(composition)
    if composition.has_error:
        raise typer.Exit(1)
