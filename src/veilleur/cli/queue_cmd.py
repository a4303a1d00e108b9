"""``veilleur queue``: drafts and scheduled posts, publishing accounts, CSV export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich import box
from rich.table import Table

from veilleur import publish
from veilleur.cli.compose_cmd import images_with_alts, read_text_arg
from veilleur.cli.context import err, out, workspace
from veilleur.cli.options import TextFormat, format_option
from veilleur.cli.suggest import Group
from veilleur.i18n import N_, _, t
from veilleur.networks import resolve as resolve_network
from veilleur.publish import EXPORT_LAYOUTS

if TYPE_CHECKING:  # the publish pillar loads httpx: not for `veilleur --help`
    from veilleur.publish import Queue, QueuedPost

app = typer.Typer(
    cls=Group,
    help="Drafts and scheduled posts, the accounts veilleur publishes to, CSV export.",
    no_args_is_help=True,
)
account_app = typer.Typer(
    cls=Group, help="The Mastodon and Bluesky accounts veilleur publishes to.", no_args_is_help=True
)
app.add_typer(account_app, name="account")

PostId = Annotated[int, typer.Argument(help="The post's number (see 'veilleur queue list').")]


STATUS_LABELS = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "in_flight": N_("in_flight"),
    "published": N_("published"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}


def status_label(status: str) -> str:
    """A queue status as the user reads it (the stored value stays English)."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def _queue(ctx: typer.Context) -> Queue:
    return publish.open_queue(workspace(ctx))


def _post_json(post: QueuedPost, queue: Queue) -> dict[str, object]:
    local = queue.local(post)
    return {
        "id": post.id,
        "network": post.network,
        "account": post.account or None,
        "status": post.status,
        "texts": post.texts,
        "scheduled_at": local.isoformat() if local else None,
        "attempts": post.attempts,
        "last_error": post.last_error,
        "remote_ids": post.remote_ids,
        "urls": post.remote_urls,
        "source": post.source,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text, or - to read it from stdin.")],
    network: Annotated[
        str | None,
        typer.Option("--network", "-n", help="Network of a draft without account (x, linkedin…)."),
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="Publishing account (see 'account list').")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="When: ISO date-time (in the account's time zone unless it has an offset), "
            "'now' or 'next' (the next posting time).",
        ),
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="Keep it as a draft; schedule it later.")
    ] = False,
    image: Annotated[
        list[Path] | None, typer.Option("--image", help="An image to attach (repeatable).")
    ] = None,
    alt: Annotated[
        list[str] | None, typer.Option("--alt", help="Alt text of the --image of the same rank.")
    ] = None,
    link: Annotated[str | None, typer.Option("--link", help="A link to share.")] = None,
    thread: Annotated[
        bool, typer.Option("--thread", help="Split a text too long for the network.")
    ] = False,
) -> None:
    """Queue a post rendered for its network (as 'compose' shows it)."""
    ws = workspace(ctx)
    publish.post_network(ws, account, network)  # checked before the text is read
    images = images_with_alts(image or [], alt or [])
    body = read_text_arg(text)
    post = publish.queue_post(
        ws,
        publish.Draft(body, images, link),
        network=network,
        account=account,
        at=at,
        draft_only=draft,
        thread=thread,
    )
    if post is None:
        err.print(t("This post is already in the queue: nothing added."))
        raise typer.Exit(1)
    out.print(
        t(
            "{id} {status} {network} {account}",
            id=post.id,
            status=status_label(post.status),
            network=post.network,
            account=post.account,
        ).rstrip(),
        markup=False,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only draft, scheduled, in_flight, published or failed."),
    ] = None,
    fmt: Annotated[TextFormat, format_option("Output format.")] = TextFormat.text,
) -> None:
    """The queue, in the order posts go out."""
    queue = _queue(ctx)
    posts = queue.posts(status)
    if fmt is TextFormat.json:
        data = [_post_json(p, queue) for p in posts]
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    # Readable at 80 columns: ids, statuses, networks and times are never cut; the text
    # (its first 60 characters), the URL or error fold onto as many lines as they need.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(_("id"), justify="right", no_wrap=True)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("network"), no_wrap=True)
    table.add_column(_("account"), overflow="fold")
    table.add_column(_("when"))
    table.add_column(_("text"), overflow="fold", ratio=3)
    table.add_column(_("url / error"), overflow="fold", ratio=2)
    for p in posts:
        local = queue.local(p)
        when = local.strftime("%Y-%m-%d %H:%M %Z") if local else ""
        first = p.texts[0].replace("\n", " ")
        more = f" (+{len(p.texts) - 1})" if len(p.texts) > 1 else ""
        text = first if len(first) <= 60 else first[:59] + "…"
        table.add_row(
            str(p.id),
            status_label(p.status),
            p.network,
            p.account,
            when,
            text + more,
            p.url or p.last_error or "",
        )
    out.print(table)


@app.command("schedule")
def schedule(
    ctx: typer.Context,
    post_id: PostId,
    at: Annotated[
        str,
        typer.Option(
            "--at",
            help="When: ISO date-time (in the account's time zone unless it has an offset), "
            "'now' or 'next'.",
        ),
    ] = "next",
    account: Annotated[
        str | None, typer.Option("--account", "-a", help="Account, for a draft without one.")
    ] = None,
) -> None:
    """Schedule a draft (or move a scheduled post)."""
    when = publish.schedule_post(workspace(ctx), post_id, at, account)
    out.print(t("{id} scheduled {when}", id=post_id, when=when.isoformat()), markup=False)


@app.command("cancel")
def cancel(ctx: typer.Context, post_id: PostId) -> None:
    """Cancel a draft or a scheduled post."""
    _queue(ctx).cancel(post_id)


@app.command("retry")
def retry(ctx: typer.Context, post_id: PostId) -> None:
    """Try a failed post again at the next 'veilleur publish --due'."""
    _queue(ctx).retry(post_id)


@app.command("export")
def export(
    ctx: typer.Context,
    layout: Annotated[
        str, typer.Option("--layout", help=f"CSV layout: {', '.join(EXPORT_LAYOUTS)}.")
    ] = "hootsuite",
    network: Annotated[
        str | None, typer.Option("--network", "-n", help="Only this network's posts.")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="Time zone of the times written (default: the workspace's publish.timezone).",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
) -> None:
    """Drafts and scheduled posts as a CSV for a scheduler's bulk upload."""
    network = resolve_network(network) if network else None
    text, count = publish.export_queue(workspace(ctx), layout, network=network, timezone=timezone)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(t("{n} posts written to {path}", n=count, path=output), markup=False)


@account_app.command("add")
def account_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name for the account, e.g. asso-mastodon.")],
    network: Annotated[str, typer.Option("--network", "-n", help="mastodon or bluesky.")],
    server: Annotated[
        str | None,
        typer.Option(
            "--server", help="Instance URL (Mastodon) or PDS URL (Bluesky, default bsky.social)."
        ),
    ] = None,
    handle: Annotated[
        str | None, typer.Option("--handle", help="Bluesky handle, e.g. asso.bsky.social.")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret",
            envvar="VEILLEUR_ACCOUNT_SECRET",
            help="Access token (Mastodon) or app password (Bluesky); asked when absent. "
            "Kept in the workspace, never shown.",
        ),
    ] = None,
    times: Annotated[str, typer.Option("--times", help="Posting times, e.g. 09:30,17:00.")] = "",
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="Time zone of the posting times and of --at (default: the workspace's "
            "publish.timezone).",
        ),
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Accept an http:// server (a local test server only)."),
    ] = False,
) -> None:
    """Add (or update) an account veilleur publishes to."""
    if secret is None:
        secret = typer.prompt(_("Access token or app password"), hide_input=True)
    network = resolve_network(network)
    publish.add_account(
        workspace(ctx),
        name,
        network,
        server=server,
        handle=handle,
        secret=secret,
        times=times,
        timezone=timezone,
        insecure=insecure,
    )
    out.print(t("account {name} ({network}) saved", name=name, network=network), markup=False)


@account_app.command("list")
def account_list(ctx: typer.Context) -> None:
    """The publishing accounts (secrets are never shown)."""
    table = Table()
    for column in (_("name"), _("network"), _("server"), _("handle"), _("times"), _("time zone")):
        table.add_column(column)
    for a in _queue(ctx).accounts():
        table.add_row(
            a.name, a.network, a.server or "", a.handle or "", ",".join(a.times), a.timezone
        )
    out.print(table)


@account_app.command("times")
def account_times(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account.")],
    times: Annotated[str, typer.Argument(help="Posting times, e.g. 09:30,12:15,17:00.")],
) -> None:
    """Set an account's posting times ('--at next' picks the next free one)."""
    queue = _queue(ctx)
    queue.set_times(name, [t for t in times.split(",") if t.strip()])
    account = queue.account(name)
    out.print(
        t(
            "{name}: posting times {times} ({zone})",
            name=name,
            times=", ".join(account.times),
            zone=account.timezone,
        ),
        markup=False,
    )
