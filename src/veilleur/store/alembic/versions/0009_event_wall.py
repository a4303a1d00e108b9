"""Events: the live wall's moderation — posts hidden or pinned by an editor, and the option
to show only the posts of registered attendees.

``event_wall_posts``: one row per post an editor acted on for an event (``hidden`` or
``pinned``, by whom, when); ``event_wall_options``: one row per event whose wall shows
registered attendees' posts only (troll-safe).

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "event_wall_posts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("by", sa.Text(), nullable=True),
        sa.Column("at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "network", "post_id"),
    )
    op.create_table(
        "event_wall_options",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("attendees_only", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
    )


def downgrade() -> None:
    op.drop_table("event_wall_options")
    op.drop_table("event_wall_posts")
