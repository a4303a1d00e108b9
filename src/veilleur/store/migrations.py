"""Schema migrations, owned by Alembic (revisions in ``store/alembic/versions/``).

A database is at the revision its ``alembic_version`` table names. Opening a store brings
it to the newest revision this veilleur knows (:func:`upgrade`):

* a new database: the baseline revision builds schema 6 exactly as the hand-written
  migrations of earlier releases did (:mod:`veilleur.store.legacy`, frozen), the full-text
  index and its ``posts_author_nocase`` index included;
* a database of an earlier release (``PRAGMA user_version`` 1 to 6, no ``alembic_version``):
  the legacy steps it lacks run, each in its own transaction, then the baseline is recorded;
  at schema 6 nothing is touched but the stamp;
* every later revision runs in its own ``BEGIN IMMEDIATE`` transaction: an interrupted
  upgrade resumes at the revision it stopped in, and never leaves half a revision;
* a database written by a newer veilleur (a revision this code does not know, or a
  ``user_version`` above 6) is refused with a message saying to upgrade veilleur.

Alembic is configured in code, no ``alembic.ini``. To add a revision (then declare the
change in :mod:`veilleur.store.schema` or the pillar's ``tables.py``; the schema test
checks both agree)::

    .venv/bin/python -m veilleur.store.alembic revision "what changes"
    .venv/bin/python -m veilleur.store.alembic revision "what changes" --autogenerate DB
    .venv/bin/python -m veilleur.store.alembic current DB

``--autogenerate`` compares the database file ``DB`` (at head) with the declarations and
writes the operations it finds as a starting point; read them before keeping them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event

from veilleur.errors import UsageError
from veilleur.store import legacy
from veilleur.store.engine import driver

if TYPE_CHECKING:  # Alembic is imported only when a database needs migrating
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPTS = Path(__file__).resolve().parent / "alembic"
PG_SCRIPTS = Path(__file__).resolve().parent / "alembic_pg"
"""PostgreSQL's chain (:mod:`veilleur.store.postgres`): its own baseline, no legacy ladder."""
BASELINE = "0001"
"""The revision that stands for schema 6, the last of :mod:`veilleur.store.legacy`."""
HEAD = "0013"
"""The newest revision in ``alembic/versions/``: a new revision updates it (a test checks
it), so that opening a workspace already at head costs one query and no Alembic import."""
PG_HEAD = "pg0002"
"""The newest revision in ``alembic_pg/versions/`` (PostgreSQL's chain)."""


def _postgres(connection: Connection | None) -> bool:
    return connection is not None and connection.dialect.name == "postgresql"


Progress = Callable[[str, int, int], object]
_progress: list[Progress] = []


def on_progress(listener: Progress | None) -> None:
    """Who hears the progress of long revisions (``listener(step, done, total)``, ``step``
    naming the work: ``"fts"`` rebuilds the search index); None: nobody. A front end sets it
    (the CLI draws a bar); the store itself prints nothing."""
    _progress.clear()
    if listener is not None:
        _progress.append(listener)


def report(step: str, done: int, total: int) -> None:
    """A revision says how far it is (see :func:`on_progress`)."""
    for listener in _progress:
        listener(step, done, total)


def config(connection: Connection | None = None, **attributes: Any) -> Config:
    """Alembic's configuration, in code: the scripts shipped in the package (SQLite's
    chain, or PostgreSQL's for a connection to PostgreSQL)."""
    from alembic.config import Config

    cfg = Config()
    location = PG_SCRIPTS if _postgres(connection) else SCRIPTS
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    cfg.attributes.update(attributes)
    return cfg


@lru_cache(maxsize=2)
def scripts(postgres: bool = False) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    cfg = config()
    if postgres:
        cfg.set_main_option("script_location", str(PG_SCRIPTS))
    return ScriptDirectory.from_config(cfg)


def head() -> str:
    """The newest revision this veilleur knows."""
    return HEAD


def current(connection: Connection) -> str | None:
    """The revision the database is at (None: never stamped by Alembic)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _stamp(connection: Connection) -> str | None:
    """:func:`current`, read directly (a store opens often: this is its only cost then)."""
    if _postgres(connection):
        found = connection.exec_driver_sql(
            "SELECT to_regclass('alembic_version') IS NOT NULL"
        ).scalar_one()
        if not found:
            return None
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        return str(versions[0][0]) if len(versions) == 1 else current(connection)
    conn = driver(connection)
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if found is None:
        return None
    rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else current(connection)


def _newer(what: str) -> UsageError:
    return UsageError(
        f"this workspace was written by a newer veilleur ({what}, this version knows up to "
        f"{head()}); upgrade veilleur to open it"
    )


def _begin_immediate(connection: Connection) -> None:
    # sqlite3 would begin a deferred transaction at the first write only, and not before
    # DDL: each revision's transaction is begun here, taking the write lock at once. Not in
    # an Alembic "autocommit block" (the baseline's legacy steps begin their own).
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        driver(connection).execute("BEGIN IMMEDIATE")


def upgrade(connection: Connection) -> list[str]:
    """Bring the database to :func:`head`; returns the revisions applied (oldest first).

    ``connection`` (of :func:`veilleur.store.engine.create`, outside any transaction) is
    left as it was found: autocommit, no transaction open.
    """
    postgres = _postgres(connection)
    if not postgres:
        version = legacy.schema_version(driver(connection))
        if version > legacy.LATEST:
            raise _newer(f"schema {version}")
    at = _stamp(connection)
    target = PG_HEAD if postgres else head()
    if at == target:
        return []
    from alembic import command
    from alembic.script.revision import ResolutionError
    from alembic.util import CommandError

    if at is not None:
        try:
            scripts(postgres).get_revision(at)
        except (ResolutionError, CommandError):
            raise _newer(f"revision {at}") from None
    applied: list[str] = []
    connection.rollback()  # no (nominal) transaction left open: each revision begins its own
    connection.execution_options(isolation_level="SERIALIZABLE")
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        event.listen(connection, "begin", _begin_immediate)
    try:
        command.upgrade(config(connection, applied=applied), "head")
    finally:
        if sqlite:
            event.remove(connection, "begin", _begin_immediate)
        if connection.in_transaction():
            connection.rollback()
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return applied
