"""An import killed (SIGKILL) or interrupted (Ctrl-C) mid-way loses nothing committed and
leaves no half-written post; running it again completes the set with no duplicates."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import suppress
from pathlib import Path

import pytest

N_POSTS = 24_000  # twelve batches of 2,000


def _make_corpus(path: Path) -> dict[str, str]:
    texts = {}
    with path.open("w", encoding="utf-8") as handle:
        for i in range(N_POSTS):
            text = f"Post {i} : la veille stratégique, l'emploi et #Recrutement n°{i * 7 % 1000}"
            texts[f"k{i}"] = text
            record = {
                "id": f"k{i}",
                "network": "bluesky",
                "author": f"a{i % 50}.bsky.social",
                "text": text,
                "created_at": f"2026-0{1 + i % 9}-1{i % 10}T08:00:00Z",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return texts


_CLI_WITH_CTRL_C = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('veilleur.cli.main', run_name='__main__', alter_sys=True)"
)
"""The CLI, Ctrl-C handled as in a terminal whatever the tests were started from: a
background job's children start with SIGINT ignored, and the tests' Ctrl-C then did
nothing (the import ran on until the tests' timeout)."""


def _command(ws: Path, src: Path) -> list[str]:
    """``veilleur import jsonl SRC`` in a child Python, on workspace ``ws``."""
    cli = [sys.executable, "-c", _CLI_WITH_CTRL_C]
    return [*cli, "--workspace", str(ws), "import", "jsonl", str(src)]


class _Import:
    """``veilleur import jsonl /dev/stdin`` fed with ``src``: its first ``first`` lines at
    once, the rest only after :meth:`release`. The import cannot end before the test has
    signalled it, however late the test's polling sees the batches on a loaded machine (it
    used to finish all twelve batches before the Ctrl-C came: "the import finished before
    Ctrl-C arrived")."""

    def __init__(self, ws: Path, src: Path, first: int, *, session: bool = False) -> None:
        ws.mkdir(parents=True, exist_ok=True)  # as `veilleur init` does
        lines = src.read_bytes().splitlines(keepends=True)
        self._head, self._tail = b"".join(lines[:first]), b"".join(lines[first:])
        self._released = threading.Event()
        self.proc = subprocess.Popen(
            _command(ws, Path("/dev/stdin")),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=session,  # a process group of its own, as in a terminal
        )
        self._writer = threading.Thread(target=self._feed, daemon=True)
        self._writer.start()

    def _feed(self) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        with suppress(BrokenPipeError, ValueError, OSError):  # the import was stopped
            stdin.write(self._head)
            stdin.flush()
            self._released.wait(600)
            stdin.write(self._tail)
        with suppress(BrokenPipeError, ValueError, OSError):
            stdin.close()

    def release(self) -> None:
        self._released.set()
        self._writer.join(60)

    def finish(self, timeout: float = 240) -> bytes:
        """Wait for the end (the rest of the lines sent); its error output."""
        self.release()
        self.proc.wait(timeout)
        assert self.proc.stderr is not None and self.proc.stdout is not None
        self.proc.stdout.read()
        return self.proc.stderr.read()


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _wait_for(db: Path, at_least: int, proc: subprocess.Popen[bytes], timeout: float = 240) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = _count(db)
        if n >= at_least or proc.poll() is not None:
            return n
        time.sleep(0.005)
    raise AssertionError(f"import did not reach {at_least} posts in {timeout} s")


def _check_complete(db: Path, texts: dict[str, str]) -> None:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, text FROM posts").fetchall()
        indexed = conn.execute("SELECT count(*) FROM posts_fts").fetchone()[0]
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) == N_POSTS
    assert dict(rows) == texts  # every post whole
    assert indexed == N_POSTS  # every post searchable, none indexed twice


@pytest.mark.parametrize(
    ("kill_after", "workers"), [(0, None), (2_000, None), (12_000, None), (2_000, "0")]
)
def test_sigkill_then_rerun_gives_exactly_the_full_set(
    tmp_path: Path, kill_after: int, workers: str | None
) -> None:
    """``workers``: the setting import.analysis_workers (default: the posts are analysed in
    a worker process; "0": in the importing process)."""
    src = tmp_path / "big.jsonl"
    texts = _make_corpus(src)
    ws = tmp_path / "ws"
    db = ws / "veilleur.sqlite"
    if workers is not None:
        _set(ws, "import.analysis_workers", workers)
    running = _Import(ws, src, kill_after + 3_000)  # a batch and a half more than waited for
    proc = running.proc
    seen = _wait_for(db, kill_after, proc) if kill_after else 0
    proc.send_signal(signal.SIGKILL)
    running.finish()
    if proc.returncode != -signal.SIGKILL:
        pytest.fail(f"the import ended before it could be killed (status {proc.returncode})")
    kept = _count(db)
    assert kept >= seen and kept % 2000 == 0, "a batch was half written"
    rerun = subprocess.run(
        _command(ws, src),
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{N_POSTS - kept} new" in rerun.stdout
    assert f"{kept} already known" in rerun.stdout
    _check_complete(db, texts)


def test_ctrl_c_keeps_committed_batches_and_says_so(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    _make_corpus(src)
    ws = tmp_path / "ws"
    db = ws / "veilleur.sqlite"
    running = _Import(ws, src, 7_000)
    proc = running.proc
    _wait_for(db, 4_000, proc)
    proc.send_signal(signal.SIGINT)
    proc.wait(240)  # interrupted, before the rest of the lines is sent
    stderr = running.finish()
    if proc.returncode == 0:
        pytest.fail("the import finished before Ctrl-C arrived")
    report = f"status {proc.returncode}, stderr: {stderr.decode(errors='replace')[-2000:]}"
    assert proc.returncode == 130, report
    assert b"Interrupted" in stderr and b"Traceback" not in stderr, report
    kept = _count(db)
    assert kept >= 4_000 and kept % 2000 == 0, f"{kept} posts kept; {report}"


def _set(ws: Path, key: str, value: str) -> None:
    from veilleur.workspace import Workspace

    ws.mkdir(parents=True, exist_ok=True)
    with Workspace(ws) as workspace:
        workspace.set_setting(key, value)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def _gone(pids: list[int], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            with suppress(OSError):
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    alive.append(pid)
        if not alive:
            return True
        time.sleep(0.05)
    return False


def _with_worker(tmp_path: Path, stored: int, *, session: bool = False) -> tuple[_Import, Path]:
    """An import of the 24,000-post corpus (7,000 lines sent until released) once ``stored``
    posts are in its workspace ``tmp_path / "ws"``, with its analysis worker running."""
    src = tmp_path / "big.jsonl"
    _make_corpus(src)
    ws = tmp_path / "ws"
    running = _Import(ws, src, 7_000, session=session)
    _wait_for(ws / "veilleur.sqlite", stored, running.proc)
    assert _children(running.proc.pid), "no analysis worker was started for 24,000 posts"
    return running, ws


def test_sigkill_leaves_no_analysis_worker_behind(tmp_path: Path) -> None:
    """The worker that analyses the posts ends when its importing process is killed (its
    stdin closes): none is left running, and the import's own guarantees hold."""
    running, ws = _with_worker(tmp_path, 2_000)
    proc = running.proc
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    running.finish()
    assert _gone(workers), f"analysis workers {workers} still run after their import was killed"
    assert _count(ws / "veilleur.sqlite") % 2000 == 0


def test_a_killed_analysis_worker_ends_the_import_with_its_summary(tmp_path: Path) -> None:
    """The worker analysing the posts is killed (out of memory, say): the import ends with
    exit status 2, a message naming the worker, the file and the setting, and the summary
    of what was stored before — whole batches only."""
    running, ws = _with_worker(tmp_path, 2_000)
    proc = running.proc
    workers = _children(proc.pid)
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    running.release()
    proc.wait(240)
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    report = f"status {proc.returncode}, stdout: {out[-1000:]}, stderr: {err[-2000:]}"
    assert proc.returncode == 2, report
    assert "analysis process stopped" in err and "import.analysis_workers" in err, report
    kept = _count(ws / "veilleur.sqlite")
    assert kept >= 2_000 and kept % 2000 == 0, report
    assert f"{kept} new" in out, report  # the summary says what was stored


def test_ctrl_c_in_a_terminal_stops_the_import_and_its_worker_quietly(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches the whole process group, the worker too: it says
    nothing (no traceback), and the import stops as with the analysis in one process."""
    running, ws = _with_worker(tmp_path, 4_000, session=True)
    proc = running.proc
    db = ws / "veilleur.sqlite"
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(240)
    stderr = running.finish()
    report = f"status {proc.returncode}, stderr: {stderr.decode(errors='replace')[-2000:]}"
    assert proc.returncode == 130, report
    assert b"Interrupted" in stderr and b"Traceback" not in stderr, report
    assert _gone(workers), f"analysis workers {workers} still run after Ctrl-C"
    kept = _count(db)
    assert kept >= 4_000 and kept % 2000 == 0, f"{kept} posts kept; {report}"


def _pg_counts(url: str) -> tuple[int, int]:
    """Posts and search rows of the PostgreSQL store (0, 0 before its schema exists)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        try:
            posts = conn.execute("SELECT count(*) FROM posts").fetchone()
            indexed = conn.execute("SELECT count(*) FROM posts_search").fetchone()
        except psycopg.errors.UndefinedTable:
            return 0, 0
    return int(posts[0]), int(indexed[0])  # type: ignore[index]


def test_sigkill_on_postgresql_then_rerun_gives_exactly_the_full_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same on PostgreSQL (issue 17): a batch is one transaction there too (COPY into a
    temporary table, INSERT … SELECT, COPY of the search terms), so a kill leaves whole
    batches, each post with its search row, and a second run completes the set."""
    from tests import pg_support

    url = pg_support.create_database()
    monkeypatch.setenv("VEILLEUR_DATABASE_URL", url)
    try:
        src = tmp_path / "big.jsonl"
        texts = _make_corpus(src)
        ws = tmp_path / "ws"
        running = _Import(ws, src, 2_000 + 3_000)  # a batch and a half more than waited for
        proc = running.proc
        deadline = time.monotonic() + 240
        while _pg_counts(url)[0] < 2_000 and proc.poll() is None:
            assert time.monotonic() < deadline, "the import wrote nothing in 240 s"
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        running.finish()
        if proc.returncode != -signal.SIGKILL:
            pytest.fail(f"the import ended before it could be killed (status {proc.returncode})")
        time.sleep(0.5)  # the server sees the connection closed and rolls its batch back
        kept, indexed = _pg_counts(url)
        assert kept >= 2_000 and kept % 2000 == 0, "a batch was half written"
        assert indexed == kept, "a post without its search row (or the other way round)"
        rerun = subprocess.run(_command(ws, src), capture_output=True, text=True, check=False)
        assert rerun.returncode == 0, rerun.stderr
        assert f"{N_POSTS - kept} new" in rerun.stdout
        assert f"{kept} already known" in rerun.stdout
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            rows = conn.execute("SELECT id, text FROM posts").fetchall()
        assert len(rows) == len({r[0] for r in rows}) == N_POSTS
        assert dict(rows) == texts
        assert _pg_counts(url) == (N_POSTS, N_POSTS)
    finally:
        pg_support.drop_database(url)
