"""Answers of a SQLite database remembered while it is unchanged, shared by every
connection to it in this process (the web server's pool of readers, its writer).

Why: the search page's counts and the dashboard's number of posts are each a read of
thousands of rows; twenty users asking the same pages in a row made the server read them
again and again, though nothing had changed. Each connection could remember its own
answers (``PRAGMA data_version`` tells a connection whether *another* one committed since
it last asked), but that number belongs to one connection: a pool of twenty readers would
count twenty times, and a reader opened later would know nothing.

How: one small read-only connection per database and process, the *watcher*, asks
``PRAGMA data_version`` under a lock whenever an answer is looked up. The watcher never
writes, so every commit — of this process's writer, of its readers' sessions, of
``veilleur run`` or any other process — moves that number; each move starts a new
*generation* and forgets every answer of the older ones. An answer is remembered under
the generation read *before* it was computed: a commit that lands while it is computed
moves the number, and the next look-up finds a newer generation and computes again. So a
remembered answer is only ever given out while no commit happened since it was read —
the same answer the database would give.

A store inside a transaction of its own does not use this (its uncommitted writes are
invisible to the watcher): :class:`veilleur.store.SQLiteStore` asks only outside one.
The watcher is shared by the stores of one database file (same device and inode), counted,
and closed before the last of them closes its own connection, so that the last connection
to close is still a store's (SQLite checkpoints and removes the WAL then, as before).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

LIMIT = 256
"""Answers kept per database and generation (the oldest are forgotten first)."""
WAIT = 30.0
"""Seconds a look-up waits for another thread computing the same answer before computing
it itself (it never needs that long: a guard against a computation that hangs)."""


class Watcher:
    """The generation of one database file in this process, and what was remembered in it."""

    def __init__(self, key: tuple[int, int], uri: str) -> None:
        self.key = key
        self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._generation = 0
        self._answers: dict[Hashable, object] = {}
        self._computing: dict[Hashable, tuple[int, int, threading.Event]] = {}
        """Answers being computed: generation, thread, set when done."""
        self.users = 0
        self.pid = os.getpid()
        self.hits = 0
        """Answers given from memory (for tests and measurements)."""

    def generation(self) -> int:
        """The current generation: a new one whenever a commit happened since last asked."""
        with self._lock:
            return self._poll()

    def _poll(self) -> int:
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._version:
            self._version = version
            self._generation += 1
            self._answers.clear()
            self._computing.clear()
        return self._generation

    def recall(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer remembered under ``key`` in the current generation, else
        ``compute()``'s (remembered if no commit was seen while it ran). When another
        thread is computing the same answer in the current generation, this one waits
        for it rather than reading the same rows at the same time (after a commit, twenty
        users asking the same page would otherwise compute it twenty times at once). In a
        forked child (whose copy of the watcher's connection is not its own) it computes."""
        if os.getpid() != self.pid:
            return compute()
        me = threading.get_ident()
        waited = False
        while True:
            with self._lock:
                generation = self._poll()
                if key in self._answers:
                    self.hits += 1
                    return self._answers[key]  # type: ignore[return-value]
                other = self._computing.get(key)
                if waited or other is None or other[0] != generation or other[1] == me:
                    done = threading.Event()
                    self._computing[key] = (generation, me, done)
                    break
            # Another thread computes it: wait, then look again (the answer is there
            # unless a commit came meanwhile or it failed; then compute it here).
            other[2].wait(WAIT)
            waited = True
        try:
            value = compute()
        except BaseException:
            self._done(key, done)
            raise
        with self._lock:
            if self._generation == generation:
                if len(self._answers) >= LIMIT:
                    del self._answers[next(iter(self._answers))]
                self._answers[key] = value
        self._done(key, done)
        return value

    def _done(self, key: Hashable, done: threading.Event) -> None:
        with self._lock:
            computing = self._computing.get(key)
            if computing is not None and computing[2] is done:
                del self._computing[key]
        done.set()

    def close(self) -> None:
        with self._lock:
            self._answers.clear()
            self._conn.close()


_watchers: dict[tuple[int, int], Watcher] = {}
_guard = threading.Lock()
_pid = os.getpid()


def attach(path: Path, uri: str) -> Watcher | None:
    """The watcher of the database file at ``path`` (opened through ``uri``, read-only),
    one more store using it; None when there is no such file (nothing is remembered)."""
    global _pid
    try:
        found = os.stat(path)
    except OSError:
        return None
    key = (found.st_dev, found.st_ino)
    with _guard:
        if os.getpid() != _pid:  # a forked child: the parent's connections are not its own
            _watchers.clear()
            _pid = os.getpid()
        watcher = _watchers.get(key)
        if watcher is None:
            try:
                watcher = Watcher(key, uri)
            except sqlite3.Error:
                return None
            _watchers[key] = watcher
        watcher.users += 1
        return watcher


def detach(watcher: Watcher | None) -> None:
    """One store less on this watcher; the last one closes it."""
    if watcher is None:
        return
    with _guard:
        watcher.users -= 1
        if watcher.users > 0:
            return
        if _watchers.get(watcher.key) is watcher:
            del _watchers[watcher.key]
    if watcher.pid == os.getpid():
        watcher.close()
