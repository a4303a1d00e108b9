"""``veilleur collect`` (one pass over the due sources) and ``veilleur run`` (the daemon)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from veilleur import sources, watch
from veilleur.cli.context import err, out, progress_wanted, workspace
from veilleur.cli.options import AsJson
from veilleur.i18n import t
from veilleur.model import utcnow
from veilleur.sources import CollectReport, SourceReport


def print_report(report: CollectReport, as_json: bool) -> None:
    if as_json:
        out.print(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode(), markup=False)
        return
    shown = [s for s in report.sources if s.status != "not-modified" or s.new]
    if shown:
        table = Table()
        for column in ("source", "status", "new", "error"):
            table.add_column(column, justify="right" if column == "new" else "left")
        for s in shown:
            table.add_row(s.name, s.status, str(s.new), s.error or s.warning or "")
        out.print(table)
    unchanged = sum(1 for s in report.sources if s.status == "not-modified")
    out.print(
        t(
            "{sources} sources: {new} new posts, {unchanged} unchanged, {failed} failed.",
            sources=len(report.sources),
            new=report.new,
            unchanged=unchanged,
            failed=len(report.failed),
        )
    )


def collect(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Sources to collect (default: every source that is due)."),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Collect every enabled source, due or not.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Collect the due sources once, concurrently; exit 1 if some source failed."""
    ws = workspace(ctx)
    records = sources.select_sources(ws, names, every=every)
    if not records:
        err.print(t("No source is due now (--all collects every source)."))
        if as_json:
            print_report(CollectReport(), as_json)
        return
    with ExitStack() as stack:
        progress = None
        if progress_wanted():
            bar = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    console=err,
                    transient=True,
                )
            )
            task = bar.add_task("collect", total=len(records))

            def progress(item: SourceReport) -> None:
                bar.update(task, advance=1, description=item.name[:30])

        report = watch.collect(ws, records, progress)
    print_report(report, as_json)
    if report.failed:
        raise typer.Exit(1)


def run(
    ctx: typer.Context,
    tick: Annotated[
        float,
        typer.Option(min=1.0, help="Longest sleep between two checks for due sources, in seconds."),
    ] = 60.0,
) -> None:
    """Collect on schedule until stopped (SIGTERM or Ctrl-C finish the batch in hand)."""
    ws = workspace(ctx)

    def on_cycle(report: CollectReport) -> None:
        stamp = utcnow().strftime("%Y-%m-%d %H:%M:%S")
        unchanged = sum(1 for s in report.sources if s.status == "not-modified")
        line = t(
            "{sources} sources: {new} new posts, {unchanged} unchanged, {failed} failed.",
            sources=len(report.sources),
            new=report.new,
            unchanged=unchanged,
            failed=len(report.failed),
        )
        err.print(f"{stamp} {line}", markup=False)
        for failure in report.failed:
            err.print(f"  {failure.name}: {failure.error}", markup=False)

    cycles = watch.run_collector(ws, tick=tick, on_cycle=on_cycle)
    err.print(t("Stop requested: the batch in hand was finished, {cycles} cycles.", cycles=cycles))
