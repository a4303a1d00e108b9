"""Effective language: ``posts.lang`` becomes the language the text is in, the declared one
is kept in ``lang_declared``, and ``lang_source`` says which was used.

The revision only makes room: every existing post keeps its ``lang`` (now also its
``lang_declared``) and is left unresolved (``lang_source`` NULL, listed by the partial index
``posts_lang_pending``). ``veilleur relang`` computes the effective languages and updates the
search index; the workspace says so when it is opened (docs/internals/text.md).

Revision ID: 0003
Revises: 0003_harden
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0003_harden"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("posts", sa.Column("lang_declared", sa.Text(), nullable=True))
    op.add_column("posts", sa.Column("lang_source", sa.Text(), nullable=True))
    op.execute("UPDATE posts SET lang_declared = lang")
    op.create_index(
        "posts_lang_pending",
        "posts",
        ["pk"],
        sqlite_where=sa.text("lang_source IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("posts_lang_pending", table_name="posts")
    # The declared language goes back where release 0002 kept it.
    op.execute("UPDATE posts SET lang = lang_declared WHERE lang_source IS NOT NULL")
    op.drop_column("posts", "lang_source")
    op.drop_column("posts", "lang_declared")
