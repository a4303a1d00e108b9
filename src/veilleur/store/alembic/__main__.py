"""Write and inspect revisions: ``python -m veilleur.store.alembic --help`` (see
:mod:`veilleur.store.migrations`)."""

from __future__ import annotations

import argparse

from alembic import command

from veilleur.store import engine as engines
from veilleur.store import migrations
from veilleur.store.schema import load_all


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m veilleur.store.alembic")
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="write a new revision file")
    revision.add_argument("message")
    revision.add_argument("--autogenerate", metavar="DB", help="database file at head")
    shown = sub.add_parser("current", help="print a database's revision")
    shown.add_argument("db")
    args = parser.parse_args(argv)
    if args.command == "current":
        eng = engines.create(args.db)
        with eng.connect() as connection:
            print(migrations.current(connection) or "none")
        eng.dispose()
        return
    if args.autogenerate is None:
        command.revision(migrations.config(), message=args.message)
        return
    eng = engines.create(args.autogenerate)
    with eng.connect() as connection:
        cfg = migrations.config(connection, metadata=load_all())
        command.revision(cfg, message=args.message, autogenerate=True)
    eng.dispose()


if __name__ == "__main__":
    main()
