"""A batch's text analysis computed in worker processes, for the store to use (issues 17, 19).

Storing a post costs two analyses in Python: its effective language
(:func:`veilleur.store.languages.settle_language`) and its search index values (SQLite:
:func:`veilleur.store.search_sqlite.index_values`; PostgreSQL:
:func:`veilleur.store.pgterms.terms_of`) — about half the CPU of an import. An import
hands each batch to an :class:`AnalysisPool` while it parses and writes the batch before,
and passes the :class:`Prepared` answer to ``write_posts(…, prepared=…)``. The store's
write path is unchanged: where it computed a language or index values, it asks
:class:`Prepared` first, by the values they are computed from, and computes them itself
on a miss. So what is stored is what the store alone computes (the same functions on the
same values; a test compares whole databases), in the same transactions and order.

The workers are child Python processes running :func:`main` (not forked: the
importing process may hold threads, database connections and open transactions), fed
pickled batches through their stdin and answering on their stdout. A worker:

* ignores Ctrl-C (the terminal sends it to the whole process group): the importing
  process stops it;
* ends when its stdin closes — also when the importing process is killed, so none is
  left behind;
* answers None for a post whose analysis raised: the store then computes it and meets
  the same error as without workers (a rejection naming the post, as before).

A worker that stops (killed, out of memory, a bug) makes :meth:`Pending.result` raise
:class:`AnalysisError`; nothing of that batch has been written.
"""

from __future__ import annotations

import importlib
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import IO, Any

from veilleur.errors import VeilleurError
from veilleur.i18n import t
from veilleur.model import Post
from veilleur.store.languages import declared_language
from veilleur.text import Language, resolve_language

IndexValues = Callable[[str, str | None, str | None], Any]
"""A store's index analysis of a post: ``(text, title, effective lang) -> values``."""

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_PACKAGE = __name__.rpartition(".")[0]
_ENTRY = (
    "import signal\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"  # before anything: see main()
    "import importlib.util, sys\n"
    f"bare = importlib.util.module_from_spec(importlib.util.find_spec({_PACKAGE!r}))\n"
    f"bare._bare = True\n"
    f"sys.modules[{_PACKAGE!r}] = bare\n"
    f"from {__name__} import main\n"
    "main()\n"
)
"""A worker's program: this package without its ``__init__`` (see :func:`_load`), then
:func:`main`."""


class AnalysisError(VeilleurError):
    """A worker process of an import's analysis stopped before answering."""

    exit_code = 2


class Prepared:
    """The languages and index values of a batch's posts, computed by ``index`` elsewhere.

    Keys are the values each is computed from, so a post the store writes differently
    (another text, another language) simply misses and is computed where it is stored."""

    __slots__ = ("_languages", "_values", "index")

    def __init__(
        self,
        index: IndexValues,
        languages: dict[tuple[str | None, str, str | None], Language],
        values: dict[tuple[str, str | None, str | None], Any],
    ) -> None:
        self.index = index
        self._languages = languages
        self._values = values

    def language(self, declared: str | None, text: str, title: str | None) -> Language:
        """:func:`veilleur.text.resolve_language` of these values."""
        found = self._languages.get((declared, text, title))
        return found if found is not None else resolve_language(declared, text, title)

    def values_of(self, index: IndexValues) -> IndexValues:
        """``index`` answered from this batch's values where they were computed by it."""
        if index is not self.index:
            return index
        values = self._values

        def known(text: str, title: str | None, lang: str | None) -> Any:
            found = values.get((text, title, lang))
            return found if found is not None else index(text, title, lang)

        return known


Item = tuple[str | None, str, str | None]
"""What a worker receives of a post: its declared language, text and title."""


def analyse(index: IndexValues, items: Sequence[Item]) -> list[tuple[Language, Any] | None]:
    """Each item's language and index values (None where computing them raised)."""
    out: list[tuple[Language, Any] | None] = []
    for declared, text, title in items:
        try:
            choice = resolve_language(declared, text, title)
            out.append((choice, index(text, title, choice.lang)))
        except Exception:  # the store computes it again and reports it as it would alone
            out.append(None)
    return out


class _Worker:
    """One child process and the thread that reads its answers as they come (so that
    neither side blocks writing to a full pipe while the other writes too)."""

    def __init__(self, name: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", _ENTRY, name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.answers: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        try:
            while True:
                self.answers.put(pickle.load(stdout))
        except EOFError:
            self.answers.put(("stopped", None))
        except Exception as exc:  # a truncated answer: the worker died while writing
            self.answers.put(("stopped", f"{type(exc).__name__}: {exc}"))

    def send(self, items: list[Item]) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            pickle.dump(items, stdin, protocol=_PROTOCOL)
            stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the worker is gone: its answer (the queue's "stopped") says so

    def receive(self) -> tuple[str, Any]:
        answer = self.answers.get()
        if answer[0] != "done":
            self.answers.put(answer)  # for the batches after it, handed to this worker too
        return answer

    def stop(self, timeout: float = 5.0) -> None:
        if self.proc.stdin is not None:
            with suppress(OSError):  # a broken pipe: the worker is gone
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout)  # the pipe is at its end: the worker is gone
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class Pending:
    """A batch handed to a worker; :meth:`result` waits for its :class:`Prepared`."""

    def __init__(self, pool: AnalysisPool, worker: _Worker, items: list[Item]) -> None:
        self._pool = pool
        self._worker = worker
        self._items = items
        self._prepared: Prepared | None = None

    def result(self) -> Prepared:
        if self._prepared is not None:
            return self._prepared
        kind, answer = self._worker.receive()
        if kind != "done":
            code = self._worker.proc.poll()
            reason = answer or (
                t("exit status {code}", code=code) if code is not None else t("no answer")
            )
            raise AnalysisError(t("the analysis process stopped ({reason})", reason=reason))
        languages: dict[tuple[str | None, str, str | None], Language] = {}
        values: dict[tuple[str, str | None, str | None], Any] = {}
        for item, found in zip(self._items, answer, strict=True):
            if found is not None:
                choice, computed = found
                languages[item] = choice
                values[(item[1], item[2], choice.lang)] = computed
        self._prepared = Prepared(self._pool.index, languages, values)
        self._items = []
        return self._prepared


class AnalysisPool:
    """``workers`` child processes computing the language and ``index`` values of the
    batches submitted, in turn; each :class:`Pending` answers in the order submitted to
    its worker. Close it (or use it as a context manager) to stop them."""

    def __init__(self, index: IndexValues, workers: int = 1) -> None:
        self.index = index
        name = f"{index.__module__}:{index.__qualname__}"
        self._workers: list[_Worker] = []
        try:
            for _ in range(max(1, workers)):
                self._workers.append(_Worker(name))
        except BaseException:
            self.close()
            raise
        self._turn = 0

    @property
    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._workers]

    def submit(self, posts: Sequence[Post]) -> Pending:
        """Hand ``posts`` to the next worker; returns at once."""
        items: list[Item] = [(declared_language(p), p.text, p.title) for p in posts]
        worker = self._workers[self._turn]
        self._turn = (self._turn + 1) % len(self._workers)
        worker.send(items)
        return Pending(self, worker, items)

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _load(name: str) -> Any:
    """The function ``MODULE:QUALNAME``. The worker's entry (:data:`_ENTRY`) loads this
    package without running its ``__init__`` (the stores, SQLAlchemy: half of a worker's
    start, ~0.3 s of CPU, that the analysis does not need); if the function's module
    cannot be loaded so, the package is loaded as usual and the module again."""
    module, _, qualname = name.partition(":")
    try:
        return _attribute(importlib.import_module(module), qualname)
    except Exception:
        if not getattr(sys.modules.get(_PACKAGE), "_bare", False):
            raise
    for loaded in [m for m in sys.modules if m == _PACKAGE or m.startswith(_PACKAGE + ".")]:
        del sys.modules[loaded]
    return _attribute(importlib.import_module(module), qualname)


def _attribute(value: Any, qualname: str) -> Any:
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _serve(name: str, stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The worker's loop: a batch of items in, their answers out, until stdin closes."""
    try:
        index = _load(name)
    except Exception as exc:
        pickle.dump(("failed", f"{type(exc).__name__}: {exc}"), stdout, protocol=_PROTOCOL)
        stdout.flush()
        raise SystemExit(1) from None
    function: IndexValues = index
    while True:
        try:
            items = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump(("done", analyse(function, items)), stdout, protocol=_PROTOCOL)
        stdout.flush()


def main() -> None:
    """A worker: ``python -c _ENTRY MODULE:FUNCTION`` (started by the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix with the answers
    with suppress(BrokenPipeError, KeyboardInterrupt):  # the importing process is gone
        _serve(sys.argv[1], stdin, stdout)
