"""Where an import into PostgreSQL spends its time (issue 17): the importing process's wall
time a post, split between reading the file, handing each batch to the analysis worker,
waiting for the worker's answer and writing (with its main thread's CPU in each).

    .venv/bin/python benchmarks/pg_import_timeline.py [--posts 100000] [--workers 1] [--rounds 3]

The runner's own steps are wrapped with clocks (``runner._batches``, ``AnalysisPool.submit``,
``Pending.result``, ``runner._write``); nothing else changes. What "write" spends beyond
its CPU is this process waiting on PostgreSQL. To set two versions of the code side by side,
run it with another tree's ``src`` first on ``PYTHONPATH`` (as pg_search_bench.py's
``--before``). Creates its own database on the server (veilleur_bench_<random>) and drops
it. Figures in benchmarks/README.md ("Issue 17's aims on a faster machine").
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg

import veilleur.imports.runner as runner
from corpus import write_jsonl
from veilleur.imports import Analysis, ImportSummary, import_file, read_jsonl
from veilleur.store import prepared
from veilleur.store.postgres import PostgresStore

STEPS = ("read", "submit", "result", "write")
spent: dict[str, float] = dict.fromkeys([*STEPS, *(f"{s} cpu" for s in STEPS)], 0.0)
"""Step -> wall seconds; step + " cpu" -> the seconds of CPU of this thread in it."""


def _clocked(function: Callable[..., Any], step: str) -> Callable[..., Any]:
    def clocked(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[step] += time.perf_counter() - wall
            spent[step + " cpu"] += time.thread_time() - cpu

    return clocked


def _clock_the_runner() -> None:
    batches = runner._batches

    def clocked_batches(*args: Any, **kwargs: Any) -> Iterator[Any]:
        read = batches(*args, **kwargs)
        step = _clocked(lambda: next(read, None), "read")
        while (batch := step()) is not None:
            yield batch

    runner._batches = clocked_batches
    runner._write = _clocked(runner._write, "write")
    pool, pending = prepared.AnalysisPool, prepared.Pending
    pool.submit = _clocked(pool.submit, "submit")  # type: ignore[method-assign]
    pending.result = _clocked(pending.result, "result")  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="import.analysis_workers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    _clock_the_runner()
    print(f"code: {Path(runner.__file__).parents[1]}")
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    with tempfile.TemporaryDirectory() as folder:
        src = write_jsonl(Path(folder) / "posts.jsonl", args.posts)
        for _ in range(args.rounds):
            spent.update(dict.fromkeys(spent, 0.0))
            name = f"veilleur_bench_{secrets.token_hex(4)}"
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                with PostgresStore(f"{args.server}/{name}") as store:
                    summary = ImportSummary()
                    wall = time.perf_counter()
                    with Analysis(store, args.workers) as analysis:
                        import_file(store, src, read_jsonl, summary, analysis=analysis)
                    wall = time.perf_counter() - wall
                    assert summary.new == args.posts, summary
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            n = args.posts
            steps = ", ".join(
                f"{step} {spent[step] / n * 1e6:.1f} (CPU {spent[step + ' cpu'] / n * 1e6:.1f})"
                for step in STEPS
            )
            print(f"{n / wall:,.0f} posts/s, {wall / n * 1e6:.0f} us a post: {steps}", flush=True)
    admin.close()


if __name__ == "__main__":
    main()
