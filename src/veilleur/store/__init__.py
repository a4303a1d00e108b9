"""Persistence: the one seam to the database (see docs/architecture.md).

SQLite by default (:class:`SQLiteStore`); the schema is declared once with SQLAlchemy Core
(:mod:`veilleur.store.schema` and the pillars' ``tables.py``), Alembic migrates it
(:mod:`veilleur.store.migrations`), and search goes through one interface
(:class:`SearchIndex`, FTS5 on SQLite). The same interfaces will serve PostgreSQL.
"""

from veilleur.store.health import StorageError, storage_error
from veilleur.store.languages import LanguageUpdate
from veilleur.store.maintenance import Finding, backup, diagnose
from veilleur.store.migrations import on_progress
from veilleur.store.search import SearchError, SearchIndex
from veilleur.store.secrets import SecretKeyError, seal, unseal
from veilleur.store.sqlite import SQLiteStore, WriteResult

__all__ = [
    "Finding",
    "LanguageUpdate",
    "SQLiteStore",
    "SearchError",
    "SearchIndex",
    "SecretKeyError",
    "StorageError",
    "WriteResult",
    "backup",
    "diagnose",
    "on_progress",
    "seal",
    "storage_error",
    "unseal",
]
