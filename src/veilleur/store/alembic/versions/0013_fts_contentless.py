"""Contentless search index (issue 19): ``posts_fts`` keeps its index (terms, positions,
column sizes) but no longer a copy of its 11 column values (``content = ''``): they are
what the indexing path makes of each post's ``text``, ``title`` and ``lang``, which
``posts`` holds. A proximity analyses its candidates again, a post whose language changes
has its old row deleted with its old values, a rebuild empties the table with FTS5's
``'delete-all'`` (see ``search_sqlite.CREATE_FTS``).

The revision drops ``posts_fts``, creates it again (``search_sqlite.CREATE_FTS``) and
indexes every post (``search_sqlite.rebuild``: the keys and the words table are made
again as the posts are indexed), reporting its progress through
:func:`veilleur.store.migrations.report`, in one transaction: an interruption leaves the
workspace at 0012 with its old index. An upgrade from before 0012 (or 0011) runs them in the
same transaction as this one, and this one alone fills the index (their layouts are left
empty: :func:`veilleur.store.migrations.fills_index`): an interruption then leaves the
workspace before them, with its old index. The downgrade builds the index of 0012 again.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib

from alembic import op

from veilleur.store import migrations, search_sqlite
from veilleur.store.engine import driver

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None
rebuilds_index = True


def upgrade() -> None:
    conn = driver(op.get_bind())
    conn.execute("DROP TABLE IF EXISTS posts_fts")
    conn.execute(search_sqlite.CREATE_FTS)
    if not migrations.fills_index(op.get_context(), revision):
        return  # a later revision of this upgrade fills it
    total = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        migrations.report("fts", done, total)

    search_sqlite.rebuild(conn, advance)


def downgrade() -> None:
    previous = importlib.import_module("veilleur.store.alembic.versions.0012_fts_compact_keys")
    previous.build(driver(op.get_bind()))
