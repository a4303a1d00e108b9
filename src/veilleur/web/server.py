"""What one ``veilleur serve`` process holds: the home workspace (where the accounts live),
the workspaces it has opened, one lock per database, the key that signs sessions.

Pages run in Starlette's thread pool. A request that may write (any method but GET/HEAD)
uses the workspace's one read-write connection, shared by the threads, under that
workspace's lock (:meth:`Server.workspace`): writes are one at a time, as they always were,
and ``veilleur run`` in another process meets SQLite's busy timeout. A GET or HEAD request
runs inside :meth:`Server.reading`: while it runs it has a read-only connection to the
workspace of its own (``mode=ro``, ``query_only``; from a small pool) and takes no lock. WAL
lets readers run beside each other and beside the writer, each statement seeing the last
committed state, so the reads of many users run at once. A GET page that tried to write
would fail loudly ("attempt to write a readonly database"), which is also what HTTP asks of
GET; the few that must write (the digest updates the watch index) ask for the lock
(``ctx.workspace(write=True)``).

Other workspaces registered in the home are opened on demand, each with its own lock, its
own readers and its own courier (the thread that sends the mails its public event pages
owe). The first time a page opens one by its registered name, the server records that name
in it (:func:`veilleur.events.serve_as`): the links of its event mails then point to
``/e/NAME/SLUG``, whichever process makes them. A workspace whose database cannot be written
is served all the same, without the record (it can send no mail).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from veilleur import accounts, events
from veilleur.web.limits import RateLimit
from veilleur.workspace import Workspace

SESSION_KEY_FILE = "web-session.key"
"""Beside the home database: the random key that signs session cookies (private file).
Deleting it logs everyone out."""

_reading: ContextVar[bool] = ContextVar("veilleur_web_reading", default=False)
"""Set by :meth:`Server.reading` for the request being answered (copied into the thread
that runs its page)."""


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
    _idle: dict[Path, list[Workspace]] = field(default_factory=dict)
    _couriers: dict[Path, events.Courier] = field(default_factory=dict)
    _named: set[Path] = field(default_factory=set)
    _resolved: dict[Path, Path] = field(default_factory=dict)
    """Workspace paths as given → resolved (resolving reads each folder: three times a
    page)."""

    def __post_init__(self) -> None:
        self.home_path = Path(self.home_path).resolve()
        with self.home() as ws:
            self.home_entry = accounts.register_workspace(ws.store, self.home_path)

    def courier(self, path: Path) -> events.Courier:
        """Sends the mails the public event pages of the workspace at ``path`` owe, after
        their response: one per workspace, so a silent SMTP server of one workspace delays
        no other's mails."""
        path = self._resolve(Path(path))
        with self._guard:
            found = self._couriers.get(path)
            if found is None:
                found = self._couriers[path] = events.Courier(lambda: self.workspace(path))
            return found

    def _lock(self, path: Path) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(path, threading.RLock())

    @contextmanager
    def reading(self, only: bool = True) -> Iterator[None]:
        """Within (``only`` true): :meth:`workspace` gives a read-only handle of the
        request's own, without the lock. The gate wraps every GET and HEAD request in it."""
        token = _reading.set(only)
        try:
            yield
        finally:
            _reading.reset(token)

    @contextmanager
    def _reader(self, path: Path) -> Iterator[Workspace]:
        """A read-only handle on the workspace at ``path``, for one request at a time:
        taken from the idle ones, or opened (the shared handle is opened first: it checks
        and migrates the database), and given back afterwards. A pool rather than one per
        thread: the thread pool's idle threads end, and their connections would leak."""
        with self._guard:
            idle = self._idle.setdefault(path, [])
            ws = idle.pop() if idle else None
        if ws is None:
            with self._shared(path) as shared:
                ws = shared.reader()
        try:
            yield ws
        finally:
            with self._guard:
                self._idle.setdefault(path, []).append(ws)

    @contextmanager
    def workspace(self, path: Path, name: str | None = None) -> Iterator[Workspace]:
        """The workspace at ``path``: inside :meth:`reading`, a read-only
        handle; otherwise the one read-write handle, opened once, under its lock.
        ``name``: the workspace's registered name, recorded in it the first time (its
        event mails' links need it) unless it is the home (``/e/SLUG`` is the home's)."""
        path = self._resolve(Path(path))
        if name is not None and path != self.home_path and path not in self._named:
            with self._shared(self.home_path) as home:  # one lock at a time
                address = events.public_base(home)
            with self._shared(path) as ws:  # read-write, even for a GET: once per process
                # A read-only store (a read-only mount) cannot record it, and makes no mail
                # links anyway: its pages still answer, under the name of their address.
                if not ws.store.readonly:
                    events.serve_as(ws, name, address)
            with self._guard:
                self._named.add(path)
        if _reading.get():
            with self._reader(path) as reader:
                yield reader
            return
        with self._shared(path) as ws:
            yield ws

    def _resolve(self, path: Path) -> Path:
        found = self._resolved.get(path)
        if found is None:
            found = self._resolved[path] = path.resolve()
        return found

    @contextmanager
    def _shared(self, path: Path) -> Iterator[Workspace]:
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
            idle, self._idle = self._idle, {}
        for readers in idle.values():
            for reader in readers:
                reader.close()
        for path, ws in opened:
            with self._lock(path):
                ws.close()
                self._open.pop(path, None)
