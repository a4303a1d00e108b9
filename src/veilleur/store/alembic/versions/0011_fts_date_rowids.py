"""Search index in date order (issue 19): the rowid of a post's ``posts_fts`` row is
:func:`veilleur.store.search_sqlite.index_key` (its date in seconds, then its ``pk``, both
negated: ascending rowids go newest first), no longer its ``pk``, so that a search newest
first reads the index in rowid order and stops at its limit.

The revision drops ``posts_fts``, creates it again (``search_sqlite.CREATE_FTS``) and indexes
every post (``search_sqlite.rebuild``), reporting its progress through
:func:`veilleur.store.migrations.report`. It runs in one transaction: an interruption leaves
the workspace at 0004 with its old index, and the next opening starts again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from veilleur.store import migrations, search_sqlite
from veilleur.store.engine import driver

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def _rebuild(with_keys: bool) -> None:
    conn = driver(op.get_bind())
    total = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    conn.execute("DROP TABLE IF EXISTS posts_fts")
    conn.execute(search_sqlite.CREATE_FTS)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        migrations.report("fts", done, total)

    if with_keys:
        search_sqlite.rebuild(conn, advance)
        return
    # Back to rowid = pk (the layout of 0004).
    rows = search_sqlite.index_rows(
        conn.execute("SELECT pk, created_at, text, title, lang FROM posts ORDER BY pk")
    )
    conn.executemany(
        search_sqlite.INSERT_FTS, [(search_sqlite.key_pk(key), *rest) for key, *rest in rows]
    )
    advance(len(rows))


def upgrade() -> None:
    _rebuild(with_keys=True)


def downgrade() -> None:
    _rebuild(with_keys=False)
