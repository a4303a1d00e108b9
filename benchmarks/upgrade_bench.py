"""One rebuild per upgrade (issue 19, helper ``rebuildonce``): a workspace at revision 0010
opened by this code and by another (``--before SRC``: e.g. ``git archive`` of main's
``src``), each in a child process, alternated.

    .venv/bin/python benchmarks/upgrade_bench.py --db /tmp/f200k.sqlite --before /tmp/old/src

``--db``: a database at head (``frequent_bench.py``'s corpus, built if missing). Its copy at
0010 (``DB.0010``: the index of 0004, rowid = pk) is made once by Alembic's downgrade and
kept. Each run copies it and opens the copy (which upgrades it to head): CPU s of the child
(user + system), wall s, load average (1 min) before and after, rebuilds reported
(progress reports reaching their total), file size, free pages after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, sys, time
import veilleur
from veilleur.store import SQLiteStore, on_progress

rebuilds = []
on_progress(lambda step, done, total: rebuilds.append(1) if done >= total else None)
began = time.perf_counter()
with SQLiteStore(sys.argv[1]) as store:
    pass
wall = time.perf_counter() - began
print(json.dumps({"wall": wall, "rebuilds": len(rebuilds), "code": veilleur.__file__}))
"""


def at_0010(db: Path) -> Path:
    """The copy of ``db`` at revision 0010, made once."""
    old = db.with_name(db.name + ".0010")
    if old.exists():
        return old
    from alembic import command

    from veilleur.store import engine as engines
    from veilleur.store import migrations

    scratch = old.with_name(old.name + ".part")
    shutil.copy(db, scratch)
    engine = engines.create(scratch)
    with engine.connect() as core:
        command.downgrade(migrations.config(core), "0010")
    engine.dispose()
    with sqlite3.connect(scratch) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    scratch.rename(old)
    return old


def run(label: str, src: Path | None, old: Path, work: Path) -> dict[str, object]:
    copy = work / f"upgrade-{label}.sqlite"
    for leftover in work.glob(f"upgrade-{label}.sqlite*"):
        leftover.unlink()
    shutil.copy(old, copy)
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(copy)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = json.loads(done.stdout.strip().splitlines()[-1])
    with sqlite3.connect(copy) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        (free,) = conn.execute("PRAGMA freelist_count").fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    return {
        "code": label,
        "from": child["code"],
        "version": version,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "wall": wall,
        "open": child["wall"],
        "rebuilds": child["rebuilds"],
        "load": (load_before, os.getloadavg()[0]),
        "file_mb": pages * size / 1e6,
        "free_mb": free * size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="Database at head.")
    parser.add_argument("--posts", type=int, default=200000, help="Posts when building.")
    parser.add_argument("--before", type=Path, required=True, help="The other code's src.")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not args.db.exists():
        from frequent_bench import build

        build(args.db, args.posts)
    old = at_0010(args.db)
    work = args.db.parent
    print(
        f"at 0010: {old.stat().st_size / 1e6:.1f} MB\n\n"
        "| code | CPU s | wall s | rebuilds reported | load 1 min (before → after) | "
        "file MB | free MB |\n|---|---:|---:|---:|---|---:|---:|",
        flush=True,
    )
    for _ in range(args.rounds):
        for label, src in (("before", args.before), ("after", None)):
            r = run(label, src, old, work)
            assert r["version"] == "0013", r
            assert (src is None) != str(r["from"]).startswith(str(src)), r
            load = r["load"]
            assert isinstance(load, tuple)
            print(
                f"| {r['code']} | {r['cpu']:.1f} | {r['wall']:.1f} | {r['rebuilds']} | "
                f"{load[0]:.1f} → {load[1]:.1f} | {r['file_mb']:.1f} | {r['free_mb']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
