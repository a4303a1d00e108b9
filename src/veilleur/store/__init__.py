"""Persistence. SQLite by default; the same interface will serve PostgreSQL."""

from veilleur.store.sqlite import SQLiteStore, WriteResult

__all__ = ["SQLiteStore", "WriteResult"]
