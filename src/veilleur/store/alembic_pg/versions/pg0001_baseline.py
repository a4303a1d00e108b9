"""PostgreSQL baseline: every table of the schema at SQLite's revision 0004, the search
index (``posts_search``: a ``tsvector`` per post, GIN) and, when the server has the
``unaccent`` extension, the text search configurations ``veilleur_fr`` and ``veilleur_en``
(unaccent then the French/English Snowball stemmer) for hand-written queries.

The tables come from the same SQLAlchemy declarations as SQLite's
(:func:`veilleur.store.postgres.pg_metadata`: integers as ``bigint``, as SQLite's are 64-bit;
``lower(author)`` instead of SQLite's ``COLLATE NOCASE`` index).

Revision ID: pg0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "pg0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    from veilleur.store.postgres import create_search_configs, pg_metadata

    bind = op.get_bind()
    pg_metadata().create_all(bind)
    op.execute("CREATE INDEX posts_author_lower ON posts (lower(author))")
    op.execute(
        "CREATE TABLE posts_search (pk bigint PRIMARY KEY REFERENCES posts (pk) "
        "ON DELETE CASCADE, terms tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX posts_search_terms ON posts_search USING gin (terms)")
    create_search_configs(bind)


def downgrade() -> None:
    raise NotImplementedError("the baseline is not undone")
