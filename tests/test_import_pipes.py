"""A JSONL or CSV file given as a pipe (``<(…)``, ``/dev/stdin``, a FIFO) is read from its
first byte (issue 14): the readers used to read the first 64 KiB to check the file, then
open it again — a pipe cannot be reopened at its start, so those lines were lost."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import orjson

from veilleur.workspace import Workspace

LINES = 1500  # about 150 KiB: more than the 64 KiB the readers look at first


def _jsonl() -> bytes:
    return b"".join(
        orjson.dumps({"id": f"p{i}", "network": "x", "author": "marie",
                      "text": f"Ligne {i} " + "x" * 80, "created_at": "2026-11-30T10:00:00Z"})
        + b"\n"
        for i in range(LINES)
    )  # fmt: skip


def _csv() -> bytes:
    rows = [b"id,network,author,text,created_at"]
    rows += [f"p{i},x,marie,Ligne {i} {'y' * 80},2026-11-30T10:00:00Z".encode()
             for i in range(LINES)]  # fmt: skip
    return b"\n".join(rows) + b"\n"


@contextmanager
def piped(content: bytes) -> Iterator[Path]:
    """A path that reads a pipe being written, as the shell's ``<(…)`` gives."""
    read_end, write_end = os.pipe()

    def write() -> None:
        with suppress(BrokenPipeError), os.fdopen(write_end, "wb") as sink:
            sink.write(content)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield Path(f"/proc/self/fd/{read_end}")
    finally:
        os.close(read_end)
        writer.join(timeout=10)


def test_jsonl_from_a_pipe_keeps_its_first_lines(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with piped(_jsonl()) as path:
        res = cli("import", "jsonl", str(path))
    assert res.code == 0, res.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == LINES
        assert ws.store.get_post("x", "p0") is not None


def test_csv_from_a_pipe_keeps_its_header_and_first_rows(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with piped(_csv()) as path:
        res = cli("import", "csv", str(path))
    assert res.code == 0, res.err
    with Workspace(tmp_path / "ws") as ws:
        assert ws.store.count_posts() == LINES
        assert ws.store.get_post("x", "p0") is not None


def test_a_file_is_read_whole_as_before(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _jsonl())
    res = cli("import", "jsonl", str(path))
    assert res.code == 0, res.err
    assert f"{LINES} new" in res.out or str(LINES) in res.out


def test_a_binary_pipe_is_refused_before_anything_is_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with piped(b'{"id": "a"}\n\x00\x01\x02' * 10) as path:
        res = cli("import", "jsonl", str(path))
    assert res.code == 2 and "binary" in res.err
