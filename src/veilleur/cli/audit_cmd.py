"""``veilleur audit``: the presence audit of one account, or several side by side."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veilleur.audit import audit_accounts, normalise_handle
from veilleur.audit.report import to_html, to_json, to_markdown, write
from veilleur.cli.context import err, workspace
from veilleur.errors import UsageError
from veilleur.i18n import current_lang
from veilleur.model import NETWORKS
from veilleur.profile import load_profile


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"
    pdf = "pdf"


class Lang(StrEnum):
    fr = "fr"
    en = "en"


def parse_day(value: str, option: str, end: bool = False) -> datetime:
    """``2026-05-01`` or a full ISO date-time; a bare ``--until`` day includes that day."""
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1, seconds=-1) if end else moment
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {value!r}: expected a date such as 2026-05-01 (or 2026-05-01T08:00Z)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def audit(
    ctx: typer.Context,
    authors: Annotated[
        list[str],
        typer.Option(
            "--author",
            "-a",
            help="Handle of the account to audit, as stored (with or without @). Repeat it "
            "to set competitors side by side with the first account.",
        ),
    ],
    profile: Annotated[
        Path,
        typer.Option(
            "--profile",
            "-p",
            help="The organisation's profile (TOML: name, positioning, keywords, goals…).",
        ),
    ],
    network: Annotated[
        str | None,
        typer.Option(
            "--network",
            "-n",
            help="Only the posts of this network (linkedin, x, mastodon, bluesky…). "
            "Default: all the account's posts, judged against its main network.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="First day of the period audited (2026-05-01).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last day of the period audited, included.")
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Report format: html, md, json or pdf."),
    ] = ReportFormat.html,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write. Default: standard output, or audit-HANDLE.pdf for a PDF.",
        ),
    ] = None,
    followers: Annotated[
        list[int] | None,
        typer.Option(
            "--followers",
            min=1,
            help="Follower count of the account, for engagement per 1,000 followers. "
            "Repeat it in the order of --author.",
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="Language of the report: fr or en (default: yours)."),
    ] = None,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Measure relevance with multilingual sentence embeddings instead of "
            "TF-IDF (meets a post and the profile across words and languages). Needs the "
            "optional extra: pip install -e '.[embeddings]'; slower (~2 s per 1,000 posts).",
        ),
    ] = False,
) -> None:
    """Audit an account's presence: relevance, quality, frequency and promotion share.

    The account's posts must be in the workspace (veilleur import …). The report gives
    scores out of 100, the overall score with its weights, and advice backed by figures.
    """
    if network is not None and network not in NETWORKS:
        raise UsageError(f"--network {network!r}: expected one of {', '.join(NETWORKS)}")
    start = parse_day(since, "--since") if since else None
    end = parse_day(until, "--until", end=True) if until else None
    if start and end and end < start:
        raise UsageError("--until is before --since")
    language = (lang.value if lang else None) or current_lang()
    org = load_profile(profile)
    similarity = None
    if embeddings:
        from veilleur.audit import embeddings as encoder

        if not encoder.available():
            raise UsageError(encoder.missing_message())
        similarity = encoder.similarity
    if followers and len(followers) > len(authors):
        raise UsageError("more --followers than --author: give one count per account")
    audits = audit_accounts(
        workspace(ctx).store,
        authors,
        org,
        network=network,
        since=start,
        until=end,
        followers=followers or (),
        similarity=similarity,
    )
    if output is None and fmt is ReportFormat.pdf:
        output = Path(f"audit-{normalise_handle(authors[0])}.pdf")
    if output is None:
        if fmt is ReportFormat.json:
            import orjson

            sys.stdout.write(
                orjson.dumps(to_json(audits, language), option=orjson.OPT_INDENT_2).decode() + "\n"
            )
        elif fmt is ReportFormat.md:
            sys.stdout.write(to_markdown(audits, language) + "\n")
        else:
            sys.stdout.write(to_html(audits, language))
        return
    write(audits, fmt.value, output, language)
    first = audits[0]
    err.print(
        f"{output}: @{first.author} {first.overall:.0f}/100 ({len(first.posts)} posts)",
        markup=False,
    )
