"""Alembic's environment for a workspace kept in PostgreSQL (see
:mod:`veilleur.store.migrations`): the chain of ``versions/`` here starts at its own
baseline (``pg0001``, every table of today's schema), not at SQLite's legacy ladder. Every
revision runs in its own transaction (PostgreSQL's DDL is transactional)."""

from __future__ import annotations

from alembic import context


def run() -> None:
    config = context.config
    connection = config.attributes["connection"]
    applied: list[str] | None = config.attributes.get("applied")

    def record(ctx: object, step: object, heads: object, run_args: object) -> None:
        if applied is not None:
            applied.extend(getattr(step, "up_revision_ids", ()))

    context.configure(
        connection=connection,
        target_metadata=config.attributes.get("metadata"),
        transactional_ddl=True,
        transaction_per_migration=True,
        on_version_apply=record,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):
    run()
