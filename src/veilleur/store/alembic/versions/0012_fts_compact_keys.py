"""Compact index keys (issue 19): a post's ``posts_fts`` rowid is its second's range of
``search_sqlite.KEY_SLOTS`` keys then a counter within it (``search_sqlite.assign_keys``),
no longer ``seconds << 30`` with the ``pk`` in the low bits: the rowid deltas FTS5 stores
in its doclists shrink from six bytes to two or three. Which post a key is goes in a new
table, ``posts_fts_key`` (``key`` → ``pk``, and an index on ``pk``).

The index keeps the prefix indexes of 3 and 4 characters (``prefix = '3 4'``; ``'2 3 4'``
on all 11 columns was 40 % of it): another prefix that starts few words is expanded into
them, read from a new table of the word columns' words, ``posts_fts_words``.

The revision creates those tables, drops ``posts_fts``, creates it again (its own
``CREATE_FTS``, frozen when revision 0013 made the code's contentless) and indexes every
post (``search_sqlite.reindex``),
reporting its progress through :func:`veilleur.store.migrations.report`, in one
transaction: an interruption leaves the workspace at 0011 with its old index. When the same
upgrade goes on to a later revision that rebuilds the index (0013), it only makes the
tables and the layout, empty: that revision fills them, in the same transaction
(:func:`veilleur.store.migrations.fills_index`; 0013 gives every post its key again, so
nothing of this revision's filling would be kept). The downgrade drops the tables and
rebuilds the index of 0011.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib
import sqlite3

from alembic import op

from veilleur.store import migrations, search_sqlite
from veilleur.store.engine import driver

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None
rebuilds_index = True


# The layout of this revision, frozen here (revision 0013 made the code's contentless):
# 11 columns, prefixes 3 4, the column values stored in posts_fts_content.
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE posts_fts USING fts5 ({', '.join(search_sqlite.FTS_COLUMNS)}, "
    "tokenize = 'ascii', prefix = '3 4')"
)


def build(conn: sqlite3.Connection, fill: bool = True) -> None:
    """The key and words tables and ``posts_fts`` in this revision's layout, every post
    indexed, with progress (``fill``; else all three left empty)."""
    conn.execute(f"DROP TABLE IF EXISTS {search_sqlite.KEY_TABLE}")
    conn.execute(f"DROP TABLE IF EXISTS {search_sqlite.WORDS_TABLE}")
    for statement in (*search_sqlite.CREATE_KEYS, search_sqlite.CREATE_WORDS):
        conn.execute(statement)
    conn.execute("DROP TABLE IF EXISTS posts_fts")
    conn.execute(CREATE_FTS)
    if not fill:
        return
    total = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        migrations.report("fts", done, total)

    search_sqlite.reindex(conn, 0, progress=advance)


def upgrade() -> None:
    build(driver(op.get_bind()), fill=migrations.fills_index(op.get_context(), revision))


def downgrade() -> None:
    conn = driver(op.get_bind())
    conn.execute(f"DROP TABLE IF EXISTS {search_sqlite.KEY_TABLE}")
    conn.execute(f"DROP TABLE IF EXISTS {search_sqlite.WORDS_TABLE}")
    previous = importlib.import_module("veilleur.store.alembic.versions.0011_fts_date_rowids")
    previous.rebuild(conn, with_keys=True)
