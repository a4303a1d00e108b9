"""Alembic scripts of the PostgreSQL store (see :mod:`veilleur.store.migrations`)."""
