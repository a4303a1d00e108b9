"""``veilleur audit``: the presence audit of one account, or several side by side;
``veilleur audit label``: a consultant's verdict on one post."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from veilleur import audit as audits_door
from veilleur.cli.context import err, workspace
from veilleur.cli.options import (
    Lang,
    ReportFormat,
    format_option,
    lang_option,
    language,
    output_option,
    parse_period,
    since_option,
    until_option,
)
from veilleur.cli.progress import late_progress
from veilleur.cli.suggest import Group
from veilleur.errors import UsageError
from veilleur.i18n import _, current_lang, t
from veilleur.networks import resolve as resolve_network
from veilleur.profile import load_profile
from veilleur.report.safety import strip_controls

app = typer.Typer(cls=Group, no_args_is_help=False)


@app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    authors: Annotated[
        list[str] | None,
        typer.Option(
            "--author",
            "-a",
            help="Handle of the account to audit, as stored (with or without @). Repeat it "
            "to set competitors side by side with the first account.",
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            "-p",
            help="The organisation's profile (TOML: name, positioning, keywords, goals…).",
        ),
    ] = None,
    network: Annotated[
        str | None,
        typer.Option(
            "--network",
            "-n",
            help="Only the posts of this network (linkedin, x, mastodon, bluesky…). "
            "Default: all the account's posts, judged against its main network.",
        ),
    ] = None,
    since: Annotated[str | None, since_option("Start of the period audited")] = None,
    until: Annotated[str | None, until_option("End of the period audited")] = None,
    fmt: Annotated[
        ReportFormat, format_option("Report format: html, md, json or pdf.")
    ] = ReportFormat.html,
    output: Annotated[
        Path | None,
        output_option("File to write. Default: standard output, or audit-HANDLE.pdf for a PDF."),
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
        Lang | None, lang_option("Language of the report: fr or en (default: yours).")
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
    if ctx.invoked_subcommand is not None:
        return
    if not authors or profile is None:
        raise UsageError(t("give the account (--author) and the profile (--profile)"))
    if network is not None:
        network = resolve_network(network)
    start, end = parse_period(since, until)
    code = language(lang, current_lang())
    org = load_profile(profile)
    similarity = audits_door.embedding_similarity() if embeddings else None
    if followers and len(followers) > len(authors):
        raise UsageError(_("more --followers than --author: give one count per account"))
    with late_progress(t("Auditing"), total=len(authors)) as bar:
        audits = audits_door.audit_accounts(
            workspace(ctx).store,
            authors,
            org,
            network=network,
            since=start,
            until=end,
            followers=followers or (),
            similarity=similarity,
            on_account=lambda author: bar.advance(1, t("Auditing @{author}", author=author)),
        )
    if output is None and fmt is ReportFormat.pdf:
        output = Path(f"audit-{audits_door.normalise_handle(authors[0])}.pdf")
    if output is None:
        if fmt is ReportFormat.json:
            import orjson

            sys.stdout.write(
                orjson.dumps(audits_door.to_json(audits, code), option=orjson.OPT_INDENT_2).decode()
                + "\n"
            )
        elif fmt is ReportFormat.md:
            sys.stdout.write(strip_controls(audits_door.to_markdown(audits, code)) + "\n")
        else:
            sys.stdout.write(audits_door.to_html(audits, code))
        return
    with late_progress(t("Writing the report")):  # a PDF takes a few seconds
        audits_door.write_report(audits, fmt.value, output, code)
    first = audits[0]
    err.print(
        t(
            "{output}: @{author} {score}/100 ({n} posts)",
            output=output,
            author=strip_controls(first.author),
            score=f"{first.overall:.0f}",
            n=len(first.posts),
        ),
        markup=False,
    )


@app.command("label")
def label(
    ctx: typer.Context,
    post_id: Annotated[str, typer.Argument(help="The post's id, as stored (see the JSON report).")],
    category: Annotated[
        str,
        typer.Argument(help="value, promotional, recruiting or event; 'none' forgets the label."),
    ],
    network: Annotated[
        str | None,
        typer.Option("--network", "-n", help="The post's network, when the id is on several."),
    ] = None,
) -> None:
    """Correct the audit's verdict on a post: every later report uses it and marks it."""
    kept = None if category.strip().lower() == "none" else category.strip().lower()
    chosen = resolve_network(network) if network is not None else None
    where, post = audits_door.label_post(workspace(ctx).store, post_id, kept, chosen)
    err.print(
        t("{network} {id}: {category}", network=where, id=post, category=category), markup=False
    )
