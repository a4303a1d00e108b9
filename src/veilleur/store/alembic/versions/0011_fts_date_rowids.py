"""Search index in date order (issue 19): the rowid of a post's ``posts_fts`` row is
``index_key`` below (its date in seconds, then its ``pk``, both
negated: ascending rowids go newest first), no longer its ``pk``, so that a search newest
first reads the index in rowid order and stops at its limit.

The revision drops ``posts_fts``, creates it again (its own ``CREATE_FTS``) and indexes
every post (its own ``rebuild``, frozen when revision 0012 changed the keys), reporting its
progress through :func:`veilleur.store.migrations.report`. It runs in one transaction: an
interruption leaves the workspace at 0010 with its old index, and the next opening starts
again. When the same upgrade goes on to a later revision that rebuilds the index (0012,
0013), it only makes the layout: that revision fills the index, in the same transaction
(:func:`veilleur.store.migrations.fills_index`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from alembic import op

from veilleur.store import migrations, search_sqlite
from veilleur.store.engine import driver

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None
rebuilds_index = True


# The layout of this revision, frozen here (revision 0012 changed the code's): 11 columns,
# prefixes 2 3 4, rowid = ((-1 - seconds) << 30) | (2^30 - 1 - pk).
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE posts_fts USING fts5 ({', '.join(search_sqlite.FTS_COLUMNS)}, "
    "tokenize = 'ascii', prefix = '2 3 4')"
)
_PK_BITS = 30
_PK_MASK = (1 << _PK_BITS) - 1
_FIRST, _LAST = -(1 << 33), (1 << 33) - 1


def index_key(pk: int, created_at: str) -> int:
    """The rowid of post ``pk`` dated ``created_at`` in this revision's index."""
    try:
        seconds = (datetime.fromisoformat(created_at[:19]) - datetime(1970, 1, 1)) // timedelta(
            seconds=1
        )
    except (ValueError, TypeError):
        seconds = _FIRST
    seconds = min(max(seconds, _FIRST), _LAST)
    return ((-1 - seconds) << _PK_BITS) | (_PK_MASK - pk)


def rebuild(conn: sqlite3.Connection, with_keys: bool, fill: bool = True) -> None:
    """``posts_fts`` in this revision's layout (``with_keys``) or in 0004's (rowid = pk),
    every post indexed, with progress (``fill``; else left empty)."""
    conn.execute("DROP TABLE IF EXISTS posts_fts")
    conn.execute(CREATE_FTS)
    if not fill:
        return
    total = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    done = last = 0
    while True:
        rows = conn.execute(
            "SELECT pk, created_at, text, title, lang FROM posts WHERE pk > ? ORDER BY pk "
            "LIMIT 2000",
            (last,),
        ).fetchall()
        if not rows:
            return
        keys = {pk: index_key(pk, at) if with_keys else pk for pk, at, *_ in rows}
        conn.executemany(search_sqlite.INSERT_FTS, search_sqlite.index_rows(rows, keys))
        done += len(rows)
        last = rows[-1][0]
        migrations.report("fts", done, total)


def upgrade() -> None:
    fill = migrations.fills_index(op.get_context(), revision)
    rebuild(driver(op.get_bind()), with_keys=True, fill=fill)


def downgrade() -> None:
    rebuild(driver(op.get_bind()), with_keys=False)
