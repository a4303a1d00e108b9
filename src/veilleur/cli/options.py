"""The options every command shares, declared once: language, since/until, formats, output.

Dates have one meaning everywhere, the query language's: ``--since D`` is from D at 00:00
UTC, ``--until D`` is *before* D at 00:00 UTC (``until:D`` in a query, as X's search does),
so ``--since 2026-05-01 --until 2026-06-01`` is the month of May. A date-time
(``2026-05-01T08:00``, UTC unless it has an offset) is taken to the minute. One parser reads
them all: :func:`veilleur.model.parse_datetime`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import typer

from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.model import parse_datetime

SINCE_HELP = "from that day at 00:00 UTC (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)"
UNTIL_HELP = (
    "before that day at 00:00 UTC, as until: in a query — --until 2026-06-01 ends with "
    "May 31 (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)"
)


class Lang(StrEnum):
    """The languages of veilleur's reports and messages."""

    fr = "fr"
    en = "en"


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"
    pdf = "pdf"


class AdviceFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    pdf = "pdf"


class HandoutFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


class DigestFormat(StrEnum):
    html = "html"
    md = "md"
    atom = "atom"
    json = "json"


class TextFormat(StrEnum):
    """Plain text for people, JSON for programs."""

    text = "text"
    json = "json"


class PostFormat(StrEnum):
    """Posts: a table for people, JSONL, CSV or bare ids for other programs."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    ids = "ids"


def lang_option(help: str) -> Any:
    """``--lang fr|en`` with the command's own help."""
    return typer.Option("--lang", help=help)


def format_option(help: str) -> Any:
    """``--format``/``-f`` with the command's own help."""
    return typer.Option("--format", "-f", help=help)


def output_option(help: str, *, short: bool = True) -> Any:
    """``--output``/``-o`` (``short=False``: no ``-o``, when a command uses it otherwise)."""
    names = ("--output", "-o") if short else ("--output",)
    return typer.Option(*names, help=help)


def since_option(what: str) -> Any:
    """``--since D``: ``what`` (e.g. "Start of the period") followed by the shared meaning."""
    return typer.Option("--since", help=f"{what}: {SINCE_HELP}.")


def until_option(what: str) -> Any:
    """``--until D``: ``what`` followed by the shared meaning (before D at 00:00 UTC)."""
    return typer.Option("--until", help=f"{what}: {UNTIL_HELP}.")


AsJson = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]


def language(lang: Lang | None, default: str) -> str:
    """The language chosen on the command line, else ``default``."""
    return lang.value if lang else default


def parse_date(value: str, option: str) -> datetime:
    """``2026-05-01`` (00:00 UTC that day) or an ISO date-time; a usage error otherwise."""
    try:
        return parse_datetime(value)
    except ValueError:
        raise UsageError(
            t(
                "{option} '{value}' is not a date: write it YYYY-MM-DD or YYYY-MM-DDTHH:MM",
                option=option,
                value=value,
            )
        ) from None


def parse_period(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """``--since``/``--until`` read as the half-open period ``[since, until)``."""
    start = parse_date(since, "--since") if since is not None else None
    end = parse_date(until, "--until") if until is not None else None
    if start and end and end <= start:
        raise UsageError(_("--until is before --since"))
    return start, end
