"""A workspace: one folder holding the SQLite database and the settings of one watch team.

Chosen with ``--workspace DIR`` or ``VEILLEUR_WORKSPACE``; otherwise the user's data folder.
Created explicitly (``veilleur init [DIR]``, :func:`init_workspace`, or ``veilleur demo``): the
command line refuses a folder that does not exist yet rather than creating a mistyped path
and reporting an empty workspace. The Python API (``Workspace(path)``) still creates it unless
``create=False``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from veilleur import settings
from veilleur.errors import UsageError
from veilleur.i18n import ngettext, t
from veilleur.store import SQLiteStore, seal, unseal
from veilleur.store.health import tighten

ENV_VAR = "VEILLEUR_WORKSPACE"
DB_NAME = "veilleur.sqlite"
DATABASE_URL_ENV = "VEILLEUR_DATABASE_URL"
URL_FILE = "database.url"
"""A file of the workspace folder naming the database the workspace is kept in
(``postgresql://…``): the setting ``database.url``. It is a file, not a row of the
``settings`` table, because the settings live in that database."""


def database_url(path: Path | str | None = None) -> str | None:
    """The PostgreSQL URL the workspace at ``path`` is kept in (``VEILLEUR_DATABASE_URL``
    first, then its ``database.url`` file), or None: its SQLite file."""
    from veilleur.store.dialect import is_url

    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        file = resolve_path(path) / URL_FILE
        if file.is_file():
            url = file.read_text(encoding="utf-8").strip()
    if not url:
        return None
    if not is_url(url):
        raise UsageError(
            t(
                "the database URL {url} is not a PostgreSQL one (expected postgresql://…)",
                url=url,
            )
        )
    return url


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "veilleur" / "default"


def resolve_path(path: Path | str | None = None) -> Path:
    if path:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else default_path()


def holds_database(path: Path | str | None = None) -> bool:
    """Whether the workspace folder at ``path`` already holds its database: the one rule for
    "is there a workspace here" (commands that only read use it too)."""
    folder = resolve_path(path)
    return (folder / DB_NAME).is_file() or database_url(folder) is not None


def _note_tightened(paths: list[Path]) -> None:
    """Say on stderr which files were readable by other users (and are no longer)."""
    for path in paths:
        print(
            t("note: {path} was readable by other users; it is now private to you", path=path),
            file=sys.stderr,
        )


def _note_languages(pending: int) -> None:
    """Say on stderr that posts written before the effective language existed (revision
    0003) still have their declared one, and how to compute it."""
    if pending:
        print(
            ngettext(
                "note: {n} post still has the language its source declared, not checked "
                "against its text; run  veilleur relang",
                "note: {n} posts still have the language their source declared, not checked "
                "against their text; run  veilleur relang",
                pending,
            ).format(n=pending),
            file=sys.stderr,
        )


class Workspace:
    """The folder, its store and its settings."""

    def __init__(self, path: Path | str | None = None, *, create: bool = True) -> None:
        """Open the workspace at ``path``; ``create=False``: a UsageError (exit 2) naming
        ``veilleur init`` when the folder does not exist, or holds other files but no
        database (``-w ~/Documents`` by mistake), and nothing is created. An empty folder,
        made for the workspace, gets its database on first use."""
        self.path = resolve_path(path)
        if self.path.exists() and not self.path.is_dir():
            raise UsageError(t("workspace {path} exists and is not a folder", path=self.path))
        if not self.path.exists():
            if not create:
                raise UsageError(
                    t(
                        "no workspace at {path}: create it with  veilleur init {path}",
                        path=self.path,
                    )
                )
            try:
                self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(
                    t(
                        "cannot create the workspace {path}: {reason}",
                        path=self.path,
                        reason=exc.strerror,
                    )
                ) from None
        # Only a workspace's own folder is made private: `-w ~/Documents` must not change the
        # mode of a folder that merely will hold the database.
        ours = holds_database(self.path) or not any(self.path.iterdir())
        if not ours and not create:
            raise UsageError(
                t(
                    "{path} is not a veilleur workspace (it holds other files but no {db}): "
                    "check --workspace, or create one with  veilleur init {path}",
                    path=self.path,
                    db=DB_NAME,
                )
            )
        self._tightened = [self.path] if ours and tighten(self.path, 0o700) else []
        self._store: SQLiteStore | None = None
        self.database_url = database_url(self.path)
        """Where the workspace is kept when not in its SQLite file (PostgreSQL)."""
        self.note_languages = True
        """Say on opening when posts wait for ``veilleur relang`` (off for relang itself)."""

    @property
    def db_path(self) -> Path:
        return self.path / DB_NAME

    @property
    def store(self) -> SQLiteStore:
        if self._store is None:
            if self.database_url is not None:
                from veilleur.store.postgres import PostgresStore

                self._store = PostgresStore(self.database_url)
            else:
                self._store = SQLiteStore(self.db_path)
            _note_tightened([*self._tightened, *self._store.tightened])
            if self.note_languages:
                _note_languages(self._store.languages_pending())
        return self._store

    def reader(self) -> Workspace:
        """Another handle on this workspace whose store reads through a read-only
        connection of its own (:meth:`SQLiteStore.reader`): for a thread that reads while
        others use this handle (the web server's GET requests)."""
        other = Workspace(self.path, create=False)
        other.note_languages = False
        other._store = self.store.reader()
        return other

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def setting(self, key: str) -> str | None:
        """The value of a setting, or its default."""
        declared = settings.lookup(key)
        value = self.store.get_setting(key)
        if value is not None and declared.secret:
            return unseal(value)  # encrypted at rest (veilleur.store.secrets)
        return value if value is not None else declared.default

    def setting_shown(self, key: str) -> str:
        """A setting as it may be displayed; a secret is masked without being decrypted, so
        listing the settings works without the key file."""
        if settings.lookup(key).secret:
            return settings.shown(key, self.store.get_setting(key))
        return settings.shown(key, self.setting(key))

    def setting_bool(self, key: str) -> bool:
        return self.setting(key) == "true"

    def setting_int(self, key: str) -> int:
        value = self.setting(key)
        return int(value) if value is not None else 0

    def set_setting(self, key: str, value: str | None) -> str | None:
        canonical = None if value is None else settings.validate(key, value)
        stored = seal(canonical) if canonical is not None and settings.lookup(key).secret else None
        self.store.set_setting(key, stored or canonical)
        return canonical


def init_workspace(path: Path | str | None = None) -> tuple[Workspace, bool]:
    """Create the workspace at ``path`` (folder and database) if needed; returns it opened
    and whether it is new. Running it on an existing workspace changes nothing."""
    target = resolve_path(path)
    is_new = not (target / DB_NAME).exists() and database_url(target) is None
    workspace = Workspace(target, create=True)
    workspace.store  # noqa: B018 - opening the store creates the database and its schema
    return workspace, is_new
