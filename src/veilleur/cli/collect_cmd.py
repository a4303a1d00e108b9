"""``veilleur collect`` (one pass over the due sources) and ``veilleur run`` (the daemon)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.table import Table

from veilleur import sources, watch
from veilleur.cli.context import err, out, workspace
from veilleur.cli.options import AsJson
from veilleur.cli.progress import late_progress
from veilleur.i18n import N_, _, t
from veilleur.model import utcnow

if TYPE_CHECKING:  # loading them loads httpx: not for `veilleur --help`
    from veilleur.sources import CollectReport, SourceReport

# A source's status as a person reads it (the JSON summary keeps the English value).
STATUS_LABELS = {
    "ok": N_("ok"),
    "not-modified": N_("not modified"),
    "error": N_("error"),
    "skipped": N_("skipped"),
}


def print_report(report: CollectReport, as_json: bool) -> None:
    if as_json:
        out.print(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode(), markup=False)
        return
    shown = [s for s in report.sources if s.status != "not-modified" or s.new]
    if shown:
        table = Table()
        table.add_column(_("source"))
        table.add_column(_("status"))
        table.add_column(_("new"), justify="right")
        table.add_column(_("error"))
        for s in shown:
            table.add_row(
                s.name,
                _(STATUS_LABELS[s.status]) if s.status in STATUS_LABELS else s.status,
                str(s.new),
                s.error or s.warning or "",
            )
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
            print_report(sources.CollectReport(), as_json)
        return
    with late_progress(t("Collecting"), total=len(records)) as bar:

        def progress(item: SourceReport) -> None:
            bar.advance(1, description=item.name[:30])

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
    """Collect, publish and check the alerts on schedule, in one process, until stopped.

    SIGTERM or Ctrl-C finish the batch in hand. Each turn also sends the events' reminders and
    mails and anonymises the registrations of past events. With a broker, veilleur scheduler
    and veilleur worker share the collection, publishing, alerts and event mails instead."""
    from veilleur import jobs

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

    cycles = jobs.run_embedded(ws, tick=tick, on_cycle=on_cycle)
    err.print(t("Stop requested: the batch in hand was finished, {cycles} cycles.", cycles=cycles))
