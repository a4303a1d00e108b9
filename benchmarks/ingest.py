"""posts/s of `import jsonl` against a bare SQLite FTS5 baseline, and peak memory.

    .venv/bin/python benchmarks/ingest.py [--n 200000] [--sizes 50000,200000]

The baseline inserts the same texts into a bare FTS5 table in batched transactions (same batch
size as veilleur), in the same run. Each side runs in its own child process, so peak memory
(max RSS) is measured per side. The aim (issue 2): >= 20,000 posts/s for 200,000 posts, within 3x
of the baseline, peak memory < 300 MB whatever N. CPU seconds of each child are reported
too (on a loaded machine they are the figure to compare), and the database's size (the
workspace folder once closed) per million posts.
"""

from __future__ import annotations

import argparse
import json
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


def run_veilleur(src: Path, ws: Path) -> None:
    from veilleur.imports.jsonl import read_jsonl
    from veilleur.imports.runner import ImportSummary, import_file
    from veilleur.workspace import Workspace

    with Workspace(ws) as workspace:
        summary = ImportSummary()
        import_file(workspace.store, src, read_jsonl, summary)
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
    (run_veilleur if kind == "veilleur" else run_baseline)(src, target)
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    size = sum(f.stat().st_size for f in (target.iterdir() if target.is_dir() else [target]))
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": peak_mb, "bytes": size}))


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
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, src, target = args.child
        child(kind, Path(src), Path(target))
        return
    print(
        "| posts | veilleur posts/s | baseline posts/s | ratio | veilleur posts/CPU-s "
        "| baseline posts/CPU-s | CPU ratio | peak MB | baseline peak MB | DB MB per million |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = write_jsonl(Path(tmp) / "posts.jsonl", n)
            ours = measure("veilleur", src, Path(tmp) / "ws")
            base = measure("baseline", src, Path(tmp) / "base.sqlite")
        rate, base_rate = n / ours["seconds"], n / base["seconds"]
        cpu_rate, base_cpu_rate = n / ours["cpu"], n / base["cpu"]
        per_million = ours["bytes"] / n * 1e6 / 1e9
        print(
            f"| {n:,} | {rate:,.0f} | {base_rate:,.0f} | {base_rate / rate:.2f}x slower "
            f"| {cpu_rate:,.0f} | {base_cpu_rate:,.0f} | {base_cpu_rate / cpu_rate:.2f}x "
            f"| {ours['peak_mb']:.0f} | {base['peak_mb']:.0f} | {per_million:.2f} GB |"
        )


if __name__ == "__main__":
    main()
