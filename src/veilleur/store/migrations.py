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
* except the revisions that rebuild the search index (``rebuilds_index = True`` in their
  file: 0011, 0012, 0013) when one upgrade runs several of them: they then share one
  transaction, from the first of them to the last, and only the last one fills the index —
  the earlier ones change the layout and leave it empty (:func:`fills_index`). A workspace
  on 0004–0010 is reindexed once, not three times; an interruption leaves it before the
  first of them, with its old index whole (never stamped at a revision whose index was left
  for a later one to fill). An upgrade that stops at 0011 or 0012 (``target``) has it
  filled by the last one it runs; Alembic's own ``command.upgrade`` (no filler named) fills
  at every one, as each revision alone does, and so does a new database (no post to index);
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
    from alembic.runtime.migration import MigrationContext
    from alembic.script import Script, ScriptDirectory

SCRIPTS = Path(__file__).resolve().parent / "alembic"
PG_SCRIPTS = Path(__file__).resolve().parent / "alembic_pg"
"""PostgreSQL's chain (:mod:`veilleur.store.postgres`): its own baseline, no legacy ladder."""
BASELINE = "0001"
"""The revision that stands for schema 6, the last of :mod:`veilleur.store.legacy`."""
HEAD = "0013"
"""The newest revision in ``alembic/versions/``: a new revision updates it (a test checks
it), so that opening a workspace already at head costs one query and no Alembic import."""
PG_HEAD = "pg0003"
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


INDEX_FILLED_BY = "index_filled_by"
"""The Alembic configuration's attribute naming the revision that fills the search index
in an upgrade that runs several rebuilding revisions in one transaction (:func:`upgrade`)."""


def rebuilds_index(script: Script) -> bool:
    """Whether a revision drops and rebuilds the search index (``rebuilds_index = True``
    in its file)."""
    return bool(getattr(script.module, "rebuilds_index", False))


def fills_index(context: MigrationContext, revision: str) -> bool:
    """Whether ``revision``, which rebuilds the search index, is to index every post (and
    report its progress), or only to make its layout: a later revision of the same upgrade,
    in the same transaction, rebuilds the index again and fills it (:func:`upgrade`).
    Outside :func:`upgrade` (Alembic's ``command.upgrade``, downgrades) every revision
    fills."""
    cfg = context.config
    filler = None if cfg is None else cfg.attributes.get(INDEX_FILLED_BY)
    return filler is None or filler == revision


def _plan(postgres: bool, at: str | None, target: str) -> list[Script]:
    """The revisions an upgrade from ``at`` to ``target`` applies, oldest first (what
    Alembic's ``command.upgrade`` runs)."""
    found = scripts(postgres).iterate_revisions(target, at, implicit_base=True)
    return list(reversed(list(found)))


def _run(
    connection: Connection, applied: list[str], target: str, filler: str | None = None
) -> None:
    """Alembic's upgrade to ``target``, the revisions applied added to ``applied``;
    ``filler``: the revision that fills the search index (:data:`INDEX_FILLED_BY`)."""
    from alembic import command

    attributes = {} if filler is None else {INDEX_FILLED_BY: filler}
    command.upgrade(config(connection, applied=applied, **attributes), target)


def upgrade(connection: Connection, target: str | None = None) -> list[str]:
    """Bring the database to :func:`head` (or to ``target``, a later revision than its own:
    for tests); returns the revisions applied (oldest first).

    ``connection`` (of :func:`veilleur.store.engine.create`, outside any transaction) is
    left as it was found: autocommit, no transaction open.
    """
    postgres = _postgres(connection)
    version = 0 if postgres else legacy.schema_version(driver(connection))
    if version > legacy.LATEST:
        raise _newer(f"schema {version}")
    at = _stamp(connection)
    if at == (target or (PG_HEAD if postgres else head())):
        return []
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
        destination = target or "head"  # Alembic's head: the scripts' newest revision
        # A new database has no post to index: each revision fills an empty index, in one
        # pass of Alembic (a second costs ~12 ms at every new workspace).
        fresh = at is None and version == 0
        plan = [] if fresh else _plan(postgres, at, destination)
        rebuilding = [i for i, script in enumerate(plan) if rebuilds_index(script)]
        if len(rebuilding) < 2:
            _run(connection, applied, destination)
        else:
            # Several revisions rebuild the index: those before them as usual, then them
            # in one transaction of ours, which Alembic joins (an "external" transaction:
            # it begins and commits none), the last one filling; then any after them.
            filler = plan[rebuilding[-1]].revision
            if rebuilding[0] > 0:
                _run(connection, applied, plan[rebuilding[0] - 1].revision)
                if connection.in_transaction():  # each revision committed its own
                    connection.rollback()
            with connection.begin():
                _run(connection, applied, filler, filler)
            if filler != plan[-1].revision:
                _run(connection, applied, destination)
    finally:
        if sqlite:
            event.remove(connection, "begin", _begin_immediate)
        if connection.in_transaction():
            connection.rollback()
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return applied
