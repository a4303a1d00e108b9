"""``veilleur import``: JSONL and CSV files, and the platforms' own exports."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from veilleur import imports
from veilleur.cli.context import err, out, progress_wanted, workspace
from veilleur.cli.options import AsJson
from veilleur.cli.suggest import Group
from veilleur.errors import VeilleurError
from veilleur.i18n import ngettext, t

if TYPE_CHECKING:  # the readers load the store (SQLAlchemy): not for `veilleur --help`
    from veilleur.imports import ImportSummary, Reader
from veilleur.report.safety import strip_controls

app = typer.Typer(
    cls=Group, help="Import posts from files into the workspace.", no_args_is_help=True
)

MAX_REASONS_SHOWN = 50
"""Rejections are printed one line per reason, for this many reasons at most."""

Files = Annotated[list[Path], typer.Argument(help="Files to import.", show_default=False)]


def run_import(ctx: typer.Context, files: list[Path], reader: Reader, as_json: bool) -> None:
    """Import every file, print the summary, exit 1 when some records were rejected."""
    ws = workspace(ctx)
    store = ws.store
    summary = imports.ImportSummary()
    with ExitStack() as stack:
        analysis = stack.enter_context(
            imports.Analysis(store, ws.setting_int("import.analysis_workers"))
        )
        bar: Progress | None = None
        if progress_wanted():
            bar = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    DownloadColumn(),
                    TimeRemainingColumn(),
                    console=err,
                    transient=True,
                )
            )
        for path in files:
            size = path.stat().st_size if path.is_file() else None
            task = bar.add_task(path.name, total=size) if bar else None

            def advance(n: int, task: object = task) -> None:
                if bar is not None and task is not None:
                    bar.advance(task, n)  # type: ignore[arg-type]

            try:
                imports.import_file(
                    store, path, reader, summary, progress=advance, analysis=analysis
                )
            except VeilleurError as exc:
                # A file cut short, a worker process or the storage failing midway: what
                # was stored before is said too (the error alone did not say how much).
                print_summary(summary, as_json)
                raise exc
    print_summary(summary, as_json)
    if summary.rejected:
        raise typer.Exit(1)


def print_summary(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        # Written as is: through Rich, a "[" in a rejected value was read as markup.
        sys.stdout.write(orjson.dumps(summary.to_json(), option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
        return
    shown = 0
    for group in list(summary.groups.values())[:MAX_REASONS_SHOWN]:
        line = f"{group.where}: {group.reason}"
        if group.count > 1:
            more = ngettext(
                "(and {n} more line with the same reason)",
                "(and {n} more lines with the same reason)",
                group.count - 1,
            ).format(n=group.count - 1)
            line = f"{line} {more}"
        err.print(strip_controls(line), markup=False)  # reasons quote the file's values
        shown += group.count
    if summary.rejected > shown:
        err.print(t("… and {n} more rejected lines", n=summary.rejected - shown))
    parts = [
        f"{summary.read} {t('read')}",
        f"{summary.new} {t('new')}",
        f"{summary.updated} {t('updated')}",
        f"{summary.known} {t('already known')}",
        f"{summary.rejected} {t('rejected')}",
    ]
    if summary.duplicates:
        parts.append(f"{summary.duplicates} {t('duplicates within the file')}")
    out.print(" · ".join(parts))
    if summary.text_kept:
        out.print(
            ngettext(
                "{n} post was already stored with another text: the stored text is kept",
                "{n} posts were already stored with another text: the stored texts are kept",
                summary.text_kept,
            ).format(n=summary.text_kept)
        )


@app.command("jsonl")
def import_jsonl(ctx: typer.Context, files: Files, as_json: AsJson = False) -> None:
    """Import JSONL files: one post per line (id, network, author, text, created_at…)."""
    run_import(ctx, files, imports.read_jsonl, as_json)


@app.command("csv")
def import_csv(
    ctx: typer.Context,
    files: Files,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="column=field, for a CSV veilleur does not recognise (e.g. --map Texte=text).",
        ),
    ] = None,
    network: Annotated[
        str | None, typer.Option(help="Network of every row, when the file has no such column.")
    ] = None,
    id_from: Annotated[
        str | None,
        typer.Option(
            "--id-from",
            metavar="COLUMN",
            help="Column whose value is each post's id. Without an id column, the id is "
            "derived from the row's URL, else from its network, author, date and text.",
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Import CSV files: rtweet, twarc2 and minet exports are recognised by their headers."""
    reader = imports.csv_reader(
        imports.parse_mapping(mapping or []), network=network, id_from=id_from
    )
    run_import(ctx, files, reader, as_json)


Archives = Annotated[
    list[Path],
    typer.Argument(
        help="Exports to import: the zip, the unzipped folder or the file itself.",
        metavar="PATH...",
        show_default=False,
    ),
]


@app.command("x-archive")
def import_x_archive(
    ctx: typer.Context,
    files: Archives,
    author: Annotated[
        str | None,
        typer.Option(
            help="Handle of the account, when the archive has no data/account.js "
            "(given, it wins over the archive's)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Import an X (Twitter) archive: data/tweets.js, long posts from note-tweet.js."""
    run_import(ctx, files, imports.x_archive_reader(author), as_json)


Author = Annotated[
    str | None,
    typer.Option(help="Handle of the account (this export does not name it)."),
]


@app.command("linkedin-export")
def import_linkedin(
    ctx: typer.Context, files: Archives, author: Author = None, as_json: AsJson = False
) -> None:
    """Import LinkedIn's data export (its zip, folder or Shares.csv): the posts."""
    run_import(ctx, files, imports.linkedin_reader(author), as_json)


@app.command("facebook-export")
def import_facebook(
    ctx: typer.Context, files: Archives, author: Author = None, as_json: AsJson = False
) -> None:
    """Import Facebook's « Download your information » (JSON): your_posts*.json."""
    run_import(ctx, files, imports.facebook_reader(author), as_json)


@app.command("bluesky-car")
def import_bluesky_car(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Repository exports (.car files).", metavar="PATH...", show_default=False
        ),
    ],
    author: Annotated[
        str | None,
        typer.Option(help="Handle of the account (the export knows only its DID)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Import a Bluesky repository export (.car): posts and reposts."""
    run_import(ctx, files, imports.bluesky_car_reader(author), as_json)


@app.command("bluesky-json")
def import_bluesky_json(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files of Bluesky post views: a JSON array, an API answer "
            '({"posts": …} or {"feed": …}) or JSONL.',
            metavar="PATH...",
            show_default=False,
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Import Bluesky post views: API answers (searchPosts, getPosts, feeds), minet, twitwi."""
    run_import(ctx, files, imports.bluesky_json_reader(), as_json)


@app.command("mastodon-archive")
def import_mastodon_archive(
    ctx: typer.Context,
    files: Archives,
    author: Annotated[
        str | None,
        typer.Option(
            help="Handle user@instance, when the archive has no actor.json "
            "(given, it wins over the archive's)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Import a Mastodon archive (zip or tar.gz): outbox.json posts and boosts."""
    run_import(ctx, files, imports.mastodon_archive_reader(author), as_json)
