"""A PostgreSQL database of its own for a test (issue 17): ``CREATE DATABASE
veilleur_test_<random>`` from a template migrated once per session, dropped after.

The server is ``VEILLEUR_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432``). Absent,
the tests that need it skip and say why; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache

import pytest

SERVER = os.environ.get("VEILLEUR_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why PostgreSQL cannot be used here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        with _admin() as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL is not reachable at {SERVER} ({str(exc).strip().splitlines()[0]})"
    return None


def require() -> None:
    reason = unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the PostgreSQL tests")
    print(f"skipped: {reason}")
    pytest.skip(reason)


_TEMPLATE: list[str] = []


def _template() -> str:
    """A database at the newest revision, made once per session, copied for each test."""
    if _TEMPLATE:
        return _TEMPLATE[0]
    from veilleur.store.postgres import PostgresStore

    name = f"veilleur_test_{secrets.token_hex(4)}_tpl"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    PostgresStore(f"{SERVER}/{name}").close()
    _TEMPLATE.append(name)
    return name


def create_database() -> str:
    """The URL of a new database of the test's own (at head, empty)."""
    require()
    name = f"veilleur_test_{secrets.token_hex(6)}"
    template = _template()
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{SERVER}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_template() -> None:
    if _TEMPLATE:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{_TEMPLATE.pop()}" WITH (FORCE)')
