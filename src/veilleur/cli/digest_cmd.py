"""``veilleur digest``: a watch's top stories, what is rising and who matters, over a period."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.index_progress import update_with_progress
from veilleur.cli.options import (
    DigestFormat,
    Lang,
    format_option,
    lang_option,
    language,
    output_option,
    parse_date,
    since_option,
    until_option,
)
from veilleur.cli.output import write_file
from veilleur.cli.progress import late_progress
from veilleur.i18n import t


class Period(StrEnum):
    day = "day"
    week = "week"


def digest(
    ctx: typer.Context,
    watch: Annotated[
        str, typer.Argument(help="Name of the saved watch (see 'veilleur watch list').")
    ],
    since: Annotated[
        str | None, since_option("Start of the period (it ends now, or at --until)")
    ] = None,
    period: Annotated[
        Period | None, typer.Option(help="The last day or the last week (default: week).")
    ] = None,
    until: Annotated[
        str | None, until_option("End of the period instead of now, e.g. to redo one")
    ] = None,
    fmt: Annotated[
        DigestFormat, format_option("html (e-mail ready), md, atom (a feed) or json.")
    ] = DigestFormat.html,
    output: Annotated[
        Path | None, output_option("Write to this file instead of the terminal.")
    ] = None,
    lang: Annotated[
        Lang | None, lang_option("Language of the digest (default: the report.lang setting).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many stories at most.")] = 10,
    mail: Annotated[
        list[str] | None,
        typer.Option(
            "--mail",
            help="Send it to this address over SMTP (smtp.* settings); repeat for several.",
        ),
    ] = None,
) -> None:
    """Write the digest of a watch: top stories with why, rising terms, accounts that matter."""
    from veilleur.watch import build_digest, render_digest, resolve_period, send_digest

    ws = workspace(ctx)
    now = parse_date(until, "--until") if until else datetime.now(UTC)
    first = parse_date(since, "--since") if since else None
    start, end = resolve_period(first, period.value if period else None, now)
    code = language(lang, ws.setting("report.lang") or "fr")
    update_with_progress(ws.store, code)  # build_digest would do it, without a bar
    with late_progress(t("Writing the digest")):
        result = build_digest(ws.store, watch, start, end, lang=code, limit=limit)
        text = render_digest(result, fmt.value)
    if output is not None:
        write_file(text, output)
    elif not mail:
        out.print(text, markup=False, end="", soft_wrap=True)
    if mail:
        send_digest(ws, list(mail), result)
        err.print(t("sent to {addresses}", addresses=", ".join(mail)), markup=False)
