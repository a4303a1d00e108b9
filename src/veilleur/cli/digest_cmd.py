"""``veilleur digest``: a watch's top stories, what is rising and who matters, over a period."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.index_progress import update_with_progress
from veilleur.errors import UsageError
from veilleur.model import parse_datetime


class DigestFormat(StrEnum):
    html = "html"
    md = "md"
    atom = "atom"
    json = "json"


class Period(StrEnum):
    day = "day"
    week = "week"


class Lang(StrEnum):
    fr = "fr"
    en = "en"


def _date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        raise UsageError(
            f"{option} '{value}' is not a date: write it YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None


def digest(
    ctx: typer.Context,
    watch: Annotated[
        str, typer.Argument(help="Name of the saved watch (see 'veilleur watch list').")
    ],
    since: Annotated[
        str | None,
        typer.Option(help="Start of the period (YYYY-MM-DD, UTC); the period ends now."),
    ] = None,
    period: Annotated[
        Period | None, typer.Option(help="The last day or the last week (default: week).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="End of the period instead of now (YYYY-MM-DD, UTC), e.g. to redo one."),
    ] = None,
    fmt: Annotated[
        DigestFormat,
        typer.Option("--format", "-f", help="html (e-mail ready), md, atom (a feed) or json."),
    ] = DigestFormat.html,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the terminal."),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(help="Language of the digest (default: the report.lang setting)."),
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
    from veilleur.watch.digest import build_digest, resolve_period
    from veilleur.watch.mail import send_mail
    from veilleur.watch.render import to_html, to_markdown, view, write

    ws = workspace(ctx)
    now = _date(until, "--until") or datetime.now(UTC)
    start, end = resolve_period(_date(since, "--since"), period.value if period else None, now)
    language = lang.value if lang else (ws.setting("report.lang") or "fr")
    update_with_progress(ws.store, language)  # build_digest would do it, without a bar
    result = build_digest(ws.store, watch, start, end, lang=language, limit=limit)
    text = write(result, fmt.value)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            tmp = output.with_name(output.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(output)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
        err.print(f"{output}", markup=False)
    elif not mail:
        out.print(text, markup=False, end="", soft_wrap=True)
    if mail:
        subject = view(result)["subject"]
        send_mail(ws, list(mail), subject, to_markdown(result), to_html(result))
        err.print(f"sent to {', '.join(mail)}", markup=False)
