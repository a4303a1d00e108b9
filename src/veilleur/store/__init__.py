"""Persistence: the one seam to the database (see docs/architecture.md).

SQLite by default (:class:`SQLiteStore`); the schema is declared once with SQLAlchemy Core
(:mod:`veilleur.store.schema` and the pillars' ``tables.py``), Alembic migrates it
(:mod:`veilleur.store.migrations`), and search goes through one interface
(:class:`SearchIndex`, FTS5 on SQLite). :class:`veilleur.store.postgres.PostgresStore`
serves the same interfaces from PostgreSQL (``VEILLEUR_DATABASE_URL``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from veilleur.store.dialect import is_url as is_database_url
from veilleur.store.health import StorageError, storage_error
from veilleur.store.languages import LanguageUpdate
from veilleur.store.maintenance import Finding, backup, diagnose
from veilleur.store.migrations import on_progress
from veilleur.store.search import SearchError, SearchIndex
from veilleur.store.secrets import SecretKeyError, seal, unseal
from veilleur.store.sqlite import SQLiteStore, WriteResult

if TYPE_CHECKING:
    from veilleur.store.copy import TableCopy


def shown_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from veilleur.store.postgres import shown

    return shown(url)


def migrate(database_url: str | None, path: Path) -> tuple[list[str], str | None, str]:
    """Bring the workspace's database (PostgreSQL at ``database_url``, else the SQLite file
    at ``path``) to this veilleur's schema: (revisions applied, revision now, where)."""
    from sqlalchemy.exc import SQLAlchemyError

    from veilleur.store import migrations

    if database_url is not None:
        from veilleur.store.postgres import create, shown

        engine, where = create(database_url), shown(database_url)
    else:
        from veilleur.store.engine import create as create_sqlite

        engine, where = create_sqlite(path), str(path)
    try:
        try:
            connection = engine.connect()
        except (SQLAlchemyError, OSError) as exc:
            if database_url is None:
                raise
            from veilleur.store.postgres import _unreachable

            raise _unreachable(database_url, exc) from None
        with connection:
            applied = migrations.upgrade(connection)
            return applied, migrations.current(connection), where
    finally:
        engine.dispose()


def copy_to(
    source: SQLiteStore, url: str, progress: Callable[[str, int], object] | None = None
) -> list[TableCopy]:
    """Copy a SQLite store into the empty PostgreSQL database at ``url``, verified
    (:func:`veilleur.store.copy.copy_to`)."""
    from veilleur.store.copy import copy_to as copy

    return copy(source, url, progress)


def diagnose_database(url: str) -> list[Finding]:
    """``veilleur doctor``'s checks of a PostgreSQL store."""
    from veilleur.store.postgres import diagnose as diagnose_postgres

    return diagnose_postgres(url)


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
    "copy_to",
    "diagnose",
    "diagnose_database",
    "is_database_url",
    "migrate",
    "on_progress",
    "seal",
    "shown_url",
    "storage_error",
    "unseal",
]
