"""``veilleur event``: workshops with limited seats and live-tweeted conferences."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table
from rich.text import Text

from veilleur import events
from veilleur.cli.context import err, out, workspace
from veilleur.cli.options import format_option, output_option
from veilleur.cli.output import write_file
from veilleur.cli.progress import late_progress
from veilleur.cli.suggest import Group
from veilleur.errors import UsageError
from veilleur.i18n import _, t
from veilleur.report.safety import strip_controls

app = typer.Typer(
    cls=Group,
    help="Events: a workshop with limited seats (sign-up, waitlist, mails, reminders), its "
    "attendees, the live-tweet kit and the recap.",
    no_args_is_help=True,
)


class AttendeeFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


Slug = Annotated[str, typer.Argument(help="The event's short name (atelier-twitter-lyon).")]


def _show(event: events.Event, seats: events.Seats) -> None:
    local_start, local_end = event.local_start, event.local_end
    rows = [
        (_("title"), event.title),
        (_("start"), f"{local_start:%Y-%m-%d %H:%M} ({event.timezone})"),
        (_("end"), f"{local_end:%Y-%m-%d %H:%M}"),
        (_("location"), event.location or ""),
        (_("hashtag"), event.hashtag or ""),
        (_("status"), _(event.status)),
        (
            _("seats"),
            t(
                "{taken}/{capacity} taken, {left} left",
                taken=seats.taken,
                capacity=seats.capacity,
                left=seats.left,
            ),
        ),
        (_("waiting list"), str(seats.waiting)),
    ]
    if event.description:
        rows.append((_("description"), event.description))
    for label, value in rows:
        out.print(f"{label}: {strip_controls(value)}", markup=False)


@app.command("add")
def add(
    ctx: typer.Context,
    slug: Slug,
    title: Annotated[str, typer.Option(help="The event's title.")],
    start: Annotated[str, typer.Option(help="Start, local time: 2027-03-15T14:00.")],
    end: Annotated[str, typer.Option(help="End, local time: 2027-03-15T17:00.")],
    capacity: Annotated[int, typer.Option(help="Number of seats.")],
    timezone: Annotated[
        str, typer.Option("--timezone", help="Time zone of --start and --end.")
    ] = "Europe/Paris",
    location: Annotated[str | None, typer.Option(help="Where it takes place.")] = None,
    hashtag: Annotated[str | None, typer.Option(help="The event's hashtag.")] = None,
    description: Annotated[
        str | None, typer.Option(help="Practical details (sent in the mails).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Language of its pages: fr or en (default: report.lang).")
    ] = None,
) -> None:
    """Create an event of the workspace."""
    ws = workspace(ctx)
    spec = events.EventSpec(
        title=title, start=start, end=end, timezone=timezone, location=location,
        capacity=capacity, hashtag=hashtag, description=description, lang=lang,
    )  # fmt: skip
    event = events.add_event(ws, slug, spec)
    err.print(t("event '{slug}' created", slug=event.slug), markup=False)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the events with their seats."""
    store = workspace(ctx).store
    table = Table(_("event"), _("title"), _("start"), _("seats"), _("waiting list"), _("status"))
    for event in events.list_events(store):
        seats = events.seats_left(store, event.slug)
        table.add_row(
            Text(event.slug),
            Text(strip_controls(event.title)),
            f"{event.local_start:%Y-%m-%d %H:%M}",
            f"{seats.taken}/{seats.capacity}",
            str(seats.waiting),
            _(event.status),
        )
    out.print(table)


@app.command("show")
def show(ctx: typer.Context, slug: Slug) -> None:
    """Show an event and its seats."""
    store = workspace(ctx).store
    _show(events.get_event(store, slug), events.seats_left(store, slug))


@app.command("edit")
def edit(
    ctx: typer.Context,
    slug: Slug,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    start: Annotated[str | None, typer.Option(help="New start, local time.")] = None,
    end: Annotated[str | None, typer.Option(help="New end, local time.")] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="New time zone.")] = None,
    capacity: Annotated[
        int | None, typer.Option(help="New number of seats (more seats go to the waiting list).")
    ] = None,
    location: Annotated[str | None, typer.Option(help="New location.")] = None,
    hashtag: Annotated[str | None, typer.Option(help="New hashtag.")] = None,
    description: Annotated[str | None, typer.Option(help="New practical details.")] = None,
) -> None:
    """Change an event."""
    ws = workspace(ctx)
    spec = events.EventSpec(
        title=title, start=start, end=end, timezone=timezone, location=location,
        capacity=capacity, hashtag=hashtag, description=description,
    )  # fmt: skip
    event = events.edit_event(ws, slug, spec)
    _show(event, events.seats_left(ws.store, slug))


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    slug: Slug,
    email: Annotated[
        str | None,
        typer.Option("--email", help="Cancel this person's registration instead of the event."),
    ] = None,
) -> None:
    """Cancel the event (everyone registered is told), or one person's registration."""
    ws = workspace(ctx)
    if email:
        person = events.cancel_registration(ws, slug, email)
        err.print(t("registration of {name} cancelled", name=person.name), markup=False)
        return
    event = events.cancel_event(ws, slug)
    err.print(t("event '{slug}' cancelled", slug=event.slug), markup=False)


@app.command("attendees")
def attendees(
    ctx: typer.Context,
    slug: Slug,
    fmt: Annotated[AttendeeFormat, format_option("table, csv or json.")] = AttendeeFormat.table,
) -> None:
    """List the people of an event: confirmed, waitlisted, cancelled, attended."""
    store = workspace(ctx).store
    event, people = events.attendees(store, slug)
    figures = events.attendance(store, slug)
    if fmt is AttendeeFormat.csv:
        out.print(events.attendees_csv(people), markup=False, end="")
        return
    if fmt is AttendeeFormat.json:
        out.print(events.attendees_json(event, people, figures), markup=False)
        return
    table = Table("#", _("status"), _("name"), _("e-mail"), _("organisation"), _("coming"))
    table.columns[-1].no_wrap = True  # « je viens »: when, in the event's time zone
    for person in people:
        status = _(events.STATUSES.get(person.status, person.status))
        if person.status in ("waitlisted", "offered") and person.position:
            status += f" ({person.position})"
        table.add_row(
            str(person.id), status, Text(strip_controls(person.name)),
            Text(strip_controls(person.email)), Text(strip_controls(person.organisation or "")),
            f"{person.coming_at.astimezone(event.zone):%Y-%m-%d %H:%M}" if person.coming_at else "",
        )  # fmt: skip
    out.print(table)
    err.print(figures.summary(), markup=False)


class SheetFormat(StrEnum):
    pdf = "pdf"
    html = "html"


@app.command("check-in-list")
def check_in_list(
    ctx: typer.Context,
    slug: Slug,
    fmt: Annotated[SheetFormat, format_option("pdf or html.")] = SheetFormat.pdf,
    output: Annotated[
        Path | None,
        output_option("Write to this file. Default: checkin-SLUG.pdf (pdf), standard output."),
    ] = None,
) -> None:
    """Print the check-in list: those holding a seat, by name, a box to tick, a column to sign."""
    store = workspace(ctx).store
    if fmt is SheetFormat.pdf:
        target = output or Path(f"checkin-{slug}.pdf")
        _write_pdf(lambda path: events.checkin_pdf(store, slug, path), target)
    else:
        _write(events.checkin_html(store, slug), output)


@app.command("check-in")
def check_in(
    ctx: typer.Context,
    slug: Slug,
    who: Annotated[str, typer.Argument(help="The person's e-mail or registration number.")],
    undo: Annotated[bool, typer.Option("--undo", help="Not present after all.")] = False,
) -> None:
    """Mark a person present on the day."""
    person = events.check_in(workspace(ctx), slug, who, present=not undo)
    err.print(
        t("{name}: {status}", name=person.name, status=_(events.STATUSES[person.status])),
        markup=False,
    )


@app.command("forget")
def forget(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
) -> None:
    """Anonymise every registration of a person now (their request); a seat held is freed."""
    count = events.forget_person(workspace(ctx), email)
    err.print(t("{count} registrations anonymised", count=count), markup=False)


@app.command("export")
def export(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The person's e-mail address.")],
    output: Annotated[Path | None, output_option("Write to this file.")] = None,
) -> None:
    """Export everything kept about a person (JSON)."""
    data = events.export_person(workspace(ctx), email)
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"
    _write(text, output)


@app.command("mails")
def mails(ctx: typer.Context) -> None:
    """Send the event mails still owed (the loop of 'veilleur run' does it too)."""
    report = events.run_step(workspace(ctx))
    delivery = report.delivery
    if delivery.missing:
        err.print(
            t("{count} mails wait: {problem}", count=delivery.waiting, problem=delivery.missing),
            markup=False,
        )
        raise typer.Exit(1)
    err.print(
        t("{sent} mails sent, {failed} failed", sent=delivery.sent, failed=delivery.failed),
        markup=False,
    )
    for line in delivery.errors or []:
        err.print(f"  {line}", markup=False)
    if delivery.failed:
        raise typer.Exit(1)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        out.print(text, markup=False, end="", soft_wrap=True)
    else:
        write_file(text, output)


class KitFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


class RecapFormat(StrEnum):
    html = "html"
    md = "md"
    pdf = "pdf"
    json = "json"


def _write_pdf(write: Callable[[Path], None], output: Path) -> None:
    """Write a PDF through the pillar (WeasyPrint takes a few seconds), then name the file."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with late_progress(t("Writing the report")):
            write(output)
    except OSError as exc:
        raise UsageError(
            t("cannot write {path}: {reason}", path=output, reason=exc.strerror or exc)
        ) from None
    err.print(f"{output}", markup=False)


@app.command("kit")
def kit(
    ctx: typer.Context,
    slug: Slug,
    program: Annotated[
        Path,
        typer.Option(
            "--program",
            help="The programme: CSV with title,start,end,speakers (titre,début,fin,"
            "intervenants); speakers separated by ';'.",
        ),
    ],
    networks: Annotated[
        str, typer.Option(help="Networks to prepare posts for, comma-separated.")
    ] = "x,mastodon,bluesky,linkedin",
    fmt: Annotated[KitFormat, format_option("html (printable), pdf or json.")] = KitFormat.html,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue", help="Also queue each session's announcement as a draft at its time."
        ),
    ] = False,
    output: Annotated[
        Path | None, output_option("Write to this file. Default for pdf: kit-SLUG.pdf.")
    ] = None,
) -> None:
    """Prepare the live-tweet kit: posts per session and network, with mentions and counts."""
    ws = workspace(ctx)
    result = events.build_kit(ws, slug, program, networks, queue=queue)
    if fmt is KitFormat.pdf:
        _write_pdf(lambda path: events.kit_pdf(result, path), output or Path(f"kit-{slug}.pdf"))
    else:
        text = events.kit_json(result) if fmt is KitFormat.json else events.kit_html(result)
        _write(text, output)
    if queue:
        err.print(t("{count} drafts queued", count=result.queued), markup=False)


@app.command("recap")
def recap(
    ctx: typer.Context,
    slug: Slug,
    fmt: Annotated[RecapFormat, format_option("html, md, pdf or json.")] = RecapFormat.html,
    networks: Annotated[
        str, typer.Option(help="Networks of the thank-you post, comma-separated.")
    ] = "x,mastodon,bluesky,linkedin",
    output: Annotated[
        Path | None, output_option("Write to this file. Default for pdf: recap-SLUG.pdf.")
    ] = None,
) -> None:
    """Write an event's recap: what was said, top posts and accounts, attendance.

    Stories of the hashtag (near-duplicates grouped), counts per network and per hour, and
    a thank-you post per network."""
    result = events.build_recap(workspace(ctx), slug, networks=networks)
    if fmt is RecapFormat.pdf:
        _write_pdf(lambda path: events.recap_pdf(result, path), output or Path(f"recap-{slug}.pdf"))
        return
    if fmt is RecapFormat.json:
        text = events.recap_json(result)
    elif fmt is RecapFormat.md:
        text = events.recap_markdown(result)
    else:
        text = events.recap_html(result)
    _write(text, output)
