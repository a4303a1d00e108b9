"""Baseline: schema 6, as the hand-written migrations of earlier releases built it.

On a new database it builds posts, settings, watches, sources, the watch's tables, publish's
tables and the full-text index (migrations 1 to 6 of :mod:`veilleur.store.legacy`); on a
database of an earlier release it runs only the steps it lacks, keeping every row, and on one
at schema 6 it changes nothing. Each legacy step commits on its own, as it always did.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from veilleur.store import legacy
from veilleur.store.engine import driver

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        legacy.migrate(driver(op.get_bind()))


def downgrade() -> None:
    raise NotImplementedError("the baseline cannot be undone: schema 6 is where veilleur starts")
