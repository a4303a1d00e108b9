"""The publishing journal: one row per try at publishing a queued post (when, what came of
it, the network's ids and links, or the error), shown by the web workbench's queue.

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "publish_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("remote_ids", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("remote_urls", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("next_attempt_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("publish_attempts_post", "publish_attempts", ["post_id", "at"])


def downgrade() -> None:
    op.drop_index("publish_attempts_post", table_name="publish_attempts")
    op.drop_table("publish_attempts")
