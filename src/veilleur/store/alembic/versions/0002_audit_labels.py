"""Audit labels: a consultant's verdict on a post, which every later audit report uses.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_labels",
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("labelled_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("network", "post_id"),
    )


def downgrade() -> None:
    op.drop_table("audit_labels")
