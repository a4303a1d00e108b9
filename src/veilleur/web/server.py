"""What one ``veilleur serve`` process holds: the home workspace (where the accounts live),
the workspaces it has opened, one lock per database, the key that signs sessions.

Pages run in Starlette's thread pool; a workspace's SQLite connection is shared by those
threads, so every use of it holds that workspace's lock (:meth:`Server.workspace`). The
embedded mode serves a handful of people: one writer at a time per workspace is plenty,
and ``veilleur run`` in another process meets SQLite's busy timeout, as it always did.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from veilleur import accounts, events
from veilleur.web.limits import RateLimit
from veilleur.workspace import Workspace

SESSION_KEY_FILE = "web-session.key"
"""Beside the home database: the random key that signs session cookies (private file).
Deleting it logs everyone out."""


@dataclass
class Server:
    """The state of one web server process."""

    home_path: Path
    https_cookies: bool = False
    _open: dict[Path, Workspace] = field(default_factory=dict)
    _locks: dict[Path, threading.RLock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    signups: RateLimit = field(default_factory=RateLimit)
    """Sign-ups on the public event pages, per client address."""

    def __post_init__(self) -> None:
        self.home_path = Path(self.home_path).resolve()
        with self.home() as ws:
            self.home_entry = accounts.register_workspace(ws.store, self.home_path)
        self.courier = events.Courier(self.home)
        """Sends the mails the public event pages owe, after their response."""

    def _lock(self, path: Path) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(path, threading.RLock())

    @contextmanager
    def workspace(self, path: Path) -> Iterator[Workspace]:
        """The workspace at ``path``, opened once and used under its lock."""
        path = Path(path).resolve()
        with self._lock(path):
            ws = self._open.get(path)
            if ws is None:
                ws = Workspace(path, create=False)
                ws.store  # noqa: B018 - open (and migrate) now, under the lock
                self._open[path] = ws
            yield ws

    @contextmanager
    def home(self) -> Iterator[Workspace]:
        """The home workspace, whose database holds the accounts."""
        with self.workspace(self.home_path) as ws:
            yield ws

    def session_key(self) -> str:
        """The key signing session cookies, made on first use (0600, beside the database)."""
        path = self.home_path / SESSION_KEY_FILE
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        return path.read_text(encoding="ascii").strip()

    def close(self) -> None:
        with self._guard:
            opened = list(self._open.items())
        for path, ws in opened:
            with self._lock(path):
                ws.close()
                self._open.pop(path, None)
