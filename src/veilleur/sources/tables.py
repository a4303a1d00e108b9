# -- schema (SQLAlchemy Core) ----
from sqlalchemy import Column, Integer, Table, Text, text

from veilleur.store.schema import metadata

sources = Table(
    "sources",
    metadata,
    Column("name", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("params", Text, nullable=False),  # JSON
    Column("enabled", Integer, nullable=False, server_default=text("1")),
    Column("state", Text),  # JSON: ETag, cursor, last ids, next time due
    Column("last_success", Text),
    Column("last_error", Text),
    Column("posts_collected", Integer, nullable=False, server_default=text("0")),
    Column("created_at", Text, nullable=False),
)
