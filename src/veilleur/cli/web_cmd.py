"""``veilleur serve`` (the web workbench) and ``veilleur user`` (its accounts).

The served workspace is the server's home: its database holds the accounts, and it is
registered in the default organisation the first time. ``veilleur -w DIR user add`` and
``veilleur -w DIR serve`` are all it takes to open DIR in a browser. ``veilleur -w DIR user
workspace OTHER`` serves OTHER from the same server too (a consultant's client workspaces).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from veilleur.cli.context import err, out, workspace
from veilleur.cli.suggest import Group
from veilleur.errors import UsageError
from veilleur.i18n import t

app = typer.Typer(cls=Group, help="Accounts of the web workbench.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError(t("--password-stdin: nothing on standard input"))
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError(
            t("give the password with --password-stdin (standard input is not a terminal)")
        )
    first = getpass.getpass(t("Password: "))
    if getpass.getpass(t("Again: ")) != first:
        raise UsageError(t("the two passwords differ"))
    return first


@app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their login).")],
    role: Annotated[
        str, typer.Option(help="Role in the organisation: viewer, editor, admin or owner.")
    ] = "owner",
    organisation: Annotated[
        str | None,
        typer.Option(help="Organisation (default: the one holding the workspace)."),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
) -> None:
    """Create a user of the workbench served from this workspace (asks the password)."""
    from veilleur import accounts

    ws = workspace(ctx)
    entry = accounts.register_workspace(ws.store, ws.path)
    names = dict(accounts.organisations(ws.store))
    user = accounts.add_user(
        ws.store,
        email,
        _password(password_stdin),
        role,
        organisation or names[entry.organisation_id],
    )
    out.print(
        t(
            "User {email} created ({role}). Open the workbench with: veilleur -w {path} serve",
            email=user.email,
            role=role,
            path=ws.path,
        ),
        markup=False,
    )


@app.command("workspace")
def add_workspace(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The other workspace's folder.")],
    organisation: Annotated[
        str | None,
        typer.Option(help="Organisation holding it (default: the one holding this workspace)."),
    ] = None,
) -> None:
    """Serve another workspace from this one's server (pages /w/NAME/, events /e/NAME/SLUG).

    NAME comes from its folder's name; its event mails link to /e/NAME/SLUG from now on.
    A server already running serves it at once."""
    from veilleur import accounts, events
    from veilleur.workspace import Workspace

    ws = workspace(ctx)
    home = accounts.register_workspace(ws.store, ws.path)
    with Workspace(folder, create=False) as other:
        other.store  # noqa: B018 - a workspace (migrated) before it is registered
        if other.path == ws.path:
            raise UsageError(
                t("{path} is the served workspace itself: its events are at /e/SLUG", path=ws.path)
            )
        names = dict(accounts.organisations(ws.store))
        entry = accounts.register_workspace(
            ws.store, other.path, organisation or names[home.organisation_id]
        )
        # its event mails link to /e/NAME/ from now on, on this server's address
        events.serve_as(other, entry.slug, events.public_base(ws))
        no_address = not events.public_base(other)
    out.print(
        t(
            "Workspace {path} is served as {name}: its pages /w/{name}/, its events' public "
            "pages /e/{name}/SLUG (in organisation {organisation}).",
            path=other.path,
            name=entry.slug,
            organisation=dict(accounts.organisations(ws.store))[entry.organisation_id],
        ),
        markup=False,
    )
    if no_address:  # every sign-up on its pages would be refused: its mails need links
        err.print(
            t(
                "warning: no public address for the links of {name}'s event mails (setting "
                "events.base_url, set neither there nor here): the sign-ups on its event "
                "pages are refused until there is one. Give this server's with  veilleur -w "
                "{home} config set events.base_url https://your.site  then run this command "
                "again, or give {name} its own with  veilleur -w {path} config set "
                "events.base_url https://…",
                name=entry.slug,
                home=ws.path,
                path=other.path,
            ),
            markup=False,
        )


@app.command("password")
def password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The user's e-mail address.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
) -> None:
    """Give a user a new password (their sessions end)."""
    from veilleur import accounts

    user = accounts.reset_password(workspace(ctx).store, email, _password(password_stdin))
    out.print(t("New password set for {email}.", email=user.email), markup=False)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    https_cookies: Annotated[
        bool,
        typer.Option(
            "--https-cookies",
            help="Mark session cookies Secure even over http (behind a proxy ending TLS).",
        ),
    ] = False,
) -> None:
    """Open the web workbench on this workspace (log in with a user of 'veilleur user add')."""
    from veilleur import accounts
    from veilleur.web import serve as run_server

    ws = workspace(ctx)
    accounts.register_workspace(ws.store, ws.path)
    path = ws.path
    ws.close()
    err.print(
        t("The workbench: http://{host}:{port}/ (Ctrl-C to stop)", host=host, port=port),
        markup=False,
    )
    run_server(path, host, port, https_cookies=https_cookies)
