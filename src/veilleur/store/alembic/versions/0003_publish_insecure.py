"""Publishing accounts remember that they were added with --insecure (issue 14).

An account whose server is ``http://`` was accepted because the user said ``--insecure``
(a local test server). Publishing checks the scheme again and refuses ``http://`` for an
account without the mark: a row written by hand or by an older release cannot send a
token in clear. Existing ``http://`` accounts (only ever accepted with ``--insecure``) are
marked.

Revision ID: 0003_harden
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_harden"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("publish_accounts") as batch:
        batch.add_column(
            sa.Column("insecure", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.execute("UPDATE publish_accounts SET insecure = 1 WHERE lower(server) LIKE 'http://%'")


def downgrade() -> None:
    with op.batch_alter_table("publish_accounts") as batch:
        batch.drop_column("insecure")
