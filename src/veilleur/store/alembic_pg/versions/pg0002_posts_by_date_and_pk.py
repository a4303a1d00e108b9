"""An index of posts on ``(created_at, pk)``: the order of newest-first searches, read
backwards. A search's walk of the date index (``PgSearch._newest``) then reads the next
posts' keys from the index alone (index-only: no visit of the posts' rows, which are in
insertion order, not in date order), and tests only their ``tsvector``. The index on
``created_at`` alone gives the same order only after fetching each row for its ``pk``.

Revision ID: pg0002
Revises: pg0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "pg0002"
down_revision: str | None = "pg0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS posts_created_pk ON posts (created_at, pk)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS posts_created_pk")
