"""Alembic's environment for the workspace database (see :mod:`veilleur.store.migrations`).

The connection comes from :func:`veilleur.store.migrations.config`; every revision runs in
its own transaction (``BEGIN IMMEDIATE`` on SQLite).
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
applied: list[str] | None = config.attributes.get("applied")


def _record(ctx: object, step: object, heads: object, run_args: object) -> None:
    if applied is not None:
        applied.extend(getattr(step, "up_revision_ids", ()))


context.configure(
    connection=connection,
    target_metadata=config.attributes.get("metadata"),
    transactional_ddl=True,
    transaction_per_migration=True,
    render_as_batch=True,  # SQLite alters tables by copying them
    on_version_apply=_record,
)
with context.begin_transaction():
    context.run_migrations()
