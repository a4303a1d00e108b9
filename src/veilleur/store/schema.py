"""The schema, declared once with SQLAlchemy Core (not the ORM), for every backend.

:data:`metadata` holds every table of a workspace. The store declares its own here
(``posts_table``, ``settings_table``); each pillar declares its tables on the same
:data:`metadata` in its ``tables.py`` (:data:`PILLAR_TABLES`), next to the statements that
use them. A table object is named after its table with ``_table`` (``watches_table``), apart
from the statement functions named after what they do. The store
never imports a pillar: whoever needs the whole schema (the Alembic environment when it
compares the database with the code, the test that keeps these declarations equal to the
database the migrations build) calls :func:`load_all`.

Migrations (:mod:`veilleur.store.migrations`) create and change the schema; these
declarations describe it and must agree with it: tests/test_store_schema.py builds a
database with the migrations and compares every table's columns (name, type affinity,
nullability, primary key, default) and indexes with :data:`metadata`. A schema change is
therefore two edits: the declaration here or in a ``tables.py``, and a new Alembic revision.

The full-text index (``posts_fts``) cannot be declared in Core: it belongs to the search
implementation of each backend (:mod:`veilleur.store.search_sqlite`).

Types follow what the SQLite store has always stored: dates as ISO 8601 text in UTC
(``2026-05-04T08:00:00Z``, which sorts by time), JSON as text, booleans as integers.
"""

from __future__ import annotations

import importlib

from sqlalchemy import (
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

PILLAR_TABLES = (
    "veilleur.watch.tables",
    "veilleur.publish.tables",
    "veilleur.sources.tables",
    "veilleur.audit.tables",
    "veilleur.events.tables",
    "veilleur.jobs.tables",
    "veilleur.accounts.tables",
)
"""The modules declaring the pillars' tables on :data:`metadata`."""


def load_all() -> MetaData:
    """:data:`metadata` with every pillar's tables declared."""
    for name in PILLAR_TABLES:
        importlib.import_module(name)
    return metadata


posts_table = Table(
    "posts",
    metadata,
    Column("pk", Integer, primary_key=True),
    Column("network", Text, nullable=False),
    Column("id", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("author_name", Text),
    Column("text", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("url", Text),
    Column("lang", Text),
    Column("title", Text),
    Column("reply_to", Text),
    Column("repost_of", Text),
    Column("quote_of", Text),
    Column("media", Text),  # JSON list of {url, alt, type}
    Column("likes", Integer),
    Column("reposts", Integer),
    Column("replies", Integer),
    Column("quotes", Integer),
    Column("views", Integer),
    Column("collected_at", Text),
    Column("source", Text),
    Column("raw", LargeBinary),  # see veilleur.store.codec.pack_raw
    # `lang` is the effective language; what the source declared and which of the two was
    # used (declared, agreed, detected; NULL: not resolved yet, see `veilleur relang`).
    Column("lang_declared", Text),
    Column("lang_source", Text),
    UniqueConstraint("network", "id"),
)
Index("posts_created_at", posts_table.c.created_at)
Index("posts_author", posts_table.c.author, posts_table.c.network)
# `author:` is compared without case (veilleur.store.search_sqlite, Field "author").
Index("posts_author_nocase", posts_table.c.author.collate("NOCASE"))
# Posts whose effective language is not computed yet (written before revision 0003): a
# partial index, empty once `veilleur relang` has run, so that counting them costs nothing.
Index(
    "posts_lang_pending",
    posts_table.c.pk,
    sqlite_where=posts_table.c.lang_source.is_(None),
)

settings_table = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
