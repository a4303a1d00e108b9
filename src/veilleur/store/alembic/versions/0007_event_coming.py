"""Events: « je viens » — when a person answered the D-2 reminder that they are coming.

``event_registrations.coming_at`` is the moment of the first click on the reminder's
« je viens » link (NULL: not answered); ``veilleur event attendees`` shows it.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("event_registrations", sa.Column("coming_at", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_registrations") as batch:
        batch.drop_column("coming_at")
