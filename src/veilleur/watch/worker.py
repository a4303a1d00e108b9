"""A second process that prepares the index's next batch (:class:`veilleur.watch.pairs.PairFinder`).

Started as a new interpreter (``python -c``) rather than through ``multiprocessing``: a
fresh interpreter inherits nothing of the parent (its open SQLite connection, the progress
bar's thread) and does not re-run the parent's main script, so any program calling
:func:`veilleur.watch.index.update_index` may use it. Messages are length-prefixed pickles
on the child's standard input and output, between two processes of this package only.
"""

from __future__ import annotations

import contextlib

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]
import pickle
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

from veilleur.errors import VeilleurError
from veilleur.watch import tables
from veilleur.watch.pairs import Batch, PairFinder

_HEADER = 8


def _send(stream: IO[bytes], payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "little"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        raise EOFError
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _widen(*pipes: IO[bytes] | None) -> None:
    """Pipes of 1 MiB instead of 64 KiB where Linux allows it.

    A batch is tens of megabytes; through a small pipe the parent's reader thread has to
    take the interpreter lock back for every 64 KiB, which made the transfer slower than
    the work (the main thread holds the lock while it assigns stories).
    """
    size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if size is None:
        return
    for pipe in pipes:
        if pipe is not None:
            with contextlib.suppress(OSError):
                fcntl.fcntl(pipe.fileno(), size, 1 << 20)


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child's loop: the store to read, then the first and last pk of a batch in and
    its :class:`Batch` out, until EOF (it reads the posts itself: sending their texts cost
    the busy parent more than reading them costs here)."""
    try:
        path, last_segment = _receive(stdin)
    except EOFError:
        return
    reader = tables.open_reader(path)
    finder = PairFinder(reader, last_segment)
    while True:
        try:
            first, last = _receive(stdin)
        except EOFError:
            break
        try:
            _send(stdout, ("ok", finder.batch(tables.posts_between(reader, first, last))))
        except Exception as exc:  # reported to the parent, which stops the run
            _send(stdout, ("error", f"{type(exc).__name__}: {exc}"))
    reader.close()


class Worker:
    """The parent's side: ``submit(pks)`` returns a future :class:`Batch`; in order."""

    def __init__(self, path: Path | str, last_segment: int) -> None:
        # The child finds veilleur as this process did: installed, or else the source tree
        # this module comes from (a caller may have put it on sys.path), tried last.
        here = str(Path(__file__).resolve().parents[2])
        start = (
            f"import sys; sys.path.append({here!r}); from veilleur.watch.worker import main; main()"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", start],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        _widen(self._process.stdin, self._process.stdout)
        self._pending: deque[Future[Batch]] = deque()
        self._lock = threading.Lock()
        self._stopped = False  # set by the reader thread when the child is gone
        # Results are read by a thread so that the child never blocks writing a large
        # result while this process is busy writing it the next batch.
        self._reader = threading.Thread(target=self._read, name="veilleur-index-reader")
        self._reader.daemon = True
        self._reader.start()
        assert self._process.stdin is not None
        with contextlib.suppress(OSError):
            _send(self._process.stdin, (str(path), last_segment))

    def _read(self) -> None:
        assert self._process.stdout is not None
        while True:
            try:
                status, payload = _receive(self._process.stdout)
            except (EOFError, pickle.UnpicklingError, OSError):
                break
            with self._lock:
                future = self._pending.popleft()
            if status == "ok":
                future.set_result(payload)
            else:
                future.set_exception(VeilleurError(f"preparing posts for the index: {payload}"))
        with self._lock:
            self._stopped = True
            while self._pending:
                self._pending.popleft().set_exception(self._stopped_error())

    def _stopped_error(self) -> VeilleurError:
        return VeilleurError(
            "the process preparing posts for the index stopped "
            f"(exit status {self._process.poll()}); run the command again"
        )

    def submit(self, pks: list[int]) -> Future[Batch]:
        """The batch of the posts ``pks`` (consecutive pks of the posts table, in order; never
        empty: the index submits only what it has read)."""
        future: Future[Batch] = Future()
        with self._lock:
            if self._stopped:  # nobody would ever answer it
                future.set_exception(self._stopped_error())
                return future
            self._pending.append(future)
        assert self._process.stdin is not None
        # If the child is gone, the reader thread fails the pending futures with a message.
        with contextlib.suppress(OSError):
            _send(self._process.stdin, (pks[0], pks[-1]))
        return future

    def kill(self) -> None:
        """Stop the child at once (the run was interrupted)."""
        self._process.kill()
        self._process.wait()
        self._reader.join(timeout=10)

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)


def main() -> None:
    """The child's entry point."""
    serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
