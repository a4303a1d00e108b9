"""The ``veilleur`` command: one sub-command group per module, each a thin layer on the API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import click
import typer
import typer.core

from veilleur import __version__
from veilleur.cli import (
    advise_cmd,
    alert_cmd,
    audit_cmd,
    collect_cmd,
    compose_cmd,
    config_cmd,
    demo_cmd,
    digest_cmd,
    events_cmd,
    import_cmd,
    jobs_cmd,
    maintenance_cmd,
    publish_cmd,
    queue_cmd,
    relay_cmd,
    search_cmd,
    share_cmd,
    source_cmd,
    stats_cmd,
    text_cmd,
    watch_cmd,
    web_cmd,
)
from veilleur.cli.context import err, out, state
from veilleur.cli.suggest import Group
from veilleur.errors import VeilleurError
from veilleur.i18n import gettext, install_click, t

# Plain help (rich_markup_mode=None below) keeps `--help` and docs/cli.md plain text; typer
# would still escape "[required]" for rich as "\[required]", so tell it rich is absent.
typer.core.HAS_RICH = False
# click's own words ("Usage:", "Show this message and exit.") come from our catalogue.
install_click()

app = typer.Typer(
    cls=Group,
    name="veilleur",
    help=(
        "veilleur — advise, audit, publish and keep a watch on social networks. "
        "«\u00a0Quel réseau\u00a0? Pour en faire quoi\u00a0?\u00a0»"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"veilleur {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="VEILLEUR_WORKSPACE",
            help="Workspace folder, made by 'veilleur init' (default: the user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Global options."""
    state(ctx).workspace_path = workspace
    ctx.call_on_close(state(ctx).close)


def init(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Folder of the workspace (default: --workspace, VEILLEUR_WORKSPACE or the "
            "user data folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a workspace: its folder and database. Other commands need one (demo makes its own)."""
    from veilleur.workspace import init_workspace

    workspace, is_new = init_workspace(directory or state(ctx).workspace_path)
    workspace.close()
    if is_new:
        out.print(t("Workspace created: {path}", path=workspace.path), markup=False)
    else:
        out.print(t("Workspace already there: {path}", path=workspace.path), markup=False)


app.command("init")(init)
app.add_typer(import_cmd.app, name="import")
app.add_typer(config_cmd.app, name="config")
app.command("search")(search_cmd.search)
app.command("stats")(stats_cmd.stats)
app.command("demo")(demo_cmd.demo)
app.command("compose")(compose_cmd.compose_command)
app.command("share")(share_cmd.share)
app.add_typer(queue_cmd.app, name="queue")
app.command("publish")(publish_cmd.publish)
app.add_typer(relay_cmd.app, name="relay")
app.add_typer(source_cmd.app, name="source")
app.command("collect")(collect_cmd.collect)
app.command("run")(collect_cmd.run)
app.command("worker")(jobs_cmd.worker)
app.command("scheduler")(jobs_cmd.scheduler)
app.add_typer(audit_cmd.app, name="audit")
app.command("advise")(advise_cmd.advise)
app.command("handout")(advise_cmd.handout)
app.command("digest")(digest_cmd.digest)
app.add_typer(alert_cmd.app, name="alert")
app.add_typer(text_cmd.app, name="text")
app.add_typer(watch_cmd.app, name="watch")
app.add_typer(events_cmd.app, name="event")
app.command("backup")(maintenance_cmd.backup)
app.command("doctor")(maintenance_cmd.doctor)
app.command("relang")(maintenance_cmd.relang)
app.command("reindex")(maintenance_cmd.reindex)
app.command("migrate")(maintenance_cmd.migrate)
app.command("copy")(maintenance_cmd.copy)
app.command("serve")(web_cmd.serve)
app.add_typer(web_cmd.app, name="user")


def translate_help(command: click.Command) -> click.Command:
    """The command tree with every help text in the current language (msgids: the English
    texts written in the code, extracted by ``make messages`` from the same tree)."""
    for name in ("help", "short_help", "epilog"):
        text = getattr(command, name, None)
        if text:
            setattr(command, name, gettext(text))
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = gettext(text)  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            translate_help(sub)
    return command


def execute(args: list[str] | None = None) -> int:
    """Run the command line and return its exit status, never raising for user errors.

    Statuses: 0 done, 1 done but some input was rejected, 2 the command could not run as
    asked (usage or unreadable input), 130 interrupted.
    """
    try:
        # Without standalone mode click returns the status of typer.Exit instead of exiting.
        command = translate_help(typer.main.get_command(app))
        status = command.main(args=args, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except click.exceptions.Abort:
        err.print(t("Interrupted. Everything saved so far is kept; run again to finish."))
        return 130
    except VeilleurError as exc:
        err.print(f"veilleur: {t('error')}: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err.print(t("Interrupted. Everything saved so far is kept; run again to finish."))
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a storage failure met mid-command (disk full, locked…)
        from veilleur.store import storage_error

        storage = storage_error(exc)
        if storage is None:
            raise
        err.print(f"veilleur: {t('error')}: {storage}", markup=False)
        return storage.exit_code
    if status == 130:  # typer turns Ctrl-C into a silent exit 130: say what it means
        err.print(t("Interrupted. Everything saved so far is kept; run again to finish."))
    return status if isinstance(status, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(execute())


if __name__ == "__main__":
    run()
