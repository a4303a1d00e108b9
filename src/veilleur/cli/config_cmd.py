"""``veilleur config``: the workspace's settings."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from veilleur import settings
from veilleur.cli.context import out, workspace
from veilleur.cli.suggest import Group
from veilleur.errors import UsageError
from veilleur.i18n import _, t

app = typer.Typer(cls=Group, help="Read and change the workspace's settings.", no_args_is_help=True)

Key = Annotated[str, typer.Argument(help="Setting name, e.g. smtp.host.")]


@app.command("get")
def get(ctx: typer.Context, key: Key) -> None:
    """Print one setting's value (its default when not set)."""
    out.print(workspace(ctx).setting_shown(key), markup=False)


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Key,
    value: Annotated[
        str | None,
        typer.Argument(help="New value (a secret, left out, is asked without echo)."),
    ] = None,
) -> None:
    """Change one setting; the value is checked before it is saved."""
    if value is None:
        if not settings.lookup(key).secret:
            raise UsageError(t("config set {key} needs a value", key=key))
        value = str(typer.prompt(t("Value of {key}", key=key), hide_input=True))
    canonical = workspace(ctx).set_setting(key, value)
    out.print(f"{key} = {settings.shown(key, canonical)}", markup=False)


@app.command("unset")
def unset(ctx: typer.Context, key: Key) -> None:
    """Go back to a setting's default."""
    settings.lookup(key)
    workspace(ctx).set_setting(key, None)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Every setting, its value and what it is for."""
    ws = workspace(ctx)
    table = Table()
    for column in (_("key"), _("value"), _("meaning")):
        table.add_column(column)
    for key in sorted(settings.SETTINGS):
        table.add_row(key, ws.setting_shown(key), _(settings.SETTINGS[key].help))
    out.print(table)
