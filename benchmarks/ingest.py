"""posts/s of `import jsonl` against a bare SQLite FTS5 baseline, and peak memory.

    .venv/bin/python benchmarks/ingest.py [--sizes 50000,200000] [--workers 0,1]

The baseline inserts the same texts into a bare FTS5 table in batched transactions (same batch
size as veilleur), in the same run. Each side runs in its own child process, so peak memory
(max RSS) is measured per side. The aim (issue 2): >= 20,000 posts/s for 200,000 posts, within 3x
of the baseline, peak memory < 300 MB whatever N. CPU seconds of each child are reported
too (on a loaded machine they are the figure to compare), and the database's size (the
workspace folder once closed) per million posts.

``--workers 0,1`` runs the import once per value of ``import.analysis_workers``, alternated
(0: the analysis in the importing process; 1: in a worker process, whose CPU time and peak
memory are reported beside the importing process's: "CPU" is all of them, "peak" the
importing process's plus the largest worker's — getrusage gives the children's maximum, not
their sum: with N workers, add N - 1 times a worker's).
``BENCH_THRESHOLD=0`` hands every batch to the worker, however small the import (to measure
runner.POOL_THRESHOLD).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl

BATCH = 2000


def run_veilleur(src: Path, ws: Path, workers: int = 1) -> None:
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import POOL_THRESHOLD, Analysis, ImportSummary, import_file
    from veilleur.workspace import Workspace

    threshold = int(os.environ.get("BENCH_THRESHOLD", POOL_THRESHOLD))
    with (
        Workspace(ws) as workspace,
        Analysis(workspace.store, workers, threshold=threshold) as analysis,
    ):
        summary = ImportSummary()
        import_file(workspace.store, src, read_jsonl, summary, analysis=analysis)
        assert summary.new == summary.read, summary


def run_baseline(src: Path, db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')"
    )
    batch: list[tuple[str]] = []
    with src.open("rb") as handle:
        for line in handle:
            batch.append((json.loads(line)["text"],))
            if len(batch) == BATCH:
                conn.execute("BEGIN")
                conn.executemany("INSERT INTO t (text) VALUES (?)", batch)
                conn.execute("COMMIT")
                batch = []
    if batch:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t (text) VALUES (?)", batch)
        conn.execute("COMMIT")
    conn.close()


def child(kind: str, src: Path, target: Path) -> None:
    start = time.perf_counter()
    if kind == "baseline":
        run_baseline(src, target)
    else:
        run_veilleur(src, target, int(kind.removeprefix("veilleur")))
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the analysis worker, if any
    peak_mb = usage.ru_maxrss / 1024
    worker_peak_mb = workers.ru_maxrss / 1024 if workers.ru_maxrss else 0.0
    cpu = usage.ru_utime + usage.ru_stime
    worker_cpu = workers.ru_utime + workers.ru_stime
    size = sum(f.stat().st_size for f in (target.iterdir() if target.is_dir() else [target]))
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu + worker_cpu,
                "main_cpu": cpu,
                "peak_mb": peak_mb + worker_peak_mb,
                "main_peak_mb": peak_mb,
                "bytes": size,
            }
        )
    )


def measure(kind: str, src: Path, target: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(src), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="200000", help="comma-separated numbers of posts")
    parser.add_argument(
        "--workers", default="1", help="comma-separated values of import.analysis_workers"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, target = args.child
        child(kind, Path(src), Path(target))
        return
    print(
        "| posts | workers | veilleur posts/s | baseline posts/s | ratio | veilleur posts/CPU-s "
        "(importing process) | baseline posts/CPU-s | CPU ratio | peak MB (importing process) "
        "| baseline peak MB | DB MB per million |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = write_jsonl(Path(tmp) / "posts.jsonl", n)
            for run, workers in enumerate(int(w) for w in args.workers.split(",")):
                ours = measure(f"veilleur{workers}", src, Path(tmp) / f"ws{run}")
                base = measure("baseline", src, Path(tmp) / f"base{run}.sqlite")
                rate, base_rate = n / ours["seconds"], n / base["seconds"]
                cpu_rate, base_cpu_rate = n / ours["cpu"], n / base["cpu"]
                main_rate = n / ours["main_cpu"]
                per_million = ours["bytes"] / n * 1e6 / 1e9
                print(
                    f"| {n:,} | {workers} | {rate:,.0f} | {base_rate:,.0f} "
                    f"| {base_rate / rate:.2f}x slower | {cpu_rate:,.0f} ({main_rate:,.0f}) "
                    f"| {base_cpu_rate:,.0f} | {base_cpu_rate / cpu_rate:.2f}x "
                    f"| {ours['peak_mb']:.0f} ({ours['main_peak_mb']:.0f}) | {base['peak_mb']:.0f} "
                    f"| {per_million:.2f} GB |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
